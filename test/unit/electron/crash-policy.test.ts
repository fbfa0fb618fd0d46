import { describe, expect, it } from 'vitest';
import { createCrashLoopBreaker, isRendererCrash } from '../../../main/electron/crash-policy';

function fakeClock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('createCrashLoopBreaker', () => {
  it('reloads after the first and second crash', () => {
    const breaker = createCrashLoopBreaker({ now: fakeClock().now });
    expect(breaker.recordCrash()).toBe('reload');
    expect(breaker.recordCrash()).toBe('reload');
  });
  it('shows the out-of-service page at the third crash within 60 s', () => {
    const clock = fakeClock();
    const breaker = createCrashLoopBreaker({ now: clock.now });
    breaker.recordCrash();
    clock.advance(20_000);
    breaker.recordCrash();
    clock.advance(39_000);
    expect(breaker.recordCrash()).toBe('out-of-service');
  });
  it('forgets crashes older than the window', () => {
    const clock = fakeClock();
    const breaker = createCrashLoopBreaker({ now: clock.now });
    breaker.recordCrash();
    breaker.recordCrash();
    clock.advance(60_001);
    expect(breaker.recentCrashes()).toBe(0);
    expect(breaker.recordCrash()).toBe('reload');
  });
  it('honours custom limits', () => {
    const breaker = createCrashLoopBreaker({ maxCrashes: 1, windowMs: 1000, now: fakeClock().now });
    expect(breaker.recordCrash()).toBe('out-of-service');
  });
});

describe('isRendererCrash', () => {
  it('counts every reason except a clean exit', () => {
    expect(isRendererCrash('clean-exit')).toBe(false);
    for (const reason of [
      'crashed',
      'oom',
      'killed',
      'abnormal-exit',
      'launch-failed',
      'integrity-failure',
    ]) {
      expect(isRendererCrash(reason)).toBe(true);
    }
  });
});
