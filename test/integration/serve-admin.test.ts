/**
 * `walkup serve --state-dir`: a station set up and run from its admin screen. A fresh station (no
 * configuration) is served out of service instead of exiting; without a state folder the command
 * keeps its old rules. Run in-process (`runCli` with a test `CliIo`) or, for restart and exit, as
 * a real process (Node + tsx), like serve-shutdown.test.ts.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../main/cli/io';
import { runCli } from '../../main/cli/run-cli';
import { adminHttpRoute } from '../../main/contract/channels';
import { startDuoEmulator, type DuoEmulator } from '../support/duo-emulator';
import { PortalBrowser } from '../support/portal-browser';

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
    // No policy enables the admin screen: its routes do not exist.
    expect((await browser.get(adminHttpRoute('gate'))).status).toBe(404);
    run.stop();
    expect(await serving).toBe(0);
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
