import { describe, expect, it } from 'vitest';
import type { WalkupEvent } from '../../../../main/contract';
import { PASSWORD, startHarness, useFakeTimersClosing, type Harness } from './fakes';

describe('one visit in progress per account (issue #7 review)', () => {
  let h: Harness;
  useFakeTimersClosing(() => h);

  it("ends the same account's older visit when it signs in again elsewhere, audited as cancelled", async () => {
    h = await startHarness('v4');
    const first = h.engine.openSession({ duoPresentation: 'redirect' });
    const events: WalkupEvent[] = [];
    first.onEvent((event) => events.push(event));
    expect(await first.signIn({ username: 'alice', password: PASSWORD })).toMatchObject({ ok: true });
    expect(first.account).toBe('alice');

    const second = h.engine.openSession({ duoPresentation: 'redirect' });
    expect(await second.signIn({ username: 'alice', password: PASSWORD })).toMatchObject({ ok: true });

    expect(first.inProgress).toBe(false);
    expect(first.account).toBeUndefined();
    expect(first.getVisit()).toEqual({ phase: 'idle' });
    expect(events).toContainEqual({ type: 'visit-reset', reason: 'cancelled' });
    expect(second.getVisit()).toMatchObject({ phase: 'duo' });
    expect(h.audit.records.filter((record) => record.type === 'visit-reset')).toEqual([
      expect.objectContaining({ reason: 'cancelled' }),
    ]);
  });

  it("never ends another account's visit", async () => {
    h = await startHarness('v2');
    const alice = h.engine.openSession({ duoPresentation: 'redirect' });
    await alice.signIn({ username: 'alice', password: PASSWORD });
    const bob = h.engine.openSession({ duoPresentation: 'redirect' });
    await bob.signIn({ username: 'bob', password: PASSWORD });
    expect(alice.getVisit()).toMatchObject({ phase: 'duo' });
    expect(bob.getVisit()).toMatchObject({ phase: 'duo' });
  });

  it('holds at most one visit in progress for an account signed in many times at once', async () => {
    h = await startHarness('v4');
    const sessions = Array.from({ length: 50 }, () => h.engine.openSession({ duoPresentation: 'redirect' }));
    const results = await Promise.all(
      sessions.map((session) => session.signIn({ username: 'alice', password: PASSWORD })),
    );
    expect(results.every((result) => result.ok)).toBe(true);
    expect(sessions.filter((session) => session.inProgress)).toHaveLength(1);
  });
});
