/**
 * The shell hardening of issues #7 (item 5) and #9 on a real Electron, each test named after the
 * policy it proves: every visit's Duo (v4 page and v2 frame) in a fresh in-memory partition that
 * is never the default session and never reused, the default session without Duo state, a
 * crashed Duo view ending the visit, and no client certificate ever. Needs `npm run build`.
 */
import { execFile } from 'node:child_process';
import { expect, test, type ElectronApplication } from '@playwright/test';
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

/** The welcome screen's heading: the first screen of every visit, and where every reset returns. */
const WELCOME = 'Add or replace your Duo phone or security key';

/** How the web contents showing `urlPrefix` is stored, from main. */
function partitionOf(app: ElectronApplication, urlPrefix: string) {
  return app.evaluate(async ({ session, webContents }, prefix) => {
    const contents = webContents.getAllWebContents().find((c) => c.getURL().startsWith(prefix));
    if (!contents) return undefined;
    return {
      isDefault: contents.session === session.defaultSession,
      persistent: contents.session.isPersistent(),
      storagePath: contents.session.storagePath,
      frames: contents.mainFrame.framesInSubtree.map((frame) => frame.url),
    };
  }, urlPrefix);
}

/** Cookies the default session holds for `url` (Duo's origin must have none). */
function defaultSessionCookies(app: ElectronApplication, url: string) {
  return app.evaluate(({ session }, base) => session.defaultSession.cookies.get({ url: base }), url);
}

test.describe('Web SDK v4', () => {
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

  test('session-policy createPartitionNamer: Duo v4 runs in an in-memory partition of the visit, not the default session', async () => {
    await expect(station.page.getByRole('heading', { name: WELCOME })).toBeVisible();
    await signInAsAlice(station.page);
    await expect.poll(() => duoViewUrl(station.app, emulator.baseUrl)).toMatch(/^https:/);
    const stored = await partitionOf(station.app, emulator.baseUrl);
    expect(stored).toMatchObject({ isDefault: false, persistent: false, storagePath: null });
    expect(await defaultSessionCookies(station.app, emulator.baseUrl)).toEqual([]);
  });

  test("duo-view onGone: a crashed Duo view ends the visit like a crashed renderer ('renderer-crash')", async () => {
    await expect.poll(() => duoViewUrl(station.app, emulator.baseUrl)).toMatch(/^https:/);
    await station.app.evaluate(({ webContents }, base) => {
      webContents
        .getAllWebContents()
        .find((c) => c.getURL().startsWith(base))
        ?.forcefullyCrashRenderer();
    }, emulator.baseUrl);
    await expect(station.page.getByRole('heading', { name: WELCOME })).toBeVisible();
    await expect.poll(() => duoViewUrl(station.app, emulator.baseUrl)).toBeUndefined();
    expect(station.logEvents().map((line) => line.event)).toEqual(
      expect.arrayContaining(['duo-view-gone', 'visit-restart', 'visit-partition-released']),
    );
    const restart = station.logEvents().find((line) => line.event === 'visit-restart');
    expect(restart?.reason).toBe('renderer-crash');
  });

  test('session-policy createPartitionNamer: the next visit gets a partition never used before', async () => {
    const opened = () =>
      station
        .logEvents()
        .filter((line) => line.event === 'duo-view-opened')
        .map((line) => line.partition);
    const before = opened();
    await signInAsAlice(station.page);
    await expect.poll(() => opened().length).toBe(before.length + 1);
    const names = opened();
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(String(name)).toMatch(/^walkup-visit-duo-v4-/);
  });

  test('sessions setupSessionHardening: no client certificate is ever picked (select-client-certificate is handled)', async () => {
    const listeners = await station.app.evaluate(({ app }) => app.listenerCount('select-client-certificate'));
    expect(listeners).toBeGreaterThan(0);
  });
});

test.describe('Web SDK v2', () => {
  let emulator: DuoEmulator;
  let station: RunningStation;

  test.beforeAll(async () => {
    emulator = await startDuoEmulator();
    station = await launchStation({ policy: demoPolicyV2(emulator) });
  });
  test.afterAll(async () => {
    await station?.close();
    await emulator?.close();
  });

  test("duo-view v2 host: Duo's v2 frame runs on a host page in the visit's own partition; the renderer frames nothing", async () => {
    await expect(station.page.getByRole('heading', { name: WELCOME })).toBeVisible();
    await signInAsAlice(station.page);
    const host = 'app://walkup/duo-v2/host.html';
    await expect
      .poll(async () =>
        (await partitionOf(station.app, host))?.frames.some((url) => url.startsWith(emulator.baseUrl)),
      )
      .toBe(true);
    expect(await partitionOf(station.app, host)).toMatchObject({ isDefault: false, persistent: false });
    // The kiosk window itself holds no frame of Duo, and its session no Duo cookie.
    const windowFrames = await station.app.evaluate(({ BrowserWindow }) =>
      BrowserWindow.getAllWindows()[0]?.webContents.mainFrame.framesInSubtree.map((frame) => frame.url),
    );
    expect(windowFrames?.some((url) => url.startsWith(emulator.baseUrl))).toBe(false);
    expect(await defaultSessionCookies(station.app, emulator.baseUrl)).toEqual([]);
  });
});

test.describe('a packaged station', () => {
  test('startup-policy decideStartup: a packaged station refuses to start with a security-off switch', async () => {
    test.skip(!target?.packaged, 'runs against a packaged test build only (WALKUP_E2E_APP)');
    const executable = target?.executablePath ?? '';
    // Refused in a test build too: only the debugging switches Playwright needs are allowed there.
    const result = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      execFile(executable, ['--disable-web-security'], { timeout: 30_000 }, (error, _stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ code, stderr });
      });
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('"event":"startup-refused"');
    expect(result.stderr).toContain('disable-web-security');
  });
});
