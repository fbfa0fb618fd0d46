/**
 * OpenLDAP password policy (the ppolicy overlay, draft-behera-ldap-password-policy-10; slapd's
 * slapo-ppolicy(5)). Two parts (issue #8):
 *
 * - **After the bind**: Walkup sends the password policy request control with the user's bind
 *   and maps the response control: must change after reset -> `password-must-change`, expired ->
 *   `password-expired`, locked -> `account-locked`. A bind that succeeded only by spending a
 *   grace login is refused as `password-expired` too.
 * - **Before the bind**: slapd spends one of a person's grace logins on every successful bind
 *   with an expired password (`pwdGraceUseTime` gains a value). So an expired password with grace
 *   logins left is refused before the bind, decided from the entry's operational attributes
 *   (`pwdChangedTime`, `pwdReset`, `pwdGraceUseTime`, `pwdAccountLockedTime`) and its policy
 *   (`pwdPolicySubentry`, else the configured `passwordPolicyDN`: `pwdMaxAge`, `pwdMustChange`,
 *   `pwdGraceAuthNLimit`), all read by the service account.
 *
 * A refusal decided before the bind was decided without the password: the person at the kiosk
 * is told only the generic "see the helpdesk" and it counts towards the throttle like a wrong
 * password (issue #8 review); the precise condition is for the audit log and the admin.
 */
import { PasswordPolicyError, type PasswordPolicyValue } from 'ldapts';
import type { Clock } from '../ports';
import type { DirectoryFailureReason } from './types';

/** Operational attributes of a user entry the pre-bind decision reads (asked for by name). */
export const PPOLICY_USER_ATTRIBUTES: readonly string[] = [
  'pwdChangedTime',
  'pwdReset',
  'pwdAccountLockedTime',
  'pwdPolicySubentry',
  'pwdGraceUseTime',
];

/** Attributes of a `pwdPolicy` entry the pre-bind decision reads. */
export const PPOLICY_POLICY_ATTRIBUTES: readonly string[] = [
  'pwdMaxAge',
  'pwdMustChange',
  'pwdGraceAuthNLimit',
  'pwdLockout',
  'pwdLockoutDuration',
];

/** How long a policy entry read from the directory is reused. */
export const POLICY_CACHE_SECONDS = 300;

/** The parts of a `pwdPolicy` entry Walkup uses. */
export interface PasswordPolicy {
  /** Seconds a password stays valid after `pwdChangedTime`; 0: never expires. */
  maxAgeSeconds: number;
  /** Whether a password set by an administrator (`pwdReset: TRUE`) must be changed first. */
  mustChange: boolean;
  /** Binds allowed with an expired password. */
  graceAuthNLimit: number;
  lockout: boolean;
  /** Seconds a lockout lasts; 0: until an administrator unlocks. */
  lockoutDurationSeconds: number;
}

/** Reads attribute values by name (case-insensitive), as `UserEntry.get` does. */
type Attributes = { get(name: string): string[] };

/** A refusal decided by the password policy; `detail` is for admins only. */
export type PolicyRefusal = { reason: DirectoryFailureReason; detail: string };

/** The policy an entry holds, from its attributes (missing or malformed values read as 0/false). */
export function parsePasswordPolicy(entry: Attributes): PasswordPolicy {
  const integer = (name: string) => {
    const value = Number.parseInt(entry.get(name)[0] ?? '', 10);
    return Number.isFinite(value) && value > 0 ? value : 0;
  };
  const flag = (name: string) => entry.get(name)[0]?.toUpperCase() === 'TRUE';
  return {
    maxAgeSeconds: integer('pwdMaxAge'),
    mustChange: flag('pwdMustChange'),
    graceAuthNLimit: integer('pwdGraceAuthNLimit'),
    lockout: flag('pwdLockout'),
    lockoutDurationSeconds: integer('pwdLockoutDuration'),
  };
}

/**
 * A GeneralizedTime (RFC 4517 §3.3.13: `YYYYMMDDHH[MM[SS]][(.|,)fraction](Z|±HH[MM])`) as ms
 * since the epoch, or undefined when malformed.
 */
export function parseGeneralizedTime(value: string): number | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})?(\d{2})?(?:[.,](\d+))?(Z|[+-]\d{2}(?:\d{2})?)$/.exec(
    value,
  );
  if (!match) return undefined;
  const [, year, month, day, hour, minute = '00', second = '00', fraction = '', zone = 'Z'] = match;
  const ms = Math.round(Number(`0.${fraction || '0'}`) * 1000);
  let time = Date.UTC(
    Number(year),
    Number(month) - 1,
    Number(day),
    Number(hour),
    Number(minute),
    Number(second),
    ms,
  );
  if (zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const offset = Number(zone.slice(1, 3)) * 60 + Number(zone.slice(3, 5) || '0');
    time -= sign * offset * 60_000;
  }
  return Number.isFinite(time) ? time : undefined;
}

/** slapd's `pwdAccountLockedTime` for an account locked by an administrator until unlocked. */
const LOCKED_FOR_GOOD = '000001010000Z';

/**
 * Whether the entry is known to be locked now, as slapd decides it: the administrator's lock
 * (`000001010000Z`) always; any other `pwdAccountLockedTime` only under a known `policy`, for
 * `pwdLockoutDuration` seconds after that time (0: until an administrator unlocks; a time that
 * does not parse counts as locked, as slapd does). Without a known policy (none configured or
 * assigned, or its entry unreadable) a timed lockout may have run out, which only slapd can
 * tell: false, so the ppolicy-aware bind decides (and clears the expired lock).
 */
export function isLocked(entry: Attributes, policy: PasswordPolicy | undefined, now: number): boolean {
  const lockedAt = entry.get('pwdAccountLockedTime')[0];
  if (lockedAt === undefined) return false;
  if (lockedAt === LOCKED_FOR_GOOD) return true;
  if (!policy) return false;
  if (policy.lockoutDurationSeconds === 0) return true;
  const at = parseGeneralizedTime(lockedAt);
  return at === undefined || at + policy.lockoutDurationSeconds * 1000 > now;
}

/** Whether the entry carries password policy state worth a decision before the bind. */
export function hasPolicyState(entry: Attributes): boolean {
  return entry.get('pwdChangedTime').length > 0 || entry.get('pwdAccountLockedTime').length > 0;
}

/**
 * The policy entry the user's password is governed by: the entry's own `pwdPolicySubentry`, else
 * the configured default (slapd's `ppolicy_default` is not visible over LDAP), else none.
 */
export function policyDnFor(entry: Attributes, defaultPolicyDN: string | undefined): string | undefined {
  return entry.get('pwdPolicySubentry')[0] ?? defaultPolicyDN;
}

/**
 * Decides before the bind, returning the refusal or undefined (the bind goes ahead and the
 * server's own answer decides). Every refusal here is decided without the password (the caller
 * marks it `passwordUnverified`):
 * - a locked account (`isLocked`: the administrator's lock, or a timed lockout under a known
 *   policy that has not run out) is refused: slapd answers a bind to it with plain
 *   invalidCredentials (its accountLocked error only with `ppolicy_use_lockout`), so only the
 *   entry tells, and no password need be sent to it (AD likewise answers 775 whatever the
 *   password);
 * - an expired password with grace logins left is refused, because the bind would spend one.
 * Otherwise it follows slapd's order: a password reset by an administrator under `pwdMustChange`
 * is answered "change after reset" without the expiry being checked, and an expired password
 * with no grace left is refused by the server once it has checked the password.
 * `policy` is undefined when no policy entry applies or could be read: then only the
 * administrator's lock is decided here.
 */
export function refusalBeforeBind(
  entry: Attributes,
  policy: PasswordPolicy | undefined,
  now: number,
): PolicyRefusal | undefined {
  if (isLocked(entry, policy, now)) {
    return { reason: 'account-locked', detail: 'password policy: pwdAccountLockedTime is set' };
  }
  if (!policy || policy.maxAgeSeconds === 0) return undefined;
  if (policy.mustChange && entry.get('pwdReset')[0]?.toUpperCase() === 'TRUE') return undefined;
  const changedAt = parseGeneralizedTime(entry.get('pwdChangedTime')[0] ?? '');
  if (changedAt === undefined || changedAt + policy.maxAgeSeconds * 1000 > now) return undefined;
  const used = entry.get('pwdGraceUseTime').length;
  if (policy.graceAuthNLimit <= used) return undefined;
  return {
    reason: 'password-expired',
    detail: `password expired (pwdMaxAge ${policy.maxAgeSeconds} s); refused before the bind, so none of the ${policy.graceAuthNLimit - used} grace logins left is spent`,
  };
}

/**
 * Maps the password policy response control of a user bind. `bound` says whether the bind
 * succeeded. Returns the refusal, or undefined when the policy has nothing against the bind.
 */
export function refusalFromBindControl(
  value: PasswordPolicyValue | undefined,
  bound: boolean,
): PolicyRefusal | undefined {
  if (!value) return undefined;
  switch (value.error) {
    case PasswordPolicyError.ChangeAfterReset:
      return { reason: 'password-must-change', detail: 'password policy: change after reset' };
    case PasswordPolicyError.PasswordExpired:
      return { reason: 'password-expired', detail: 'password policy: password expired' };
    case PasswordPolicyError.AccountLocked:
      return { reason: 'account-locked', detail: 'password policy: account locked' };
    default:
      break;
  }
  if (bound && value.graceAuthNsRemaining !== undefined) {
    return {
      reason: 'password-expired',
      detail: `password policy: password expired, bound with a grace login (${value.graceAuthNsRemaining} left)`,
    };
  }
  return undefined;
}

/**
 * Policy entries by DN key, each reused for `POLICY_CACHE_SECONDS` on `clock`; attempts asking
 * for one policy at once share one read (made by the first, through its own service connection).
 * A read that fails is not kept.
 */
export function createPolicyCache(
  clock: Clock,
): (key: string, read: () => Promise<PasswordPolicy>) => Promise<PasswordPolicy> {
  const cache = new Map<string, { until: number; policy: Promise<PasswordPolicy> }>();
  return (key, read) => {
    const now = clock.now();
    const hit = cache.get(key);
    if (hit && hit.until > now) return hit.policy;
    const policy = read();
    const entry = { until: now + POLICY_CACHE_SECONDS * 1000, policy };
    cache.set(key, entry);
    policy.catch(() => {
      if (cache.get(key) === entry) cache.delete(key);
    });
    return policy;
  };
}
