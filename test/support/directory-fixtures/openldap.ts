/**
 * OpenLDAP fixtures for the directory tests: a service account, people with awkward names and
 * passwords, and groups with nesting. Loaded through ldapts as rootdn.
 */
import type { Client } from 'ldapts';
import type { SlapdServer } from '../slapd';

/** One fixture person. */
export interface FixtureUser {
  uid: string;
  /** RDN value with DN escaping applied. */
  rdn: string;
  ou: 'people' | 'staff';
  displayName: string;
  password: string;
}

const person = (
  uid: string,
  displayName: string,
  password: string,
  options: { rdn?: string; ou?: FixtureUser['ou'] } = {},
): FixtureUser => ({ uid, rdn: options.rdn ?? uid, ou: options.ou ?? 'people', displayName, password });

/** Fixture people, keyed by role in the tests. */
export const FIXTURE_USERS = {
  /** Direct member of enrollers; password with spaces. */
  alice: person('alice', 'Alice Example', 'correct horse battery staple'),
  /** Member of helpdesk (nested in enrollers); password full of filter and shell characters. */
  bob: person('bob', 'Bob Builder', 'b()*\\$&b \\2a'),
  /** Member of helpdesk; non-ASCII password. */
  zoe: person('zoe', 'Zoë Ångström', 'Pässwörd-密码-🔑'),
  /** Leading and trailing spaces in the password, which must not be trimmed. */
  spacey: person('spacey', 'Spacey Person', '  spaces around  '),
  /** A uid holding every filter metacharacter; must match exactly itself. */
  odd: person('o*d()\\name', 'Odd Name', 'odd-password-1', { rdn: 'o*d()\\5cname' }),
  /** Names the injection attempts would reach if escaping failed. */
  o: person('o', 'Just O', 'o-password-1'),
  /** In helpdesk (allowed through nesting) and in contractors (denied). */
  mallory: person('mallory', 'Mallory Contractor', 'mallory-password-1'),
  /** In no group at all. */
  nora: person('nora', 'Nora Nogroup', 'nora-password-1'),
  /** Non-ASCII uid. */
  jurgen: person('jürgen', 'Jürgen Müller', 'jürgen-password-1'),
  /** Two entries share this uid: an ambiguous search. */
  twin: person('twin', 'Twin One', 'twin-password-1'),
  twin2: person('twin', 'Twin Two', 'twin-password-2', { ou: 'staff' }),
} satisfies Record<string, FixtureUser>;

export type FixtureUserKey = keyof typeof FIXTURE_USERS;

/** The service account that searches for people. */
export const FIXTURE_SERVICE = { rdn: 'cn=walkup-svc', password: 'svc-secret (with) *stars*' };

/** DNs in a given suffix. */
export function fixtureDns(suffix: string) {
  const userDn = (key: FixtureUserKey) => {
    const user = FIXTURE_USERS[key];
    return `uid=${user.rdn},ou=${user.ou},${suffix}`;
  };
  const groupDn = (name: string) => `cn=${name},ou=groups,${suffix}`;
  return {
    userDn,
    groupDn,
    service: `${FIXTURE_SERVICE.rdn},ou=services,${suffix}`,
    groups: {
      enrollers: groupDn('enrollers'),
      helpdesk: groupDn('helpdesk'),
      contractors: groupDn('contractors'),
    },
  };
}

/** Loads the fixtures into a freshly started slapd. */
export async function loadOpenLdapFixtures(server: SlapdServer): Promise<ReturnType<typeof fixtureDns>> {
  const dns = fixtureDns(server.suffix);
  const dc = /^dc=([^,]+)/.exec(server.suffix)?.[1] ?? 'example';
  const client: Client = await server.rootClient();
  try {
    await client.add(server.suffix, { objectClass: ['dcObject', 'organization'], dc, o: 'Walkup Test' });
    for (const ou of ['people', 'staff', 'groups', 'services']) {
      await client.add(`ou=${ou},${server.suffix}`, { objectClass: 'organizationalUnit', ou });
    }
    await client.add(dns.service, {
      objectClass: ['applicationProcess', 'simpleSecurityObject'],
      cn: 'walkup-svc',
      userPassword: FIXTURE_SERVICE.password,
    });
    for (const key of Object.keys(FIXTURE_USERS) as FixtureUserKey[]) {
      const user = FIXTURE_USERS[key];
      await client.add(dns.userDn(key), {
        objectClass: 'inetOrgPerson',
        uid: user.uid,
        cn: user.displayName,
        sn: user.displayName.split(' ').at(-1) ?? user.uid,
        displayName: user.displayName,
        userPassword: user.password,
      });
    }
    // Inner groups first: the memberof overlay records memberOf on entries that already exist.
    await client.add(dns.groups.helpdesk, {
      objectClass: 'groupOfNames',
      cn: 'helpdesk',
      member: [dns.userDn('bob'), dns.userDn('zoe'), dns.userDn('mallory')],
    });
    await client.add(dns.groups.enrollers, {
      objectClass: 'groupOfNames',
      cn: 'enrollers',
      member: [dns.userDn('alice'), dns.userDn('spacey'), dns.userDn('odd'), dns.groups.helpdesk],
    });
    await client.add(dns.groups.contractors, {
      objectClass: 'groupOfNames',
      cn: 'contractors',
      member: [dns.userDn('mallory')],
    });
  } finally {
    await client.unbind();
  }
  return dns;
}
