/**
 * The admin key chord (main/electron/key-policy.ts ADMIN_CHORD, Ctrl+Shift+Alt+K): swallowed
 * before the page sees it. A development run exits on it; a production station is to open the
 * admin screen (PIN, then exit), which is planned (issue #11), so that test is a planned skip.
 */
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

const PLANNED_ADMIN_SCREEN = 'planned: the admin screen (PIN, then exit, version and build) is issue #11';

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

test('key-policy ADMIN_CHORD: in a development run the admin chord exits the station', async () => {
  test.skip(station.packaged, `${PLANNED_ADMIN_SCREEN}: a packaged station does not exit on the chord alone`);
  const exited = new Promise<number | null>((resolve) =>
    station.app.process().once('exit', (code) => resolve(code)),
  );
  await station.app.evaluate(({ BrowserWindow }) => {
    const contents = BrowserWindow.getAllWindows()[0]?.webContents;
    contents?.focus();
    contents?.sendInputEvent({ type: 'keyDown', keyCode: 'K', modifiers: ['control', 'shift', 'alt'] });
  });
  expect(await exited).toBe(0);
  expect(station.logEvents().map((line) => line.event)).toContain('admin-chord');
});

test('key-policy ADMIN_CHORD: a production station asks for the admin PIN, and exits only after it', async () => {
  test.skip(true, PLANNED_ADMIN_SCREEN);
});
