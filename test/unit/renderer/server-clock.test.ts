import { describe, expect, it } from 'vitest';
import type { VisitView } from '../../../main/contract';
import { CLOCK_SKEW_TOLERANCE_MS, createServerClock } from '../../../renderer/api/server-clock';

const browserNow = Date.parse('2030-01-01T12:00:00.000Z');
const duo: VisitView = {
  phase: 'duo',
  displayName: 'Alice',
  duo: { kind: 'frame', host: 'api-test.duosecurity.com', tx: 'TX|a|b' },
  idleResetAt: '2030-01-01T12:15:00.000Z',
  capResetAt: '2030-01-01T12:25:00.000Z',
};

/** An answer whose Date header says `serverNow`, received 100 ms after it was sent. */
function observe(clock: ReturnType<typeof createServerClock>, serverNow: number) {
  clock.observe(new Date(serverNow).toUTCString(), browserNow - 50, browserNow + 50);
}

describe('server clock', () => {
  it('moves visit times onto the browser clock when the server is minutes ahead', () => {
    const clock = createServerClock();
    observe(clock, browserNow + 10 * 60_000);
    expect(Math.abs(clock.offsetMs() - 10 * 60_000)).toBeLessThanOrEqual(1000);
    const local = clock.toLocal(duo);
    expect(local.phase === 'duo' && Date.parse(local.idleResetAt)).toBe(
      Date.parse(duo.phase === 'duo' ? duo.idleResetAt : '') - clock.offsetMs(),
    );
  });

  it('moves Done and Failed times too, and leaves an idle visit alone', () => {
    const clock = createServerClock();
    observe(clock, browserNow - 5 * 60_000);
    const done: VisitView = {
      phase: 'done',
      displayName: 'A',
      outcome: 'verified',
      resetAt: duo.phase === 'duo' ? duo.idleResetAt : '',
    };
    const local = clock.toLocal(done);
    expect(local.phase === 'done' && Date.parse(local.resetAt)).toBe(
      Date.parse('2030-01-01T12:15:00.000Z') - clock.offsetMs(),
    );
    expect(clock.toLocal({ phase: 'idle' })).toEqual({ phase: 'idle' });
  });

  it('ignores differences within the tolerance and a missing or unreadable header', () => {
    const clock = createServerClock();
    observe(clock, browserNow + CLOCK_SKEW_TOLERANCE_MS - 1000);
    clock.observe(null, browserNow, browserNow);
    clock.observe('yesterday-ish', browserNow, browserNow);
    expect(clock.offsetMs()).toBe(0);
    expect(clock.toLocal(duo)).toBe(duo);
  });

  it('keeps its estimate while new ones differ by no more than the tolerance, so a visit reads the same twice', () => {
    const clock = createServerClock();
    observe(clock, browserNow + 60_000);
    const first = clock.toLocal(duo);
    observe(clock, browserNow + 61_000);
    expect(clock.toLocal(duo)).toEqual(first);
    observe(clock, browserNow + 120_000);
    expect(clock.toLocal(duo)).not.toEqual(first);
  });
});
