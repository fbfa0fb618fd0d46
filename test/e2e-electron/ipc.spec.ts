/**
 * Who may call the station over IPC (main/electron/ipc-policy.ts checkIpcSender, ipc.ts): only
 * the kiosk window's main frame on app://walkup. Here the same window is made to show another
 * origin (the preload still runs there, so the bridge exists and the check in main is all that
 * stands in the way), and Duo's views (v4 page; v2 frame and its host page) have no bridge.
 */
import { expect, test } from '@playwright/test';
import {
  demoPolicy,
  demoPolicyV2,
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

test.beforeAll(async () => {
  emulator = await startDuoEmulator();
});
test.afterAll(async () => {
  await emulator?.close();
});

/** What the page sees of the main process: the bridge, Node, and what a call to it returns. */
async function probeBridge(
  station: RunningStation,
): Promise<{ bridge: string; require: string; call: string }> {
  return station.page.evaluate(async () => {
    const scope = globalThis as unknown as { walkup?: { getStation(): Promise<unknown> }; require?: unknown };
    let call = 'no bridge';
    if (scope.walkup) {
      try {
        await scope.walkup.getStation();
        call = 'answered';
      } catch (error) {
        call = `rejected: ${String(error)}`;
      }
    }
    return { bridge: typeof scope.walkup, require: typeof scope.require, call };
  });
}

test.describe('v4 station', () => {
  let station: RunningStation;
  test.beforeAll(async () => {
    station = await launchStation({ policy: demoPolicy(emulator) });
  });
  test.afterAll(async () => {
    await station?.close();
  });

  test('ipc-policy checkIpcSender: the kiosk page on app://walkup is answered', async () => {
    expect(await probeBridge(station)).toEqual({ bridge: 'object', require: 'undefined', call: 'answered' });
  });

  test('ipc-policy checkIpcSender: the same window showing another origin (data:) is refused', async () => {
    // Loaded from main: will-navigate is not asked, and the preload runs there as on every page of
    // this window, so the bridge exists and only the check in main refuses the call.
    await station.app.evaluate(async ({ BrowserWindow }) => {
      await BrowserWindow.getAllWindows()[0]
        ?.webContents.loadURL('data:text/html,<title>elsewhere</title>')
        .catch(() => undefined);
    });
    await expect.poll(() => station.page.url()).toMatch(/^data:/);
    const seen = await probeBridge(station);
    expect(seen.bridge).toBe('object');
    expect(seen.call).toMatch(/^rejected: .*refused/);
    expect(
      station
        .logEvents()
        .filter((line) => line.event === 'ipc-refused')
        .map((line) => line.reason),
    ).toContain('wrong-origin');
    await station.app.evaluate(async ({ BrowserWindow }) => {
      await BrowserWindow.getAllWindows()[0]?.webContents.loadURL('app://walkup/index.html');
    });
    await expect.poll(() => probeBridge(station).then((again) => again.call)).toBe('answered');
  });

  test("ipc-policy (v4): Duo's view has no bridge to main, no require and no process", async () => {
    await expect(
      station.page.getByRole('heading', { name: 'Add or replace your Duo phone or security key' }),
    ).toBeVisible();
    await signInAsAlice(station.page);
    await expect.poll(() => duoViewUrl(station.app, emulator.baseUrl)).toMatch(/^https:/);
    const seen = await station.app.evaluate(async ({ webContents }, base) => {
      const duo = webContents.getAllWebContents().find((c) => c.getURL().startsWith(base));
      return duo?.executeJavaScript('[typeof walkup, typeof require, typeof process].join(" ")');
    }, emulator.baseUrl);
    expect(seen).toBe('undefined undefined undefined');
  });
});

test.describe('v2 station', () => {
  let station: RunningStation;
  test.beforeAll(async () => {
    station = await launchStation({ policy: demoPolicyV2(emulator) });
  });
  test.afterAll(async () => {
    await station?.close();
  });

  test("ipc-policy (v2): Duo's frame and the host page around it have no bridge to main, no require and no process", async () => {
    await expect(
      station.page.getByRole('heading', { name: 'Add or replace your Duo phone or security key' }),
    ).toBeVisible();
    await signInAsAlice(station.page);
    // Web SDK v2 runs in its own view: a host page on app://walkup in the visit's partition frames Duo.
    const probeV2View = (): Promise<{ host: unknown; duo: unknown } | undefined> =>
      station.app.evaluate(async ({ BrowserWindow, webContents }, base) => {
        const kiosk = BrowserWindow.getAllWindows()[0]?.webContents;
        const view = webContents
          .getAllWebContents()
          .find(
            (c) => c !== kiosk && c.mainFrame.framesInSubtree.some((frame) => frame.url.startsWith(base)),
          );
        const duoFrame = view?.mainFrame.framesInSubtree.find((frame) => frame.url.startsWith(base));
        if (!view || !duoFrame) return undefined;
        const probe = '[typeof walkup, typeof require, typeof process].join(" ")';
        return {
          host: await view.mainFrame.executeJavaScript(probe),
          duo: await duoFrame.executeJavaScript(probe),
        };
      }, emulator.baseUrl);
    await expect.poll(probeV2View).toEqual({
      host: 'undefined undefined undefined',
      duo: 'undefined undefined undefined',
    });
  });
});
