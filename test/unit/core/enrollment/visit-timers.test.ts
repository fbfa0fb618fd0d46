import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { WalkupEvent } from '../../../../main/contract';
import type { VisitSession } from '../../../../main/core/enrollment';
import { PASSWORD, startHarness, useFakeTimersClosing, type Harness } from './fakes';

// Timings of the test configuration: duo 300 s idle, warning 20 s, cap 900 s, done 8 s.
let h: Harness;
let session: VisitSession;
let events: WalkupEvent[];

useFakeTimersClosing(() => h);
beforeEach(async () => {
  h = await startHarness('v4');
  session = h.engine.openSession({ duoPresentation: 'redirect' });
  expect((await session.signIn({ username: 'alice', password: PASSWORD })).ok).toBe(true);
  events = [];
  session.onEvent((event) => events.push(event));
});

describe('visit timers', () => {
  it('shows the idle and cap deadlines in the visit', () => {
    expect(session.getVisit()).toMatchObject({
      idleResetAt: '2026-11-22T09:05:00.000Z',
      capResetAt: '2026-11-22T09:15:00.000Z',
    });
  });

  it('warns before the idle deadline, then resets the visit', () => {
    vi.advanceTimersByTime(279_000);
    expect(events).toEqual([]);
    vi.advanceTimersByTime(1_000);
    expect(events).toEqual([{ type: 'idle-warning', secondsLeft: 20, ending: 'idle' }]);
    vi.advanceTimersByTime(20_000);
    expect(events.slice(1)).toEqual([
      { type: 'visit-reset', reason: 'idle' },
      { type: 'visit-changed', visit: { phase: 'idle' } },
    ]);
    expect(session.pendingDuoUrl()).toBeUndefined();
    expect(h.audit.records.at(-1)).toMatchObject({ type: 'visit-reset', reason: 'idle' });
  });

  it('extends the idle deadline on activity and withdraws a warning already shown', () => {
    vi.advanceTimersByTime(290_000);
    expect(events).toEqual([{ type: 'idle-warning', secondsLeft: 20, ending: 'idle' }]);
    session.activity();
    expect(events.at(-1)).toMatchObject({
      type: 'visit-changed',
      visit: { phase: 'duo', idleResetAt: '2026-11-22T09:09:50.000Z' },
    });
    vi.advanceTimersByTime(279_000);
    expect(events.filter((event) => event.type === 'visit-reset')).toEqual([]);
    vi.advanceTimersByTime(21_000);
    expect(events.filter((event) => event.type === 'visit-reset')).toEqual([
      { type: 'visit-reset', reason: 'idle' },
    ]);
  });

  it('ends the visit at the hard cap however active the person is', () => {
    for (let minute = 0; minute < 14; minute += 1) {
      vi.advanceTimersByTime(60_000);
      session.activity();
    }
    vi.advanceTimersByTime(40_000);
    expect(session.getVisit()).toMatchObject({ phase: 'duo' });
    expect(events.filter((event) => event.type === 'idle-warning')).toEqual([
      { type: 'idle-warning', secondsLeft: 20, ending: 'visit-cap' },
    ]);
    vi.advanceTimersByTime(20_000);
    expect(events.filter((event) => event.type === 'visit-reset')).toEqual([
      { type: 'visit-reset', reason: 'visit-cap' },
    ]);
  });

  it('ends the visit when the person says they are done, then resets after the done screen', () => {
    session.finish({ reason: 'finished' });
    expect(session.getVisit()).toEqual({
      phase: 'done',
      displayName: 'Alice Example',
      outcome: 'finished',
      resetAt: '2026-11-22T09:00:08.000Z',
    });
    expect(h.audit.records.at(-1)).toMatchObject({
      type: 'visit-finished',
      reason: 'finished',
      username: 'alice',
    });
    vi.advanceTimersByTime(7_999);
    expect(session.getVisit()).toMatchObject({ phase: 'done' });
    vi.advanceTimersByTime(1);
    expect(events.at(-2)).toEqual({ type: 'visit-reset', reason: 'finished' });
    expect(session.getVisit()).toEqual({ phase: 'idle' });
  });

  it('resets at once when the visit is cancelled', () => {
    session.finish({ reason: 'cancelled' });
    expect(events).toEqual([
      { type: 'visit-reset', reason: 'cancelled' },
      { type: 'visit-changed', visit: { phase: 'idle' } },
    ]);
  });

  it('does not extend the done screen on activity', () => {
    session.finish({ reason: 'finished' });
    vi.advanceTimersByTime(7_000);
    session.activity();
    vi.advanceTimersByTime(1_000);
    expect(session.getVisit()).toEqual({ phase: 'idle' });
  });

  it('resets a second "done" press at once', () => {
    session.finish({ reason: 'finished' });
    session.finish({ reason: 'finished' });
    expect(session.getVisit()).toEqual({ phase: 'idle' });
  });

  it('ends the visit and its timers when the session is disposed', () => {
    session.dispose();
    expect(h.engine.findSession(session.id)).toBeUndefined();
    expect(vi.getTimerCount()).toBe(1); // only the station health check remains
  });

  it('records why a disposed session ended its visit (a lost renderer is not a cancel)', () => {
    session.dispose('renderer-crash');
    expect(events).toContainEqual({ type: 'visit-reset', reason: 'renderer-crash' });
    expect(h.audit.records.filter((record) => record.type === 'visit-reset')).toEqual([
      expect.objectContaining({ reason: 'renderer-crash' }),
    ]);
  });

  it('fires no idle timers after a visit ended as done', () => {
    session.finish({ reason: 'finished' });
    vi.advanceTimersByTime(1_000_000);
    expect(events.filter((event) => event.type === 'idle-warning')).toEqual([]);
    expect(events.filter((event) => event.type === 'visit-reset')).toHaveLength(1);
  });
});
