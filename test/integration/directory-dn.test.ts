/**
 * Group DNs compared as DNs, not as text (issue #8), against a real slapd: the memberof overlay
 * reports `cn=Duo\2C Enrollers,…` while a policy writes `cn=Duo\, Enrollers,…`; multi-valued
 * RDNs, quotes, non-ASCII and hex-escaped forms; nested groups; a base DN spelled differently.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { directorySchema } from '../../main/core/config/schema';
import { createDirectory, type AuthResult } from '../../main/core/directory';
import { sameDn } from '../../main/core/directory/dn';
import { silentLogger } from '../../main/core/ports';
import { createFakeClock } from '../support/directory-fixtures/fake-clock';
import { FIXTURE_SERVICE } from '../support/directory-fixtures/openldap';
import { openLdapSkipReason, useOpenLdapFixtures } from '../support/directory-fixtures/openldap-setup';

const unavailable = openLdapSkipReason('OpenLDAP DN comparison tests');

const DANA = { uid: 'dana', password: 'dana-password-1' };
const OLAF = { uid: 'olaf', password: 'olaf-password-1' };
const GRETA = { uid: 'greta', password: 'greta-password-1' };

describe.skipIf(unavailable)('group DNs compared as DNs (real slapd, memberof overlay)', () => {
  const ldap = useOpenLdapFixtures();
  const groups = () => `ou=groups,${ldap.slapd.suffix}`;
  /** The groups as this test adds them (RFC 4514 escaping). */
  const dn = {
    dana: () => `uid=dana,ou=people,${ldap.slapd.suffix}`,
    olaf: () => `uid=olaf,ou=people,${ldap.slapd.suffix}`,
    greta: () => `uid=greta,ou=people,${ldap.slapd.suffix}`,
    commaGroup: () => `cn=Duo\\, Enrollers,${groups()}`,
    quotedParent: () => `cn=The \\"Outer\\" Group,${groups()}`,
    multiValued: () => `cn=Ops+ou=Team,${groups()}`,
    nonAscii: () => `cn=Größe Ölgruppe,${groups()}`,
  };

  beforeAll(async () => {
    const client = await ldap.slapd.rootClient();
    try {
      for (const person of [DANA, OLAF, GRETA]) {
        await client.add(`uid=${person.uid},ou=people,${ldap.slapd.suffix}`, {
          objectClass: 'inetOrgPerson',
          uid: person.uid,
          cn: person.uid,
          sn: person.uid,
          userPassword: person.password,
        });
      }
      await client.add(dn.commaGroup(), {
        objectClass: 'groupOfNames',
        cn: 'Duo, Enrollers',
        member: [dn.dana()],
      });
      await client.add(dn.quotedParent(), {
        objectClass: 'groupOfNames',
        cn: 'The "Outer" Group',
        member: [dn.commaGroup()],
      });
      await client.add(dn.multiValued(), {
        objectClass: ['groupOfNames', 'extensibleObject'],
        cn: 'Ops',
        ou: 'Team',
        member: [dn.olaf()],
      });
      await client.add(dn.nonAscii(), {
        objectClass: 'groupOfNames',
        cn: 'Größe Ölgruppe',
        member: [dn.greta()],
      });
    } finally {
      await client.unbind();
    }
  });

  function directory(overrides: Record<string, unknown>) {
    const config = directorySchema.parse({
      type: 'openldap',
      servers: [ldap.slapd.ldapsUrl],
      baseDN: ldap.slapd.suffix,
      bindDN: ldap.dns.service,
      bindPassword: 'resolved by the caller',
      tls: { caFile: ldap.slapd.caFile, useSystemCA: false },
      throttling: { minFailureMs: 0 },
      ...overrides,
    });
    return createDirectory(config, {
      bindPassword: FIXTURE_SERVICE.password,
      clock: createFakeClock(),
      logger: silentLogger,
    });
  }

  const reasonOf = (result: AuthResult) => (result.ok ? 'ok' : result.reason);

  it('the fixture is real: memberof reports the comma in hex, not as written', async () => {
    const result = await directory({}).authenticate(DANA.uid, DANA.password);
    if (!result.ok) throw new Error(`sign-in failed: ${result.reason}`);
    const reported = result.user.groups.find((group) => /enrollers/i.test(group)) ?? '';
    expect(reported).not.toBe(dn.commaGroup());
    expect(reported.toLowerCase()).toContain('duo\\2c enrollers');
    expect(sameDn(reported, dn.commaGroup())).toBe(true);
  });

  // What a policy may write for the group slapd reports as `cn=Duo\2C Enrollers,ou=groups,…`.
  const commaSpellings: [string, () => string][] = [
    ['with an escaped comma', () => dn.commaGroup()],
    ['with the comma in hex', () => `cn=Duo\\2C Enrollers,${groups()}`],
    ['quoted (RFC 2253)', () => `cn="Duo, Enrollers",${groups()}`],
    [
      'in capitals with spaces around the separators',
      () => `CN=DUO\\, ENROLLERS , OU=GROUPS , ${ldap.slapd.suffix.toUpperCase()}`,
    ],
    ['with hex-escaped letters', () => `cn=\\44uo\\2c \\45nrollers,${groups()}`],
  ];

  it.each(commaSpellings)('admits a member of an allowed group written %s', async (_how, written) => {
    expect(
      reasonOf(await directory({ allowedGroups: [written()] }).authenticate(DANA.uid, DANA.password)),
    ).toBe('ok');
  });

  it.each(commaSpellings)('refuses a member of a denied group written %s', async (_how, written) => {
    expect(
      reasonOf(await directory({ deniedGroups: [written()] }).authenticate(DANA.uid, DANA.password)),
    ).toBe('in-denied-group');
  });

  it('does not take the comma group for a group named by its first part', async () => {
    const result = await directory({ allowedGroups: [`cn=Duo,${groups()}`] }).authenticate(
      DANA.uid,
      DANA.password,
    );
    expect(reasonOf(result)).toBe('not-in-allowed-group');
  });

  it('resolves nesting through the comma group to a parent whose name holds quotes', async () => {
    const parent = `CN=The \\22Outer\\22 Group,${groups()}`;
    expect(reasonOf(await directory({ allowedGroups: [parent] }).authenticate(DANA.uid, DANA.password))).toBe(
      'ok',
    );
    expect(reasonOf(await directory({ deniedGroups: [parent] }).authenticate(DANA.uid, DANA.password))).toBe(
      'in-denied-group',
    );
  });

  it('matches a multi-valued RDN written with its parts in the other order', async () => {
    const written = `OU=team + CN=ops,${groups()}`;
    expect(
      reasonOf(await directory({ allowedGroups: [written] }).authenticate(OLAF.uid, OLAF.password)),
    ).toBe('ok');
    expect(reasonOf(await directory({ deniedGroups: [written] }).authenticate(OLAF.uid, OLAF.password))).toBe(
      'in-denied-group',
    );
  });

  it('matches a non-ASCII group name written as UTF-8 hex escapes and in another case', async () => {
    const written = `cn=GR\\C3\\96\\C3\\9FE \\c3\\96LGRUPPE,${groups()}`;
    expect(
      reasonOf(await directory({ allowedGroups: [written] }).authenticate(GRETA.uid, GRETA.password)),
    ).toBe('ok');
    expect(
      reasonOf(await directory({ deniedGroups: [written] }).authenticate(GRETA.uid, GRETA.password)),
    ).toBe('in-denied-group');
  });

  it('signs in under a base DN spelled differently from the server', async () => {
    const baseDN = ldap.slapd.suffix.toUpperCase().replace(/,/g, ' , ');
    expect(reasonOf(await directory({ baseDN }).authenticate(DANA.uid, DANA.password))).toBe('ok');
  });
});
