import { describe, expect, it } from 'vitest';
import { throttlingSchema } from '../../../../main/core/config/schema';
import { guardCredentialCheck, type CredentialCheck } from '../../../../main/core/directory/guard';
import type { AuthResult } from '../../../../main/core/directory/types';
import { silentLogger } from '../../../../main/core/ports';
import { createFakeClock } from '../../../support/directory-fixtures/fake-clock';

const PASSWORD = 'right password';
const ok: AuthResult = { ok: true, user: { dn: 'uid=x', username: 'x', displayName: 'X', groups: [] } };

/** A directory stand-in: knows one password, records every call, takes `costMs` per call. */
function setup(options: { throttling?: unknown; costMs?: number; answer?: AuthResult } = {}) {
  const clock = createFakeClock();
  const calls: string[] = [];
  const check: CredentialCheck = async (login, password) => {
    calls.push(login.name);
    clock.advance(options.costMs ?? 0);
    if (options.answer) return options.answer;
    return password === PASSWORD ? ok : { ok: false, reason: 'invalid-credentials' };
  };
  const config = {
    maxUsernameLength: 256,
    netbiosDomains: ['WALKUP'],
    upnSuffixes: ['walkup.test'],
    throttling: throttlingSchema.parse(options.throttling ?? {}),
  };
  const authenticate = guardCredentialCheck(config, { clock, logger: silentLogger }, check);
  return { clock, calls, authenticate };
}

describe('throttling', () => {
  it('stops a username after three failures, without asking the directory again', async () => {
    const { authenticate, calls } = setup();
    for (let i = 0; i < 3; i += 1) {
      expect(await authenticate('alice', 'wrong')).toMatchObject({ reason: 'invalid-credentials' });
    }
    expect(await authenticate('alice', PASSWORD)).toMatchObject({
      ok: false,
      reason: 'throttled-user',
      retryAfterSeconds: expect.any(Number),
    });
    expect(calls).toHaveLength(3);
  });

  it('says how long to wait and lets the user try again once the window has room', async () => {
    const { authenticate, clock } = setup({ throttling: { minFailureMs: 0 } });
    for (let i = 0; i < 3; i += 1) await authenticate('alice', 'wrong');
    expect(await authenticate('alice', PASSWORD)).toMatchObject({ retryAfterSeconds: 1800 });
    clock.advance(600_000);
    expect(await authenticate('alice', PASSWORD)).toMatchObject({ retryAfterSeconds: 1200 });
    clock.advance(1_200_000);
    expect(await authenticate('alice', PASSWORD)).toEqual(ok);
  });

  it('never lets more than maxFailures failures through in one window, even after a cool-down ends', async () => {
    // AD locks after 5 bad passwords within 30 minutes. A cool-down that ended after 15 minutes
    // and cleared the count would let guesses 4 and 5 through inside that window.
    const { authenticate, clock, calls } = setup({
      throttling: {
        perUser: { maxFailures: 3, windowSeconds: 1800, lockoutSeconds: 900 },
        minFailureMs: 0,
      },
    });
    for (let i = 0; i < 3; i += 1) await authenticate('alice', 'wrong');
    clock.advance(901_000);
    expect(await authenticate('alice', 'wrong')).toMatchObject({ reason: 'throttled-user' });
    clock.advance(600_000);
    expect(await authenticate('alice', 'wrong')).toMatchObject({ reason: 'throttled-user' });
    expect(calls).toHaveLength(3);
    clock.advance(300_000);
    expect(await authenticate('alice', 'wrong')).toMatchObject({ reason: 'invalid-credentials' });
    expect(calls).toHaveLength(4);
  });

  it('counts every login form of one account together', async () => {
    const { authenticate } = setup();
    await authenticate('alice', 'wrong');
    await authenticate('WALKUP\\alice', 'wrong');
    await authenticate('Alice@walkup.test', 'wrong');
    expect(await authenticate('ALICE', PASSWORD)).toMatchObject({ reason: 'throttled-user' });
  });

  it('forgets failures older than the window', async () => {
    const { authenticate, clock } = setup({ throttling: { minFailureMs: 0 } });
    await authenticate('alice', 'wrong');
    await authenticate('alice', 'wrong');
    clock.advance(1_801_000);
    await authenticate('alice', 'wrong');
    expect(await authenticate('alice', PASSWORD)).toEqual(ok);
  });

  it('resets the user counter after a success', async () => {
    const { authenticate } = setup();
    await authenticate('alice', 'wrong');
    await authenticate('alice', 'wrong');
    expect(await authenticate('alice', PASSWORD)).toEqual(ok);
    await authenticate('alice', 'wrong');
    await authenticate('alice', 'wrong');
    expect(await authenticate('alice', PASSWORD)).toEqual(ok);
  });

  it('stops the whole station after ten failures across usernames', async () => {
    const { authenticate, calls } = setup({ throttling: { minFailureMs: 0 } });
    for (let i = 0; i < 10; i += 1) await authenticate(`user${i}`, 'wrong');
    expect(await authenticate('someone-new', PASSWORD)).toMatchObject({
      reason: 'throttled-station',
      retryAfterSeconds: 300,
    });
    expect(calls).toHaveLength(10);
  });

  it('does not count a right password refused by policy', async () => {
    const { authenticate, calls } = setup({ answer: { ok: false, reason: 'not-in-allowed-group' } });
    for (let i = 0; i < 5; i += 1) {
      expect(await authenticate('nora', PASSWORD)).toMatchObject({ reason: 'not-in-allowed-group' });
    }
    expect(calls).toHaveLength(5);
  });

  it('does not count directory outages against the person', async () => {
    const { authenticate, calls } = setup({ answer: { ok: false, reason: 'unavailable' } });
    for (let i = 0; i < 5; i += 1) await authenticate('alice', PASSWORD);
    expect(calls).toHaveLength(5);
  });
});

describe('minimum failure time', () => {
  it('pads a fast failure up to minFailureMs', async () => {
    const { authenticate, clock } = setup({ costMs: 200 });
    await authenticate('alice', 'wrong');
    expect(clock.sleeps).toEqual([1300]);
  });

  it('does not pad a failure that already took longer', async () => {
    const { authenticate, clock } = setup({ costMs: 2000 });
    await authenticate('alice', 'wrong');
    expect(clock.sleeps).toEqual([]);
  });

  it('makes an unknown user and a wrong password take the same time', async () => {
    const unknown = setup({ costMs: 5, answer: { ok: false, reason: 'invalid-credentials' } });
    const wrong = setup({ costMs: 40 });
    const started = [unknown.clock.now(), wrong.clock.now()];
    await unknown.authenticate('nobody', 'x');
    await wrong.authenticate('alice', 'x');
    expect(unknown.clock.now() - (started[0] ?? 0)).toBe(1500);
    expect(wrong.clock.now() - (started[1] ?? 0)).toBe(1500);
  });

  it('pads throttled and invalid attempts too', async () => {
    const { authenticate, clock } = setup();
    await authenticate('alice', '');
    expect(clock.sleeps).toEqual([1500]);
  });

  it('never delays a success', async () => {
    const { authenticate, clock } = setup({ costMs: 10 });
    expect(await authenticate('alice', PASSWORD)).toEqual(ok);
    expect(clock.sleeps).toEqual([]);
  });
});

describe('input rules before any directory call', () => {
  it.each(['', '   ', '\t'])('refuses the password %j without calling the directory', async (password) => {
    const { authenticate, calls } = setup();
    expect(await authenticate('alice', password)).toEqual({
      ok: false,
      reason: 'invalid-input',
      inputProblem: 'password-empty',
    });
    expect(calls).toEqual([]);
  });

  it('refuses a username with control characters without calling the directory', async () => {
    const { authenticate, calls } = setup();
    expect(await authenticate('ali\u0000ce', PASSWORD)).toMatchObject({
      reason: 'invalid-input',
      inputProblem: 'username-control-characters',
    });
    expect(calls).toEqual([]);
  });

  it('passes the password to the directory byte-exact', async () => {
    const seen: string[] = [];
    const clock = createFakeClock();
    const authenticate = guardCredentialCheck(
      { maxUsernameLength: 256, netbiosDomains: [], upnSuffixes: [], throttling: throttlingSchema.parse({}) },
      { clock, logger: silentLogger },
      async (_login, password) => {
        seen.push(password);
        return ok;
      },
    );
    for (const password of ['  spaces  ', '()*\\$&', 'Pässwörd-密码-🔑'])
      await authenticate('alice', password);
    expect(seen).toEqual(['  spaces  ', '()*\\$&', 'Pässwörd-密码-🔑']);
  });
});
