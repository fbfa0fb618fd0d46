import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { throttlingSchema } from '../../../../main/core/config/schema';
import { guardCredentialCheck, type CredentialCheck } from '../../../../main/core/directory/guard';
import { createFileThrottleStore } from '../../../../main/core/directory/throttle-store-file';
import type { ThrottleStore } from '../../../../main/core/directory/throttle-store';
import type { AuthResult } from '../../../../main/core/directory/types';
import { silentLogger } from '../../../../main/core/ports';
import { createFakeClock, type FakeClock } from '../../../support/directory-fixtures/fake-clock';

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

  it('counts a failure after the password was sent (bind timeout), still answering unavailable', async () => {
    const { authenticate, calls } = setup({
      answer: { ok: false, reason: 'unavailable', passwordSent: true },
    });
    for (let i = 0; i < 3; i += 1) {
      expect(await authenticate('alice', 'wrong')).toMatchObject({ reason: 'unavailable' });
    }
    expect(await authenticate('alice', 'wrong')).toMatchObject({ reason: 'throttled-user' });
    expect(calls).toHaveLength(3);
  });
});

describe('a spray of names (counter memory)', () => {
  it("keeps the victim's account counter through a spray of 5,800 accounts from many /64s", async () => {
    const clock = createFakeClock();
    const throttling = throttlingSchema.parse({ minFailureMs: 0 });
    let victimBinds = 0;
    const authenticate = guardCredentialCheck(
      { maxUsernameLength: 256, netbiosDomains: [], upnSuffixes: [], throttling },
      { clock, logger: silentLogger },
      async (login, _password, admitAccount) => {
        const id = login.name === 'victim' || login.name === 'victim2' ? 'uuid:victim' : `uuid:${login.name}`;
        const refused = await admitAccount(id);
        if (refused) return refused;
        if (id === 'uuid:victim') victimBinds += 1;
        return { ok: false, reason: 'invalid-credentials' };
      },
    );
    for (let i = 0; i < 3; i += 1) await authenticate('victim', 'x', { client: '2001:db8:ffff:1::1' });
    expect(await authenticate('victim2', 'x', { client: '2001:db8:ffff:2::1' })).toMatchObject({
      reason: 'throttled-user',
    });
    // Distinct (existing) accounts, 10 per /64 from many /48s, paced under the all-clients ceiling.
    for (let i = 0; i < 5800; i += 1) {
      clock.advance(305);
      await authenticate(`user${i}`, 'x', { client: `2001:db8:${Math.floor(i / 10).toString(16)}::1` });
    }
    for (let i = 0; i < 3; i += 1) {
      expect(await authenticate('victim2', 'x', { client: '2001:db8:ffff:3::1' })).toMatchObject({
        reason: 'throttled-user',
      });
    }
    expect(victimBinds).toBe(3);
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

/**
 * A directory stand-in that resolves names to accounts like a real search (any spelling the
 * directory would match), asks the account gate, and only then "binds". Every step awaits, so
 * attempts fired together are all in flight at once.
 */
function directoryWithAccounts(
  options: { throttling?: unknown; clock?: FakeClock; store?: ThrottleStore } = {},
) {
  const clock = options.clock ?? createFakeClock();
  const accounts: Record<string, string> = {
    lee: 'guid:1ee',
    'lee.smith': 'guid:1ee',
    erin: 'uuid:e1',
  };
  const searches: string[] = [];
  const binds: string[] = [];
  const tick = () => new Promise<void>((resolve) => setImmediate(resolve));
  const check: CredentialCheck = async (login, password, admitAccount) => {
    await tick(); // the search
    searches.push(login.name);
    const account = accounts[login.name.toLowerCase()];
    if (!account) return { ok: false, reason: 'invalid-credentials', detail: 'no such user' };
    const refused = await admitAccount(account);
    if (refused) return refused;
    await tick(); // the bind
    binds.push(account);
    return password === PASSWORD ? ok : { ok: false, reason: 'invalid-credentials' };
  };
  const config = {
    maxUsernameLength: 256,
    netbiosDomains: ['WALKUP'],
    upnSuffixes: ['walkup.test'],
    throttling: throttlingSchema.parse(options.throttling ?? { minFailureMs: 0 }),
  };
  const deps = { clock, logger: silentLogger, ...(options.store ? { throttleStore: options.store } : {}) };
  const authenticate = guardCredentialCheck(config, deps, check);
  return { clock, authenticate, searches, binds };
}

const reasons = (results: AuthResult[]) =>
  results.reduce<Record<string, number>>((counts, result) => {
    const key = result.ok ? 'ok' : result.reason;
    counts[key] = (counts[key] ?? 0) + 1;
    return counts;
  }, {});

describe('check-and-reserve (attempts in flight count)', () => {
  it('lets at most maxFailures of 20 simultaneous wrong passwords for one name reach the directory', async () => {
    const { authenticate, binds, searches } = directoryWithAccounts();
    const results = await Promise.all(Array.from({ length: 20 }, () => authenticate('lee', 'wrong')));
    expect(searches).toHaveLength(3);
    expect(binds).toHaveLength(3);
    expect(reasons(results)).toEqual({ 'invalid-credentials': 3, 'throttled-user': 17 });
  });

  it('lets at most maxFailures binds through for one account typed in every form at once', async () => {
    const { authenticate, binds } = directoryWithAccounts({
      throttling: { minFailureMs: 0, perUser: { maxFailures: 2, windowSeconds: 1800, lockoutSeconds: 900 } },
    });
    const forms = ['lee', 'WALKUP\\lee', 'lee.smith@walkup.test', 'LEE', 'ｌｅｅ'];
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => authenticate(forms[i % forms.length] ?? 'lee', 'wrong')),
    );
    expect(binds).toEqual(['guid:1ee', 'guid:1ee']);
    expect(reasons(results)).toMatchObject({ 'invalid-credentials': 2 });
    // Afterwards no form gets through either.
    for (const form of forms) {
      expect(await authenticate(form, PASSWORD)).toMatchObject({ reason: 'throttled-user' });
    }
    expect(binds).toHaveLength(2);
  });

  it('counts the account once its name counter is full, for a spelling the name counter never saw', async () => {
    const { authenticate, binds, searches } = directoryWithAccounts({
      throttling: { minFailureMs: 0, perUser: { maxFailures: 2, windowSeconds: 1800, lockoutSeconds: 900 } },
    });
    await authenticate('lee', 'wrong');
    await authenticate('lee', 'wrong');
    expect(await authenticate('lee', 'wrong')).toMatchObject({ reason: 'throttled-user' });
    expect(searches).toHaveLength(2);
    // A new spelling of the same account: searched, refused by the account's counter, no bind.
    expect(await authenticate('lee.smith@walkup.test', PASSWORD)).toMatchObject({
      reason: 'throttled-user',
      retryAfterSeconds: 1800,
    });
    expect(searches).toHaveLength(3);
    expect(binds).toHaveLength(2);
  });

  it('does not count a refusal by the account counter against the station or the name', async () => {
    const { authenticate, searches } = directoryWithAccounts({
      throttling: {
        minFailureMs: 0,
        perUser: { maxFailures: 1, windowSeconds: 1800, lockoutSeconds: 900 },
        perStation: { maxFailures: 3, windowSeconds: 300, lockoutSeconds: 300 },
      },
    });
    await authenticate('lee', 'wrong');
    for (const form of ['lee.smith@walkup.test', 'lee.smith', 'Lee.Smith', 'LEE.SMITH']) {
      expect(await authenticate(form, 'wrong')).toMatchObject({ reason: 'throttled-user' });
    }
    // The name lee.smith (maxFailures 1) was not charged: each attempt still reached the search.
    expect(searches).toHaveLength(5);
    // One failure so far at the station: erin may still try.
    expect(await authenticate('erin', 'wrong')).toMatchObject({ reason: 'invalid-credentials' });
  });

  it('gives slots back when the answer does not count, so 20 simultaneous right passwords all pass', async () => {
    const { authenticate, binds } = directoryWithAccounts();
    // 20 at once exceed the per-name limit of 3 while in flight; sequential right passwords do not.
    const results = await Promise.all(Array.from({ length: 20 }, () => authenticate('erin', PASSWORD)));
    expect(results.filter((result) => result.ok).length).toBe(3);
    for (let i = 0; i < 20; i += 1) expect(await authenticate('erin', PASSWORD)).toEqual(ok);
    expect(binds).toHaveLength(23);
  });

  it('holds one account slot when the gate is asked again for the same account (the next replica)', async () => {
    const clock = createFakeClock();
    const config = {
      maxUsernameLength: 256,
      netbiosDomains: [],
      upnSuffixes: [],
      throttling: throttlingSchema.parse({
        minFailureMs: 0,
        perUser: { maxFailures: 2, windowSeconds: 1800, lockoutSeconds: 900 },
      }),
    };
    const authenticate = guardCredentialCheck(
      config,
      { clock, logger: silentLogger },
      async (_login, _password, gate) => {
        // First replica: admitted, then its connection fails; second replica: same account again.
        expect(await gate('guid:1')).toBeUndefined();
        expect(await gate('guid:1')).toBeUndefined();
        return { ok: false, reason: 'invalid-credentials' };
      },
    );
    expect(await authenticate('a', 'x')).toMatchObject({ reason: 'invalid-credentials' });
    // One failure on the account, not two: a second name may still try once.
    expect(await authenticate('b', 'x')).toMatchObject({ reason: 'invalid-credentials' });
  });

  it('releases the slots when the directory throws', async () => {
    const clock = createFakeClock();
    const config = {
      maxUsernameLength: 256,
      netbiosDomains: [],
      upnSuffixes: [],
      throttling: throttlingSchema.parse({ minFailureMs: 0 }),
    };
    let calls = 0;
    const authenticate = guardCredentialCheck(config, { clock, logger: silentLogger }, async () => {
      calls += 1;
      throw new Error('boom');
    });
    for (let i = 0; i < 5; i += 1) await expect(authenticate('alice', 'x')).rejects.toThrow('boom');
    expect(calls).toBe(5);
  });
});

describe('station-wide limits', () => {
  const stationLimits = {
    minFailureMs: 0,
    perStation: { maxFailures: 4, windowSeconds: 300, lockoutSeconds: 300 },
    allClients: { maxFailures: 6, windowSeconds: 300, lockoutSeconds: 60 },
  };

  it("pauses the kiosk (no client address) for everyone: station-wide, not the newcomer's own count", async () => {
    const { authenticate } = directoryWithAccounts({ throttling: stationLimits });
    for (let i = 0; i < 4; i += 1) await authenticate(`stranger${i}`, 'wrong');
    expect(await authenticate('erin', PASSWORD)).toMatchObject({
      reason: 'throttled-station',
      retryAfterSeconds: 300,
    });
  });

  it('says throttled-user to a person whose own counter is full, even while the station is paused', async () => {
    const { authenticate } = directoryWithAccounts({
      throttling: { ...stationLimits, perUser: { maxFailures: 2, windowSeconds: 1800, lockoutSeconds: 900 } },
    });
    await authenticate('erin', 'wrong');
    await authenticate('erin', 'wrong');
    await authenticate('x1', 'wrong');
    await authenticate('x2', 'wrong');
    expect(await authenticate('erin', PASSWORD)).toMatchObject({ reason: 'throttled-user' });
    expect(await authenticate('lee', PASSWORD)).toMatchObject({ reason: 'throttled-station' });
  });

  it('in portal mode pauses only the client address whose attempts failed', async () => {
    const { authenticate } = directoryWithAccounts({ throttling: stationLimits });
    const stranger = { client: '203.0.113.9' };
    for (let i = 0; i < 4; i += 1) await authenticate(`stranger${i}`, 'wrong', stranger);
    expect(await authenticate('erin', PASSWORD, stranger)).toMatchObject({ reason: 'throttled-station' });
    expect(await authenticate('erin', PASSWORD, { client: '198.51.100.7' })).toEqual(ok);
    expect(await authenticate('erin', PASSWORD, { client: '::ffff:198.51.100.7' })).toEqual(ok);
  });

  it('counts an IPv6 client by its /64', async () => {
    const { authenticate } = directoryWithAccounts({ throttling: stationLimits });
    for (let i = 0; i < 4; i += 1) await authenticate(`s${i}`, 'wrong', { client: `2001:db8:1:2::${i + 1}` });
    expect(await authenticate('erin', PASSWORD, { client: '2001:db8:1:2:ffff::9' })).toMatchObject({
      reason: 'throttled-station',
    });
    expect(await authenticate('erin', PASSWORD, { client: '2001:db8:1:3::1' })).toEqual(ok);
  });

  it('stops everyone at the all-clients ceiling (a spray from many addresses)', async () => {
    const { authenticate } = directoryWithAccounts({ throttling: stationLimits });
    for (let i = 0; i < 6; i += 1) await authenticate(`s${i}`, 'wrong', { client: `192.0.2.${i}` });
    expect(await authenticate('erin', PASSWORD, { client: '192.0.2.200' })).toMatchObject({
      reason: 'throttled-station',
      retryAfterSeconds: 300,
    });
  });

  it('has a ceiling by default far above the per-client window', () => {
    const defaults = throttlingSchema.parse({});
    expect(defaults.allClients.maxFailures).toBeGreaterThanOrEqual(10 * defaults.perStation.maxFailures);
  });
});

describe('counters survive a restart', () => {
  it('keeps a throttled name throttled in a new guard over the same state file', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'walkup-guard-'));
    try {
      const clock = createFakeClock();
      const file = path.join(dir, 'throttle-state.json');
      const first = createFileThrottleStore(file, { clock, logger: silentLogger });
      const before = directoryWithAccounts({ clock, store: first });
      for (let i = 0; i < 3; i += 1) await before.authenticate('erin', 'wrong');
      await first.flush();

      clock.advance(10 * 60_000); // restarted mid-window
      const afterStore = createFileThrottleStore(file, { clock, logger: silentLogger });
      const after = directoryWithAccounts({ clock, store: afterStore });
      expect(await after.authenticate('ｅrin', PASSWORD)).toMatchObject({
        reason: 'throttled-user',
        retryAfterSeconds: 20 * 60,
      });
      expect(after.searches).toEqual([]);
      await afterStore.flush();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('last-try warning (attemptsLeft)', () => {
  it('tells a wrong password how many tries its name has left, only when two or fewer remain', async () => {
    const { authenticate } = setup({
      throttling: { minFailureMs: 0, perUser: { maxFailures: 4, windowSeconds: 1800, lockoutSeconds: 1800 } },
    });
    const first = await authenticate('alice', 'wrong');
    expect(first).toEqual({ ok: false, reason: 'invalid-credentials' });
    expect(await authenticate('alice', 'wrong')).toMatchObject({ attemptsLeft: 2 });
    expect(await authenticate('alice', 'wrong')).toMatchObject({ attemptsLeft: 1 });
    expect(await authenticate('alice', 'wrong')).toMatchObject({ attemptsLeft: 0 });
    expect(await authenticate('alice', PASSWORD)).toMatchObject({ reason: 'throttled-user' });
  });

  it('answers an unknown name exactly as a known one with a wrong password', async () => {
    const { authenticate } = directoryWithAccounts();
    const known: AuthResult[] = [];
    const unknown: AuthResult[] = [];
    for (let i = 0; i < 3; i += 1) {
      known.push(await authenticate('lee', 'wrong'));
      unknown.push(await authenticate('nobody-here', 'wrong'));
    }
    const shown = (results: AuthResult[]) =>
      results.map((result) => (result.ok ? 'ok' : `${result.reason}:${String(result.attemptsLeft)}`));
    expect(shown(known)).toEqual(['invalid-credentials:2', 'invalid-credentials:1', 'invalid-credentials:0']);
    expect(shown(unknown)).toEqual(shown(known));
  });

  it('counts attempts in flight, so simultaneous wrong passwords never all read a spare try', async () => {
    const { authenticate } = directoryWithAccounts({
      throttling: { minFailureMs: 0, perUser: { maxFailures: 5, windowSeconds: 1800, lockoutSeconds: 1800 } },
    });
    const results = await Promise.all(Array.from({ length: 5 }, () => authenticate('erin', 'wrong')));
    const left = results.map((result) => (result.ok ? undefined : result.attemptsLeft));
    // Every answer is read after its own failure is counted; none promises more than is left.
    expect(left.every((value) => value === undefined || value <= 2)).toBe(true);
    expect(left.filter((value) => value === 0).length).toBeGreaterThanOrEqual(1);
    expect(await authenticate('erin', PASSWORD)).toMatchObject({ reason: 'throttled-user' });
  });

  it('gives no count for refusals that are not a wrong password', async () => {
    const { authenticate } = setup({ answer: { ok: false, reason: 'unavailable' } });
    for (let i = 0; i < 3; i += 1) {
      const result = await authenticate('alice', 'wrong');
      expect(result.ok ? undefined : result.attemptsLeft).toBeUndefined();
    }
  });

  it('resets the count after a successful sign-in', async () => {
    const { authenticate } = setup({ throttling: { minFailureMs: 0 } });
    expect(await authenticate('alice', 'wrong')).toMatchObject({ attemptsLeft: 2 });
    expect(await authenticate('alice', PASSWORD)).toEqual(ok);
    expect(await authenticate('alice', 'wrong')).toMatchObject({ attemptsLeft: 2 });
  });
});
