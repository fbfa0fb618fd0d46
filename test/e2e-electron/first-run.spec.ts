/**
 * A station's first start, on a real Electron: with no policy anywhere it shows out of service
 * with the reason (`setup-required`: its admin gate offers the setup flow) and never crashes (main/electron/config-policy.ts choosePolicyFile,
 * station.ts startKioskStation); and a second start while one runs does not open a second
 * window (the single-instance lock in main/index.ts).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import {
  demoPolicy,
  launchStation,
  NO_ELECTRON,
  startDuoEmulator,
  target,
  type DuoEmulator,
  type RunningStation,
} from './station';

test.skip(target === undefined, NO_ELECTRON);

const root = path.resolve(import.meta.dirname, '../..');

test.describe('no policy at all', () => {
  let station: RunningStation;
  test.beforeAll(async () => {
    station = await launchStation({ policy: null });
  });
  test.afterAll(async () => {
    await station?.close();
  });

  test('config-policy choosePolicyFile: a first run without any policy or local settings is out of service (setup-required), not a crash', async () => {
    // The renderer may open the first-run setup over the out-of-service screen: ask main instead.
    await station.page.waitForFunction(() => 'walkup' in globalThis);
    const info = await station.page.evaluate(() =>
      (
        globalThis as unknown as {
          walkup: { getStation(): Promise<{ inService: boolean; outOfService?: { reason: string } }> };
        }
      ).walkup.getStation(),
    );
    expect(info.inService).toBe(false);
    // No policy and no local settings: the admin gate offers the setup flow (main/electron/config.ts).
    expect(info.outOfService?.reason).toBe('setup-required');
    expect(station.logEvents().map((line) => line.event)).toContain('setup-required');
  });
});

test.describe('a second start', () => {
  let emulator: DuoEmulator;
  let station: RunningStation;
  test.beforeAll(async () => {
    emulator = await startDuoEmulator();
    station = await launchStation({ policy: demoPolicy(emulator) });
  });
  test.afterAll(async () => {
    await station?.close();
    await emulator?.close();
  });

  test('main requestSingleInstanceLock: a second start with the same user data exits and the first keeps its one window', async () => {
    const userData = path.join(station.workDir, 'user-data');
    // A packaged build runs in the account's own user data folder, which the first one holds.
    const args = target?.packaged ? [] : [root, '--windowed', `--user-data-dir=${userData}`];
    const second = spawn(target?.executablePath ?? '', args, { cwd: root, stdio: 'ignore' });
    const exit = await new Promise<number | null>((resolve, reject) => {
      second.once('error', reject);
      second.once('exit', (code) => resolve(code));
    });
    expect(exit).toBe(0);
    expect(await station.app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
  });
});
