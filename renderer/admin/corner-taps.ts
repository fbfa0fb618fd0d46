/**
 * The hidden admin trigger: five taps (or clicks) in the screen's top-left corner within three
 * seconds open the PIN pad. The corner is a 64 x 64 CSS px region with no element, no focus stop
 * and no visual hint; the keyboard way in is the kiosk's key chord (main's `admin-requested`).
 *
 * Pure: the counter takes the time of each tap, so it is tested with an injected clock.
 */

/** Side of the top-left corner region, CSS px. */
export const CORNER_SIZE_PX = 64;
/** Taps needed. */
export const CORNER_TAPS = 5;
/** Window the taps must fall in, ms. */
export const CORNER_WINDOW_MS = 3000;

/** Whether a point (viewport CSS px, e.g. a pointer event's clientX/clientY) is in the corner. */
export function isInCorner(x: number, y: number): boolean {
  return x >= 0 && y >= 0 && x < CORNER_SIZE_PX && y < CORNER_SIZE_PX;
}

/** The counter's state: the times (ms) of the recent corner taps, oldest first. */
export type CornerTaps = readonly number[];

/**
 * Adds a tap at `now` (ms, any monotonic clock) to `taps`, forgetting taps older than the window.
 * `triggered` is true on the fifth tap within {@link CORNER_WINDOW_MS}; the count then starts
 * over, so a sixth tap does not trigger again.
 */
export function registerCornerTap(taps: CornerTaps, now: number): { taps: CornerTaps; triggered: boolean } {
  const recent = [...taps.filter((time) => now - time < CORNER_WINDOW_MS && time <= now), now];
  if (recent.length >= CORNER_TAPS) return { taps: [], triggered: true };
  return { taps: recent, triggered: false };
}
