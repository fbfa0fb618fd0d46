import { describe, expect, it } from 'vitest';
import {
  CORNER_SIZE_PX,
  CORNER_WINDOW_MS,
  isCornerTap,
  isInCorner,
  registerCornerTap,
  type CornerTaps,
} from '../../../renderer/admin/corner-taps';

/** Taps at the given times (ms) through the pure counter; which of them triggered. */
function tapAt(times: number[]): boolean[] {
  let taps: CornerTaps = [];
  return times.map((now) => {
    const next = registerCornerTap(taps, now);
    taps = next.taps;
    return next.triggered;
  });
}

describe('corner taps', () => {
  it('opens on the fifth tap within three seconds, and counts afresh after it', () => {
    expect(tapAt([0, 500, 1000, 1500, 2000])).toEqual([false, false, false, false, true]);
    // A sixth tap right after does not open again; five more do.
    expect(tapAt([0, 100, 200, 300, 400, 500, 600, 700, 800, 900])).toEqual([
      ...[false, false, false, false, true],
      ...[false, false, false, false, true],
    ]);
  });

  it('does not open when the five taps span three seconds or more', () => {
    expect(tapAt([0, 1000, 2000, 2500, CORNER_WINDOW_MS])).toEqual([false, false, false, false, false]);
    // Taps older than the window are forgotten: the slow first one does not count.
    expect(tapAt([0, 2800, 2900, 3000, 3100, 3200])).toEqual([false, false, false, false, false, true]);
  });

  it('ignores taps from a clock that went backwards', () => {
    expect(tapAt([5000, 5100, 5200, 5300, 100])).toEqual([false, false, false, false, false]);
  });

  it('takes only the 64 x 64 px top-left corner', () => {
    expect(CORNER_SIZE_PX).toBe(64);
    expect(isInCorner(0, 0)).toBe(true);
    expect(isInCorner(63, 63)).toBe(true);
    expect(isInCorner(64, 10)).toBe(false);
    expect(isInCorner(10, 64)).toBe(false);
    expect(isInCorner(-1, 10)).toBe(false);
  });

  it("counts a pointer's click in the corner, never a click made with the keyboard", () => {
    expect(isCornerTap({ clientX: 10, clientY: 10, pointerType: 'touch' })).toBe(true);
    expect(isCornerTap({ clientX: 0, clientY: 0, pointerType: 'mouse' })).toBe(true);
    expect(isCornerTap({ clientX: 10, clientY: 10 })).toBe(true);
    expect(isCornerTap({ clientX: 100, clientY: 10, pointerType: 'mouse' })).toBe(false);
    // Enter or Space on a button: Chromium's click at (0, 0) with no pointer type.
    expect(isCornerTap({ clientX: 0, clientY: 0, pointerType: '' })).toBe(false);
  });
});
