import { PasswordPolicyError } from 'ldapts';
import { describe, expect, it } from 'vitest';
import {
  createPolicyCache,
  hasPolicyState,
  isLocked,
  parseGeneralizedTime,
  parsePasswordPolicy,
  policyDnFor,
  refusalBeforeBind,
  refusalFromBindControl,
  type PasswordPolicy,
} from '../../../../main/core/directory/ppolicy';
import { createFakeClock } from '../../../support/directory-fixtures/fake-clock';

/** An entry's attributes as `UserEntry.get` reads them (names case-insensitive). */
const attrs = (values: Record<string, string[]>) => ({
  get: (name: string) =>
    Object.entries(values).find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1] ?? [],
});

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 11, 3, 12, 0, 0);
const policy: PasswordPolicy = {
  maxAgeSeconds: 30 * 86_400,
  mustChange: true,
  graceAuthNLimit: 3,
  lockout: true,
  lockoutDurationSeconds: 0,
};
const changed = (ms: number) => `${new Date(ms).toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z`;

describe('parseGeneralizedTime (RFC 4517 §3.3.13)', () => {
  it.each([
    ['20261203120000Z', Date.UTC(2026, 11, 3, 12, 0, 0)],
    ['20261203120000.128429Z', Date.UTC(2026, 11, 3, 12, 0, 0, 128)],
    ['202612031200Z', Date.UTC(2026, 11, 3, 12, 0, 0)],
    ['2026120312Z', Date.UTC(2026, 11, 3, 12, 0, 0)],
    ['20261203140000+0200', Date.UTC(2026, 11, 3, 12, 0, 0)],
    ['20261203070000-05', Date.UTC(2026, 11, 3, 12, 0, 0)],
  ])('reads %s', (text, ms) => {
    expect(parseGeneralizedTime(text)).toBe(ms);
  });

  it.each(['', '2026-12-03T12:00:00Z', '20261203120000', 'yesterday'])('refuses %j', (text) => {
    expect(parseGeneralizedTime(text)).toBeUndefined();
  });
});

describe('parsePasswordPolicy', () => {
  it('reads the attributes Walkup uses, with missing ones as 0 / false', () => {
    expect(
      parsePasswordPolicy(attrs({ pwdMaxAge: ['60'], pwdMustChange: ['TRUE'], pwdGraceAuthNLimit: ['2'] })),
    ).toEqual({
      maxAgeSeconds: 60,
      mustChange: true,
      graceAuthNLimit: 2,
      lockout: false,
      lockoutDurationSeconds: 0,
    });
    expect(parsePasswordPolicy(attrs({ pwdMaxAge: ['-5'], pwdLockout: ['FALSE'] })).maxAgeSeconds).toBe(0);
  });
});

describe('which policy governs an entry', () => {
  it("prefers the entry's own pwdPolicySubentry to the configured default", () => {
    expect(policyDnFor(attrs({ pwdPolicySubentry: ['cn=own'] }), 'cn=default')).toBe('cn=own');
    expect(policyDnFor(attrs({}), 'cn=default')).toBe('cn=default');
    expect(policyDnFor(attrs({}), undefined)).toBeUndefined();
  });

  it('needs no decision for an entry without password policy state', () => {
    expect(hasPolicyState(attrs({}))).toBe(false);
    expect(hasPolicyState(attrs({ pwdChangedTime: ['20260101000000Z'] }))).toBe(true);
    expect(hasPolicyState(attrs({ pwdAccountLockedTime: ['000001010000Z'] }))).toBe(true);
  });
});

describe('refusalBeforeBind', () => {
  it('lets a fresh password through', () => {
    expect(refusalBeforeBind(attrs({ pwdChangedTime: [changed(NOW - DAY)] }), policy, NOW)).toBeUndefined();
  });

  it('refuses an expired password with grace logins left', () => {
    const entry = attrs({ pwdChangedTime: [changed(NOW - 31 * DAY)], pwdGraceUseTime: ['20261201000000Z'] });
    expect(refusalBeforeBind(entry, policy, NOW)).toMatchObject({ reason: 'password-expired' });
  });

  it('leaves an expired password with no grace left to the server (which checks the password first)', () => {
    const entry = attrs({
      pwdChangedTime: [changed(NOW - 31 * DAY)],
      pwdGraceUseTime: ['20261201000000Z', '20261201000001Z', '20261201000002Z'],
    });
    expect(refusalBeforeBind(entry, policy, NOW)).toBeUndefined();
    expect(refusalBeforeBind(entry, { ...policy, graceAuthNLimit: 0 }, NOW)).toBeUndefined();
  });

  it('leaves a password reset under pwdMustChange to the server (slapd checks no expiry then)', () => {
    const entry = attrs({ pwdChangedTime: [changed(NOW - 31 * DAY)], pwdReset: ['TRUE'] });
    expect(refusalBeforeBind(entry, policy, NOW)).toBeUndefined();
    expect(refusalBeforeBind(entry, { ...policy, mustChange: false }, NOW)).toMatchObject({
      reason: 'password-expired',
    });
  });

  it('never expires a password under a policy without pwdMaxAge, or without a policy', () => {
    const entry = attrs({ pwdChangedTime: ['20000101000000Z'] });
    expect(refusalBeforeBind(entry, { ...policy, maxAgeSeconds: 0 }, NOW)).toBeUndefined();
    expect(refusalBeforeBind(entry, undefined, NOW)).toBeUndefined();
  });

  it("refuses an administrator's lock, with or without a readable policy", () => {
    const locked = attrs({ pwdAccountLockedTime: ['000001010000Z'] });
    expect(refusalBeforeBind(locked, policy, NOW)).toMatchObject({ reason: 'account-locked' });
    expect(refusalBeforeBind(locked, undefined, NOW)).toMatchObject({ reason: 'account-locked' });
    expect(refusalBeforeBind(locked, { ...policy, lockoutDurationSeconds: 60 }, NOW)).toMatchObject({
      reason: 'account-locked',
    });
  });

  it('leaves any other lock to the bind when no policy is known (a timed lockout may have run out)', () => {
    // Review of issue #8: without a policy every pwdAccountLockedTime used to refuse for ever,
    // and the bind that would have cleared an expired lock was never sent.
    for (const lockedAt of ['20200101000000Z', changed(NOW - 60_000), changed(NOW), 'not a time']) {
      const entry = attrs({ pwdChangedTime: [changed(NOW)], pwdAccountLockedTime: [lockedAt] });
      expect(isLocked(entry, undefined, NOW)).toBe(false);
      expect(refusalBeforeBind(entry, undefined, NOW)).toBeUndefined();
    }
  });

  it('honours pwdLockoutDuration under a known policy (0: until an administrator unlocks)', () => {
    const longAgo = attrs({ pwdAccountLockedTime: ['20200101000000Z'] });
    expect(refusalBeforeBind(longAgo, { ...policy, lockoutDurationSeconds: 60 }, NOW)).toBeUndefined();
    expect(refusalBeforeBind(longAgo, { ...policy, lockoutDurationSeconds: 0 }, NOW)).toMatchObject({
      reason: 'account-locked',
    });
    const recent = attrs({ pwdAccountLockedTime: [changed(NOW - 30_000)] });
    expect(refusalBeforeBind(recent, { ...policy, lockoutDurationSeconds: 60 }, NOW)).toMatchObject({
      reason: 'account-locked',
    });
    const unreadable = attrs({ pwdAccountLockedTime: ['not a time'] });
    expect(isLocked(unreadable, { ...policy, lockoutDurationSeconds: 60 }, NOW)).toBe(true);
  });

  it('lets a timed lockout run out', () => {
    const entry = attrs({ pwdAccountLockedTime: [changed(NOW - 10 * 60_000)] });
    expect(isLocked(entry, { ...policy, lockoutDurationSeconds: 300 }, NOW)).toBe(false);
    expect(isLocked(entry, { ...policy, lockoutDurationSeconds: 900 }, NOW)).toBe(true);
    expect(isLocked(entry, { ...policy, lockoutDurationSeconds: 0 }, NOW)).toBe(true);
  });
});

describe('refusalFromBindControl', () => {
  it.each([
    [PasswordPolicyError.ChangeAfterReset, true, 'password-must-change'],
    [PasswordPolicyError.PasswordExpired, false, 'password-expired'],
    [PasswordPolicyError.AccountLocked, false, 'account-locked'],
  ])('maps error %i to its reason', (error, bound, reason) => {
    expect(refusalFromBindControl({ error }, bound)).toMatchObject({ reason });
  });

  it('refuses a bind that succeeded on a grace login', () => {
    expect(refusalFromBindControl({ graceAuthNsRemaining: 2 }, true)).toMatchObject({
      reason: 'password-expired',
    });
  });

  it('has nothing against a plain or warning-only answer, or none', () => {
    expect(refusalFromBindControl(undefined, true)).toBeUndefined();
    expect(refusalFromBindControl({}, false)).toBeUndefined();
    expect(refusalFromBindControl({ timeBeforeExpiration: 3600 }, true)).toBeUndefined();
  });
});

describe('the policy cache', () => {
  it('reads a policy once per five minutes, and once for callers asking at the same time', async () => {
    const clock = createFakeClock();
    const get = createPolicyCache(clock);
    let reads = 0;
    const read = async () => {
      reads += 1;
      return policy;
    };
    await Promise.all([get('k', read), get('k', read), get('k', read)]);
    expect(reads).toBe(1);
    clock.advance(299_000);
    await get('k', read);
    expect(reads).toBe(1);
    clock.advance(2000);
    await get('k', read);
    expect(reads).toBe(2);
  });

  it('does not keep a failed read', async () => {
    const get = createPolicyCache(createFakeClock());
    await expect(get('k', () => Promise.reject(new Error('no access')))).rejects.toThrow('no access');
    await expect(get('k', async () => policy)).resolves.toEqual(policy);
  });
});
