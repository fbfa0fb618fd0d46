/**
 * The crash-loop breaker on a real Electron (main/electron/crash-policy.ts createCrashLoopBreaker,
 * lifecycle.ts): a crashed renderer is reloaded; the third crash within a minute stops reloading
 * and shows the built-in out-of-service page instead of spinning.
 */
import { expect, test } from '@playwright/test';
import { APP_ORIGIN, APP_START_URL } from '../../main/electron/app-origin';
import { OUT_OF_SERVICE_PATH } from '../../main/electron/out-of-service-page';
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
test.describe.configure({ mode: 'serial' });

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

/** Crashes the kiosk window's renderer from main. */
async function crashRenderer(): Promise<void> {
  await station.app.evaluate(({ BrowserWindow }) => {
    BrowserWindow.getAllWindows()[0]?.webContents.forcefullyCrashRenderer();
  });
}

/** The kiosk window's loaded page once its renderer is alive again, else undefined. */
function loadedUrl(): Promise<string | undefined> {
  return station.app.evaluate(({ BrowserWindow }) => {
    const contents = BrowserWindow.getAllWindows()[0]?.webContents;
    if (!contents || contents.isCrashed() || contents.isLoading()) return undefined;
    return contents.getURL();
  });
}

/** The breaker's decisions so far, from the shell's `renderer-gone` log lines. */
function decisions(): unknown[] {
  return station
    .logEvents()
    .filter((line) => line.event === 'renderer-gone')
    .map((line) => line.decision);
}

test('crash-policy createCrashLoopBreaker: a crashed renderer is reloaded on the start page', async () => {
  await crashRenderer();
  await expect.poll(decisions).toEqual(['reload']);
  await expect.poll(loadedUrl).toBe(APP_START_URL);
});

test('crash-policy createCrashLoopBreaker: the third crash within a minute shows the out-of-service page', async () => {
  await crashRenderer();
  await expect.poll(decisions).toEqual(['reload', 'reload']);
  await expect.poll(loadedUrl).toBe(APP_START_URL);
  await crashRenderer();
  await expect.poll(decisions).toEqual(['reload', 'reload', 'out-of-service']);
  await expect.poll(loadedUrl).toBe(`${APP_ORIGIN}${OUT_OF_SERVICE_PATH}`);
  const heading = await station.app.evaluate(({ BrowserWindow }) =>
    BrowserWindow.getAllWindows()[0]?.webContents.executeJavaScript(
      "document.querySelector('h1')?.textContent",
    ),
  );
  expect(heading).toBe('This station is out of service');
});
