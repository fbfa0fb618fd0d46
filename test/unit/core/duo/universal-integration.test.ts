/**
 * The Web SDK v4 integration through the `DuoIntegration` interface, over the real v4 client
 * pointed at a closed loopback port: every path here is decided before any code exchange (a
 * request would come back `unreachable`). The whole flow against the emulator is in
 * test/integration/duo-universal.test.ts.
 */
import { decodeJwt } from 'jose';
import { describe, expect, it, vi } from 'vitest';
import * as constantTime from '../../../../main/core/constant-time';
import type { DuoAnswer, DuoStep } from '../../../../main/core/duo/types';
import { createUniversalDuo } from '../../../../main/core/duo/universal/client';
import { createUniversalIntegration } from '../../../../main/core/duo/universal/integration';
import type { Clock } from '../../../../main/core/ports';

vi.mock('../../../../main/core/constant-time', async (importOriginal) => {
  const actual = await importOriginal<typeof constantTime>();
  return { ...actual, constantTimeEquals: vi.fn(actual.constantTimeEquals) };
});

const NOW_MS = 1_700_000_000_000;
const clock: Clock = { now: () => NOW_MS, sleep: async () => {} };
const REMEMBER = { rememberUntil: NOW_MS + 900_000 };

function integration() {
  // Port 9 on loopback (discard) is closed here.
  const client = createUniversalDuo({
    clientId: 'DIXXXXXXXXXXXXXXXXXX',
    clientSecret: 'deadbeefdeadbeefdeadbeefdeadbeefdeadbeef',
    apiHost: '127.0.0.1:9',
    redirectUri: 'http://127.0.0.1:8787/duo/callback',
    timeoutMs: 2000,
    clock,
  });
  return createUniversalIntegration({ client, clock, health: async () => ({ ok: true, checkedAt: 0 }) });
}

/** The `state` the step issued, read off its authorize URL's request object. */
function stateOf(step: DuoStep): string {
  const request = new URL(step.url() ?? 'https://x').searchParams.get('request') ?? '';
  return String(decodeJwt(request).state);
}

const callback = (params: Record<string, string>): DuoAnswer => ({ kind: 'callback', params });

describe('Web SDK v4 integration', () => {
  it('begins with an authorize URL: in the launch for a redirect, only through url() for a view', async () => {
    const duo = integration();
    const redirect = await duo.begin('alice', { presentation: 'redirect' });
    expect(redirect.launch).toEqual({ kind: 'page', presentation: 'redirect', authUrl: redirect.url() });
    const view = await duo.begin('alice', { presentation: 'view' });
    expect(view.launch).toEqual({ kind: 'page', presentation: 'view' });
    expect(view.url()).toMatch(/^https:\/\/127\.0\.0\.1:9\/oauth\/v1\/authorize\?/);
    expect(stateOf(view)).not.toBe(stateOf(redirect));
  });

  it('expects its own state only, compared in constant time, and consumes nothing by asking', async () => {
    const step = await integration().begin('alice', { presentation: 'view' });
    const state = stateOf(step);
    const spy = vi.mocked(constantTime.constantTimeEquals);
    spy.mockClear();
    expect(step.expects(callback({ state }))).toBe(true);
    expect(spy).toHaveBeenCalledWith(state, state);
    // Another state of the same length (the last character changed, whatever it was).
    const other = `${state.slice(0, -1)}${state.endsWith('A') ? 'B' : 'A'}`;
    expect(step.expects(callback({ state: other }))).toBe(false);
    expect(step.expects(callback({}))).toBe(false);
    expect(step.expects({ kind: 'frame-message', response: state })).toBe(false);
    expect(step.awaits(callback({ state }))).toBe(true);
  });

  it('checks the state once, in constant time, and fails the visit on a mismatch without an exchange', async () => {
    const duo = integration();
    const step = await duo.begin('alice', { presentation: 'view' });
    const state = stateOf(step);
    const spy = vi.mocked(constantTime.constantTimeEquals);
    spy.mockClear();
    const verdict = await step.complete(callback({ state: `x${state}`, duoCode: 'code' }), REMEMBER);
    expect(verdict).toEqual({
      ok: false,
      reason: 'rejected',
      code: 'state-mismatch',
      detail: 'callback state does not match the visit',
      endsVisit: true,
    });
    expect(spy).toHaveBeenCalledTimes(1);
    expect(spy).toHaveBeenCalledWith(`x${state}`, state);
  });

  it('uses its state once: answered, it is a replay in every later visit and the step waits no more', async () => {
    const duo = integration();
    const step = await duo.begin('alice', { presentation: 'view' });
    const state = stateOf(step);
    expect(duo.isReplay(callback({ state }))).toBe(false);
    await step.complete(callback({ state: 'forged-forged-forged-forged' }), REMEMBER);
    expect(duo.isReplay(callback({ state }))).toBe(true);
    expect(duo.isReplay(callback({ state: 'forged-forged-forged-forged' }))).toBe(false);
    expect(step.awaits(callback({ state }))).toBe(false);
    expect(step.expects(callback({ state }))).toBe(false);
    expect(step.url()).toBeUndefined();
    expect(await step.complete(callback({ state }), REMEMBER)).toMatchObject({
      reason: 'no-visit',
      endsVisit: false,
    });
  });

  it('maps Cancel (access_denied) to cancelled and another error callback to duo-error, its text stripped of control and bidi characters and cut short', async () => {
    const duo = integration();
    const cancelled = await duo.begin('alice', { presentation: 'view' });
    expect(
      await cancelled.complete(
        callback({ state: stateOf(cancelled), error: 'access_denied', error_description: '' }),
        REMEMBER,
      ),
    ).toMatchObject({ ok: false, reason: 'cancelled', code: 'access-denied', detail: 'access_denied' });

    const step = await duo.begin('alice', { presentation: 'view' });
    const verdict = await step.complete(
      {
        kind: 'callback',
        params: {
          state: stateOf(step),
          error: `server_error\n${'e'.repeat(100)}`,
          errorDescription: `line1\r\nline2\u2028\u202e${'d'.repeat(300)}`,
        },
      },
      REMEMBER,
    );
    expect(verdict).toMatchObject({ ok: false, reason: 'duo-error', code: 'duo-error', endsVisit: true });
    const detail = (verdict as { detail: string }).detail;
    expect(detail).toBe(`server_error ${'e'.repeat(47)}: line1  line2  ${'d'.repeat(200 - 14)}`);
  });

  it('accepts only callbacks: a frame message is not awaited and ends nothing', async () => {
    const duo = integration();
    const step = await duo.begin('alice', { presentation: 'view' });
    const message: DuoAnswer = { kind: 'frame-message', response: 'AUTH|abc|def' };
    expect(duo.isReplay(message)).toBe(false);
    expect(step.awaits(message)).toBe(false);
    expect(await step.complete(message, REMEMBER)).toEqual({
      ok: false,
      reason: 'no-visit',
      code: 'no-visit',
      endsVisit: false,
    });
    expect(step.awaits(callback({ state: stateOf(step) }))).toBe(true);
  });

  it('turns a client that throws (a bug) into an ended visit naming only the error type', async () => {
    const duo = createUniversalIntegration({
      clock,
      health: async () => ({ ok: true, checkedAt: 0 }),
      client: {
        startAuthorization: async (username) => ({
          authUrl: 'https://duo.example.test/authorize',
          state: 's'.repeat(43),
          nonce: 'n'.repeat(43),
          username,
        }),
        completeAuthorization: async () => {
          throw new RangeError('secret detail');
        },
      },
    });
    const step = await duo.begin('alice', { presentation: 'view' });
    expect(await step.complete(callback({ state: 's'.repeat(43) }), REMEMBER)).toEqual({
      ok: false,
      reason: 'rejected',
      code: 'unreachable',
      detail: 'completeAuthorization threw RangeError',
      endsVisit: true,
    });
  });
});
