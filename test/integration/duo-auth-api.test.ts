/**
 * The Auth API client (ping, signed check), the v2 integration's health, and the `walkup duo-check`
 * report, against the local Duo emulator over HTTPS on loopback.
 */
import { describe, expect, it } from 'vitest';
import { createAuthApiClient, type AuthApiClientOptions } from '../../main/core/duo/auth-api';
import { createDuoIntegration, runDuoCheck, type DuoSecrets } from '../../main/core/duo';
import { silentLogger, systemClock } from '../../main/core/ports';
import { emulatorV2Config, emulatorV4Config, useDuoEmulator } from '../support/duo-emulator/test-setup';

const WRONG_SKEY = 'WrongSkeyWrongSkeyWrongSkeyWrongSkey0000';
const AKEY = 'walkup-test-application-key-0123456789abcdef';

const emulator = useDuoEmulator();

function client(overrides: Partial<AuthApiClientOptions> = {}) {
  return createAuthApiClient({
    apiHost: emulator.apiHost,
    ikey: emulator.integrations.v2.ikey,
    skey: emulator.integrations.v2.skey,
    caFile: emulator.caFile,
    timeoutMs: 5000,
    clock: systemClock,
    ...overrides,
  });
}

const v2Config = () => emulatorV2Config(emulator);
const v4Config = () => emulatorV4Config(emulator);

function v2Secrets(overrides: DuoSecrets = {}): DuoSecrets {
  return { skey: emulator.integrations.v2.skey, akey: AKEY, ...overrides };
}

const deps = { clock: systemClock, logger: silentLogger, timeoutMs: 5000 };

describe('Auth API client against the emulator', () => {
  it('pings without a signature and reports Duo time and skew', async () => {
    const result = await client({ ikey: undefined, skey: undefined }).ping();
    expect(result).toMatchObject({ ok: true });
    if (!result.ok) return;
    expect(Math.abs(result.duoTime - Date.now() / 1000)).toBeLessThan(5);
    expect(Math.abs(result.skewSeconds)).toBeLessThanOrEqual(2);
  });

  it('measures the skew of a Duo clock 400 s ahead', async () => {
    emulator.setClockSkewSeconds(400);
    const result = await client().ping();
    expect(result.ok && result.skewSeconds).toBeGreaterThanOrEqual(398);
    expect(result.ok && result.skewSeconds).toBeLessThanOrEqual(402);
  });

  it('passes the signed check with the right skey (v2, HMAC-SHA512)', async () => {
    expect(await client().check()).toMatchObject({ ok: true });
  });

  it('passes the signed check with v2 HMAC-SHA1 and with v5', async () => {
    expect(await client({ digest: 'sha1' }).check()).toMatchObject({ ok: true });
    expect(await client({ signatureVersion: 5 }).check()).toMatchObject({ ok: true });
    expect(await client({ signatureVersion: 4 }).check()).toMatchObject({ ok: true });
  });

  it('rejects a wrong skey as credentials-rejected (40103)', async () => {
    expect(await client({ skey: WRONG_SKEY }).check()).toMatchObject({
      ok: false,
      code: 'credentials-rejected',
      status: 401,
      duoCode: 40103,
    });
  });

  it('rejects an unknown ikey as credentials-rejected (40102)', async () => {
    expect(await client({ ikey: 'DIUNKNOWNIKEY0000000' }).check()).toMatchObject({
      ok: false,
      code: 'credentials-rejected',
      duoCode: 40102,
    });
  });

  it('fails the check when our date is outside Duo’s 300 s window', async () => {
    emulator.setClockSkewSeconds(400);
    expect(await client().check()).toMatchObject({ ok: false, code: 'credentials-rejected' });
  });

  it('reports Duo down (HTTP 503) as unreachable for ping and check', async () => {
    emulator.setAvailable(false);
    expect(await client().ping()).toMatchObject({ ok: false, code: 'unreachable', status: 503 });
    expect(await client().check()).toMatchObject({ ok: false, code: 'unreachable', status: 503 });
  });

  it('reports a closed port as unreachable', async () => {
    expect(await client({ apiHost: '127.0.0.1:9' }).ping()).toMatchObject({ ok: false, code: 'unreachable' });
  });

  it("refuses the emulator without its CA (Duo's CA bundle only)", async () => {
    const result = await client({ caFile: undefined }).ping();
    expect(result).toMatchObject({ ok: false, code: 'unreachable' });
    expect(result.ok || result.detail).toMatch(/certificate|self.signed|issuer/i);
  });

  it('reports a missing CA file as unreachable with the path', async () => {
    const result = await client({ caFile: '/nonexistent/walkup-ca.pem' }).ping();
    expect(result).toMatchObject({ ok: false, code: 'unreachable' });
    expect(result.ok || result.detail).toContain('/nonexistent/walkup-ca.pem');
  });
});

describe('Duo v2 integration health against the emulator', () => {
  it('is healthy with the skew from the Auth API ping', async () => {
    const health = await createDuoIntegration(v2Config(), v2Secrets(), { ...deps, redirectUri: '' }).health();
    expect(health).toMatchObject({ ok: true });
    expect(health.ok && Math.abs(health.skewSeconds ?? 99)).toBeLessThanOrEqual(2);
  });

  it('is unreachable while Duo is down, and recovers (failures are not cached)', async () => {
    const duo = createDuoIntegration(v2Config(), v2Secrets(), { ...deps, redirectUri: '' });
    emulator.setAvailable(false);
    expect(await duo.health()).toMatchObject({ ok: false, code: 'unreachable' });
    emulator.setAvailable(true);
    expect(await duo.health()).toMatchObject({ ok: true });
  });
});

describe('runDuoCheck (walkup duo-check)', () => {
  it('reports a good v2 integration', async () => {
    const report = await runDuoCheck(v2Config(), v2Secrets(), deps);
    expect(report).toMatchObject({
      ok: true,
      sdk: 'v2',
      apiHost: emulator.apiHost,
      reachable: true,
      credentialsOk: true,
    });
    expect(Math.abs(report.skewSeconds ?? 99)).toBeLessThanOrEqual(2);
    expect(report.error).toBeUndefined();
    expect(report.warnings.join('\n')).toMatch(/end of support/);
  });

  it('reports a good v4 integration', async () => {
    const report = await runDuoCheck(
      v4Config(),
      { clientSecret: emulator.integrations.v4.clientSecret },
      deps,
    );
    expect(report).toMatchObject({ ok: true, sdk: 'v4', reachable: true, credentialsOk: true });
  });

  it('reports a wrong skey as reachable but credentials not accepted, without any secret', async () => {
    const report = await runDuoCheck(v2Config(), v2Secrets({ skey: WRONG_SKEY }), deps);
    expect(report).toMatchObject({ ok: false, reachable: true, credentialsOk: false });
    expect(report.error).toMatch(/credentials-rejected/);
    const json = JSON.stringify(report);
    for (const secret of [WRONG_SKEY, AKEY, emulator.integrations.v2.skey])
      expect(json).not.toContain(secret);
  });

  it('reports a wrong v4 client secret', async () => {
    const wrong = 'WrongSecretWrongSecretWrongSecretWrong00';
    const report = await runDuoCheck(v4Config(), { clientSecret: wrong }, deps);
    expect(report).toMatchObject({ ok: false, reachable: true, credentialsOk: false });
    expect(report.error).toMatch(/credentials-rejected/);
    expect(JSON.stringify(report)).not.toContain(wrong);
  });

  it('reports Duo down as not reachable', async () => {
    emulator.setAvailable(false);
    const report = await runDuoCheck(
      v4Config(),
      { clientSecret: emulator.integrations.v4.clientSecret },
      deps,
    );
    expect(report).toMatchObject({ ok: false, reachable: false, credentialsOk: false });
    expect(report.error).toMatch(/unreachable/);
  });

  it('warns about a clock 120 s off', async () => {
    emulator.setClockSkewSeconds(-120);
    const report = await runDuoCheck(v2Config(), v2Secrets(), deps);
    expect(report.ok).toBe(true);
    expect(report.skewSeconds).toBeLessThanOrEqual(-118);
    expect(report.warnings.join('\n')).toMatch(/clock differs from Duo's by -1[12]\d s/);
  });

  it('is JSON-serialisable', async () => {
    const report = await runDuoCheck(v2Config(), v2Secrets(), deps);
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });
});
