/**
 * The directory as the admin commands and the station use it, against a real slapd and the Duo
 * emulator (issue #8):
 * - every `walkup auth-test` outcome exits by itself (no connection keeps the process alive);
 * - `walkup serve` holds no socket to the directory once a sign-in has been answered;
 * - `allowInsecure: true` with a plain `ldap://` server gives a working station carrying the
 *   `directory-insecure` warning, through the station (`buildStation`) and `walkup status`.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CSRF_HEADER, httpRoutes, type SignInResult, type StationInfo } from '../../main/contract';
import { createMemoryAuditLog } from '../../main/core/audit';
import { parseConfig } from '../../main/core/config/schema';
import { silentLogger, systemClock } from '../../main/core/ports';
import { buildStation, type Station } from '../../main/core/station';
import { FIXTURE_SERVICE, FIXTURE_USERS } from '../support/directory-fixtures/openldap';
import { openLdapSkipReason, useOpenLdapFixtures } from '../support/directory-fixtures/openldap-setup';
import { socketsLeftToPort } from '../support/directory-fixtures/sockets';
import { useDuoEmulator } from '../support/duo-emulator/test-setup';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const unavailable = openLdapSkipReason('directory admin commands and station (OpenLDAP)');

describe.skipIf(unavailable)('the directory through the admin commands and the station (real slapd)', () => {
  const ldap = useOpenLdapFixtures();
  const emulator = useDuoEmulator();
  let dir: string;
  const children: ReturnType<typeof spawn>[] = [];
  const stations: Station[] = [];

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'walkup-directory-cli-'));
  });
  afterEach(() => {
    for (const station of stations.splice(0)) station.engine.close();
    // Cleanup only for a failed test: a passing one has seen every child exit by itself.
    for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  function policy(directory: Record<string, unknown> = {}): Record<string, unknown> {
    const bindPasswordFile = path.join(dir, 'bind-password');
    writeFileSync(bindPasswordFile, `${FIXTURE_SERVICE.password}\n`, { mode: 0o600 });
    return {
      directory: {
        type: 'openldap',
        servers: [ldap.slapd.ldapsUrl],
        baseDN: ldap.slapd.suffix,
        bindDN: ldap.dns.service,
        bindPassword: { file: bindPasswordFile },
        tls: { caFile: ldap.slapd.caFile, useSystemCA: false },
        throttling: { minFailureMs: 0 },
        ...directory,
      },
      duo: {
        apiHost: emulator.apiHost,
        clientId: emulator.integrations.v4.clientId,
        clientSecret: emulator.integrations.v4.clientSecret,
        caFile: emulator.caFile,
      },
    };
  }

  function writePolicy(name: string, value: Record<string, unknown>): string {
    const file = path.join(dir, name);
    writeFileSync(file, JSON.stringify(value), { mode: 0o600 });
    return file;
  }

  /** Runs `walkup <args>` as its own process (Node + tsx), `stdin` written and closed. */
  function spawnWalkup(args: string[], stdin = '') {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(repoRoot, 'main', 'cli.ts'), ...args],
      {
        cwd: repoRoot,
        env: { ...process.env, PORT: '' },
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    children.push(child);
    child.stdin.end(stdin);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    return { child, exited, output: () => ({ stdout, stderr }) };
  }

  describe('walkup auth-test exits by itself', () => {
    it.each([
      ['an unknown username', 'nosuchuser', 'whatever it is', 1, 'invalid-credentials'],
      ['a wrong password', 'alice', 'not the password', 1, 'invalid-credentials'],
      ['an ambiguous username', 'twin', FIXTURE_USERS.twin.password, 1, 'ambiguous-user'],
      ['the right password', 'alice', FIXTURE_USERS.alice.password, 0, undefined],
    ] as const)('after %s over LDAPS', async (_what, username, password, code, reason) => {
      const file = writePolicy(`auth-test-${username}.json`, policy());
      const run = spawnWalkup(['auth-test', '--config', file, '--username', username], `${password}\n`);
      expect(await run.exited).toBe(code);
      const printed = JSON.parse(run.output().stdout) as { ok: boolean; reason?: string };
      expect(printed.reason).toBe(reason);
    });

    it('after an unknown username over StartTLS', async () => {
      const file = writePolicy(
        'auth-test-starttls.json',
        policy({
          servers: [ldap.slapd.ldapUrl],
          tls: { caFile: ldap.slapd.caFile, useSystemCA: false, startTLS: true },
        }),
      );
      const run = spawnWalkup(
        ['auth-test', '--config', file, '--username', 'nosuchuser'],
        'whatever it is\n',
      );
      expect(await run.exited).toBe(1);
    });
  });

  it('walkup serve holds no socket to the directory once a sign-in is answered', async () => {
    const file = writePolicy('serve.json', policy());
    const run = spawnWalkup(['serve', '--config', file, '--port', '0']);
    const pid = run.child.pid ?? 0;
    try {
      await expect.poll(() => run.output().stdout, { timeout: 30_000 }).toContain('Press Ctrl-C to stop.');
      const base = /Walkup portal: (http:\/\/127\.0\.0\.1:\d+)\//.exec(run.output().stdout)?.[1] ?? '';
      let station: StationInfo | undefined;
      let cookie = '';
      let token = '';
      await expect
        .poll(
          async () => {
            const response = await fetch(`${base}${httpRoutes.getStation}`, { headers: { cookie } });
            cookie ||= response.headers
              .getSetCookie()
              .map((line) => line.split(';')[0])
              .join('; ');
            token = response.headers.get(CSRF_HEADER) ?? token;
            station = (await response.json()) as StationInfo;
            return station.inService;
          },
          { timeout: 30_000 },
        )
        .toBe(true);
      for (const [username, password] of [
        ['nosuchuser', 'whatever it is'],
        ['alice', 'not the password'],
      ]) {
        const response = await fetch(`${base}${httpRoutes.signIn}`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            cookie,
            origin: base,
            'sec-fetch-site': 'same-origin',
            [CSRF_HEADER]: token,
          },
          body: JSON.stringify({ username, password }),
        });
        const result = (await response.json()) as SignInResult;
        // The directory answered (not a station or transport problem).
        expect(result).toMatchObject({ ok: false, reason: 'invalid-credentials' });
      }
      expect(await socketsLeftToPort(ldap.slapd.ldapsPort, 2000, pid)).toEqual([]);
    } finally {
      run.child.kill('SIGINT');
    }
    await run.exited;
  });

  describe('allowInsecure with a plain ldap:// server', () => {
    const insecure = () =>
      policy({ servers: [ldap.slapd.ldapUrl], allowInsecure: true, tls: { useSystemCA: false } });

    it('gives a working station with the directory-insecure warning', async () => {
      const parsed = parseConfig(insecure());
      if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
      const station = await buildStation(parsed.config, {
        clock: systemClock,
        logger: silentLogger,
        audit: createMemoryAuditLog({ clock: systemClock, stationName: 'test' }),
        redirectUri: 'http://127.0.0.1:8787/duo/callback',
        env: {},
      });
      stations.push(station);
      const info = await station.engine.refreshHealth();
      expect(info).toMatchObject({ inService: true, warnings: ['directory-insecure'] });
      const session = station.engine.openSession({ duoPresentation: 'redirect' });
      const signIn = await session.signIn({ username: 'alice', password: FIXTURE_USERS.alice.password });
      expect(signIn).toMatchObject({ ok: true, duo: { kind: 'page' } });
      expect(await socketsLeftToPort(ldap.slapd.ldapPort)).toEqual([]);
    });

    it('walkup status reports it in service with the warning and exits 1', async () => {
      const run = spawnWalkup(['status', '--config', writePolicy('status-insecure.json', insecure())]);
      expect(await run.exited).toBe(1);
      const report = JSON.parse(run.output().stdout) as Record<string, unknown>;
      expect(report).toMatchObject({
        inService: true,
        outOfService: null,
        warnings: ['directory-insecure'],
        directory: {
          servers: [{ url: ldap.slapd.ldapUrl, reachable: true, serviceBindOk: true, insecure: true }],
        },
      });
    });
  });
});
