/**
 * The v4 (Universal Prompt) side of the Duo gateway against the local Duo emulator over HTTPS on
 * loopback: a whole authorization the way a browser goes through it, and the ways it can fail
 * (replayed code, cancel, Duo down, wrong secret, clock skew).
 */
import { describe, expect, it } from 'vitest';
import { createDuoGateway, type DuoSecrets } from '../../main/core/duo';
import { createUniversalDuo } from '../../main/core/duo/universal';
import type { CallbackParams, DuoGateway, PendingAuthorization } from '../../main/core/duo/types';
import { systemClock, type Logger } from '../../main/core/ports';
import { pressUniversalPrompt } from '../support/duo-emulator/browser';
import { emulatorV4Config, useDuoEmulator, type V4DuoConfig } from '../support/duo-emulator/test-setup';

const REDIRECT_URI = 'http://127.0.0.1:8787/duo/callback';

const emulator = useDuoEmulator();

/** A logger that remembers what it was told, to check warnings (and that no secret leaks). */
function recordingLogger(): Logger & {
  lines: { level: string; event: string; fields?: Record<string, unknown> }[];
} {
  const lines: { level: string; event: string; fields?: Record<string, unknown> }[] = [];
  const record =
    (level: string) =>
    (event: string, fields?: Record<string, unknown>): void => {
      lines.push({ level, event, ...(fields ? { fields } : {}) });
    };
  return { lines, info: record('info'), warn: record('warn'), error: record('error') };
}

const v4Config = (overrides: Partial<V4DuoConfig> = {}): V4DuoConfig => emulatorV4Config(emulator, overrides);

function gateway(
  options: {
    secrets?: DuoSecrets;
    config?: Partial<V4DuoConfig>;
    logger?: Logger;
  } = {},
): DuoGateway {
  return createDuoGateway(
    v4Config(options.config),
    options.secrets ?? { clientSecret: emulator.integrations.v4.clientSecret },
    {
      clock: systemClock,
      logger: options.logger ?? recordingLogger(),
      redirectUri: REDIRECT_URI,
      timeoutMs: 5000,
    },
  );
}

/**
 * What a person's browser does: open the authorize URL, follow Duo's redirect to the prompt,
 * press a button, and come back to our redirect_uri. Returns the callback query.
 */
async function personPresses(
  pending: PendingAuthorization,
  button: 'finish' | 'cancel',
): Promise<CallbackParams> {
  const visit = await pressUniversalPrompt(emulator, pending.authUrl, button);
  expect(visit.authorize.status).toBe(302);
  expect(visit.prompt.status).toBe(200);
  expect(visit.prompt.body).toContain(pending.username);
  expect(visit.pressed.status).toBe(303);
  expect(`${visit.returnedTo.origin}${visit.returnedTo.pathname}`).toBe(REDIRECT_URI);
  return visit.callback;
}

describe('Duo v4 gateway against the emulator', () => {
  it('reports a healthy Duo with the clock skew', async () => {
    const health = await gateway().health();
    expect(health).toMatchObject({ ok: true });
    expect(health.ok && Math.abs(health.skewSeconds ?? 99)).toBeLessThanOrEqual(2);
  });

  it('completes a whole authorization for the directory-verified user', async () => {
    const duo = gateway();
    const pending = await duo.startAuthorization('alice');
    const callback = await personPresses(pending, 'finish');
    expect(callback.duoCode).toBeTruthy();
    expect(callback.state).toBe(pending.state);
    expect(await duo.completeAuthorization(callback, pending)).toEqual({ ok: true, username: 'alice' });
  });

  it('accepts the code under the plain OAuth name `code` too', async () => {
    const duo = gateway();
    const pending = await duo.startAuthorization('carol');
    const { duoCode, state } = await personPresses(pending, 'finish');
    expect(await duo.completeAuthorization({ state, code: duoCode }, pending)).toEqual({
      ok: true,
      username: 'carol',
    });
  });

  it('rejects a replayed code (codes are single-use)', async () => {
    const duo = gateway();
    const pending = await duo.startAuthorization('alice');
    const callback = await personPresses(pending, 'finish');
    expect(await duo.completeAuthorization(callback, pending)).toMatchObject({ ok: true });
    expect(await duo.completeAuthorization(callback, pending)).toMatchObject({
      ok: false,
      code: 'code-rejected',
    });
  });

  it("rejects another visit's callback (state mismatch) without spending the code", async () => {
    const duo = gateway();
    const first = await duo.startAuthorization('alice');
    const second = await duo.startAuthorization('alice');
    const callback = await personPresses(first, 'finish');
    expect(await duo.completeAuthorization(callback, second)).toMatchObject({
      ok: false,
      code: 'state-mismatch',
    });
    expect(await duo.completeAuthorization(callback, first)).toEqual({ ok: true, username: 'alice' });
  });

  it('rejects a code issued for another user (username mismatch)', async () => {
    const duo = gateway();
    const bobs = await duo.startAuthorization('bob');
    const callback = await personPresses(bobs, 'finish');
    // Someone swaps the pending visit: same state and nonce, but we verified alice.
    const result = await duo.completeAuthorization(callback, { ...bobs, username: 'alice' });
    expect(result).toMatchObject({ ok: false, code: 'username-mismatch' });
  });

  it('maps Cancel on the prompt to access-denied', async () => {
    const duo = gateway();
    const pending = await duo.startAuthorization('alice');
    const callback = await personPresses(pending, 'cancel');
    expect(callback.error).toBe('access_denied');
    expect(await duo.completeAuthorization(callback, pending)).toMatchObject({
      ok: false,
      code: 'access-denied',
    });
  });

  it('reports Duo down as unreachable', async () => {
    const duo = gateway();
    emulator.setAvailable(false);
    expect(await duo.health()).toMatchObject({ ok: false, code: 'unreachable' });
  });

  it('keeps a success for healthCacheSeconds, asks again when fresh, and never keeps a failure', async () => {
    const duo = gateway();
    expect(await duo.health()).toMatchObject({ ok: true });
    emulator.setAvailable(false);
    expect(await duo.health()).toMatchObject({ ok: true });
    expect(await duo.health({ fresh: true })).toMatchObject({ ok: false, code: 'unreachable' });
    emulator.setAvailable(true);
    expect(await duo.health()).toMatchObject({ ok: true });
  });

  it('does not cache at all with healthCacheSeconds 0', async () => {
    const duo = gateway({ config: { healthCacheSeconds: 0 } });
    expect(await duo.health()).toMatchObject({ ok: true });
    emulator.setAvailable(false);
    expect(await duo.health()).toMatchObject({ ok: false, code: 'unreachable' });
  });

  it('reports a code exchange while Duo is down as unreachable', async () => {
    const duo = gateway();
    const pending = await duo.startAuthorization('alice');
    const callback = await personPresses(pending, 'finish');
    emulator.setAvailable(false);
    expect(await duo.completeAuthorization(callback, pending)).toMatchObject({
      ok: false,
      code: 'unreachable',
    });
  });

  it('reports a wrong client secret as credentials-rejected, without the secret in the detail', async () => {
    const wrongSecret = 'WrongSecretWrongSecretWrongSecretWrong00';
    const logger = recordingLogger();
    const health = await gateway({ secrets: { clientSecret: wrongSecret }, logger }).health();
    expect(health).toMatchObject({ ok: false, code: 'credentials-rejected' });
    expect(JSON.stringify(health)).not.toContain(wrongSecret);
    expect(JSON.stringify(logger.lines)).not.toContain(wrongSecret);
  });

  it('reports an unknown client id as credentials-rejected', async () => {
    const health = await gateway({ config: { clientId: 'DIUNKNOWNCLIENTID000' } }).health();
    expect(health).toMatchObject({ ok: false, code: 'credentials-rejected' });
  });

  it('reports Duo running 120 s ahead as skew and logs a warning', async () => {
    emulator.setClockSkewSeconds(120);
    const logger = recordingLogger();
    const health = await gateway({ logger }).health();
    expect(health.ok).toBe(true);
    expect(health.ok && health.skewSeconds).toBeGreaterThanOrEqual(118);
    expect(health.ok && health.skewSeconds).toBeLessThanOrEqual(122);
    expect(logger.lines).toContainEqual(expect.objectContaining({ level: 'warn', event: 'duo.clock-skew' }));
  });

  it('rejects an id_token issued more than 60 s in our future (Duo clock 120 s ahead)', async () => {
    const duo = gateway();
    const pending = await duo.startAuthorization('alice');
    emulator.setClockSkewSeconds(120);
    const callback = await personPresses(pending, 'finish');
    expect(await duo.completeAuthorization(callback, pending)).toMatchObject({
      ok: false,
      code: 'token-invalid',
    });
  });

  it('tolerates Duo running 30 s ahead', async () => {
    emulator.setClockSkewSeconds(30);
    const duo = gateway();
    const pending = await duo.startAuthorization('alice');
    const callback = await personPresses(pending, 'finish');
    expect(await duo.completeAuthorization(callback, pending)).toEqual({ ok: true, username: 'alice' });
  });

  it('refuses a Duo endpoint whose certificate is not signed by the configured CA', async () => {
    // No caFile: the gateway trusts only Duo's pinned CA bundle, which did not sign the emulator.
    const { caFile: _caFile, ...withoutCa } = v4Config();
    const duo = createDuoGateway(
      withoutCa,
      { clientSecret: emulator.integrations.v4.clientSecret },
      { clock: systemClock, logger: recordingLogger(), redirectUri: REDIRECT_URI, timeoutMs: 5000 },
    );
    const health = await duo.health();
    expect(health).toMatchObject({ ok: false, code: 'unreachable' });
    expect(health.ok || health.detail).toMatch(/certificate|self.signed|issuer/i);
  });

  it('throws when a v2 method is called on a v4 gateway (a bug in the caller)', () => {
    const duo = gateway();
    expect(() => duo.signV2Request('alice')).toThrow(/v4 gateway/);
    expect(() => duo.verifyV2Response('AUTH|x|y', 'APP|x|y')).toThrow(/v4 gateway/);
  });
});

describe('createUniversalDuo.healthCheck against the emulator', () => {
  it('caches a success and reports the skew from the health check timestamp', async () => {
    emulator.setClockSkewSeconds(90);
    const universal = createUniversalDuo({
      clientId: emulator.integrations.v4.clientId,
      clientSecret: emulator.integrations.v4.clientSecret,
      apiHost: emulator.apiHost,
      redirectUri: REDIRECT_URI,
      caFile: emulator.caFile,
      healthCacheSeconds: 30,
      timeoutMs: 5000,
      clock: systemClock,
      logger: recordingLogger(),
    });
    const first = await universal.healthCheck();
    expect(first.ok && first.skewSeconds).toBeGreaterThanOrEqual(88);
    emulator.setAvailable(false);
    expect(await universal.healthCheck()).toBe(first);
    expect(await universal.healthCheck({ fresh: true })).toMatchObject({ ok: false, code: 'unreachable' });
  });
});
