/**
 * The LDAP directory against a real slapd on loopback: search-then-bind over LDAPS and StartTLS,
 * TLS that fails closed, byte-exact passwords, filter injection, group policy with nesting.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAuthTest } from '../../main/cli/auth-test';
import { directorySchema, type DirectoryConfig } from '../../main/core/config/schema';
import { createDirectory } from '../../main/core/directory';
import { silentLogger, type Logger } from '../../main/core/ports';
import { createTestCA } from '../support/certs';
import { createFakeClock } from '../support/directory-fixtures/fake-clock';
import { FIXTURE_SERVICE, FIXTURE_USERS } from '../support/directory-fixtures/openldap';
import { startCountingProxy, type TcpHelper } from '../support/directory-fixtures/tcp';
import { openLdapSkipReason, useOpenLdapFixtures } from '../support/directory-fixtures/openldap-setup';

const unavailable = openLdapSkipReason('OpenLDAP directory tests');

describe.skipIf(unavailable)('OpenLDAP directory (real slapd on loopback)', () => {
  const ldap = useOpenLdapFixtures();
  let ldapProxy: TcpHelper;
  let ldapsProxy: TcpHelper;
  let wrongCaDir: string;
  let wrongCaFile: string;

  beforeAll(async () => {
    ldapProxy = await startCountingProxy(ldap.slapd.ldapPort);
    ldapsProxy = await startCountingProxy(ldap.slapd.ldapsPort);
    wrongCaDir = await mkdtemp(join(tmpdir(), 'walkup-wrong-ca-'));
    wrongCaFile = (await createTestCA(wrongCaDir, 'Some Other CA')).certFile;
  });

  afterAll(async () => {
    await ldapProxy?.close();
    await ldapsProxy?.close();
    if (wrongCaDir) await rm(wrongCaDir, { recursive: true, force: true });
  });

  const ldapsUrl = () => `ldaps://127.0.0.1:${ldapsProxy.port}`;
  const ldapUrl = () => `ldap://127.0.0.1:${ldapProxy.port}`;
  const connections = () => ldapProxy.connections + ldapsProxy.connections;

  function directory(overrides: Record<string, unknown> = {}, logger: Logger = silentLogger) {
    const config: DirectoryConfig = directorySchema.parse({
      type: 'openldap',
      servers: [ldapsUrl()],
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
      logger,
    });
  }

  describe('search-then-bind', () => {
    it('signs a person in over LDAPS with the DN the search returned', async () => {
      const result = await directory().authenticate('alice', FIXTURE_USERS.alice.password);
      expect(result).toEqual({
        ok: true,
        user: {
          dn: ldap.dns.userDn('alice'),
          username: 'alice',
          displayName: 'Alice Example',
          groups: [ldap.dns.groups.enrollers],
        },
      });
    });

    it('signs a person in over ldap:// upgraded with StartTLS', async () => {
      const result = await directory({
        servers: [ldapUrl()],
        tls: { caFile: ldap.slapd.caFile, useSystemCA: false, startTLS: true },
      }).authenticate('alice', FIXTURE_USERS.alice.password);
      expect(result.ok).toBe(true);
    });

    it('answers invalid-credentials for a wrong password', async () => {
      const result = await directory().authenticate('alice', 'correct horse battery stapler');
      expect(result).toMatchObject({ ok: false, reason: 'invalid-credentials' });
    });

    it('answers invalid-credentials for an unknown username', async () => {
      const result = await directory().authenticate('nobody-here', 'whatever it is');
      expect(result).toMatchObject({ ok: false, reason: 'invalid-credentials' });
    });

    it('refuses a username that matches more than one entry', async () => {
      const result = await directory().authenticate('twin', FIXTURE_USERS.twin.password);
      expect(result).toMatchObject({ ok: false, reason: 'ambiguous-user' });
    });

    it('reports a wrong service account password as service-bind-failed', async () => {
      const config = directorySchema.parse({
        type: 'openldap',
        servers: [ldapsUrl()],
        baseDN: ldap.slapd.suffix,
        bindDN: ldap.dns.service,
        bindPassword: 'x',
        tls: { caFile: ldap.slapd.caFile, useSystemCA: false },
        throttling: { minFailureMs: 0 },
      });
      const wrong = createDirectory(config, {
        bindPassword: 'not the password',
        clock: createFakeClock(),
        logger: silentLogger,
      });
      const result = await wrong.authenticate('alice', FIXTURE_USERS.alice.password);
      expect(result).toMatchObject({ ok: false, reason: 'service-bind-failed' });
    });

    it('accepts DOMAIN\\user and user@suffix for configured domains and suffixes', async () => {
      const forms = directory({ netbiosDomains: ['EXAMPLE'], upnSuffixes: ['example.test'] });
      for (const typed of ['EXAMPLE\\alice', 'example\\alice', 'alice@example.test', 'alice@EXAMPLE.TEST']) {
        const result = await forms.authenticate(typed, FIXTURE_USERS.alice.password);
        expect(result.ok ? result.user.username : result.reason, typed).toBe('alice');
      }
    });
  });

  describe('passwords are passed byte-exact', () => {
    it.each([
      ['bob', 'filter and shell characters ()*\\$&'],
      ['zoe', 'non-ASCII characters'],
      ['spacey', 'leading and trailing spaces'],
    ] as const)('signs %s in with a password holding %s', async (key, _what) => {
      const result = await directory().authenticate(key, FIXTURE_USERS[key].password);
      expect(result.ok).toBe(true);
    });

    it('does not trim the password: the trimmed form is a different password', async () => {
      const result = await directory().authenticate('spacey', FIXTURE_USERS.spacey.password.trim());
      expect(result).toMatchObject({ ok: false, reason: 'invalid-credentials' });
    });

    it('signs in a person whose uid holds *()\\ and matches exactly that entry', async () => {
      const result = await directory().authenticate(FIXTURE_USERS.odd.uid, FIXTURE_USERS.odd.password);
      expect(result).toMatchObject({ ok: true, user: { username: 'o*d()\\name', displayName: 'Odd Name' } });
      // slapd writes the hex escape in upper case (\5C); the entry is the same.
      expect(result.ok && result.user.dn.toLowerCase()).toBe(ldap.dns.userDn('odd').toLowerCase());
    });

    it('signs in a person with a non-ASCII uid', async () => {
      const result = await directory().authenticate('jürgen', FIXTURE_USERS.jurgen.password);
      expect(result).toMatchObject({ ok: true, user: { username: 'jürgen', displayName: 'Jürgen Müller' } });
    });
  });

  describe('filter injection', () => {
    const attempts = [
      '*',
      ')(',
      '\\',
      '*)(uid=*))(|(uid=*',
      'o*',
      'o*d*',
      'al*',
      '(uid=alice)',
      'alice)(uid=*',
    ];

    it.each(attempts)('never lets %j match another entry', async (typed) => {
      // Throttling would answer first after three failures; it is tested on its own.
      const dir = directory({
        throttling: {
          minFailureMs: 0,
          perUser: { maxFailures: 1000, windowSeconds: 60, lockoutSeconds: 60 },
          perStation: { maxFailures: 1000, windowSeconds: 60, lockoutSeconds: 60 },
        },
      });
      for (const key of ['alice', 'o', 'odd', 'bob'] as const) {
        const result = await dir.authenticate(typed, FIXTURE_USERS[key].password);
        expect(result).toMatchObject({ ok: false, reason: 'invalid-credentials' });
      }
    });

    it('refuses a username holding NUL without opening a connection', async () => {
      const before = connections();
      const result = await directory().authenticate('alice\u0000', FIXTURE_USERS.alice.password);
      expect(result).toMatchObject({
        ok: false,
        reason: 'invalid-input',
        inputProblem: 'username-control-characters',
      });
      expect(connections()).toBe(before);
    });
  });

  describe('empty passwords (RFC 4513 unauthenticated bind)', () => {
    it.each(['', ' ', '   ', '\t\n', '\u00a0'])(
      'refuses %j without opening a connection',
      async (password) => {
        const before = connections();
        const result = await directory().authenticate('alice', password);
        expect(result).toEqual({ ok: false, reason: 'invalid-input', inputProblem: 'password-empty' });
        expect(connections()).toBe(before);
      },
    );
  });

  describe('TLS fails closed', () => {
    it('refuses LDAPS when the server certificate is not from the configured CA', async () => {
      const result = await directory({ tls: { caFile: wrongCaFile, useSystemCA: false } }).authenticate(
        'alice',
        FIXTURE_USERS.alice.password,
      );
      expect(result).toMatchObject({ ok: false, reason: 'tls-failed' });
    });

    it('refuses StartTLS when the server certificate is not from the configured CA', async () => {
      const result = await directory({
        servers: [ldapUrl()],
        tls: { caFile: wrongCaFile, useSystemCA: false, startTLS: true },
      }).authenticate('alice', FIXTURE_USERS.alice.password);
      expect(result).toMatchObject({ ok: false, reason: 'tls-failed' });
    });

    it('refuses a certificate that does not name the server', async () => {
      const result = await directory({
        tls: { caFile: ldap.slapd.caFile, useSystemCA: false, servername: 'dc1.elsewhere.test' },
      }).authenticate('alice', FIXTURE_USERS.alice.password);
      expect(result).toMatchObject({ ok: false, reason: 'tls-failed' });
    });

    it('refuses LDAPS when only the system store is trusted and it lacks the CA', async () => {
      const result = await directory({ tls: { useSystemCA: true } }).authenticate(
        'alice',
        FIXTURE_USERS.alice.password,
      );
      expect(result).toMatchObject({ ok: false, reason: 'tls-failed' });
    });

    it('answers configuration when the CA file cannot be read', async () => {
      const result = await directory({
        tls: { caFile: join(wrongCaDir, 'missing.pem'), useSystemCA: false },
      }).authenticate('alice', FIXTURE_USERS.alice.password);
      expect(result).toMatchObject({ ok: false, reason: 'configuration' });
    });

    it('uses plain LDAP only with allowInsecure, and warns', async () => {
      const warnings: string[] = [];
      const logger: Logger = { ...silentLogger, warn: (event) => warnings.push(event) };
      const result = await directory({ servers: [ldapUrl()], allowInsecure: true }, logger).authenticate(
        'alice',
        FIXTURE_USERS.alice.password,
      );
      expect(result.ok).toBe(true);
      expect(warnings).toContain('directory.insecure');
    });
  });

  describe('who may enroll', () => {
    const policy = () => ({
      allowedGroups: [ldap.dns.groups.enrollers],
      deniedGroups: [ldap.dns.groups.contractors],
    });

    it('admits a direct member of an allowed group', async () => {
      const result = await directory(policy()).authenticate('alice', FIXTURE_USERS.alice.password);
      expect(result.ok).toBe(true);
    });

    it('admits a nested member of an allowed group and lists both groups', async () => {
      const result = await directory(policy()).authenticate('bob', FIXTURE_USERS.bob.password);
      expect(result.ok && [...result.user.groups].sort()).toEqual(
        [ldap.dns.groups.enrollers, ldap.dns.groups.helpdesk].sort(),
      );
    });

    it('refuses a member of a denied group even when an allowed group also contains them', async () => {
      const result = await directory(policy()).authenticate('mallory', FIXTURE_USERS.mallory.password);
      expect(result).toMatchObject({ ok: false, reason: 'in-denied-group' });
    });

    it('refuses a person in none of the allowed groups', async () => {
      const result = await directory(policy()).authenticate('nora', FIXTURE_USERS.nora.password);
      expect(result).toMatchObject({ ok: false, reason: 'not-in-allowed-group' });
    });

    it('follows nesting only as deep as groupNestingDepth', async () => {
      const result = await directory({ ...policy(), groupNestingDepth: 0 }).authenticate(
        'bob',
        FIXTURE_USERS.bob.password,
      );
      expect(result).toMatchObject({ ok: false, reason: 'not-in-allowed-group' });
    });

    it('checks the password before the group policy', async () => {
      const result = await directory(policy()).authenticate('nora', 'not her password');
      expect(result).toMatchObject({ ok: false, reason: 'invalid-credentials' });
    });
  });

  describe('health', () => {
    it('reports reachable, TLS and service bind per server', async () => {
      const health = await directory({
        servers: [ldapsUrl(), ldapUrl()],
        tls: { caFile: ldap.slapd.caFile, useSystemCA: false, startTLS: true },
      }).checkHealth();
      expect(health).toMatchObject([
        { url: ldapsUrl(), reachable: true, tlsOk: true, serviceBindOk: true, insecure: false },
        { url: ldapUrl(), reachable: true, tlsOk: true, serviceBindOk: true, insecure: false },
      ]);
    });

    it('reports a TLS failure as reachable but not TLS ok', async () => {
      const [health] = await directory({ tls: { caFile: wrongCaFile, useSystemCA: false } }).checkHealth();
      expect(health).toMatchObject({ reachable: true, tlsOk: false, serviceBindOk: false });
    });
  });

  describe('walkup auth-test', () => {
    async function authTest(directoryOverrides: Record<string, unknown>, username: string, stdin: string) {
      const file = join(wrongCaDir, `policy-${Math.random().toString(36).slice(2)}.json`);
      await writeFile(
        file,
        JSON.stringify({
          directory: {
            type: 'openldap',
            servers: [ldapsUrl()],
            baseDN: ldap.slapd.suffix,
            bindDN: ldap.dns.service,
            bindPassword: { env: 'WALKUP_TEST_BIND_PASSWORD' },
            tls: { caFile: ldap.slapd.caFile, useSystemCA: false },
            throttling: { minFailureMs: 0 },
            ...directoryOverrides,
          },
        }),
      );
      const stdout = new PassThrough();
      const stderr = new PassThrough();
      const out: string[] = [];
      const err: string[] = [];
      stdout.on('data', (chunk: Buffer) => out.push(chunk.toString()));
      stderr.on('data', (chunk: Buffer) => err.push(chunk.toString()));
      const code = await runAuthTest(['--config', file, '--username', username], {
        stdin: Readable.from([Buffer.from(stdin, 'utf8')]),
        stdout,
        stderr,
        env: { WALKUP_TEST_BIND_PASSWORD: FIXTURE_SERVICE.password },
      });
      return { code, stdout: out.join(''), stderr: err.join('') };
    }

    it('prints the verified user as one JSON line and exits 0', async () => {
      const run = await authTest({}, 'bob', `${FIXTURE_USERS.bob.password}\n`);
      expect(run.code).toBe(0);
      expect(run.stdout.trim().split('\n')).toHaveLength(1);
      expect(JSON.parse(run.stdout)).toEqual({
        ok: true,
        user: {
          dn: ldap.dns.userDn('bob'),
          username: 'bob',
          displayName: 'Bob Builder',
          groups: [ldap.dns.groups.helpdesk],
        },
      });
    });

    it('keeps spaces in a password read from stdin (only the final newline is dropped)', async () => {
      const run = await authTest({}, 'spacey', `${FIXTURE_USERS.spacey.password}\n`);
      expect(run.code).toBe(0);
    });

    it('prints the reason and exits 1 when sign-in is refused', async () => {
      const run = await authTest({}, 'alice', 'not the password\n');
      expect(run.code).toBe(1);
      expect(JSON.parse(run.stdout)).toEqual({ ok: false, reason: 'invalid-credentials' });
      expect(run.stdout + run.stderr).not.toContain('not the password');
    });

    it('exits 1 for a person the group policy refuses', async () => {
      const run = await authTest(
        { allowedGroups: [ldap.dns.groups.enrollers] },
        'nora',
        FIXTURE_USERS.nora.password,
      );
      expect(run.code).toBe(1);
      expect(JSON.parse(run.stdout)).toEqual({ ok: false, reason: 'not-in-allowed-group' });
    });

    it('exits 2 with a clear message when TLS fails', async () => {
      const run = await authTest(
        { tls: { caFile: wrongCaFile, useSystemCA: false } },
        'alice',
        FIXTURE_USERS.alice.password,
      );
      expect(run.code).toBe(2);
      expect(JSON.parse(run.stdout)).toEqual({ ok: false, reason: 'tls-failed' });
      expect(run.stderr).toContain('TLS to the directory failed');
    });

    it('exits 2 naming the key when the service password reference cannot be resolved', async () => {
      const run = await authTest(
        { bindPassword: { env: 'WALKUP_TEST_UNSET' } },
        'alice',
        FIXTURE_USERS.alice.password,
      );
      expect(run.code).toBe(2);
      expect(JSON.parse(run.stdout)).toEqual({ ok: false, reason: 'configuration' });
      expect(run.stderr).toContain(
        'directory.bindPassword: environment variable WALKUP_TEST_UNSET is not set',
      );
    });
  });
});
