/**
 * Navigation and window-open refusals on a real Electron (main/electron/navigation-policy.ts
 * exact-origin allow-list, guards.ts applying it to every web contents, the renderer CSP): the
 * renderer stays on app://walkup, Duo's view stays on Duo's exact origin, and no window opens.
 * The emulator's certificate is valid for `localhost` too, so the look-alike origin below would
 * load if the guard let it through.
 */
import { expect, test } from '@playwright/test';
import {
  demoPolicy,
  duoViewUrl,
  launchStation,
  NO_ELECTRON,
  signInAsAlice,
  startDuoEmulator,
  target,
  type DuoEmulator,
  type RunningStation,
} from './station';

test.skip(target === undefined, NO_ELECTRON);
test.describe.configure({ mode: 'serial' });

let emulator: DuoEmulator;
let station: RunningStation;
let port: number;

test.beforeAll(async () => {
  emulator = await startDuoEmulator();
  port = Number(new URL(emulator.baseUrl).port);
  station = await launchStation({ policy: demoPolicy(emulator) });
});

test.afterAll(async () => {
  await station?.close();
  await emulator?.close();
});

/** The URLs the shell logged as blocked for `event` (log lines carry scheme, host and path only). */
function blocked(event: string): string[] {
  return station
    .logEvents()
    .filter((line) => line.event === event)
    .map((line) => String(line.url));
}

test('navigation-policy setWindowOpenHandler: window.open is refused for javascript:, file:, look-alike and even app:// URLs', async () => {
  const results = await station.page.evaluate((lookalike) => {
    const open = (url: string): boolean =>
      (globalThis as unknown as { open(u: string): unknown }).open(url) === null;
    return [
      open("javascript:document.title='opened'"),
      open('file:///etc/passwd'),
      open(lookalike),
      open('app://walkup/index.html'),
    ];
  }, `https://localhost:${port}/lookalike`);
  expect(results).toEqual([true, true, true, true]);
  expect(await station.app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
  // Chromium itself may refuse file: before the handler is asked; the look-alike reaches it.
  await expect.poll(() => blocked('window-open-blocked')).toContain(`https://localhost:${port}/lookalike`);
});

test('navigation-policy decideWindowNavigation: the renderer main frame refuses file: and https, and the CSP refuses javascript: URLs', async () => {
  const title = await station.page.title();
  await station.page.evaluate(() => {
    (globalThis as unknown as { location: { href: string } }).location.href = 'file:///etc/passwd';
  });
  await station.page.evaluate((lookalike) => {
    (globalThis as unknown as { location: { href: string } }).location.href = lookalike;
  }, `https://localhost:${port}/renderer-lookalike`);
  await station.page.evaluate(() => {
    (globalThis as unknown as { location: { href: string } }).location.href =
      "javascript:document.title='pwned'";
  });
  // Chromium itself may refuse file: before will-navigate; the look-alike reaches the guard.
  await expect
    .poll(() => blocked('navigation-blocked'))
    .toContain(`https://localhost:${port}/renderer-lookalike`);
  expect(station.page.url()).toMatch(/^app:\/\/walkup\//);
  expect(await station.page.title()).toBe(title);
});

test("navigation-policy decideDuoViewNavigation: Duo's view refuses a look-alike host, embedded credentials, another port and an http downgrade", async () => {
  await expect(
    station.page.getByRole('heading', { name: 'Add or replace your Duo phone or security key' }),
  ).toBeVisible();
  await signInAsAlice(station.page);
  await expect.poll(() => duoViewUrl(station.app, emulator.baseUrl)).toMatch(/^https:/);
  const attempts = [
    `https://localhost:${port}/lookalike`,
    `https://127.0.0.1:${port}@localhost:${port}/userinfo`,
    `https://127.0.0.1:${port + 1}/other-port`,
    `http://127.0.0.1:${port}/downgrade`,
  ];
  for (const url of attempts) {
    await station.app.evaluate(
      async ({ webContents }, { base, to }) => {
        const duo = webContents.getAllWebContents().find((c) => c.getURL().startsWith(base));
        await duo?.executeJavaScript(`location.href = ${JSON.stringify(to)}; true`);
      },
      { base: emulator.baseUrl, to: url },
    );
  }
  await expect
    .poll(() =>
      station
        .logEvents()
        .filter((line) => line.event === 'navigation-blocked' && line.role === 'duo-view')
        .map((line) => String(line.url)),
    )
    .toEqual(
      expect.arrayContaining([
        `https://localhost:${port}/lookalike`,
        `https://localhost:${port}/userinfo`,
        `https://127.0.0.1:${port + 1}/other-port`,
        `http://127.0.0.1:${port}/downgrade`,
      ]),
    );
  expect(await duoViewUrl(station.app, emulator.baseUrl)).toMatch(new RegExp(`^${emulator.baseUrl}/`));
});

test("navigation-policy setWindowOpenHandler: Duo's page cannot open a window either", async () => {
  const opened = await station.app.evaluate(
    async ({ webContents }, { base, to }) => {
      const duo = webContents.getAllWebContents().find((c) => c.getURL().startsWith(base));
      return duo?.executeJavaScript(`window.open(${JSON.stringify(to)}) === null`);
    },
    { base: emulator.baseUrl, to: `${emulator.baseUrl}/popup` },
  );
  expect(opened).toBe(true);
  expect(await station.app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
  await expect.poll(() => blocked('window-open-blocked')).toContain(`${emulator.baseUrl}/popup`);
});
