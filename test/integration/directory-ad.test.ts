/**
 * The LDAP directory in Active Directory mode against a real Samba AD DC on loopback: the three
 * login-name forms, every AD bind sub-code Walkup maps (52e, 533, 773, 701, 532, 775), nested
 * groups resolved by the server (LDAP_MATCHING_RULE_IN_CHAIN), TLS-only binds, and the per-user
 * throttle that keeps the kiosk from locking people out.
 *
 * One domain is provisioned for the whole file (~10–30 s). AD counts every bad password
 * (badPwdCount) across tests, so only frank is ever taken to the lockout threshold and the
 * throttling test has henry to itself.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { skipUnlessServer } from '../support/server-skip';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StrongAuthRequiredError, Client } from 'ldapts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { directorySchema, parseConfig, type DirectoryConfig } from '../../main/core/config/schema';
import { createDirectory, type AuthResult } from '../../main/core/directory';
import { silentLogger, type Logger } from '../../main/core/ports';
import { createTestCA } from '../support/certs';
import { createFakeClock, type FakeClock } from '../support/directory-fixtures/fake-clock';
import { startCountingProxy, type TcpHelper } from '../support/directory-fixtures/tcp';
import {
  AD_ALT_UPN_SUFFIX,
  AD_DNS_DOMAIN,
  AD_GROUPS,
  AD_LOCKOUT_THRESHOLD,
  AD_NETBIOS_DOMAIN,
  AD_USERS,
  sambaUnavailableReason,
  startSambaAd,
  type SambaAd,
} from '../support/samba-ad';

// Locally a machine without Samba skips with the reason; CI must run these (.ci/run installs
// Samba), so there startSambaAd fails loudly instead.
const unavailable = skipUnlessServer('Active Directory directory tests', sambaUnavailableReason());

/** msDS-User-Account-Control-Computed bit UF_LOCKOUT. */
const UF_LOCKOUT = 0x10;

/** Throttling that never interferes: for tests about AD's own answers. */
const NO_THROTTLING = {
  minFailureMs: 0,
  perUser: { maxFailures: 1000, windowSeconds: 60, lockoutSeconds: 60 },
  perStation: { maxFailures: 1000, windowSeconds: 60, lockoutSeconds: 60 },
};

describe.skipIf(unavailable)('Active Directory directory (real Samba AD DC on loopback)', () => {
  let ad: SambaAd;
  let ldapsProxy: TcpHelper;
  let wrongCaDir: string;
  let wrongCaFile: string;

  beforeAll(async () => {
    ad = await startSambaAd();
    ldapsProxy = await startCountingProxy(636);
    wrongCaDir = await mkdtemp(join(tmpdir(), 'walkup-wrong-ca-'));
    wrongCaFile = (await createTestCA(wrongCaDir, 'Some Other CA')).certFile;
  });

  afterAll(async () => {
    await ldapsProxy?.close();
    await ad?.stop();
    if (wrongCaDir) await rm(wrongCaDir, { recursive: true, force: true });
  });

  function adConfig(overrides: Record<string, unknown> = {}): DirectoryConfig {
    return directorySchema.parse({
      type: 'ad',
      servers: [ad.url],
      baseDN: ad.baseDN,
      bindDN: ad.serviceDN,
      bindPassword: { env: 'WALKUP_AD_SERVICE_PASSWORD' }, // resolved by the caller: deps.bindPassword
      tls: { caFile: ad.caFile, useSystemCA: false, servername: ad.servername },
      upnSuffixes: [AD_DNS_DOMAIN, AD_ALT_UPN_SUFFIX],
      netbiosDomains: [AD_NETBIOS_DOMAIN],
      throttling: NO_THROTTLING,
      ...overrides,
    });
  }

  function directory(
    overrides: Record<string, unknown> = {},
    options: { clock?: FakeClock; logger?: Logger } = {},
  ) {
    return createDirectory(adConfig(overrides), {
      bindPassword: ad.servicePassword,
      clock: options.clock ?? createFakeClock(),
      logger: options.logger ?? silentLogger,
    });
  }

  /** A bare ldapts simple bind over LDAPS, to look at what the server itself says. */
  async function bareBind(dn: string, password: string): Promise<void> {
    const client = new Client({
      url: ad.url,
      connectTimeout: 3000,
      timeout: 5000,
      tlsOptions: { ca: [ad.caPem], servername: ad.servername },
    });
    try {
      await client.bind(dn, password);
    } finally {
      await client.unbind().catch(() => undefined);
    }
  }

  const reasonOf = (result: AuthResult): string => (result.ok ? `ok:${result.user.username}` : result.reason);

  describe('login names', () => {
    it.each([
      ['the sAMAccountName', 'alice'],
      ['the sAMAccountName in another case', 'ALICE'],
      ['the UPN', 'alice@walkup.test'],
      ['the UPN with the suffix in capitals', 'alice@WALKUP.TEST'],
      ['the down-level name', 'WALKUP\\alice'],
      ['the down-level name in lower case', 'walkup\\alice'],
    ])('signs alice in with %s (%s) as the same person', async (_form, typed) => {
      const result = await directory().authenticate(typed, ad.userPassword);
      // The base DN is the domain root, so AD also returns search continuations (referrals to
      // Configuration, DomainDnsZones…): they are ignored, not chased.
      expect(result).toEqual({
        ok: true,
        user: {
          dn: AD_USERS.alice.dn,
          username: 'alice',
          displayName: 'Alice Archer',
          groups: [AD_GROUPS.inner],
        },
      });
    });

    it('signs in a person whose UPN has another registered suffix, with the UPN or the account name', async () => {
      const dir = directory();
      for (const typed of [AD_USERS.ursula.upn, 'ursula', 'WALKUP\\ursula']) {
        const result = await dir.authenticate(typed, ad.userPassword);
        expect(result, typed).toMatchObject({
          ok: true,
          user: { dn: AD_USERS.ursula.dn, username: 'ursula', displayName: 'Ursula Underwood' },
        });
      }
    });

    it('refuses user@suffix when the suffix is neither configured nor the person’s UPN', async () => {
      const result = await directory().authenticate('alice@elsewhere.test', ad.userPassword);
      expect(result).toMatchObject({ ok: false, reason: 'invalid-credentials' });
    });

    it('refuses DOMAIN\\user for a NetBIOS domain that is not configured', async () => {
      const result = await directory().authenticate('OTHER\\alice', ad.userPassword);
      expect(result).toMatchObject({ ok: false, reason: 'invalid-credentials' });
    });
  });

  describe('bind answers (AD data sub-codes)', () => {
    it('answers invalid-credentials for a wrong password (data 52e)', async () => {
      const result = await directory().authenticate('alice', 'Not-Alices-Password-1');
      expect(result).toMatchObject({ ok: false, reason: 'invalid-credentials' });
      expect(!result.ok && result.detail).toContain('AD data 52e');
    });

    it('answers invalid-credentials for an unknown person without binding', async () => {
      const result = await directory().authenticate('nobody-here', ad.userPassword);
      expect(result).toMatchObject({ ok: false, reason: 'invalid-credentials' });
      expect(!result.ok && result.detail).toContain('no such user');
    });

    it.each([
      ['bob', 'account-disabled', '533'],
      ['carol', 'password-must-change', '773'],
      ['dave', 'account-expired', '701'],
      ['erin', 'password-expired', '532'],
    ] as const)('answers %s’s right password with %s (data %s)', async (name, reason, subCode) => {
      const result = await directory().authenticate(name, ad.userPassword);
      expect(result).toMatchObject({ ok: false, reason });
      expect(!result.ok && result.detail).toContain(`AD data ${subCode}`);
    });

    it.each(['bob', 'carol', 'dave', 'erin'] as const)(
      'tells nothing about %s’s account state to a wrong password (data 52e)',
      async (name) => {
        const result = await directory().authenticate(name, 'Not-The-Password-1');
        expect(result).toMatchObject({ ok: false, reason: 'invalid-credentials' });
        expect(!result.ok && result.detail).toContain('AD data 52e');
      },
    );

    it(`answers account-locked once AD locked the account after ${AD_LOCKOUT_THRESHOLD} bad passwords (data 775)`, async () => {
      const dir = directory();
      for (let attempt = 1; attempt <= AD_LOCKOUT_THRESHOLD; attempt += 1) {
        const result = await dir.authenticate('frank', `Wrong-Guess-${attempt}`);
        expect(result, `attempt ${attempt}`).toMatchObject({ ok: false, reason: 'invalid-credentials' });
      }
      const entry = await ad.readUser('frank', ['msDS-User-Account-Control-Computed']);
      expect(Number(entry['msDS-User-Account-Control-Computed']) & UF_LOCKOUT).toBe(UF_LOCKOUT);

      const rightPassword = await dir.authenticate('frank', ad.userPassword);
      expect(rightPassword).toMatchObject({ ok: false, reason: 'account-locked' });
      expect(!rightPassword.ok && rightPassword.detail).toContain('AD data 775');
      // AD says "locked" even to a wrong password.
      const wrongPassword = await dir.authenticate('frank', 'Wrong-Guess-again');
      expect(wrongPassword).toMatchObject({ ok: false, reason: 'account-locked' });
    });

    it('never sends an empty password to AD, where it would count as a bad password', async () => {
      const before = await ad.readUser('henry', ['badPwdCount']);
      const connections = ldapsProxy.connections;
      const dir = directory({ servers: [`ldaps://127.0.0.1:${ldapsProxy.port}`] });
      for (const password of ['', '   ']) {
        const result = await dir.authenticate('henry', password);
        expect(result).toEqual({ ok: false, reason: 'invalid-input', inputProblem: 'password-empty' });
      }
      expect(ldapsProxy.connections).toBe(connections);
      // What the guard prevents: Samba refuses an empty-password simple bind with 52e and counts it.
      const graceBefore = Number((await ad.readUser('grace', ['badPwdCount'])).badPwdCount ?? 0);
      await expect(bareBind(AD_USERS.grace.dn, '')).rejects.toThrow(/data 52e/);
      expect(Number((await ad.readUser('grace', ['badPwdCount'])).badPwdCount)).toBe(graceBefore + 1);
      expect((await ad.readUser('henry', ['badPwdCount'])).badPwdCount).toEqual(before.badPwdCount);
    });
  });

  describe('the kiosk cannot lock a person out', () => {
    it(`stops a guesser with the default per-user throttle before AD's lockout threshold (${AD_LOCKOUT_THRESHOLD})`, async () => {
      const defaults = directorySchema.parse({ type: 'ad', servers: [ad.url], baseDN: ad.baseDN });
      expect(defaults.throttling.perUser.maxFailures).toBeLessThan(AD_LOCKOUT_THRESHOLD);

      // Walkup's default per-user throttle; only the minimum failure time is off.
      const dir = directory({
        servers: [`ldaps://127.0.0.1:${ldapsProxy.port}`],
        throttling: { minFailureMs: 0 },
      });
      const answers: AuthResult[] = [];
      let connectionsWhenThrottled = 0;
      for (let attempt = 1; attempt <= AD_LOCKOUT_THRESHOLD + 2; attempt += 1) {
        answers.push(await dir.authenticate(`WALKUP\\henry`, `Guess-${attempt}`));
        if (attempt === defaults.throttling.perUser.maxFailures)
          connectionsWhenThrottled = ldapsProxy.connections;
      }
      const allowed = defaults.throttling.perUser.maxFailures;
      expect(answers.slice(0, allowed).map(reasonOf)).toEqual(Array(allowed).fill('invalid-credentials'));
      for (const refused of answers.slice(allowed)) {
        expect(refused).toMatchObject({ ok: false, reason: 'throttled-user' });
        expect(!refused.ok && refused.retryAfterSeconds).toBeGreaterThan(0);
      }
      // Throttled attempts never reached the DC, whatever form of the name was typed.
      expect(await dir.authenticate('henry@walkup.test', 'Guess-x')).toMatchObject({
        reason: 'throttled-user',
      });
      expect(ldapsProxy.connections).toBe(connectionsWhenThrottled);

      // AD saw only the allowed guesses and did not lock henry out: his password still works.
      const entry = await ad.readUser('henry', ['badPwdCount', 'msDS-User-Account-Control-Computed']);
      expect(entry.badPwdCount).toBe(String(allowed));
      expect(Number(entry['msDS-User-Account-Control-Computed']) & UF_LOCKOUT).toBe(0);
      await expect(bareBind(AD_USERS.henry.dn, ad.userPassword)).resolves.toBeUndefined();
    });
  });

  describe('who may enroll (nested groups resolved by AD)', () => {
    it('admits a nested member of an allowed group (alice ∈ G-Inner ∈ G-Outer)', async () => {
      const result = await directory({ allowedGroups: [AD_GROUPS.outer] }).authenticate(
        'alice',
        ad.userPassword,
      );
      expect(result.ok && [...result.user.groups].sort()).toEqual([AD_GROUPS.inner, AD_GROUPS.outer].sort());
    });

    it('refuses a nested member of a denied group', async () => {
      const result = await directory({ deniedGroups: [AD_GROUPS.outer] }).authenticate(
        'alice',
        ad.userPassword,
      );
      expect(result).toMatchObject({ ok: false, reason: 'in-denied-group' });
    });

    it('refuses a direct member of a denied group and admits others', async () => {
      const dir = directory({ deniedGroups: [AD_GROUPS.denied] });
      expect(await dir.authenticate('grace', ad.userPassword)).toMatchObject({
        ok: false,
        reason: 'in-denied-group',
      });
      expect((await dir.authenticate('alice', ad.userPassword)).ok).toBe(true);
    });

    it('refuses a person in none of the allowed groups', async () => {
      const result = await directory({ allowedGroups: [AD_GROUPS.outer] }).authenticate(
        'grace',
        ad.userPassword,
      );
      expect(result).toMatchObject({ ok: false, reason: 'not-in-allowed-group' });
    });

    it('matches group DNs regardless of case', async () => {
      const result = await directory({ allowedGroups: [AD_GROUPS.outer.toLowerCase()] }).authenticate(
        'alice',
        ad.userPassword,
      );
      expect(result.ok).toBe(true);
    });
  });

  describe('TLS', () => {
    it('signs in over ldap:// on 389 upgraded with StartTLS and the DC’s CA', async () => {
      const result = await directory({
        servers: [ad.ldapUrl],
        tls: { caFile: ad.caFile, useSystemCA: false, servername: ad.servername, startTLS: true },
      }).authenticate('alice', ad.userPassword);
      expect(reasonOf(result)).toBe('ok:alice');
    });

    it('refuses StartTLS when the DC’s certificate is not from the configured CA', async () => {
      const result = await directory({
        servers: [ad.ldapUrl],
        tls: { caFile: wrongCaFile, useSystemCA: false, startTLS: true },
      }).authenticate('alice', ad.userPassword);
      expect(result).toMatchObject({ ok: false, reason: 'tls-failed' });
    });

    it('refuses LDAPS when the DC’s certificate does not name the expected host', async () => {
      const result = await directory({
        tls: { caFile: ad.caFile, useSystemCA: false, servername: 'dc1.elsewhere.test' },
      }).authenticate('alice', ad.userPassword);
      expect(result).toMatchObject({ ok: false, reason: 'tls-failed' });
    });

    it('is refused by the DC itself: a simple bind over plain ldap:// needs TLS (result 8)', async () => {
      const client = new Client({ url: ad.ldapUrl, connectTimeout: 3000, timeout: 5000 });
      try {
        const bind = client.bind(AD_USERS.alice.dn, ad.userPassword);
        await expect(bind).rejects.toBeInstanceOf(StrongAuthRequiredError);
        await expect(bind).rejects.toThrow(/Transport encryption required/);
      } finally {
        await client.unbind().catch(() => undefined);
      }
      // Even with allowInsecure, Walkup gets no further than the service account's bind.
      const result = await directory({ servers: [ad.ldapUrl], allowInsecure: true }).authenticate(
        'alice',
        ad.userPassword,
      );
      expect(result.ok).toBe(false);
      expect(!result.ok && result.detail).toMatch(/Transport encryption required/);
    });

    it('is refused by Walkup: a plain ldap:// server without startTLS or allowInsecure is a configuration error', () => {
      const parsed = parseConfig({
        directory: {
          type: 'ad',
          servers: [ad.ldapUrl],
          baseDN: ad.baseDN,
          bindDN: ad.serviceDN,
          bindPassword: { env: 'WALKUP_AD_SERVICE_PASSWORD' },
        },
        duo: { apiHost: '127.0.0.1:43123', clientId: 'D'.repeat(20), clientSecret: 's'.repeat(40) },
      });
      expect(parsed.ok).toBe(false);
      expect(!parsed.ok && parsed.errors).toContainEqual(
        expect.stringMatching(/^directory\.servers\[0\]: is plain LDAP/),
      );
    });

    it('reports LDAPS and StartTLS servers healthy, with the service account bound', async () => {
      const health = await directory({
        servers: [ad.url, ad.ldapUrl],
        tls: { caFile: ad.caFile, useSystemCA: false, servername: ad.servername, startTLS: true },
      }).checkHealth();
      expect(health).toMatchObject([
        { url: ad.url, reachable: true, tlsOk: true, serviceBindOk: true, insecure: false },
        { url: ad.ldapUrl, reachable: true, tlsOk: true, serviceBindOk: true, insecure: false },
      ]);
    });
  });
});
