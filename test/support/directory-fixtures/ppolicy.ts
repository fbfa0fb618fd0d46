/**
 * OpenLDAP password policy fixtures (ppolicy overlay, issue #8): a slapd whose default policy
 * makes passwords expire after 30 days with three grace logins, and people in each state. Loaded
 * with slapadd (`bulkLdif`), which, unlike an LDAP add, can set the operational attributes a
 * long-ago password change leaves (`pwdChangedTime`, `pwdGraceUseTime`); the states an admin
 * sets over LDAP (reset password, admin lock) are set that way by `applyAdminActions`.
 */
import { Attribute, Change, type Client } from 'ldapts';
import { startSlapd, type SlapdServer } from '../slapd';

export const PPOLICY_SUFFIX = 'dc=policy,dc=test';
const people = `ou=people,${PPOLICY_SUFFIX}`;
const policies = `ou=policies,${PPOLICY_SUFFIX}`;

/** Policy entries: the server's default and a stricter one assigned by pwdPolicySubentry. */
export const PPOLICY_POLICIES = {
  /**
   * slapd's `ppolicy_default`: 30-day passwords, 3 grace logins, change after an admin reset; a
   * lockout (set by hand in these fixtures) lasts 10 minutes.
   */
  default: `cn=default,${policies}`,
  /** Assigned to one person by `pwdPolicySubentry`: 30-day passwords, 2 grace logins. */
  strict: `cn=strict,${policies}`,
  /** Assigned by `pwdPolicySubentry`: locked for 10 minutes after 2 wrong passwords. */
  lockout: `cn=lockout,${policies}`,
} as const;

/** Seconds in the policies' pwdMaxAge. */
export const PPOLICY_MAX_AGE_SECONDS = 30 * 86_400;

/** Long enough ago that every pwdMaxAge above has run out. */
const LONG_AGO = '20200101000000Z';

/** The service account that searches (and reads the policy state). */
export const PPOLICY_SERVICE = {
  dn: `cn=walkup-svc,ou=services,${PPOLICY_SUFFIX}`,
  password: 'svc-policy-secret',
};

/** People, each in one password-policy state. */
export const PPOLICY_USERS = {
  /** Password changed just now: signs in. */
  nina: { password: 'nina-password-1', state: 'fresh' },
  /** Expired under the default policy (no pwdPolicySubentry), 3 grace logins left. */
  gina: { password: 'gina-password-1', state: 'expired, grace left (default policy)' },
  /** Expired under the strict policy (pwdPolicySubentry), 2 grace logins left. */
  gabe: { password: 'gabe-password-1', state: 'expired, grace left (own policy)' },
  /** Expired with all 3 grace logins used: the server itself refuses the bind. */
  nell: { password: 'nell-password-1', state: 'expired, no grace left' },
  /** Expired, grace left: the control person a bare ldapts bind is run against. */
  gail: { password: 'gail-password-1', state: 'expired, grace left (bare bind)' },
  /** Password reset by an administrator (pwdReset) under pwdMustChange. */
  rita: { password: 'rita-password-1', state: 'reset by an admin' },
  /** Locked by an administrator (pwdAccountLockedTime 000001010000Z). */
  lars: { password: 'lars-password-1', state: 'locked by an admin' },
  /** Under the lockout policy: the server locks her after 2 wrong passwords. */
  lena: { password: 'lena-password-1', state: 'locked by the server after failures' },
  /** Default policy; locked long ago for 10 minutes: the lock has run out (tried with no policy known). */
  olga: { password: 'olga-password-1', state: 'timed lockout run out (no policy known)' },
  /** As olga, tried with the default policy configured (passwordPolicyDN). */
  otto: { password: 'otto-password-1', state: 'timed lockout run out (policy known)' },
  /** As olga, tried with a passwordPolicyDN that cannot be read. */
  oona: { password: 'oona-password-1', state: 'timed lockout run out (policy unreadable)' },
  /** Default policy; locked a moment ago for 10 minutes: still locked. */
  lou: { password: 'lou-password-1', state: 'timed lockout running' },
} as const;
export type PpolicyUser = keyof typeof PPOLICY_USERS;

export const ppolicyUserDn = (uid: PpolicyUser): string => `uid=${uid},${people}`;

/** GeneralizedTime of a moment (slapd's own format). */
function generalizedTime(ms: number): string {
  return `${new Date(ms).toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z`;
}

function ldif(now: number): string {
  const entry = (dn: string, lines: string[]) => [`dn: ${dn}`, ...lines, ''].join('\n');
  const policy = (cn: string, grace: number, lockout = { maxFailure: 1000, durationSeconds: 0 }) =>
    entry(`cn=${cn},${policies}`, [
      'objectClass: device',
      'objectClass: pwdPolicy',
      `cn: ${cn}`,
      'pwdAttribute: userPassword',
      `pwdMaxAge: ${PPOLICY_MAX_AGE_SECONDS}`,
      `pwdGraceAuthNLimit: ${grace}`,
      'pwdMustChange: TRUE',
      'pwdLockout: TRUE',
      `pwdMaxFailure: ${lockout.maxFailure}`,
      `pwdLockoutDuration: ${lockout.durationSeconds}`,
    ]);
  const person = (uid: PpolicyUser, extra: string[]) =>
    entry(ppolicyUserDn(uid), [
      'objectClass: inetOrgPerson',
      `uid: ${uid}`,
      `cn: ${uid}`,
      `sn: ${uid}`,
      `userPassword: ${PPOLICY_USERS[uid].password}`,
      ...extra,
    ]);
  return [
    entry(PPOLICY_SUFFIX, [
      'objectClass: dcObject',
      'objectClass: organization',
      'dc: policy',
      'o: Walkup Test',
    ]),
    ...['people', 'policies', 'services'].map((ou) =>
      entry(`ou=${ou},${PPOLICY_SUFFIX}`, ['objectClass: organizationalUnit', `ou: ${ou}`]),
    ),
    entry(PPOLICY_SERVICE.dn, [
      'objectClass: applicationProcess',
      'objectClass: simpleSecurityObject',
      'cn: walkup-svc',
      `userPassword: ${PPOLICY_SERVICE.password}`,
    ]),
    policy('default', 3, { maxFailure: 1000, durationSeconds: 600 }),
    policy('strict', 2),
    policy('lockout', 0, { maxFailure: 2, durationSeconds: 600 }),
    person('nina', [`pwdChangedTime: ${generalizedTime(now)}`]),
    person('gina', [`pwdChangedTime: ${LONG_AGO}`]),
    person('gabe', [`pwdChangedTime: ${LONG_AGO}`, `pwdPolicySubentry: ${PPOLICY_POLICIES.strict}`]),
    person('nell', [
      `pwdChangedTime: ${LONG_AGO}`,
      'pwdGraceUseTime: 20200301000000Z',
      'pwdGraceUseTime: 20200301000001Z',
      'pwdGraceUseTime: 20200301000002Z',
    ]),
    person('gail', [`pwdChangedTime: ${LONG_AGO}`]),
    person('rita', [`pwdChangedTime: ${generalizedTime(now)}`]),
    person('lars', [`pwdChangedTime: ${generalizedTime(now)}`]),
    person('lena', [
      `pwdChangedTime: ${generalizedTime(now)}`,
      `pwdPolicySubentry: ${PPOLICY_POLICIES.lockout}`,
    ]),
    ...(['olga', 'otto', 'oona'] as const).map((uid) =>
      person(uid, [`pwdChangedTime: ${generalizedTime(now)}`, `pwdAccountLockedTime: ${LONG_AGO}`]),
    ),
    person('lou', [
      `pwdChangedTime: ${generalizedTime(now)}`,
      `pwdAccountLockedTime: ${generalizedTime(now - 60_000)}`,
    ]),
  ].join('\n');
}

/** Starts slapd with the ppolicy overlay and the fixtures above, admin actions applied. */
export async function startPpolicySlapd(): Promise<SlapdServer> {
  const slapd = await startSlapd({
    suffix: PPOLICY_SUFFIX,
    bulkLdif: ldif(Date.now()),
    ppolicyDefault: PPOLICY_POLICIES.default,
  });
  try {
    await applyAdminActions(slapd);
    return slapd;
  } catch (error) {
    await slapd.stop();
    throw error;
  }
}

/**
 * What an administrator does over LDAP as rootdn: resets rita's password (ppolicy then sets
 * `pwdReset: TRUE`, as pwdMustChange asks) and locks lars's account.
 */
async function applyAdminActions(slapd: SlapdServer): Promise<void> {
  const client: Client = await slapd.rootClient();
  try {
    await client.modify(ppolicyUserDn('rita'), [
      new Change({
        operation: 'replace',
        modification: new Attribute({ type: 'userPassword', values: [PPOLICY_USERS.rita.password] }),
      }),
    ]);
    await client.modify(ppolicyUserDn('lars'), [
      new Change({
        operation: 'add',
        modification: new Attribute({ type: 'pwdAccountLockedTime', values: ['000001010000Z'] }),
      }),
    ]);
  } finally {
    await client.unbind();
  }
}

/** Reads one person's password policy state as rootdn. */
export async function readPolicyState(
  slapd: SlapdServer,
  uid: PpolicyUser,
): Promise<{ pwdGraceUseTime: string[]; pwdReset: string[]; pwdAccountLockedTime: string[] }> {
  const client = await slapd.rootClient();
  try {
    const { searchEntries } = await client.search(ppolicyUserDn(uid), {
      scope: 'base',
      attributes: ['pwdGraceUseTime', 'pwdReset', 'pwdAccountLockedTime'],
    });
    const entry = searchEntries[0] ?? {};
    const list = (name: string): string[] => {
      const value = (entry as Record<string, unknown>)[name];
      return value === undefined ? [] : Array.isArray(value) ? value.map(String) : [String(value)];
    };
    return {
      pwdGraceUseTime: list('pwdGraceUseTime'),
      pwdReset: list('pwdReset'),
      pwdAccountLockedTime: list('pwdAccountLockedTime'),
    };
  } finally {
    await client.unbind();
  }
}
