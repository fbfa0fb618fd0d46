import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { WalkupEvent } from '../../../../main/contract';
import type { VisitSession } from '../../../../main/core/enrollment';
import { PASSWORD, startHarness, useFakeTimersClosing, type Harness } from './fakes';

let h: Harness;
useFakeTimersClosing(() => h);

async function signedIn(sdk: 'v2' | 'v4', username = 'alice'): Promise<VisitSession> {
  h ??= await startHarness(sdk);
  const session = h.engine.openSession({ duoPresentation: 'redirect' });
  const result = await session.signIn({ username, password: PASSWORD });
  expect(result.ok).toBe(true);
  return session;
}

describe('Duo Web SDK v2 responses', () => {
  beforeEach(async () => {
    h = await startHarness('v2');
  });

  it('verifies the frame response against the APP part kept in main and ends the visit as done', async () => {
    const session = await signedIn('v2');
    const events: WalkupEvent[] = [];
    session.onEvent((event) => events.push(event));
    expect(await session.submitDuoResponse({ response: h.duo.frameResponse('alice') })).toEqual({ ok: true });
    expect(session.getVisit()).toMatchObject({
      phase: 'done',
      outcome: 'verified',
      displayName: 'Alice Example',
    });
    expect(events).toEqual([{ type: 'visit-changed', visit: expect.objectContaining({ phase: 'done' }) }]);
    expect(h.audit.records.at(-1)).toMatchObject({ type: 'duo-verified', username: 'alice', sdk: 'v2' });
    vi.advanceTimersByTime(8_000);
    expect(session.getVisit()).toEqual({ phase: 'idle' });
    expect(events.slice(-2)).toEqual([
      { type: 'visit-reset', reason: 'done' },
      { type: 'visit-changed', visit: { phase: 'idle' } },
    ]);
  });

  it('refuses a genuine ENROLL answer as rejected (Walkup signs only TX requests) and ends the visit', async () => {
    const session = await signedIn('v2');
    const response = h.duo.frameResponse('alice', 300, 'ENROLL');
    expect(await session.submitDuoResponse({ response })).toMatchObject({ ok: false, reason: 'rejected' });
    expect(session.getVisit()).toMatchObject({ phase: 'failed', reason: 'rejected' });
    expect(h.audit.records.at(-1)).toMatchObject({
      type: 'duo-rejected',
      code: 'token-invalid',
      sdk: 'v2',
      detail: 'an ENROLL response, but Walkup asked for authentication (TX)',
    });
    // Used once, like any answer: the same message is a replay in the next visit.
    vi.advanceTimersByTime(8_000);
    const again = await signedIn('v2');
    expect(await again.submitDuoResponse({ response })).toMatchObject({ reason: 'replayed' });
  });

  it('refuses the same response a second time in the same visit', async () => {
    const session = await signedIn('v2');
    const response = h.duo.frameResponse('alice');
    expect(await session.submitDuoResponse({ response })).toEqual({ ok: true });
    expect(await session.submitDuoResponse({ response })).toMatchObject({ ok: false, reason: 'replayed' });
    expect(h.audit.records.at(-1)).toMatchObject({ type: 'duo-replayed', sdk: 'v2' });
  });

  it('takes one of many frame messages fired at once: the rest are replays or find no visit', async () => {
    const session = await signedIn('v2');
    const response = h.duo.frameResponse('alice');
    const others = Array.from({ length: 5 }, (_, i) => h.duo.frameResponse('alice', 300 + i + 1));
    const results = await Promise.all([
      ...Array.from({ length: 5 }, () => session.submitDuoResponse({ response })),
      ...others.map((other) => session.submitDuoResponse({ response: other })),
    ]);
    expect(results.filter((result) => result.ok)).toHaveLength(1);
    expect(results[0]).toEqual({ ok: true });
    expect(results.slice(1, 5).every((result) => !result.ok && result.reason === 'replayed')).toBe(true);
    expect(results.slice(5).every((result) => !result.ok && result.reason === 'no-visit')).toBe(true);
    expect(h.audit.records.filter((record) => record.type === 'duo-verified')).toHaveLength(1);
    expect(session.getVisit()).toMatchObject({ phase: 'done', outcome: 'verified' });
  });

  it('refuses a response replayed into a later visit of the same person', async () => {
    const first = await signedIn('v2');
    const response = h.duo.frameResponse('alice');
    expect(await first.submitDuoResponse({ response })).toEqual({ ok: true });
    vi.advanceTimersByTime(8_000);
    expect(await first.submitDuoResponse({ response })).toMatchObject({ reason: 'replayed' });
    const second = await signedIn('v2');
    expect(await second.submitDuoResponse({ response })).toMatchObject({ ok: false, reason: 'replayed' });
    expect(second.getVisit()).toMatchObject({ phase: 'duo' });
  });

  it('refuses a response replayed from a failed attempt even though it never verified', async () => {
    const session = await signedIn('v2', 'bob');
    const aliceResponse = h.duo.frameResponse('alice');
    expect(await session.submitDuoResponse({ response: aliceResponse })).toMatchObject({
      reason: 'rejected',
    });
    const alice = await signedIn('v2', 'alice');
    expect(await alice.submitDuoResponse({ response: aliceResponse })).toMatchObject({ reason: 'replayed' });
  });

  it('rejects a tampered response and fails the visit', async () => {
    const session = await signedIn('v2');
    const response = h.duo.frameResponse('alice');
    const tampered = response.slice(0, -1) + (response.endsWith('0') ? '1' : '0');
    const result = await session.submitDuoResponse({ response: tampered });
    expect(result).toMatchObject({ ok: false, reason: 'rejected' });
    expect(session.getVisit()).toMatchObject({ phase: 'failed', reason: 'rejected' });
    expect(h.audit.records.at(-1)).toMatchObject({
      type: 'duo-rejected',
      code: 'token-invalid',
      reference: (result as { reference: string }).reference,
    });
    // Failed keeps its reference for failedSeconds (60 s by default), then resets.
    vi.advanceTimersByTime(60_000);
    expect(session.getVisit()).toEqual({ phase: 'idle' });
  });

  it('rejects a valid response for someone else', async () => {
    const session = await signedIn('v2', 'alice');
    const result = await session.submitDuoResponse({ response: h.duo.frameResponse('bob') });
    expect(result).toMatchObject({ ok: false, reason: 'rejected' });
    expect(session.getVisit()).toMatchObject({ phase: 'failed' });
  });

  it('rejects an expired response', async () => {
    const session = await signedIn('v2');
    const response = h.duo.frameResponse('alice', 10);
    vi.advanceTimersByTime(11_000);
    expect(await session.submitDuoResponse({ response })).toMatchObject({ ok: false, reason: 'rejected' });
  });

  it('ends the visit as a Duo error on an ERR message', async () => {
    const session = await signedIn('v2');
    const result = await session.submitDuoResponse({ response: 'ERR|The integration is disabled.' });
    expect(result).toMatchObject({ ok: false, reason: 'duo-error' });
    expect(session.getVisit()).toMatchObject({ phase: 'failed', reason: 'duo-error' });
    expect(h.audit.records.at(-1)).toMatchObject({
      type: 'duo-rejected',
      code: 'duo-error',
      detail: 'frame reported: The integration is disabled.',
    });
  });

  it('records an ERR message without its control characters and cut short', async () => {
    const session = await signedIn('v2');
    const response = `ERR|forged\r\n{"type":"duo-verified"}\u202e${'x'.repeat(500)}`;
    expect(await session.submitDuoResponse({ response })).toMatchObject({ reason: 'duo-error' });
    const detail = (h.audit.records.at(-1) as { detail: string }).detail;
    expect(detail).toMatch(/^frame reported: forged {2}\{"type":"duo-verified"\} x+$/);
    expect([...detail].length).toBe('frame reported: '.length + 200);
  });

  it.each(['hello', 'AUTH|only-two-parts', 'AUTH|abc|def:APP|ghi|jkl', 'TX|abc|def', 'AUTH|ab c|def'])(
    'calls %j malformed and keeps the visit',
    async (response) => {
      const session = await signedIn('v2');
      expect(await session.submitDuoResponse({ response })).toMatchObject({ ok: false, reason: 'malformed' });
      expect(session.getVisit()).toMatchObject({ phase: 'duo' });
    },
  );

  it('says no-visit when nobody is waiting for Duo', async () => {
    const session = h.engine.openSession({ duoPresentation: 'redirect' });
    expect(await session.submitDuoResponse({ response: h.duo.frameResponse('alice') })).toMatchObject({
      ok: false,
      reason: 'no-visit',
    });
    expect(h.audit.records.at(-1)).toMatchObject({ type: 'duo-rejected', code: 'no-visit' });
  });

  it('says no-visit to a v4 callback on a v2 station and keeps the visit', async () => {
    const session = await signedIn('v2');
    expect(session.expectsDuoCallback({ state: 'x'.repeat(30) })).toBe(false);
    expect(await session.handleDuoCallback({ state: 'x'.repeat(30), duoCode: 'abc' })).toMatchObject({
      reason: 'no-visit',
    });
    expect(session.getVisit()).toMatchObject({ phase: 'duo' });
    expect(await session.submitDuoResponse({ response: h.duo.frameResponse('alice') })).toEqual({ ok: true });
  });
});

describe('Duo Web SDK v4 callbacks', () => {
  beforeEach(async () => {
    h = await startHarness('v4');
  });

  function stateOf(session: VisitSession): string {
    return new URL(session.pendingDuoUrl() ?? 'https://x').searchParams.get('state') ?? '';
  }

  it('verifies the callback and ends the visit as done', async () => {
    const session = await signedIn('v4');
    const state = stateOf(session);
    const result = await session.handleDuoCallback({ state, duoCode: h.duo.issueCode('alice') });
    expect(result).toEqual({ ok: true });
    expect(session.getVisit()).toMatchObject({ phase: 'done', outcome: 'verified' });
    expect(session.pendingDuoUrl()).toBeUndefined();
    expect(h.audit.records.at(-1)).toMatchObject({ type: 'duo-verified', sdk: 'v4', username: 'alice' });
  });

  it('refuses a callback whose state was already used, even after the reset', async () => {
    const session = await signedIn('v4');
    const state = stateOf(session);
    const code = h.duo.issueCode('alice');
    expect(await session.handleDuoCallback({ state, duoCode: code })).toEqual({ ok: true });
    expect(await session.handleDuoCallback({ state, duoCode: code })).toMatchObject({ reason: 'replayed' });
    vi.advanceTimersByTime(8_000);
    expect(await session.handleDuoCallback({ state, duoCode: code })).toMatchObject({ reason: 'replayed' });
    expect(h.audit.records.at(-1)).toMatchObject({ type: 'duo-replayed', sdk: 'v4' });
  });

  it('fails the visit on a state that does not match, without exchanging the code', async () => {
    const session = await signedIn('v4');
    const result = await session.handleDuoCallback({ state: 'forged-state-forged-state', duoCode: 'abc' });
    expect(result).toMatchObject({ ok: false, reason: 'rejected' });
    expect(h.duo.exchanges).toBe(0);
    expect(session.getVisit()).toMatchObject({ phase: 'failed' });
    expect(h.audit.records.at(-1)).toMatchObject({ type: 'duo-rejected', code: 'state-mismatch' });
  });

  it('says no-visit to a callback after the visit was reset', async () => {
    const session = await signedIn('v4');
    const state = stateOf(session);
    session.finish({ reason: 'cancelled' });
    expect(await session.handleDuoCallback({ state, duoCode: h.duo.issueCode('alice') })).toMatchObject({
      reason: 'no-visit',
    });
    expect(h.audit.records.at(-1)).toMatchObject({ type: 'duo-rejected', code: 'no-visit', sdk: 'v4' });
  });

  it('treats Cancel in the prompt (access_denied) as cancelled, with its reference', async () => {
    const session = await signedIn('v4');
    const result = await session.handleDuoCallback({
      state: stateOf(session),
      error: 'access_denied',
      errorDescription: 'The user cancelled',
    });
    expect(result).toMatchObject({ ok: false, reason: 'cancelled', reference: expect.any(String) });
    expect(session.getVisit()).toMatchObject({
      phase: 'failed',
      reason: 'cancelled',
      reference: (result as { reference: string }).reference,
    });
    expect(h.audit.records.at(-1)).toMatchObject({ type: 'duo-rejected', code: 'access-denied' });
  });

  it('rejects a code Duo does not honour', async () => {
    const session = await signedIn('v4');
    const result = await session.handleDuoCallback({ state: stateOf(session), duoCode: 'made-up' });
    expect(result).toMatchObject({ ok: false, reason: 'rejected' });
    expect(h.audit.records.at(-1)).toMatchObject({ type: 'duo-rejected', code: 'code-rejected' });
  });

  it('ends the visit as failed with its reference when Duo goes down mid-visit, then takes the station out of service', async () => {
    const session = await signedIn('v4');
    const events: WalkupEvent[] = [];
    session.onEvent((event) => events.push(event));
    h.duo.tokenEndpointDown = true;
    const result = await session.handleDuoCallback({
      state: stateOf(session),
      duoCode: h.duo.issueCode('alice'),
    });
    expect(result).toMatchObject({ ok: false, reason: 'duo-unavailable', reference: expect.any(String) });
    const reference = (result as { reference: string }).reference;
    expect(session.getVisit()).toMatchObject({ phase: 'failed', reason: 'duo-unavailable', reference });
    expect(h.audit.records).toContainEqual(
      expect.objectContaining({ type: 'duo-rejected', code: 'unreachable', reference }),
    );
    // The person sees the failed visit (with the reference) before the station changes.
    const failedAt = events.findIndex(
      (event) => event.type === 'visit-changed' && event.visit.phase === 'failed',
    );
    const stationAt = events.findIndex((event) => event.type === 'station-changed');
    expect(failedAt).toBeGreaterThanOrEqual(0);
    expect(stationAt).toBeGreaterThan(failedAt);
    expect(h.engine.getStation()).toMatchObject({
      inService: false,
      outOfService: { reason: 'duo-unreachable' },
    });
    // The failed visit keeps its reference for its whole time on screen.
    vi.advanceTimersByTime(7_000);
    expect(session.getVisit()).toMatchObject({ phase: 'failed', reference });
  });

  it("ends the visit as failed with its reference when the kiosk cannot load Duo's page, and only a visit in Duo", async () => {
    const idle = h.engine.openSession({ duoPresentation: 'view' });
    idle.duoUnreachable('ERR_CONNECTION_REFUSED (-102)');
    expect(idle.getVisit()).toEqual({ phase: 'idle' });
    expect(h.engine.getStation().inService).toBe(true);

    const session = await signedIn('v4');
    session.duoUnreachable('ERR_CONNECTION_REFUSED (-102)\r\nforged');
    const visit = session.getVisit();
    expect(visit).toMatchObject({
      phase: 'failed',
      reason: 'duo-unavailable',
      reference: expect.any(String),
    });
    const rejected = h.audit.records.find(
      (record) =>
        record.type === 'duo-rejected' && record.reference === (visit as { reference: string }).reference,
    );
    expect(rejected).toMatchObject({
      code: 'unreachable',
      detail: expect.stringContaining('ERR_CONNECTION_REFUSED'),
    });
    expect(JSON.stringify(rejected)).not.toMatch(/\\r|\\n/);
    expect(h.engine.getStation()).toMatchObject({
      inService: false,
      outOfService: { reason: 'duo-unreachable' },
    });
    // Once failed, another report changes nothing.
    session.duoUnreachable('again');
    expect(session.getVisit()).toEqual(visit);
  });

  it('rejects a verified token for another user', async () => {
    const session = await signedIn('v4');
    const result = await session.handleDuoCallback({
      state: stateOf(session),
      duoCode: h.duo.issueCode('bob'),
    });
    expect(result).toMatchObject({ ok: false, reason: 'rejected' });
    expect(h.audit.records.at(-1)).toMatchObject({ type: 'duo-rejected', code: 'username-mismatch' });
  });

  it('uses the pending state once: a second callback during the exchange finds no visit', async () => {
    const session = await signedIn('v4');
    const state = stateOf(session);
    const code = h.duo.issueCode('alice');
    const [first, second] = await Promise.all([
      session.handleDuoCallback({ state, duoCode: code }),
      session.handleDuoCallback({ state, duoCode: code }),
    ]);
    expect(first).toEqual({ ok: true });
    expect(second).toMatchObject({ ok: false, reason: 'replayed' });
    expect(h.duo.exchanges).toBe(1);
  });

  it('keeps one session from answering for another', async () => {
    const alice = await signedIn('v4', 'alice');
    const other = h.engine.openSession({ duoPresentation: 'redirect' });
    expect(
      await other.handleDuoCallback({ state: stateOf(alice), duoCode: h.duo.issueCode('alice') }),
    ).toMatchObject({ reason: 'no-visit' });
    expect(alice.getVisit()).toMatchObject({ phase: 'duo' });
  });

  it('says no-visit to a v2 response on a v4 station and keeps the visit', async () => {
    const session = await signedIn('v4');
    expect(await session.submitDuoResponse({ response: 'AUTH|abc|def' })).toMatchObject({
      reason: 'no-visit',
    });
    expect(session.getVisit()).toMatchObject({ phase: 'duo' });
    const state = stateOf(session);
    expect(session.expectsDuoCallback({ state })).toBe(true);
    expect(await session.handleDuoCallback({ state, duoCode: h.duo.issueCode('alice') })).toEqual({
      ok: true,
    });
  });
});
