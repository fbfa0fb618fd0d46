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

/**
 * Whether a click is a tap in the corner: a pointer's (mouse, touch, pen) at a point in the corner.
 * A click made with the keyboard (Enter or Space on a button, a form's implicit submission) comes
 * at (0, 0) with an empty `pointerType` (Pointer Events 3, "click" from a non-pointing device): it
 * never counts, or five key presses anywhere would open the PIN pad. A plain `MouseEvent` (no
 * `pointerType` at all, as older browsers and jsdom send) counts by its point.
 */
export function isCornerTap(click: { clientX: number; clientY: number; pointerType?: string }): boolean {
  if (click.pointerType === '') return false;
  return isInCorner(click.clientX, click.clientY);
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
