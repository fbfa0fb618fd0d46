/**
 * The Electron shell, driven by Playwright's `_electron`: the hardened window, the app://
 * renderer with exactly `window.walkup`, navigation and window-open refusals, and a whole v4
 * visit through the Duo view against the Duo emulator. Needs `npm run build` first.
 */
import { expect, test, type ElectronApplication, type Page } from '@playwright/test';
import {
  demoPolicy,
  launchStation,
  NO_ELECTRON,
  startDuoEmulator,
  target,
  type DuoEmulator,
  type RunningStation,
} from './station';

// One skip for the whole file, with one reason line.
test.skip(target === undefined, NO_ELECTRON);

test.describe.configure({ mode: 'serial' });

let emulator: DuoEmulator;
let station: RunningStation;
let app: ElectronApplication;
let page: Page;

test.beforeAll(async () => {
  emulator = await startDuoEmulator();
  station = await launchStation({ policy: demoPolicy(emulator) });
  ({ app, page } = station);
});

test.afterAll(async () => {
  await station?.close();
  await emulator?.close();
});

test('lifecycle setupAppLockdown: the station has no application menu and one window', async () => {
  const shell = await app.evaluate(({ BrowserWindow, Menu }) => ({
    menu: Menu.getApplicationMenu(),
    windows: BrowserWindow.getAllWindows().length,
  }));
  expect(shell).toEqual({ menu: null, windows: 1 });
});

test('protocol-policy and the preload: the renderer comes from app://walkup and sees exactly the contract, without Node', async () => {
  expect(page.url()).toMatch(/^app:\/\/walkup\//);
  const seen = await page.evaluate(() => ({
    api: Object.keys((globalThis as unknown as { walkup: object }).walkup).sort(),
    require: typeof (globalThis as { require?: unknown }).require,
    process: typeof (globalThis as { process?: unknown }).process,
  }));
  expect(seen).toEqual({
    api: ['activity', 'finish', 'getStation', 'getVisit', 'onEvent', 'signIn', 'submitDuoResponse'],
    require: 'undefined',
    process: 'undefined',
  });
});

test('navigation-policy decideWindowNavigation: the renderer cannot navigate away or open windows', async () => {
  await page.evaluate(() => {
    (globalThis as unknown as { location: { href: string } }).location.href = 'https://example.invalid/';
  });
  // The guard's log line says the navigation was seen and refused (no waiting on a clock).
  await expect
    .poll(() =>
      station
        .logEvents()
        .filter((line) => line.event === 'navigation-blocked')
        .map((line) => line.url),
    )
    .toContain('https://example.invalid/');
  expect(page.url()).toMatch(/^app:\/\/walkup\//);
  const opened = await page.evaluate(
    () => (globalThis as unknown as { open(url: string): unknown }).open('app://walkup/index.html') === null,
  );
  expect(opened).toBe(true);
  expect(app.windows()).toHaveLength(1);
});

test('duo-view (v4): a visit shows Duo in its own view and ends on Done', async () => {
  await expect(
    page.getByRole('heading', { name: 'Add or replace your Duo phone or security key' }),
  ).toBeVisible();
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  await page.getByLabel('Username').fill('alice');
  await page.getByLabel('Password', { exact: true }).fill('enroll-alice');
  await page.getByRole('button', { name: 'Sign in' }).click();

  // Duo's page is a separate web contents (WebContentsView) in an in-memory partition.
  await expect
    .poll(() =>
      app.evaluate(
        ({ webContents }, baseUrl) =>
          webContents.getAllWebContents().some((c) => c.getURL().startsWith(baseUrl)),
        emulator.baseUrl,
      ),
    )
    .toBe(true);
  await app.evaluate(async ({ webContents }, baseUrl) => {
    const duo = webContents.getAllWebContents().find((c) => c.getURL().startsWith(baseUrl));
    await duo?.executeJavaScript(
      "[...document.querySelectorAll('button')].find((b) => b.textContent.trim() === 'Finish')?.click()",
    );
  }, emulator.baseUrl);

  await expect(page.getByRole('heading', { name: 'All done' })).toBeVisible();
  // The view and its partition are gone once the visit left Duo.
  await expect
    .poll(() =>
      app.evaluate(
        ({ webContents }, baseUrl) =>
          webContents.getAllWebContents().some((c) => c.getURL().startsWith(baseUrl)),
        emulator.baseUrl,
      ),
    )
    .toBe(false);
});
