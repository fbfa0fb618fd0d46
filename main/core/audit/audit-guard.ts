/**
 * Keeps the audit trail about people and decisions, so nobody can flush it away from outside:
 *
 * - Events that concern no person and no decision (a Duo answer posted where there is no visit:
 *   anyone with a browser session can send those) are counted, not written one by one; the counts
 *   go into one `audit-summary` line per period. They are still logged operationally by the
 *   engine, with their support reference. A replayed Duo answer is not among them: it was issued
 *   to somebody, and its refusal is a decision worth a line of its own.
 * - Events that carry a client key (portal mode: the request's address) are rate-bounded per
 *   client; beyond the bound they are counted in the same summary line.
 *
 * A fixed one-minute window per client: simple, and the bound is what matters, not its shape.
 */
import type { AuditContext, AuditEvent, AuditLog } from './types';

export interface AuditGuardOptions {
  /** Events written per client and minute at most (default 120: about 20 complete visits). */
  perClientPerMinute?: number;
  /** Period of the summary line (seconds, default 60). */
  summaryIntervalSeconds?: number;
  /** Milliseconds since the epoch (for the windows). */
  now: () => number;
}

/** Clients tracked per window at most; further new clients share one bucket. */
const MAX_TRACKED_CLIENTS = 10_000;
const OVERFLOW_CLIENT = '\u0000overflow';

/** Whether an event concerns no person and no decision (nobody signed in, no visit). */
export function isUnattributedEvent(event: AuditEvent): boolean {
  return event.type === 'duo-rejected' && event.visit === undefined;
}

/**
 * Wraps `inner` (its other methods pass through). `flushSummary` writes the pending summary now;
 * `stop` stops the timer after writing it.
 */
export function guardAuditLog<T extends AuditLog>(
  inner: T,
  options: AuditGuardOptions,
): T & { flushSummary(): Promise<void>; stopGuard(): Promise<void> } {
  const perClient = options.perClientPerMinute ?? 120;
  const intervalMs = (options.summaryIntervalSeconds ?? 60) * 1000;
  let windowStart = options.now();
  let perClientCounts = new Map<string, number>();
  let unattributed = new Map<string, number>();
  let suppressed = new Map<string, number>();
  let suppressedClients = new Set<string>();
  let periodStart = options.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  const bump = (map: Map<string, number>, key: string): void => {
    map.set(key, (map.get(key) ?? 0) + 1);
  };

  function flushSummary(): Promise<void> {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (unattributed.size === 0 && suppressed.size === 0) return Promise.resolve();
    const now = options.now();
    const event: AuditEvent = {
      type: 'audit-summary',
      periodSeconds: Math.max(0, Math.round((now - periodStart) / 1000)),
    };
    if (unattributed.size > 0) event.unattributed = Object.fromEntries(unattributed);
    if (suppressed.size > 0) {
      event.suppressed = { clients: suppressedClients.size, events: Object.fromEntries(suppressed) };
    }
    unattributed = new Map();
    suppressed = new Map();
    suppressedClients = new Set();
    return inner.record(event);
  }

  function count(): void {
    if (timer || stopped) return;
    periodStart = options.now();
    timer = setTimeout(() => {
      timer = undefined;
      void flushSummary();
    }, intervalMs);
    timer.unref?.();
  }

  function overBound(client: string): boolean {
    const now = options.now();
    if (now - windowStart >= 60_000 || now < windowStart) {
      windowStart = now;
      perClientCounts = new Map();
    }
    const key =
      perClientCounts.has(client) || perClientCounts.size < MAX_TRACKED_CLIENTS ? client : OVERFLOW_CLIENT;
    const used = perClientCounts.get(key) ?? 0;
    if (used >= perClient) return true;
    perClientCounts.set(key, used + 1);
    return false;
  }

  const guarded = Object.create(inner) as T & {
    flushSummary(): Promise<void>;
    stopGuard(): Promise<void>;
  };
  Object.assign(guarded, {
    record(event: AuditEvent, context?: AuditContext): Promise<void> {
      if (isUnattributedEvent(event)) {
        bump(unattributed, event.type);
        count();
        return Promise.resolve();
      }
      const client = context?.client;
      if (client !== undefined && overBound(client)) {
        bump(suppressed, event.type);
        if (suppressedClients.size < MAX_TRACKED_CLIENTS) suppressedClients.add(client);
        count();
        return Promise.resolve();
      }
      return inner.record(event, context);
    },
    flushSummary,
    async stopGuard() {
      stopped = true;
      await flushSummary();
    },
  });
  return guarded;
}
