/**
 * `walkup serve` stops on SIGTERM whatever is open: event streams of two browsers, a visit in
 * progress after a sign-in over LDAPS, a sign-in of an unknown username (which once left a
 * directory socket open), and the audit lines of all of it, which are on disk when the process
 * has exited. A real process (Node + tsx) over a real slapd and the Duo emulator. The test asserts
 * that the process exits with 0; how fast is for `npm run bench`.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../main/cli/io';
import { runCli } from '../../main/cli/run-cli';
import { httpRoutes, type SignInResult } from '../../main/contract';
import { FIXTURE_SERVICE, FIXTURE_USERS } from '../support/directory-fixtures/openldap';
import { openLdapSkipReason, useOpenLdapFixtures } from '../support/directory-fixtures/openldap-setup';
import { startDuoEmulator, type DuoEmulator } from '../support/duo-emulator';
import { PortalBrowser } from '../support/portal-browser';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');

/** Opens the browser's event stream and leaves it open; resolves once the server answered. */
async function openEvents(browser: PortalBrowser): Promise<Response> {
  const response = await browser.get(httpRoutes.events);
  expect(response.status).toBe(200);
  return response;
}

describe.skipIf(openLdapSkipReason('walkup serve shutdown'))('walkup serve shutdown', () => {
  const server = useOpenLdapFixtures();
  let emulator: DuoEmulator;
  let dir: string;

  beforeAll(async () => {
    emulator = await startDuoEmulator();
    dir = mkdtempSync(path.join(tmpdir(), 'walkup-serve-stop-'));
  });
  afterAll(async () => {
    await emulator?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('exits 0 on SIGTERM with event streams, a visit and an unknown-username sign-in open, audit on disk', async () => {
    const { slapd, dns } = server;
    const passwordFile = path.join(dir, 'bind-password');
    writeFileSync(passwordFile, `${FIXTURE_SERVICE.password}\n`, { mode: 0o600 });
    const auditFile = path.join(dir, 'audit.jsonl');
    const config = path.join(dir, 'serve.json');
    writeFileSync(
      config,
      JSON.stringify({
        directory: {
          type: 'openldap',
          servers: [slapd.ldapsUrl],
          baseDN: slapd.suffix,
          bindDN: dns.service,
          bindPassword: { file: passwordFile },
          tls: { caFile: slapd.caFile, useSystemCA: false },
        },
        duo: {
          apiHost: emulator.apiHost,
          clientId: emulator.integrations.v4.clientId,
          clientSecret: emulator.integrations.v4.clientSecret,
          caFile: emulator.caFile,
        },
        audit: { file: auditFile },
      }),
      { mode: 0o600 },
    );

    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(repoRoot, 'main', 'cli.ts'), 'serve', '--config', config, '--port', '0'],
      { cwd: repoRoot, env: { ...process.env, PORT: '' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on('exit', (code, signal) => resolve({ code, signal })),
    );

    try {
      await expect.poll(() => stdout, { timeout: 30_000 }).toContain('Press Ctrl-C to stop.');
      const base = /Walkup portal: (http:\/\/127\.0\.0\.1:\d+)\//.exec(stdout)?.[1];
      expect(base).toBeDefined();

      const alice = new PortalBrowser(base!);
      const stranger = new PortalBrowser(base!);
      await expect.poll(async () => (await alice.station()).inService, { timeout: 20_000 }).toBe(true);
      await stranger.station();
      const streams = [await openEvents(alice), await openEvents(alice), await openEvents(stranger)];

      const signIn = await alice.signIn('alice', FIXTURE_USERS.alice.password);
      expect(signIn.ok).toBe(true);
      const unknown = await stranger.signIn('nobody-here', 'not-a-password');
      expect(unknown.ok).toBe(false);
      expect(streams).toHaveLength(3);
    } finally {
      child.kill('SIGTERM');
    }
    const { code, signal } = await exited;
    expect({ code, signal, stderr }).toMatchObject({ code: 0, signal: null });
    expect(stderr).not.toMatch(/could not be written|still not stopped/);

    const lines = readFileSync(auditFile, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { type: string });
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'sign-in-succeeded', username: 'alice' }),
        expect.objectContaining({ type: 'sign-in-failed', reason: 'invalid-credentials' }),
      ]),
    );
  });
});

describe('walkup serve with an audit file that cannot be written', () => {
  let emulator: DuoEmulator;
  let dir: string;
  beforeAll(async () => {
    emulator = await startDuoEmulator();
    dir = mkdtempSync(path.join(tmpdir(), 'walkup-serve-audit-'));
  });
  afterAll(async () => {
    await emulator?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('is out of service (audit unavailable), and on stop prints the lines it could not write', async () => {
    const auditFile = path.join(dir, 'audit.jsonl');
    mkdirSync(auditFile); // the path is a folder: every write fails
    const config = path.join(dir, 'serve.json');
    writeFileSync(
      config,
      JSON.stringify({
        directory: { type: 'demo' },
        duo: {
          apiHost: emulator.apiHost,
          clientId: emulator.integrations.v4.clientId,
          clientSecret: emulator.integrations.v4.clientSecret,
          caFile: emulator.caFile,
        },
        audit: { file: auditFile },
      }),
    );
    const stdout: string[] = [];
    const stderr: string[] = [];
    let stop: (signal: string) => void = () => {};
    const stopped = new Promise<string>((resolve) => (stop = resolve));
    const io: CliIo = {
      out: (line) => stdout.push(line),
      err: (line) => stderr.push(line),
      env: {},
      cwd: dir,
      stdin: process.stdin,
      waitForStop: () => stopped,
    };
    const serving = runCli(['serve', '--config', config, '--port', '0'], io);
    await expect.poll(() => stdout.join('\n'), { timeout: 30_000 }).toContain('Press Ctrl-C to stop.');
    const base = /Walkup portal: (http:\/\/127\.0\.0\.1:\d+)\//.exec(stdout.join('\n'))?.[1];
    const browser = new PortalBrowser(base!);
    await expect
      .poll(async () => (await browser.station()).outOfService?.reason, { timeout: 20_000 })
      .toBe('audit-unavailable');
    const refused = (await (
      await browser.postRaw(httpRoutes.signIn, { username: 'alice', password: 'enroll-alice' })
    ).json()) as SignInResult;
    expect(refused).toMatchObject({ ok: false, reason: 'out-of-service' });

    stop('SIGTERM');
    expect(await serving).toBe(0);
    const report = stderr.join('\n');
    expect(report).toMatch(/\d+ audit line\(s\) could not be written to .*audit\.jsonl; here they are:/);
    expect(report).toContain('"type":"station-in-service"');
    expect(report).toContain('"type":"sign-in-failed"');
    expect(report).not.toContain('enroll-alice');
  });
});
