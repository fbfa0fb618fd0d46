/**
 * The Electron shell, driven by Playwright's `_electron`: the hardened window, the app://
 * renderer with exactly `window.walkup`, navigation and window-open refusals, and a whole v4
 * visit through the Duo view against the Duo emulator. Needs `npm run build` first.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { _electron as electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';
import { startDuoEmulator, type DuoEmulator } from '../support/duo-emulator';
import { findElectronBinary, NO_ELECTRON } from './electron-binary';

const root = path.resolve(import.meta.dirname, '../..');
const executablePath = findElectronBinary();

// One skip for the whole file, with one reason line.
test.skip(executablePath === undefined, NO_ELECTRON);

test.describe.configure({ mode: 'serial' });

let emulator: DuoEmulator;
let workDir: string;
let app: ElectronApplication;
let page: Page;

test.beforeAll(async () => {
  for (const built of ['out/main/index.cjs', 'out/preload/index.cjs', 'out/renderer/index.html']) {
    if (!existsSync(path.join(root, built))) throw new Error(`${built} is missing: run npm run build first`);
  }
  emulator = await startDuoEmulator();
  workDir = await mkdtemp(path.join(tmpdir(), 'walkup-e2e-electron-'));
  const policyFile = path.join(workDir, 'policy.json');
  await writeFile(
    policyFile,
    JSON.stringify({
      station: { name: 'Electron e2e' },
      directory: { type: 'demo' },
      duo: {
        sdk: 'v4',
        apiHost: emulator.apiHost,
        clientId: emulator.integrations.v4.clientId,
        clientSecret: emulator.integrations.v4.clientSecret,
        caFile: emulator.caFile,
      },
      audit: { file: path.join(workDir, 'audit.jsonl') },
    }),
  );
  app = await electron.launch({
    executablePath: executablePath as string,
    args: [root, '--policy', policyFile, '--windowed', `--user-data-dir=${path.join(workDir, 'user-data')}`],
    cwd: root,
  });
  page = await app.firstWindow();
  await page.waitForLoadState('domcontentloaded');
});

test.afterAll(async () => {
  // The window refuses to close without an admin exit; end the process from the outside.
  await app?.evaluate(({ app: electronApp }) => electronApp.exit(0)).catch(() => undefined);
  await emulator?.close();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

test('the station has no application menu and one window', async () => {
  const shell = await app.evaluate(({ BrowserWindow, Menu }) => ({
    menu: Menu.getApplicationMenu(),
    windows: BrowserWindow.getAllWindows().length,
  }));
  expect(shell).toEqual({ menu: null, windows: 1 });
});

test('the renderer comes from app://walkup and sees exactly the contract, without Node', async () => {
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

test('the renderer cannot navigate away or open windows', async () => {
  await page.evaluate(() => {
    (globalThis as unknown as { location: { href: string } }).location.href = 'https://example.invalid/';
  });
  await page.waitForTimeout(500);
  expect(page.url()).toMatch(/^app:\/\/walkup\//);
  const opened = await page.evaluate(
    () => (globalThis as unknown as { open(url: string): unknown }).open('app://walkup/index.html') === null,
  );
  expect(opened).toBe(true);
  expect(app.windows()).toHaveLength(1);
});

test('a v4 visit shows Duo in its own view and ends on Done', async () => {
  await expect(page.getByRole('heading', { name: 'Sign in to manage your Duo devices' })).toBeVisible();
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
