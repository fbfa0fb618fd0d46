/**
 * The visit ends and leaves nothing behind, on a real Electron: an idle reset during Duo closes
 * Duo's view and wipes its in-memory partition (main/electron/duo-view.ts close: cookies,
 * storage, cache, HTTP auth), so the next person starts with nothing of this one.
 */
import { expect, test } from '@playwright/test';
import { shortIdleStation } from './policies';
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

let emulator: DuoEmulator;
let station: RunningStation;

test.beforeAll(async () => {
  emulator = await startDuoEmulator();
  // The shortest idle the schema allows during Duo: 30 s, then a 5 s warning.
  station = await launchStation({ policy: demoPolicy(emulator, { station: shortIdleStation }) });
});

test.afterAll(async () => {
  await station?.close();
  await emulator?.close();
});

test("duo-view close (idle reset): Duo's view is closed and its visit partition wiped", async () => {
  test.setTimeout(150_000);
  const welcomeHeading = station.page.getByRole('heading', {
    name: 'Add or replace your Duo phone or security key',
  });
  await expect(welcomeHeading).toBeVisible();
  await signInAsAlice(station.page);
  await expect.poll(() => duoViewUrl(station.app, emulator.baseUrl)).toMatch(/^https:/);

  // Something of this person in the visit partition: a cookie and local storage on Duo's origin.
  const partition = await station.app.evaluate(async ({ webContents }, base) => {
    const duo = webContents.getAllWebContents().find((c) => c.getURL().startsWith(base));
    if (!duo) throw new Error('no Duo view');
    (globalThis as unknown as { __walkupVisitSession: Electron.Session }).__walkupVisitSession = duo.session;
    await duo.session.cookies.set({
      url: base,
      name: 'person',
      value: 'alice',
      expirationDate: 4_102_444_800,
    });
    await duo.executeJavaScript("localStorage.setItem('person', 'alice'); true");
    return { persistent: duo.session.isPersistent(), cookies: (await duo.session.cookies.get({})).length };
  }, emulator.baseUrl);
  expect(partition).toEqual({ persistent: false, cookies: expect.any(Number) });
  expect(partition.cookies).toBeGreaterThan(0);

  // Nobody touches the station: the idle warning, then the reset back to the welcome.
  await expect(welcomeHeading).toBeVisible({ timeout: 120_000 });
  await expect.poll(() => duoViewUrl(station.app, emulator.baseUrl)).toBeUndefined();
  await expect
    .poll(() =>
      station.app.evaluate(async () => {
        const visitSession = (globalThis as unknown as { __walkupVisitSession: Electron.Session })
          .__walkupVisitSession;
        return (await visitSession.cookies.get({})).length;
      }),
    )
    .toBe(0);
  expect(station.logEvents().map((line) => line.event)).toContain('duo-view-closed');
});
