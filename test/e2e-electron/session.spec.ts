/**
 * What a page may get from the station's sessions, on a real Electron: downloads are cancelled on
 * every session (issue #9: the default session and each visit's Duo partition), permissions follow
 * the table in main/electron/permission-policy.ts (deny by default, each decision logged).
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

test.beforeAll(async () => {
  emulator = await startDuoEmulator();
  station = await launchStation({ policy: demoPolicy(emulator) });
  // Watch every download the shell sees, after its own handlers (registered at start) ran.
  await station.app.evaluate(({ app, session }) => {
    const items: Electron.DownloadItem[] = [];
    (globalThis as unknown as { __walkupDownloads: Electron.DownloadItem[] }).__walkupDownloads = items;
    const watch = (target: Electron.Session): void => {
      target.on('will-download', (_event, item) => items.push(item));
    };
    watch(session.defaultSession);
    app.on('session-created', watch);
  });
});

test.afterAll(async () => {
  await station?.close();
  await emulator?.close();
});

/** Starts a download the way page content would: a link with `download` to a blob. */
const startDownloadScript = `(() => {
  const link = document.createElement('a');
  link.href = URL.createObjectURL(new Blob(['not for a kiosk'], { type: 'text/plain' }));
  link.download = 'escape.txt';
  document.body.append(link);
  link.click();
  return true;
})()`;

/** States of the downloads seen so far (a cancelled one is 'cancelled'; a Save dialog leaves it 'progressing'). */
function downloadStates(): Promise<string[]> {
  return station.app.evaluate(() =>
    (globalThis as unknown as { __walkupDownloads: Electron.DownloadItem[] }).__walkupDownloads.map((item) =>
      item.getState(),
    ),
  );
}

/** Permission decisions the shell logged (`permission-request`). */
function permissionDecisions(): { permission: unknown; granted: unknown }[] {
  return station
    .logEvents()
    .filter((line) => line.event === 'permission-request')
    .map((line) => ({ permission: line.permission, granted: line.granted }));
}

test('permission-policy decidePermission: the kiosk page is refused geolocation and notifications', async () => {
  const answers = await station.page.evaluate(async () => {
    const scope = globalThis as unknown as {
      navigator: {
        geolocation: { getCurrentPosition(ok: () => void, fail: (error: { code: number }) => void): void };
      };
      Notification: { requestPermission(): Promise<string> };
    };
    const geolocation = await new Promise<string>((resolve) => {
      scope.navigator.geolocation.getCurrentPosition(
        () => resolve('granted'),
        (error) => resolve(error.code === 1 ? 'denied' : `error ${error.code}`),
      );
    });
    const notifications = await scope.Notification.requestPermission();
    return { geolocation, notifications };
  });
  expect(answers).toEqual({ geolocation: 'denied', notifications: 'denied' });
  await expect.poll(permissionDecisions).toEqual(
    expect.arrayContaining([
      { permission: 'geolocation', granted: false },
      { permission: 'notifications', granted: false },
    ]),
  );
  expect(permissionDecisions().every((decision) => decision.granted === false)).toBe(true);
});

test('sessions hardenSession (issue #9): a download started by the kiosk page is cancelled, never offered a Save dialog', async () => {
  await station.page.evaluate(startDownloadScript);
  await expect.poll(downloadStates).toEqual(['cancelled']);
  expect(station.logEvents().map((line) => line.event)).toContain('download-cancelled');
});

test("permission-policy decidePermission: Duo's origin in its visit partition is refused geolocation and notifications too", async () => {
  await expect(
    station.page.getByRole('heading', { name: 'Add or replace your Duo phone or security key' }),
  ).toBeVisible();
  await signInAsAlice(station.page);
  await expect.poll(() => duoViewUrl(station.app, emulator.baseUrl)).toMatch(/^https:/);
  const answers = await station.app.evaluate(async ({ webContents }, base) => {
    const duo = webContents.getAllWebContents().find((c) => c.getURL().startsWith(base));
    return duo?.executeJavaScript(`(async () => {
      const geolocation = await new Promise((resolve) =>
        navigator.geolocation.getCurrentPosition(() => resolve('granted'), (e) => resolve(e.code === 1 ? 'denied' : 'error ' + e.code)));
      const notifications = await Notification.requestPermission();
      return { geolocation, notifications };
    })()`) as Promise<{ geolocation: string; notifications: string }> | undefined;
  }, emulator.baseUrl);
  expect(answers).toEqual({ geolocation: 'denied', notifications: 'denied' });
  expect(permissionDecisions().every((decision) => decision.granted === false)).toBe(true);
});

test("sessions hardenSession (issue #9): a download started in Duo's view (the visit partition) is cancelled", async () => {
  const before = (await downloadStates()).length;
  await station.app.evaluate(
    async ({ webContents }, { base, script }) => {
      const duo = webContents.getAllWebContents().find((c) => c.getURL().startsWith(base));
      await duo?.executeJavaScript(script);
    },
    { base: emulator.baseUrl, script: startDownloadScript },
  );
  await expect.poll(async () => (await downloadStates()).slice(before)).toEqual(['cancelled']);
});
