import { describe, expect, it, vi } from 'vitest';
import {
  MAX_PASSWORD_LENGTH,
  MAX_USERNAME_LENGTH,
  type SignInFailureReason,
  type WalkupEvent,
} from '../../../../main/contract';
import type { DirectoryFailureReason } from '../../../../main/core/directory/types';
import { ALICE, PASSWORD, startHarness, testConfig, useFakeTimersClosing, type Harness } from './fakes';

const REFERENCE = /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/;

describe('signing in', () => {
  let h: Harness;
  useFakeTimersClosing(() => h);

  it('starts Duo v4 for the verified user and returns the authorize URL in redirect mode', async () => {
    h = await startHarness('v4');
    const session = h.engine.openSession({ duoPresentation: 'redirect' });
    const result = await session.signIn({ username: 'alice', password: PASSWORD });
    expect(result).toEqual({
      ok: true,
      displayName: 'Alice Example',
      duo: {
        kind: 'page',
        presentation: 'redirect',
        authUrl: expect.stringContaining('/oauth/v1/authorize'),
      },
    });
    expect(session.getVisit()).toMatchObject({ phase: 'duo', displayName: 'Alice Example' });
    expect(h.audit.records.map((record) => record.type)).toContain('duo-started');
  });

  it('keeps the authorize URL in main when the Electron view presents Duo', async () => {
    h = await startHarness('v4');
    const session = h.engine.openSession({ duoPresentation: 'view' });
    const result = await session.signIn({ username: 'alice', password: PASSWORD });
    expect(result).toEqual({
      ok: true,
      displayName: 'Alice Example',
      duo: { kind: 'page', presentation: 'view' },
    });
    expect(session.pendingDuoUrl()).toMatch(/^https:\/\/duo\.example\.test\/oauth\/v1\/authorize\?/);
    expect(JSON.stringify(session.getVisit())).not.toContain('state=');
  });

  it('gives the renderer only the TX part and host of a v2 request', async () => {
    h = await startHarness('v2');
    const session = h.engine.openSession({ duoPresentation: 'redirect' });
    const events: WalkupEvent[] = [];
    session.onEvent((event) => events.push(event));
    const result = await session.signIn({ username: 'alice', password: PASSWORD });
    expect(result).toMatchObject({ ok: true, duo: { kind: 'frame', host: 'api-12345678.duo.example.test' } });
    const everything = JSON.stringify([result, events, session.getVisit(), h.audit.records, h.logger.lines]);
    expect(everything).toMatch(/TX\|/);
    expect(everything).not.toMatch(/APP\|/);
  });

  it('records sign-in-succeeded and duo-started with the canonical username', async () => {
    h = await startHarness('v4');
    await h.engine
      .openSession({ duoPresentation: 'redirect' })
      .signIn({ username: 'alice', password: PASSWORD });
    expect(h.audit.records).toEqual([
      expect.objectContaining({ type: 'station-in-service' }),
      expect.objectContaining({ type: 'sign-in-succeeded', username: 'alice', visit: expect.any(String) }),
      expect.objectContaining({ type: 'duo-started', username: 'alice', sdk: 'v4' }),
    ]);
  });

  const mapping: [DirectoryFailureReason, { reason: SignInFailureReason; detail?: string }][] = [
    ['invalid-credentials', { reason: 'invalid-credentials' }],
    ['ambiguous-user', { reason: 'invalid-credentials' }],
    ['account-disabled', { reason: 'see-helpdesk' }],
    ['account-locked', { reason: 'see-helpdesk' }],
    ['account-expired', { reason: 'see-helpdesk' }],
    ['not-permitted-now', { reason: 'see-helpdesk' }],
    ['not-permitted-here', { reason: 'see-helpdesk' }],
    ['password-expired', { reason: 'see-helpdesk', detail: 'password-expired' }],
    ['password-must-change', { reason: 'see-helpdesk', detail: 'password-must-change' }],
    ['not-in-allowed-group', { reason: 'not-allowed' }],
    ['in-denied-group', { reason: 'not-allowed' }],
    ['unavailable', { reason: 'directory-unavailable' }],
    ['tls-failed', { reason: 'directory-unavailable' }],
    ['service-bind-failed', { reason: 'directory-unavailable' }],
    ['configuration', { reason: 'out-of-service' }],
  ];
  it.each(mapping)(
    'shows %s as %o with a support reference that is in the audit log',
    async (reason, shown) => {
      h = await startHarness('v4');
      h.directory.nextFailure = { ok: false, reason, detail: `admin detail for ${reason}` };
      const result = await h.engine
        .openSession({ duoPresentation: 'redirect' })
        .signIn({ username: 'alice', password: 'x' });
      expect(result).toEqual({ ok: false, ...shown, reference: expect.stringMatching(REFERENCE) });
      const reference = (result as { reference: string }).reference;
      expect(h.audit.records.at(-1)).toMatchObject({
        type: 'sign-in-failed',
        reason,
        shown: shown.reason,
        detail: `admin detail for ${reason}`,
        reference,
        usernameHash: expect.stringMatching(/^hmac-sha256:[0-9a-f]{32}$/),
      });
      // The typed name is not resolved to an account: only its keyed hash is recorded.
      expect(h.audit.records.at(-1)).not.toHaveProperty('username');
    },
  );

  it('passes the tries left before a lockout to a wrong password (a last-try warning), and to nothing else', async () => {
    h = await startHarness('v4');
    const session = h.engine.openSession({ duoPresentation: 'redirect' });
    h.directory.nextFailure = { ok: false, reason: 'invalid-credentials', attemptsLeft: 1 };
    expect(await session.signIn({ username: 'alice', password: 'x' })).toEqual({
      ok: false,
      reason: 'invalid-credentials',
      attemptsLeft: 1,
      reference: expect.stringMatching(REFERENCE),
    });
    h.directory.nextFailure = { ok: false, reason: 'ambiguous-user', attemptsLeft: 0 };
    expect(await session.signIn({ username: 'alice', password: 'x' })).toMatchObject({
      reason: 'invalid-credentials',
      attemptsLeft: 0,
    });
    // A refusal that is not "wrong username or password" never carries a count.
    h.directory.nextFailure = { ok: false, reason: 'account-locked', attemptsLeft: 1 };
    expect(await session.signIn({ username: 'alice', password: 'x' })).not.toHaveProperty('attemptsLeft');
  });

  it("keeps the person's language for their visit only, and leaves Duo's authorize URL as Duo documents it", async () => {
    h = await startHarness('v4');
    const session = h.engine.openSession({ duoPresentation: 'view' });
    expect(session.language).toBeUndefined();
    await session.signIn({ username: 'alice', password: 'x' }); // refused: no visit, no language
    expect(session.language).toBeUndefined();
    await session.signIn({ username: 'alice', password: PASSWORD, locale: 'es' });
    expect(session.language).toBe('es');
    // Duo documents no locale parameter: the prompt follows the browser's languages.
    expect(session.pendingDuoUrl()).not.toMatch(/locale|lang/i);
    session.finish({ reason: 'finished' });
    expect(session.getVisit()).toMatchObject({ phase: 'done' });
    expect(session.language).toBe('es');
    session.finish({ reason: 'finished' });
    expect(session.getVisit()).toEqual({ phase: 'idle' });
    expect(session.language).toBeUndefined();
    await session.signIn({ username: 'alice', password: PASSWORD });
    expect(session.language).toBeUndefined();
  });

  it('names an account condition only when the configuration lists it', async () => {
    h = await startHarness('v4', {
      config: testConfig('v4', { directory: { showConditions: ['account-disabled'] } }),
    });
    const session = h.engine.openSession({ duoPresentation: 'redirect' });
    h.directory.nextFailure = { ok: false, reason: 'account-disabled' };
    expect(await session.signIn({ username: 'alice', password: 'x' })).toMatchObject({
      reason: 'see-helpdesk',
      detail: 'account-disabled',
    });
    h.directory.nextFailure = { ok: false, reason: 'password-expired' };
    const expired = await session.signIn({ username: 'alice', password: 'x' });
    expect(expired).toMatchObject({ reason: 'see-helpdesk' });
    expect(expired).not.toHaveProperty('detail');
  });

  it('passes the input problem of invalid input through', async () => {
    h = await startHarness('v4');
    h.directory.nextFailure = { ok: false, reason: 'invalid-input', inputProblem: 'password-empty' };
    expect(
      await h.engine.openSession({ duoPresentation: 'redirect' }).signIn({ username: 'alice', password: '' }),
    ).toMatchObject({ ok: false, reason: 'invalid-input', detail: 'password-empty' });
  });

  it.each([
    ['throttled-user', 'throttled'],
    ['throttled-station', 'station-paused'],
  ] as const)('tells %s as %s, with when to retry', async (reason, shown) => {
    h = await startHarness('v4');
    h.directory.nextFailure = { ok: false, reason, retryAfterSeconds: 42.2 };
    expect(
      await h.engine
        .openSession({ duoPresentation: 'redirect' })
        .signIn({ username: 'alice', password: 'x' }),
    ).toMatchObject({ ok: false, reason: shown, retryAfterSeconds: 43 });
  });

  it('gives every failure its own reference', async () => {
    h = await startHarness('v4');
    const session = h.engine.openSession({ duoPresentation: 'redirect' });
    const first = await session.signIn({ username: 'alice', password: 'wrong' });
    const second = await session.signIn({ username: 'alice', password: 'wrong' });
    expect(first.ok || second.ok).toBe(false);
    expect((first as { reference: string }).reference).not.toBe((second as { reference: string }).reference);
  });

  it('never lets the password reach a result, an event, the audit log or the log', async () => {
    h = await startHarness('v2');
    const session = h.engine.openSession({ duoPresentation: 'redirect' });
    const events: WalkupEvent[] = [];
    session.onEvent((event) => events.push(event));
    const results: unknown[] = [];
    results.push(await session.signIn({ username: 'alice', password: 'Wrong-Password-7' }));
    h.directory.nextFailure = { ok: false, reason: 'account-locked', detail: 'data 775' };
    results.push(await session.signIn({ username: 'alice', password: PASSWORD }));
    results.push(await session.signIn({ username: 'alice', password: PASSWORD }));
    results.push(session.getVisit());
    results.push(await session.submitDuoResponse({ response: h.duo.frameResponse('alice') }));
    vi.advanceTimersByTime(60_000);
    results.push(h.engine.getStation());
    const everything = JSON.stringify([results, events, h.audit.records, h.logger.lines]);
    expect(everything).not.toContain(PASSWORD);
    expect(everything).not.toContain('Wrong-Password-7');
    expect(everything).toContain('alice');
  });

  it('fails with duo-unavailable when Duo is down at sign-in, and the station shows it', async () => {
    h = await startHarness('v4');
    h.duo.healthResult = { ok: false, checkedAt: 0, code: 'unreachable', detail: 'HTTP 503' };
    const result = await h.engine
      .openSession({ duoPresentation: 'redirect' })
      .signIn({ username: 'alice', password: PASSWORD });
    expect(result).toMatchObject({ ok: false, reason: 'duo-unavailable' });
    expect(h.audit.records.at(-1)).toMatchObject({
      type: 'sign-in-failed',
      reason: 'duo-unreachable',
      detail: 'HTTP 503',
    });
    expect(h.engine.getStation()).toMatchObject({
      inService: false,
      outOfService: { reason: 'duo-unreachable' },
    });
  });

  it('resets the previous visit when someone signs in again', async () => {
    h = await startHarness('v4');
    const session = h.engine.openSession({ duoPresentation: 'redirect' });
    await session.signIn({ username: 'alice', password: PASSWORD });
    const events: WalkupEvent[] = [];
    session.onEvent((event) => events.push(event));
    const result = await session.signIn({ username: 'bob', password: PASSWORD });
    expect(result).toMatchObject({ ok: true, displayName: 'Bob' });
    expect(events[0]).toEqual({ type: 'visit-reset', reason: 'cancelled' });
    expect(h.audit.records.filter((record) => record.type === 'visit-reset')).toHaveLength(1);
  });

  it('refuses a second sign-in while one is still being checked', async () => {
    h = await startHarness('v4');
    let open: () => void = () => {};
    h.directory.gate = new Promise((resolve) => {
      open = resolve;
    });
    const session = h.engine.openSession({ duoPresentation: 'redirect' });
    const first = session.signIn({ username: 'alice', password: PASSWORD });
    const second = await session.signIn({ username: 'alice', password: PASSWORD });
    expect(second).toMatchObject({ ok: false, reason: 'throttled', retryAfterSeconds: 1 });
    open();
    expect(await first).toMatchObject({ ok: true });
    expect(h.directory.authenticateCalls).toHaveLength(1);
  });

  it('drops a sign-in that finishes after its visit was cancelled', async () => {
    h = await startHarness('v4');
    let open: () => void = () => {};
    h.directory.gate = new Promise((resolve) => {
      open = resolve;
    });
    const session = h.engine.openSession({ duoPresentation: 'redirect' });
    const pending = session.signIn({ username: 'alice', password: PASSWORD });
    session.finish({ reason: 'cancelled' });
    open();
    expect(await pending).toMatchObject({ ok: false });
    expect(session.getVisit()).toEqual({ phase: 'idle' });
  });

  it('leaves fields past the code-point limits but within the schema to the directory and its failure delay', async () => {
    // The directory's guard answers invalid-input naming the field after minFailureMs (guard
    // tests); the engine must not shortcut that delay for input the transport could parse.
    h = await startHarness('v4');
    const session = h.engine.openSession({ duoPresentation: 'redirect' });
    const astral = '\u{1F600}'.repeat(MAX_USERNAME_LENGTH);
    await session.signIn({ username: astral, password: PASSWORD });
    await session.signIn({ username: `${astral}x`, password: PASSWORD });
    await session.signIn({ username: 'alice', password: 'p'.repeat(MAX_PASSWORD_LENGTH + 1) });
    expect(h.directory.authenticateCalls).toEqual([astral, `${astral}x`, 'alice']);
  });

  it('refuses a sign-in on a disposed session without asking the directory', async () => {
    h = await startHarness('v4');
    const session = h.engine.openSession({ duoPresentation: 'redirect' });
    session.dispose();
    expect(await session.signIn({ username: 'alice', password: PASSWORD })).toEqual({
      ok: false,
      reason: 'invalid-input',
      reference: expect.any(String),
    });
    expect(h.directory.authenticateCalls).toEqual([]);
  });

  it('treats a directory that throws as unavailable without repeating its message', async () => {
    h = await startHarness('v4');
    h.directory.authenticate = async (_username, password) => {
      throw new Error(`bind failed for ${password}`);
    };
    const result = await h.engine
      .openSession({ duoPresentation: 'redirect' })
      .signIn({ username: 'alice', password: PASSWORD });
    expect(result).toMatchObject({ ok: false, reason: 'directory-unavailable' });
    expect(JSON.stringify([h.audit.records, h.logger.lines])).not.toContain(PASSWORD);
  });

  it('uses the username the directory returns for Duo', async () => {
    h = await startHarness('v4', {
      prepare: ({ directory }) => directory.users.set('ALICE@example.test', ALICE),
    });
    const session = h.engine.openSession({ duoPresentation: 'view' });
    await session.signIn({ username: 'ALICE@example.test', password: PASSWORD });
    expect(h.audit.records.at(-1)).toMatchObject({ type: 'duo-started', username: 'alice' });
  });
});
