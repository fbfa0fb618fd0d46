/**
 * The Web SDK v4 (Universal Prompt) integration against the local Duo emulator over HTTPS on
 * loopback: a whole authorization the way a browser goes through it, and the ways it can fail
 * (replayed code, cancel, Duo down, wrong secret, clock skew).
 */
import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { createDuoIntegration, type DuoSecrets } from '../../main/core/duo';
import { createUniversalDuo } from '../../main/core/duo/universal/client';
import type { CallbackParams, DuoAnswer, DuoIntegration, DuoStep } from '../../main/core/duo/types';
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

function integration(
  options: {
    secrets?: DuoSecrets;
    config?: Partial<V4DuoConfig>;
    logger?: Logger;
  } = {},
): DuoIntegration {
  return createDuoIntegration(
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

const REMEMBER = { rememberUntil: Date.now() + 900_000 };

/** A step for `username`, shown as the kiosk's view shows it (its URL). */
async function begin(duo: DuoIntegration, username: string): Promise<DuoStep & { username: string }> {
  return Object.assign(await duo.begin(username, { presentation: 'view' }), { username });
}

const answer = (params: CallbackParams): DuoAnswer => ({ kind: 'callback', params });

/**
 * What a person's browser does: open the step's authorize URL, follow Duo's redirect to the
 * prompt, press a button, and come back to our redirect_uri. Returns the callback query.
 */
async function personPresses(
  step: DuoStep & { username: string },
  button: 'finish' | 'cancel',
): Promise<CallbackParams> {
  const visit = await pressUniversalPrompt(emulator, step.url() ?? '', button);
  expect(visit.authorize.status).toBe(302);
  expect(visit.prompt.status).toBe(200);
  expect(visit.prompt.body).toContain(step.username);
  expect(visit.pressed.status).toBe(303);
  expect(`${visit.returnedTo.origin}${visit.returnedTo.pathname}`).toBe(REDIRECT_URI);
  return visit.callback;
}

describe('Duo v4 integration against the emulator', () => {
  it('reports a healthy Duo with the clock skew', async () => {
    const health = await integration().health();
    expect(health).toMatchObject({ ok: true });
    expect(health.ok && Math.abs(health.skewSeconds ?? 99)).toBeLessThanOrEqual(2);
  });

  it('completes a whole authorization for the directory-verified user', async () => {
    const duo = integration();
    const step = await begin(duo, 'alice');
    const callback = await personPresses(step, 'finish');
    expect(callback.duoCode).toBeTruthy();
    expect(step.expects(answer(callback))).toBe(true);
    expect(await step.complete(answer(callback), REMEMBER)).toEqual({ ok: true, username: 'alice' });
    expect(duo.isReplay(answer(callback))).toBe(true);
  });

  it('accepts the code under the plain OAuth name `code` too', async () => {
    const duo = integration();
    const step = await begin(duo, 'carol');
    const { duoCode, state } = await personPresses(step, 'finish');
    expect(await step.complete(answer({ state, code: duoCode }), REMEMBER)).toEqual({
      ok: true,
      username: 'carol',
    });
  });

  it("rejects a code already exchanged (Duo's codes are single-use), even with a fresh state", async () => {
    const duo = integration();
    const first = await begin(duo, 'alice');
    const callback = await personPresses(first, 'finish');
    expect(await first.complete(answer(callback), REMEMBER)).toMatchObject({ ok: true });
    const second = await begin(duo, 'alice');
    const state = String(decodeJwt(new URL(second.url() ?? '').searchParams.get('request') ?? '').state);
    expect(await second.complete(answer({ ...callback, state }), REMEMBER)).toMatchObject({
      ok: false,
      reason: 'rejected',
      code: 'code-rejected',
    });
  });

  it("rejects another visit's callback (state mismatch) without spending the code", async () => {
    const duo = integration();
    const first = await begin(duo, 'alice');
    const second = await begin(duo, 'alice');
    const callback = await personPresses(first, 'finish');
    expect(await second.complete(answer(callback), REMEMBER)).toMatchObject({
      ok: false,
      code: 'state-mismatch',
    });
    expect(await first.complete(answer(callback), REMEMBER)).toEqual({ ok: true, username: 'alice' });
  });

  it('rejects a code issued for another user (username mismatch)', async () => {
    // Below the integration: someone swaps the pending authorization (same state and nonce), but
    // the directory verified alice.
    const client = createUniversalDuo({
      clientId: emulator.integrations.v4.clientId,
      clientSecret: emulator.integrations.v4.clientSecret,
      apiHost: emulator.apiHost,
      redirectUri: REDIRECT_URI,
      caFile: emulator.caFile,
      timeoutMs: 5000,
      clock: systemClock,
    });
    const bobs = await client.startAuthorization('bob');
    const visit = await pressUniversalPrompt(emulator, bobs.authUrl, 'finish');
    const result = await client.completeAuthorization(visit.callback, { ...bobs, username: 'alice' });
    expect(result).toMatchObject({ ok: false, code: 'username-mismatch' });
  });

  it('maps Cancel on the prompt to cancelled (access-denied)', async () => {
    const duo = integration();
    const step = await begin(duo, 'alice');
    const callback = await personPresses(step, 'cancel');
    expect(callback.error).toBe('access_denied');
    expect(await step.complete(answer(callback), REMEMBER)).toMatchObject({
      ok: false,
      reason: 'cancelled',
      code: 'access-denied',
    });
  });

  it('reports Duo down as unreachable', async () => {
    const duo = integration();
    emulator.setAvailable(false);
    expect(await duo.health()).toMatchObject({ ok: false, code: 'unreachable' });
  });

  it('keeps a success for healthCacheSeconds, asks again when fresh, and never keeps a failure', async () => {
    const duo = integration();
    expect(await duo.health()).toMatchObject({ ok: true });
    emulator.setAvailable(false);
    expect(await duo.health()).toMatchObject({ ok: true });
    expect(await duo.health({ fresh: true })).toMatchObject({ ok: false, code: 'unreachable' });
    emulator.setAvailable(true);
    expect(await duo.health()).toMatchObject({ ok: true });
  });

  it('does not cache at all with healthCacheSeconds 0', async () => {
    const duo = integration({ config: { healthCacheSeconds: 0 } });
    expect(await duo.health()).toMatchObject({ ok: true });
    emulator.setAvailable(false);
    expect(await duo.health()).toMatchObject({ ok: false, code: 'unreachable' });
  });

  it('reports a code exchange while Duo is down as unreachable', async () => {
    const duo = integration();
    const step = await begin(duo, 'alice');
    const callback = await personPresses(step, 'finish');
    emulator.setAvailable(false);
    expect(await step.complete(answer(callback), REMEMBER)).toMatchObject({
      ok: false,
      code: 'unreachable',
    });
  });

  it('reports a wrong client secret as credentials-rejected, without the secret in the detail', async () => {
    const wrongSecret = 'WrongSecretWrongSecretWrongSecretWrong00';
    const logger = recordingLogger();
    const health = await integration({ secrets: { clientSecret: wrongSecret }, logger }).health();
    expect(health).toMatchObject({ ok: false, code: 'credentials-rejected' });
    expect(JSON.stringify(health)).not.toContain(wrongSecret);
    expect(JSON.stringify(logger.lines)).not.toContain(wrongSecret);
  });

  it('reports an unknown client id as credentials-rejected', async () => {
    const health = await integration({ config: { clientId: 'DIUNKNOWNCLIENTID000' } }).health();
    expect(health).toMatchObject({ ok: false, code: 'credentials-rejected' });
  });

  it('reports Duo running 120 s ahead as skew and logs a warning', async () => {
    emulator.setClockSkewSeconds(120);
    const logger = recordingLogger();
    const health = await integration({ logger }).health();
    expect(health.ok).toBe(true);
    expect(health.ok && health.skewSeconds).toBeGreaterThanOrEqual(118);
    expect(health.ok && health.skewSeconds).toBeLessThanOrEqual(122);
    expect(logger.lines).toContainEqual(expect.objectContaining({ level: 'warn', event: 'duo.clock-skew' }));
  });

  it('rejects an id_token issued more than 60 s in our future (Duo clock 120 s ahead)', async () => {
    const duo = integration();
    const step = await begin(duo, 'alice');
    emulator.setClockSkewSeconds(120);
    const callback = await personPresses(step, 'finish');
    expect(await step.complete(answer(callback), REMEMBER)).toMatchObject({
      ok: false,
      code: 'token-invalid',
    });
  });

  it('tolerates Duo running 30 s ahead', async () => {
    emulator.setClockSkewSeconds(30);
    const duo = integration();
    const step = await begin(duo, 'alice');
    const callback = await personPresses(step, 'finish');
    expect(await step.complete(answer(callback), REMEMBER)).toEqual({ ok: true, username: 'alice' });
  });

  it('refuses a Duo endpoint whose certificate is not signed by the configured CA', async () => {
    // No caFile: both clients trust only Duo's CA bundle, which did not sign the emulator.
    const { caFile: _caFile, ...withoutCa } = v4Config();
    const duo = createDuoIntegration(
      withoutCa,
      { clientSecret: emulator.integrations.v4.clientSecret },
      { clock: systemClock, logger: recordingLogger(), redirectUri: REDIRECT_URI, timeoutMs: 5000 },
    );
    const health = await duo.health();
    expect(health).toMatchObject({ ok: false, code: 'unreachable' });
    expect(health.ok || health.detail).toMatch(/certificate|self.signed|issuer/i);
  });
});

describe('Duo v4 integration health against the emulator', () => {
  it("reports the skew of Duo's clock and keeps the success", async () => {
    emulator.setClockSkewSeconds(90);
    const duo = integration({ config: { healthCacheSeconds: 30 } });
    const first = await duo.health();
    expect(first.ok && first.skewSeconds).toBeGreaterThanOrEqual(88);
    emulator.setAvailable(false);
    expect(await duo.health()).toBe(first);
    expect(await duo.health({ fresh: true })).toMatchObject({ ok: false, code: 'unreachable' });
  });
});
