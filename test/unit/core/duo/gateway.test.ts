/**
 * createDuoGateway and runDuoCheck decisions that need no Duo: secret checks, SDK guards, and
 * the v2 sign/verify path on the injected clock.
 */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createDuoGateway, duoSecretProblems, runDuoCheck } from '../../../../main/core/duo';
import { skewBetween } from '../../../../main/core/duo/auth-api';
import type { DuoConfig } from '../../../../main/core/config/schema';
import { silentLogger, type Clock } from '../../../../main/core/ports';

const IKEY = 'DIXXXXXXXXXXXXXXXXXX';
const SKEY = 'deadbeefdeadbeefdeadbeefdeadbeefdeadbeef';
const AKEY = 'useacustomerprovidedapplicationsecretkey';

const v2: DuoConfig = {
  sdk: 'v2',
  apiHost: 'api-xxxxxxxx.duosecurity.com',
  ikey: IKEY,
  skey: { env: 'S' },
  akey: { env: 'A' },
  healthCacheSeconds: 30,
};
const v4: DuoConfig = {
  sdk: 'v4',
  apiHost: 'api-xxxxxxxx.duosecurity.com',
  clientId: IKEY,
  clientSecret: { env: 'S' },
  healthCacheSeconds: 30,
};

function fixedClock(seconds: number): Clock & { set(s: number): void } {
  let now = seconds * 1000;
  return { now: () => now, sleep: async () => {}, set: (s) => (now = s * 1000) };
}

const deps = (clock: Clock) => ({
  clock,
  logger: silentLogger,
  redirectUri: 'http://127.0.0.1:8787/duo/callback',
});

/** Duo's side of v2: the AUTH (or ENROLL) part for a user, signed with the skey. */
function duoAnswer(prefix: 'AUTH' | 'ENROLL', user: string, exp: number, skey = SKEY): string {
  const cookie = `${prefix}|${Buffer.from(`${user}|${IKEY}|${exp}`).toString('base64')}`;
  return `${cookie}|${createHmac('sha1', skey).update(cookie).digest('hex')}`;
}

describe('duoSecretProblems', () => {
  it('accepts complete v2 and v4 secrets', () => {
    expect(duoSecretProblems(v2, { skey: SKEY, akey: AKEY })).toEqual([]);
    expect(duoSecretProblems(v4, { clientSecret: SKEY })).toEqual([]);
  });

  it('names each missing or malformed v2 secret without its value', () => {
    expect(duoSecretProblems(v2, {})).toEqual(['duo.skey: is not set', 'duo.akey: is not set']);
    const problems = duoSecretProblems(v2, { skey: 'short-skey', akey: 'short-akey' });
    expect(problems).toEqual(['duo.skey: must be 40 characters', 'duo.akey: must be at least 40 characters']);
    expect(problems.join()).not.toContain('short-');
  });

  it('names a missing or malformed v4 client secret', () => {
    expect(duoSecretProblems(v4, {})).toEqual(['duo.clientSecret: is not set']);
    expect(duoSecretProblems(v4, { clientSecret: 'x' })).toEqual(['duo.clientSecret: must be 40 characters']);
  });
});

describe('createDuoGateway', () => {
  it('refuses to build a gateway with unusable secrets', () => {
    expect(() => createDuoGateway(v2, { skey: SKEY }, deps(fixedClock(0)))).toThrow(/duo\.akey/);
  });

  it('reports its SDK', () => {
    expect(createDuoGateway(v2, { skey: SKEY, akey: AKEY }, deps(fixedClock(0))).sdk).toBe('v2');
    expect(createDuoGateway(v4, { clientSecret: SKEY }, deps(fixedClock(0))).sdk).toBe('v4');
  });

  it('v2: signs with the injected clock and keeps the APP part apart from the TX part', () => {
    const duo = createDuoGateway(v2, { skey: SKEY, akey: AKEY }, deps(fixedClock(1_300_157_799)));
    expect(duo.signV2Request('testuser')).toEqual({
      host: 'api-xxxxxxxx.duosecurity.com',
      tx: 'TX|dGVzdHVzZXJ8RElYWFhYWFhYWFhYWFhYWFhYWFh8MTMwMDE1ODA5OQ==|815423f20909dbff2bc4962fdc3031d5f673bc1b',
      app: 'APP|dGVzdHVzZXJ8RElYWFhYWFhYWFhYWFhYWFhYWFh8MTMwMDE2MTM5OQ==|c3648befd92041b26197af8a976300542f00cd5a',
    });
  });

  it('v2: gives the renderer the API host in lower case (the frame origin browsers compare)', () => {
    const duo = createDuoGateway(
      { ...v2, apiHost: 'API-XXXXXXXX.DuoSecurity.com' },
      { skey: SKEY, akey: AKEY },
      deps(fixedClock(0)),
    );
    expect(duo.signV2Request('alice').host).toBe('api-xxxxxxxx.duosecurity.com');
  });

  it('v2: verifies an AUTH answer against the kept APP part, on the injected clock', () => {
    const clock = fixedClock(1_700_000_000);
    const duo = createDuoGateway(v2, { skey: SKEY, akey: AKEY }, deps(clock));
    const { app } = duo.signV2Request('alice');
    const auth = duoAnswer('AUTH', 'alice', 1_700_000_300);
    expect(duo.verifyV2Response(auth, app)).toBe('alice');
    clock.set(1_700_000_300);
    expect(duo.verifyV2Response(auth, app)).toBeNull();
  });

  it('v2: verifies an ENROLL answer too', () => {
    const duo = createDuoGateway(v2, { skey: SKEY, akey: AKEY }, deps(fixedClock(1_700_000_000)));
    const { app } = duo.signV2Request('alice');
    expect(duo.verifyV2Response(duoAnswer('ENROLL', 'alice', 1_700_000_300), app)).toBe('alice');
  });

  it('v2: refuses an answer signed with another skey, or smuggling extra ":" parts', () => {
    const duo = createDuoGateway(v2, { skey: SKEY, akey: AKEY }, deps(fixedClock(1_700_000_000)));
    const { app } = duo.signV2Request('alice');
    expect(duo.verifyV2Response(duoAnswer('AUTH', 'alice', 1_700_000_300, 'x'.repeat(40)), app)).toBeNull();
    expect(duo.verifyV2Response(`${duoAnswer('AUTH', 'alice', 1_700_000_300)}:${app}`, app)).toBeNull();
  });

  it('v2: a username containing "|" is a bug upstream and throws, naming no secret', () => {
    const duo = createDuoGateway(v2, { skey: SKEY, akey: AKEY }, deps(fixedClock(0)));
    expect(() => duo.signV2Request('a|b')).toThrow(/sign_request\(\) is invalid/);
    try {
      duo.signV2Request('a|b');
    } catch (error) {
      expect(String(error)).not.toContain(SKEY);
      expect(String(error)).not.toContain(AKEY);
    }
  });
});

describe('runDuoCheck', () => {
  it('reports missing secrets without touching the network', async () => {
    const report = await runDuoCheck(v2, {}, { clock: fixedClock(0), logger: silentLogger });
    expect(report).toEqual({
      ok: false,
      sdk: 'v2',
      apiHost: 'api-xxxxxxxx.duosecurity.com',
      reachable: false,
      credentialsOk: false,
      warnings: [],
      error: 'duo.skey: is not set; duo.akey: is not set',
    });
  });
});

describe('skewBetween', () => {
  it('rounds to whole seconds and never returns -0', () => {
    expect(Object.is(skewBetween(100, 100.2), 0)).toBe(true);
    expect(skewBetween(100, 40.4)).toBe(60);
    expect(skewBetween(100, 220)).toBe(-120);
  });
});
