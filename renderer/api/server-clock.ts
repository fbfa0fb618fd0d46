/**
 * The portal's clock as seen from the browser. Visit times (`idleResetAt`, `capResetAt`,
 * `resetAt`) are the server's; the page counts down to them on its own clock, which in portal mode
 * belongs to whatever machine runs the browser. A browser clock minutes ahead would end every
 * visit on screen at once, one behind would keep it too long; so the HTTP transport estimates the
 * difference from each answer's `Date` header (RFC 9110 §6.6.1; whole seconds) and moves visit
 * times onto the browser's clock.
 *
 * Small differences are ignored: below {@link CLOCK_SKEW_TOLERANCE_MS} the header's one-second
 * resolution and the round trip dominate. The estimate only moves when it changes by more than
 * that too, so the same visit read twice gets the same times (the renderer recognises a visit it
 * has left by them).
 */
import type { VisitView } from '../../main/contract';

/** Differences up to this are taken as none. */
export const CLOCK_SKEW_TOLERANCE_MS = 2000;

export interface ServerClock {
  /** Notes an answer's `Date` header; `sentAt`/`receivedAt` are the browser's times (epoch ms). */
  observe(dateHeader: string | null, sentAt: number, receivedAt: number): void;
  /** Server time minus browser time, in ms (0 within the tolerance). */
  offsetMs(): number;
  /** The visit with its times moved onto the browser's clock. */
  toLocal(visit: VisitView): VisitView;
}

export function createServerClock(): ServerClock {
  let offset = 0;

  const shift = (iso: string): string => {
    const time = Date.parse(iso);
    return Number.isNaN(time) ? iso : new Date(time - offset).toISOString();
  };

  return {
    observe(dateHeader, sentAt, receivedAt) {
      if (!dateHeader) return;
      const server = Date.parse(dateHeader);
      if (Number.isNaN(server)) return;
      // The header is truncated to the second: its true time is half a second later on average.
      const estimate = server + 500 - (sentAt + receivedAt) / 2;
      const next = Math.abs(estimate) <= CLOCK_SKEW_TOLERANCE_MS ? 0 : Math.round(estimate);
      if (Math.abs(next - offset) > CLOCK_SKEW_TOLERANCE_MS) offset = next;
    },
    offsetMs: () => offset,
    toLocal(visit) {
      if (offset === 0) return visit;
      switch (visit.phase) {
        case 'idle':
          return visit;
        case 'duo':
          return { ...visit, idleResetAt: shift(visit.idleResetAt), capResetAt: shift(visit.capResetAt) };
        case 'done':
        case 'failed':
          return { ...visit, resetAt: shift(visit.resetAt) };
      }
    },
  };
}
