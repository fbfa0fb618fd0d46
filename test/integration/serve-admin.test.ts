/**
 * `walkup serve --state-dir`: a station set up and run from its admin screen. A fresh station (no
 * configuration) is served out of service instead of exiting; without a state folder the command
 * keeps its old rules. Run in-process (`runCli` with a test `CliIo`) or, for restart and exit, as
 * a real process (Node + tsx), like serve-shutdown.test.ts.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFileSecretStore } from '../../main/cli/file-secret-store';
import type { CliIo } from '../../main/cli/io';
import { runCli } from '../../main/cli/run-cli';
import type { AdminGate, AdminSaveResult, AdminUnlockResult } from '../../main/contract/admin';
import { adminHttpRoute, httpRoutes } from '../../main/contract/channels';
import { ADMIN_SECRET_NAMES } from '../../main/core/admin/ports';
import { hashPin } from '../../main/core/secrets/pin-hash';
import { startDuoEmulator, type DuoEmulator } from '../support/duo-emulator';
import { PortalBrowser } from '../support/portal-browser';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const PIN = '271828';

/** Reads a streamed answer until the server ends it; resolves true once it has ended (or broke). */
async function ended(response: Response): Promise<boolean> {
  const reader = response.body!.getReader();
  try {
    for (;;) if ((await reader.read()).done) return true;
  } catch {
    return true;
  }
}

/** A `CliIo` that records what the command printed and stops when told. */
function testIo(cwd: string): { io: CliIo; stdout: string[]; stderr: string[]; stop(signal?: string): void } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  let stop: (signal: string) => void = () => {};
  const stopped = new Promise<string>((resolve) => (stop = resolve));
  return {
    io: {
      out: (line) => stdout.push(line),
      err: (line) => stderr.push(line),
      env: {},
      cwd,
      stdin: process.stdin,
      waitForStop: () => stopped,
    },
    stdout,
    stderr,
    stop: (signal = 'SIGTERM') => stop(signal),
  };
}

function portalBase(stdout: string[]): string {
  const base = /Walkup portal: (http:\/\/127\.0\.0\.1:\d+)\//.exec(stdout.join('\n'))?.[1];
  if (!base) throw new Error(`no portal URL in:\n${stdout.join('\n')}`);
  return base;
}

describe('walkup serve --state-dir (in-process)', () => {
  let dir: string;
  let emulator: DuoEmulator;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'walkup-serve-state-'));
    emulator = await startDuoEmulator();
  });
  afterAll(async () => {
    await emulator?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves a fresh station (no configuration at all) out of service, setup-required, and exits 0 on SIGTERM', async () => {
    const stateDir = path.join(dir, 'fresh');
    const run = testIo(dir);
    const serving = runCli(['serve', '--state-dir', stateDir, '--port', '0'], run.io);
    await expect.poll(() => run.stdout.join('\n'), { timeout: 30_000 }).toContain('Press Ctrl-C to stop.');
    const browser = new PortalBrowser(portalBase(run.stdout));
    const station = await browser.station();
    expect(station).toMatchObject({ inService: false, outOfService: { reason: 'setup-required' } });
    // The audit log is kept in the state folder.
    expect(run.stdout).toContain(`Audit log: ${path.join(stateDir, 'audit.jsonl')}`);
    expect(run.stderr.join('\n')).toContain('the station is out of service');
    // And what to do: the screens can set it up only with a policy that serves the admin screen.
    expect(run.stderr.join('\n')).toContain('a --config policy that sets portal.adminScreen: true');
    // No policy enables the admin screen: its routes do not exist.
    expect((await browser.get(adminHttpRoute('gate'))).status).toBe(404);
    run.stop();
    expect(await serving).toBe(0);
  });

  it('first run over HTTP: creates the PIN, saves Duo and directory settings, and restarts configured; secrets only in 0600 files', async () => {
    const stateDir = path.join(dir, 'first-run');
    const policy = path.join(dir, 'first-run-policy.json');
    // Switches only: the admin screen and Duo's CA; no required key, so this is a first run.
    writeFileSync(
      policy,
      JSON.stringify({ portal: { adminScreen: true }, duo: { caFile: emulator.caFile } }),
    );
    const run = testIo(dir);
    const serving = runCli(['serve', '--config', policy, '--state-dir', stateDir, '--port', '0'], run.io);
    await expect.poll(() => run.stdout.join('\n'), { timeout: 30_000 }).toContain('Press Ctrl-C to stop.');
    const base = portalBase(run.stdout);
    const admin = new PortalBrowser(base);
    expect(run.stderr.join('\n')).toContain('tap the top-left corner five times');
    expect(await admin.station()).toMatchObject({ outOfService: { reason: 'setup-required' } });
    expect(await admin.getJson<AdminGate>(adminHttpRoute('gate'))).toEqual({ kind: 'setup' });
    const created = await admin.post<AdminUnlockResult>(adminHttpRoute('createPin'), { pin: PIN });
    if (!created.ok) throw new Error(`createPin refused: ${JSON.stringify(created)}`);
    const clientSecret = emulator.integrations.v4.clientSecret;
    const saved = await admin.post<AdminSaveResult>(adminHttpRoute('save'), {
      token: created.token,
      changes: [
        { path: 'duo.apiHost', value: emulator.apiHost },
        { path: 'duo.clientId', value: emulator.integrations.v4.clientId },
        { path: 'directory.type', value: 'openldap' },
        { path: 'directory.servers', value: ['ldaps://127.0.0.1:1'] },
        { path: 'directory.baseDN', value: 'dc=example,dc=com' },
      ],
      secrets: { 'duo.clientSecret': clientSecret },
    });
    expect(saved).toEqual({ ok: true, restartNeeded: true });
    // At rest: the secret in a 0600 file of the state folder, the settings only refer to it.
    const secretFile = path.join(stateDir, 'secrets', 'duo.clientSecret');
    expect(readFileSync(secretFile, 'utf8')).toBe(clientSecret);
    const settingsText = readFileSync(path.join(stateDir, 'settings.json'), 'utf8');
    expect(settingsText).not.toContain(clientSecret);
    expect(JSON.parse(settingsText)).toMatchObject({
      version: 1,
      tag: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    if (process.platform !== 'win32') {
      expect(statSync(secretFile).mode & 0o777).toBe(0o600);
      expect(statSync(path.join(stateDir, 'settings.json')).mode & 0o777).toBe(0o600);
    }

    expect(await admin.post(adminHttpRoute('restart'), { token: created.token })).toEqual({ ok: true });
    await expect
      .poll(() => run.stdout.join('\n'), { timeout: 30_000 })
      .toContain('Walkup restarted with the saved configuration.');
    // Configured now: whatever the (unreachable) directory says, it is no longer a first run.
    const after = new PortalBrowser(base);
    await expect
      .poll(async () => (await after.station()).outOfService?.reason ?? 'in service', { timeout: 20_000 })
      .not.toBe('setup-required');
    expect(await after.getJson<AdminGate>(adminHttpRoute('gate'))).toMatchObject({ kind: 'pin' });
    run.stop();
    expect(await serving).toBe(0);
    const printed = [...run.stdout, ...run.stderr].join('\n');
    expect(printed).not.toContain(clientSecret);
    expect(printed).not.toContain(PIN);
  });

  it('refuses a --config file that does not exist or is not JSON even with --state-dir (exit 2), naming it', async () => {
    const missing = testIo(dir);
    expect(
      await runCli(['serve', '--state-dir', path.join(dir, 'unused'), '--config', 'nope.json'], missing.io),
    ).toBe(2);
    expect(missing.stderr.join('\n')).toContain(`${path.join(dir, 'nope.json')} does not exist`);
    const broken = path.join(dir, 'broken.json');
    writeFileSync(broken, '{ "portal": ');
    const notJson = testIo(dir);
    expect(
      await runCli(['serve', '--state-dir', path.join(dir, 'unused'), '--config', broken], notJson.io),
    ).toBe(2);
    expect(notJson.stderr.join('\n')).toMatch(/broken\.json is not valid JSON: line 1, column/);
  });

  it('still needs --config without --state-dir (exit 2), and names both', async () => {
    const run = testIo(dir);
    expect(await runCli(['serve', '--port', '0'], run.io)).toBe(2);
    expect(run.stderr.join('\n')).toMatch(/missing --config <policy\.json> \(or --state-dir <dir>/);
  });

  it('without --state-dir, does not serve the admin screen a policy enables, and says why', async () => {
    const config = path.join(dir, 'admin-no-state.json');
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
        portal: { adminScreen: true },
      }),
    );
    const run = testIo(dir);
    const serving = runCli(['serve', '--config', config, '--port', '0'], run.io);
    await expect.poll(() => run.stdout.join('\n'), { timeout: 30_000 }).toContain('Press Ctrl-C to stop.');
    expect(run.stderr.join('\n')).toContain('the admin screen needs --state-dir <dir>');
    const browser = new PortalBrowser(portalBase(run.stdout));
    expect((await browser.get(adminHttpRoute('gate'))).status).toBe(404);
    run.stop();
    expect(await serving).toBe(0);
  });
});

describe('walkup serve --state-dir: the admin screen restarts and exits the real process', () => {
  let dir: string;
  let emulator: DuoEmulator;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'walkup-serve-admin-'));
    emulator = await startDuoEmulator();
  });
  afterAll(async () => {
    await emulator?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('restart serves again on the same port with the old sockets closed; exit ends the process with 0', async () => {
    const stateDir = path.join(dir, 'state');
    const stored = await createFileSecretStore(stateDir).store(
      ADMIN_SECRET_NAMES.pinHash,
      await hashPin(PIN),
    );
    expect(stored.ok).toBe(true);
    const config = path.join(dir, 'policy.json');
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
        portal: { adminScreen: true },
      }),
      { mode: 0o600 },
    );
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        path.join(repoRoot, 'main', 'cli.ts'),
        'serve',
        '--config',
        config,
        '--state-dir',
        stateDir,
        '--port',
        '0',
      ],
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
      expect(stdout).toContain('Admin screen: served to this machine only');

      const admin = new PortalBrowser(base!);
      expect(await admin.getJson<AdminGate>(adminHttpRoute('gate'))).toMatchObject({ kind: 'pin' });
      const unlocked = await admin.post<AdminUnlockResult>(adminHttpRoute('unlock'), { pin: PIN });
      if (!unlocked.ok) throw new Error(`unlock refused: ${JSON.stringify(unlocked)}`);
      // A visitor's event stream, open across the restart.
      const visitor = new PortalBrowser(base!);
      await visitor.station();
      const stream = await visitor.get(httpRoutes.events);
      expect(stream.status).toBe(200);
      const streamEnded = ended(stream);

      // A setting saved now is in force after the restart.
      expect(
        await admin.post(adminHttpRoute('save'), {
          token: unlocked.token,
          changes: [{ path: 'station.name', value: 'Desk 4' }],
        }),
      ).toEqual({ ok: true, restartNeeded: true });
      // A second save (a secret) keeps what the first one wrote.
      expect(
        await admin.post(adminHttpRoute('save'), {
          token: unlocked.token,
          secrets: { 'audit.usernameHashKey': 'serve-admin-hash-key-0123456789' },
        }),
      ).toEqual({ ok: true, restartNeeded: true });
      expect(await admin.post(adminHttpRoute('restart'), { token: unlocked.token })).toEqual({ ok: true });
      // The old connections are closed by the restart...
      expect(await streamEnded).toBe(true);
      await expect
        .poll(() => stdout, { timeout: 30_000 })
        .toContain('Walkup restarted with the saved configuration.');
      // ...and the same port answers again, with a new station behind it.
      expect(
        /Walkup portal: (http:\/\/127\.0\.0\.1:\d+)\//.exec(stdout.split('Walkup restarted')[1] ?? '')?.[1],
      ).toBe(base);
      const again = new PortalBrowser(base!);
      await expect.poll(async () => (await again.station()).inService, { timeout: 20_000 }).toBe(true);
      expect((await again.station()).name).toBe('Desk 4');
      // The admin session ended with the old station: its token opens nothing now.
      expect(await again.post(adminHttpRoute('status'), { token: unlocked.token })).toEqual({
        ok: false,
        reason: 'not-unlocked',
      });

      const second = await again.post<AdminUnlockResult>(adminHttpRoute('unlock'), { pin: PIN });
      if (!second.ok) throw new Error(`unlock refused: ${JSON.stringify(second)}`);
      expect(await again.post(adminHttpRoute('exit'), { token: second.token })).toEqual({ ok: true });
    } finally {
      // Only if the exit did not work: the assertion below then fails on the signal.
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    }
    const { code, signal } = await exited;
    expect({ code, signal, stderr }).toMatchObject({ code: 0, signal: null });
    expect(stderr).not.toMatch(/could not be written|still not stopped/);
    for (const secret of [PIN, 'serve-admin-hash-key-0123456789']) {
      expect(stderr).not.toContain(secret);
      expect(stdout).not.toContain(secret);
    }
  });
});
