/**
 * A fake Clock: time moves only when a test advances it or when code sleeps (a sleep advances
 * the clock at once and is recorded), so throttling and minimum failure times need no waiting.
 */
import type { Clock } from '../../../main/core/ports';

export interface FakeClock extends Clock {
  /** Moves time forward. */
  advance(ms: number): void;
  /** Every sleep requested, in ms, in order. */
  readonly sleeps: number[];
}

export function createFakeClock(start = Date.UTC(2026, 0, 1)): FakeClock {
  let now = start;
  const sleeps: number[] = [];
  return {
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += Math.max(0, ms);
    },
    advance: (ms) => {
      now += ms;
    },
    sleeps,
  };
}
