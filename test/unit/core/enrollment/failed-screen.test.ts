/**
 * The Failed phase's bound (`station.idle.failedSeconds`, default 60 s): every way a visit ends as
 * failed keeps its support reference that long, Done keeps `doneSeconds`, and nothing waits for
 * the bound: "Try again" (`finish`), a new sign-in and the same account elsewhere end it at once.
 * Fake timers from `TEST_NOW`.
 */
import { describe, expect, it, vi } from 'vitest';
import type { VisitView, WalkupEvent } from '../../../../main/contract';
import type { VisitSession } from '../../../../main/core/enrollment';
import { PASSWORD, TEST_NOW, startHarness, testConfig, useFakeTimersClosing, type Harness } from './fakes';

let h: Harness | undefined;
useFakeTimersClosing(() => h);

/** The test configuration's idle bounds (fakes.ts) with `failedSeconds` set. */
function idleWith(failedSeconds: number): Record<string, unknown> {
  return {
    idle: {
      signInSeconds: 60,
      refusedSeconds: 20,
      duoSeconds: 300,
      visitCapSeconds: 900,
      warningSeconds: 20,
      doneSeconds: 8,
      failedSeconds,
    },
  };
}

async function harness(sdk: 'v2' | 'v4', failedSeconds?: number): Promise<Harness> {
  h = await startHarness(
    sdk,
    failedSeconds === undefined ? {} : { config: testConfig(sdk, { station: idleWith(failedSeconds) }) },
  );
  return h;
}

async function signedIn(harnessed: Harness, username = 'alice'): Promise<VisitSession> {
  const session = harnessed.engine.openSession({ duoPresentation: 'redirect' });
  const result = await session.signIn({ username, password: PASSWORD });
  expect(result.ok).toBe(true);
  return session;
}

function stateOf(session: VisitSession): string {
  return new URL(session.pendingDuoUrl() ?? 'https://x').searchParams.get('state') ?? '';
}

/** Ends `session`'s visit the way each failure path does; returns its support reference. */
type FailWay = (harnessed: Harness, session: VisitSession) => Promise<string | undefined>;

const referenceOf = (visit: VisitView): string | undefined =>
  visit.phase === 'failed' ? visit.reference : undefined;

const v4Ways: [string, FailWay][] = [
  [
    'Cancel in the Universal Prompt (access_denied)',
    async (_, session) => {
      await session.handleDuoCallback({ state: stateOf(session), error: 'access_denied' });
      return referenceOf(session.getVisit());
    },
  ],
  [
    'a refused code (Duo says no)',
    async (_, session) => {
      await session.handleDuoCallback({ state: stateOf(session), duoCode: 'made-up' });
      return referenceOf(session.getVisit());
    },
  ],
  [
    'Duo down at the code exchange (the station then leaves service)',
    async (harnessed, session) => {
      harnessed.duo.tokenEndpointDown = true;
      await session.handleDuoCallback({ state: stateOf(session), duoCode: harnessed.duo.issueCode('alice') });
      expect(harnessed.engine.getStation()).toMatchObject({ inService: false });
      return referenceOf(session.getVisit());
    },
  ],
  [
    "the kiosk cannot load Duo's page (the station then leaves service)",
    (harnessed, session) => {
      session.duoUnreachable('ERR_CONNECTION_REFUSED (-102)');
      expect(harnessed.engine.getStation()).toMatchObject({ inService: false });
      return Promise.resolve(referenceOf(session.getVisit()));
    },
  ],
];

const v2Ways: [string, FailWay][] = [
  [
    'a frame answer for someone else',
    async (harnessed, session) => {
      await session.submitDuoResponse({ response: harnessed.duo.frameResponse('bob') });
      return referenceOf(session.getVisit());
    },
  ],
  [
    'an ERR message from the frame',
    async (_, session) => {
      await session.submitDuoResponse({ response: 'ERR|The integration is disabled.' });
      return referenceOf(session.getVisit());
    },
  ],
];

describe.each([
  ['v4' as const, v4Ways],
  ['v2' as const, v2Ways],
])('Failed on a Web SDK %s station', (sdk, ways) => {
  it.each(ways)('keeps the reference for failedSeconds (60 s by default) after %s', async (_, fail) => {
    const harnessed = await harness(sdk);
    const session = await signedIn(harnessed);
    const events: WalkupEvent[] = [];
    session.onEvent((event) => events.push(event));
    vi.advanceTimersByTime(5_000);
    const failedAt = Date.now();
    const reference = await fail(harnessed, session);
    expect(reference).toEqual(expect.any(String));
    const visit = session.getVisit();
    expect(visit).toMatchObject({ phase: 'failed', reference });
    expect(visit).toHaveProperty('resetAt', new Date(failedAt + 60_000).toISOString());

    // The old bound (doneSeconds, 8 s) has passed: still Failed, same reference, even while the
    // station is out of service meanwhile.
    vi.advanceTimersByTime(8_000);
    expect(session.getVisit()).toEqual(visit);
    vi.advanceTimersByTime(60_000 - 8_000 - 1);
    expect(session.getVisit()).toEqual(visit);
    expect(events.filter((event) => event.type === 'visit-reset')).toEqual([]);

    vi.advanceTimersByTime(1);
    expect(session.getVisit()).toEqual({ phase: 'idle' });
    expect(events.slice(-2)).toEqual([
      { type: 'visit-reset', reason: 'failed' },
      { type: 'visit-changed', visit: { phase: 'idle' } },
    ]);
    expect(harnessed.audit.records.at(-1)).toMatchObject({ type: 'visit-reset', reason: 'failed' });
    expect(session.inProgress).toBe(false);
  });
});

describe('the Failed bound', () => {
  it('follows the configured failedSeconds, while Done keeps doneSeconds', async () => {
    const harnessed = await harness('v4', 15);
    const failed = await signedIn(harnessed, 'alice');
    await failed.handleDuoCallback({ state: stateOf(failed), error: 'access_denied' });
    const done = await signedIn(harnessed, 'bob');
    done.finish({ reason: 'finished' });
    expect(failed.getVisit()).toMatchObject({
      phase: 'failed',
      resetAt: new Date(TEST_NOW + 15_000).toISOString(),
    });
    expect(done.getVisit()).toMatchObject({
      phase: 'done',
      resetAt: new Date(TEST_NOW + 8_000).toISOString(),
    });
    vi.advanceTimersByTime(8_000);
    expect(done.getVisit()).toEqual({ phase: 'idle' });
    expect(failed.getVisit()).toMatchObject({ phase: 'failed' });
    vi.advanceTimersByTime(7_000);
    expect(failed.getVisit()).toEqual({ phase: 'idle' });
  });

  it('ends at once on "Try again" (finish), and its timer goes with it', async () => {
    const harnessed = await harness('v4');
    const session = await signedIn(harnessed);
    const timersBefore = vi.getTimerCount();
    await session.handleDuoCallback({ state: stateOf(session), error: 'access_denied' });
    const events: WalkupEvent[] = [];
    session.onEvent((event) => events.push(event));
    session.finish({ reason: 'finished' });
    expect(session.getVisit()).toEqual({ phase: 'idle' });
    expect(events).toEqual([
      { type: 'visit-reset', reason: 'finished' },
      { type: 'visit-changed', visit: { phase: 'idle' } },
    ]);
    // The Duo timers (idle warning and end) were cleared with the failed visit's own timer.
    expect(vi.getTimerCount()).toBe(timersBefore - 2);
    vi.advanceTimersByTime(60_000);
    expect(events).toHaveLength(2);
  });

  it('does not block the next sign-in: it ends the failed visit at once and starts the new one', async () => {
    const harnessed = await harness('v4');
    const session = await signedIn(harnessed, 'alice');
    await session.handleDuoCallback({ state: stateOf(session), error: 'access_denied' });
    const result = await session.signIn({ username: 'bob', password: PASSWORD });
    expect(result.ok).toBe(true);
    expect(session.getVisit()).toMatchObject({ phase: 'duo', displayName: 'Bob' });
    expect(session.account).toBe('bob');
    expect(harnessed.audit.records).toContainEqual(
      expect.objectContaining({ type: 'visit-reset', reason: 'cancelled' }),
    );
    // The failed visit's timer is gone: bob's visit runs to its own idle bound.
    vi.advanceTimersByTime(60_000);
    expect(session.getVisit()).toMatchObject({ phase: 'duo' });
  });

  it('takes one of many sign-ins fired at once from a Failed screen; the rest are told to wait a second', async () => {
    const harnessed = await harness('v4');
    const session = await signedIn(harnessed, 'alice');
    await session.handleDuoCallback({ state: stateOf(session), error: 'access_denied' });
    const results = await Promise.all(
      Array.from({ length: 5 }, () => session.signIn({ username: 'bob', password: PASSWORD })),
    );
    expect(results.filter((result) => result.ok)).toHaveLength(1);
    expect(results.filter((result) => !result.ok && result.reason === 'throttled')).toHaveLength(4);
    expect(harnessed.directory.authenticateCalls).toEqual(['alice', 'bob']);
    expect(session.getVisit()).toMatchObject({ phase: 'duo', displayName: 'Bob' });
  });

  it('ends when the same account signs in at another screen, and leaves other accounts alone', async () => {
    const harnessed = await harness('v4');
    const alice = await signedIn(harnessed, 'alice');
    await alice.handleDuoCallback({ state: stateOf(alice), error: 'access_denied' });
    const bob = await signedIn(harnessed, 'bob');
    await bob.handleDuoCallback({ state: stateOf(bob), error: 'access_denied' });
    const aliceAgain = await signedIn(harnessed, 'alice');
    expect(alice.getVisit()).toEqual({ phase: 'idle' });
    expect(bob.getVisit()).toMatchObject({ phase: 'failed' });
    expect(aliceAgain.getVisit()).toMatchObject({ phase: 'duo' });
  });

  it('holds no secret: the failed visit shows its reason, reference and end, nothing of the Duo step', async () => {
    const harnessed = await harness('v4');
    const session = await signedIn(harnessed);
    await session.handleDuoCallback({ state: stateOf(session), error: 'access_denied' });
    expect(Object.keys(session.getVisit()).sort()).toEqual(['phase', 'reason', 'reference', 'resetAt']);
    expect(session.pendingDuoUrl()).toBeUndefined();
    expect(JSON.stringify(session.getVisit())).not.toContain(PASSWORD);
  });

  it('ends with its timer when the session is disposed during Failed', async () => {
    const harnessed = await harness('v4');
    const session = await signedIn(harnessed);
    await session.handleDuoCallback({ state: stateOf(session), error: 'access_denied' });
    session.dispose();
    expect(harnessed.engine.findSession(session.id)).toBeUndefined();
    expect(vi.getTimerCount()).toBe(1); // only the station health check remains
  });
});
