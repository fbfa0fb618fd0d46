/**
 * Issue #8 on a real Samba AD DC: a group whose name holds a comma is matched as a DN however
 * the policy spells it (the server resolves nesting with LDAP_MATCHING_RULE_IN_CHAIN), and no
 * connection outlives a sign-in: after each outcome class, over LDAPS and StartTLS, the test
 * process holds no socket to the DC.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { directorySchema } from '../../main/core/config/schema';
import { createDirectory, type AuthResult } from '../../main/core/directory';
import { silentLogger } from '../../main/core/ports';
import { createTestCA } from '../support/certs';
import { createFakeClock } from '../support/directory-fixtures/fake-clock';
import { socketsLeftToPort, socketsToPort } from '../support/directory-fixtures/sockets';
import {
  AD_BASE_DN,
  AD_DNS_DOMAIN,
  AD_GROUPS,
  AD_NETBIOS_DOMAIN,
  AD_USERS,
  sambaUnavailableReason,
  startSambaAd,
  type SambaAd,
} from '../support/samba-ad';
import { skipUnlessServer } from '../support/server-skip';

const unavailable = skipUnlessServer('Active Directory DN and connection tests', sambaUnavailableReason());

const NO_THROTTLING = {
  minFailureMs: 0,
  perUser: { maxFailures: 1000, windowSeconds: 60, lockoutSeconds: 60 },
  perStation: { maxFailures: 1000, windowSeconds: 60, lockoutSeconds: 60 },
};

/** The comma group as AD stores it, and what a policy may write for it. */
const COMMA_GROUP = `CN=Duo\\, Enrollers,CN=Users,${AD_BASE_DN}`;
/** A group containing the comma group (nesting resolved by the server). */
const OUTER_GROUP = `CN=Enrollment\\, All,CN=Users,${AD_BASE_DN}`;

describe.skipIf(unavailable)('issue #8 on Active Directory (real Samba AD DC)', () => {
  let ad: SambaAd;
  let wrongCaDir: string;
  let wrongCaFile: string;

  beforeAll(async () => {
    ad = await startSambaAd();
    wrongCaDir = await mkdtemp(join(tmpdir(), 'walkup-wrong-ca-'));
    wrongCaFile = (await createTestCA(wrongCaDir, 'Some Other CA')).certFile;
    await ad.asAdmin(async (client) => {
      for (const [dn, cn, member] of [
        [COMMA_GROUP, 'Duo, Enrollers', AD_USERS.alice.dn],
        [OUTER_GROUP, 'Enrollment, All', COMMA_GROUP],
      ] as const) {
        await client.add(dn, {
          objectClass: ['top', 'group'],
          cn,
          sAMAccountName: cn.replace(/\W+/g, '-'),
          member: [member],
        });
      }
    });
  });

  afterAll(async () => {
    await ad?.stop();
    if (wrongCaDir) await rm(wrongCaDir, { recursive: true, force: true });
  });

  function directory(overrides: Record<string, unknown> = {}) {
    const config = directorySchema.parse({
      type: 'ad',
      servers: [ad.url],
      baseDN: ad.baseDN,
      bindDN: ad.serviceDN,
      bindPassword: 'resolved by the caller',
      tls: { caFile: ad.caFile, useSystemCA: false, servername: ad.servername },
      upnSuffixes: [AD_DNS_DOMAIN],
      netbiosDomains: [AD_NETBIOS_DOMAIN],
      throttling: NO_THROTTLING,
      ...overrides,
    });
    return createDirectory(config, {
      bindPassword: ad.servicePassword,
      clock: createFakeClock(),
      logger: silentLogger,
    });
  }

  const reasonOf = (result: AuthResult) => (result.ok ? 'ok' : result.reason);

  describe('a group with a comma in its name', () => {
    const spellings: [string, string][] = [
      ['as AD stores it', COMMA_GROUP],
      ['with the comma in hex and in lower case', `cn=duo\\2c enrollers,cn=users,dc=walkup,dc=test`],
      ['quoted, with spaces around separators', `CN="Duo, Enrollers" , CN=Users , ${AD_BASE_DN}`],
    ];

    it.each(spellings)('admits a member of the allowed group written %s', async (_how, written) => {
      expect(
        reasonOf(await directory({ allowedGroups: [written] }).authenticate('alice', ad.userPassword)),
      ).toBe('ok');
    });

    it.each(spellings)('refuses a member of the denied group written %s', async (_how, written) => {
      expect(
        reasonOf(await directory({ deniedGroups: [written] }).authenticate('alice', ad.userPassword)),
      ).toBe('in-denied-group');
    });

    it('resolves nesting through it to a parent written differently', async () => {
      const parent = `cn=Enrollment\\2C All,cn=Users,dc=walkup,dc=test`;
      expect(
        reasonOf(await directory({ allowedGroups: [parent] }).authenticate('alice', ad.userPassword)),
      ).toBe('ok');
      expect(
        reasonOf(await directory({ allowedGroups: [parent] }).authenticate('grace', ad.userPassword)),
      ).toBe('not-in-allowed-group');
    });

    it('is not taken for the group named by its first part', async () => {
      const result = await directory({
        allowedGroups: [`CN=Duo,CN=Users,${AD_BASE_DN}`, AD_GROUPS.denied],
      }).authenticate('alice', ad.userPassword);
      expect(reasonOf(result)).toBe('not-in-allowed-group');
    });
  });

  describe('no connection outlives its sign-in', () => {
    const transports = {
      LDAPS: () => ({ servers: [ad.url], port: 636, startTLS: false }),
      StartTLS: () => ({ servers: [ad.ldapUrl], port: 389, startTLS: true }),
    } as const;

    const over = (transport: keyof typeof transports, overrides: Record<string, unknown> = {}) => {
      const { servers, startTLS } = transports[transport]();
      return directory({
        servers,
        tls: { caFile: ad.caFile, useSystemCA: false, servername: ad.servername, startTLS },
        ...overrides,
      });
    };

    // Wrong passwords count towards AD's lockout threshold: each transport uses its own person,
    // two attempts each (threshold 5).
    const cases: [string, (t: keyof typeof transports) => Promise<AuthResult>, string, number][] = [
      ['success', (t) => over(t).authenticate('alice', ad.userPassword), 'ok', 5],
      [
        'wrong password',
        (t) => over(t).authenticate(t === 'LDAPS' ? 'ursula' : 'henry', 'not the password'),
        'invalid-credentials',
        2,
      ],
      ['unknown user', (t) => over(t).authenticate('nosuchuser', 'whatever it is'), 'invalid-credentials', 5],
      [
        'disabled account (after the bind)',
        (t) => over(t).authenticate('bob', ad.userPassword),
        'account-disabled',
        5,
      ],
      [
        'must change password (data 773)',
        (t) => over(t).authenticate('carol', ad.userPassword),
        'password-must-change',
        5,
      ],
      [
        'group policy refusal',
        (t) => over(t, { allowedGroups: [COMMA_GROUP] }).authenticate('grace', ad.userPassword),
        'not-in-allowed-group',
        5,
      ],
      [
        'search error (no such base)',
        (t) => over(t, { baseDN: `OU=Missing,${AD_BASE_DN}` }).authenticate('alice', ad.userPassword),
        'configuration',
        5,
      ],
      [
        'TLS error',
        (t) =>
          over(t, {
            tls: {
              caFile: wrongCaFile,
              useSystemCA: false,
              servername: ad.servername,
              startTLS: transports[t]().startTLS,
            },
          }).authenticate('alice', ad.userPassword),
        'tls-failed',
        5,
      ],
    ];

    for (const transport of Object.keys(transports) as (keyof typeof transports)[]) {
      it.each(cases)(`over ${transport}: none left after %s`, async (_name, run, expected, times) => {
        const { port } = transports[transport]();
        expect(await socketsToPort(port)).toEqual([]);
        const results = await Promise.all(Array.from({ length: times }, () => run(transport)));
        expect(new Set(results.map(reasonOf))).toEqual(new Set([expected]));
        expect(await socketsLeftToPort(port)).toEqual([]);
      });

      it(`over ${transport}: none left after a health check`, async () => {
        const { port } = transports[transport]();
        expect(await over(transport).checkHealth()).toMatchObject([
          { reachable: true, tlsOk: true, serviceBindOk: true },
        ]);
        expect(await socketsLeftToPort(port)).toEqual([]);
      });
    }
  });
});
