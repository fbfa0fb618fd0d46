/**
 * The kiosk window as the shell promises it (main/electron/window-policy.ts, lifecycle.ts,
 * key-policy.ts), on a real Electron: kiosk flags, hardened web preferences, a window that will
 * not close, and the key filter. Launched without `--windowed`, as a kiosk.
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
test.describe.configure({ mode: 'serial' });

let emulator: DuoEmulator;
let station: RunningStation;

test.beforeAll(async () => {
  emulator = await startDuoEmulator();
  station = await launchStation({ policy: demoPolicy(emulator), windowed: false });
});

test.afterAll(async () => {
  await station?.close();
  await emulator?.close();
});

test('window-policy getMainWindowOptions: a fullscreen kiosk window that cannot be resized, moved, minimised or closed', async () => {
  const linux = process.platform === 'linux';
  const flags = await station.app.evaluate(async ({ BrowserWindow }, onLinux) => {
    const [window] = BrowserWindow.getAllWindows();
    if (!window) throw new Error('no window');
    // Fullscreen settles after ready-to-show (macOS animates into its own Space).
    for (let tries = 0; !onLinux && tries < 50 && !window.isFullScreen(); tries += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return {
      kiosk: window.isKiosk(),
      fullScreen: window.isFullScreen(),
      resizable: window.isResizable(),
      movable: window.isMovable(),
      minimizable: window.isMinimizable(),
      maximizable: window.isMaximizable(),
      closable: window.isClosable(),
      visible: window.isVisible(),
    };
  }, linux);
  if (linux) {
    // Electron implements movable, minimizable, maximizable and closable on macOS and Windows only
    // (always true on Linux), and under Xvfb no window manager confirms fullscreen: the kiosk
    // compositor (cage) does that on a station. What Linux can answer:
    expect({ kiosk: flags.kiosk, resizable: flags.resizable, visible: flags.visible }).toEqual({
      kiosk: true,
      resizable: false,
      visible: true,
    });
    return;
  }
  expect(flags).toEqual({
    kiosk: true,
    fullScreen: true,
    resizable: false,
    movable: false,
    minimizable: false,
    maximizable: false,
    closable: false,
    visible: true,
  });
});

test('window-policy hardenedWebPreferences: the renderer has no Node, no webview, no dialogs, and cannot read another origin', async () => {
  const seen = await station.page.evaluate(async (crossOrigin) => {
    const scope = globalThis as unknown as {
      require?: unknown;
      process?: unknown;
      customElements: { get(name: string): unknown };
      alert(message: string): void;
      confirm(message: string): boolean;
      fetch(url: string): Promise<unknown>;
    };
    // disableDialogs: alert and confirm return at once (a shown dialog would block this call).
    scope.alert('blocked?');
    const confirmed = scope.confirm('blocked?');
    // webSecurity, and the default session's network block: another origin cannot be read.
    const crossOriginRead = await scope.fetch(crossOrigin).then(
      () => 'read',
      () => 'refused',
    );
    return {
      require: typeof scope.require,
      process: typeof scope.process,
      webview: typeof scope.customElements.get('webview'),
      confirmed,
      crossOriginRead,
    };
  }, `${emulator.baseUrl}/`);
  expect(seen).toEqual({
    require: 'undefined',
    process: 'undefined',
    webview: 'undefined',
    confirmed: false,
    crossOriginRead: 'refused',
  });
  // devTools: off in a packaged build (isProduction); a development run may open them.
  const devTools = await station.app.evaluate(({ BrowserWindow }) => {
    const contents = BrowserWindow.getAllWindows()[0]?.webContents;
    contents?.openDevTools({ mode: 'detach' });
    const opened = contents?.isDevToolsOpened() ?? false;
    contents?.closeDevTools();
    return opened;
  });
  if (station.packaged) expect(devTools).toBe(false);
});

test('lifecycle setupLifecycle: closing the window (Alt+F4, Cmd+Q, the OS) is refused without an admin exit', async () => {
  const after = await station.app.evaluate(async ({ app, BrowserWindow }) => {
    const [window] = BrowserWindow.getAllWindows();
    window?.close();
    app.quit();
    await new Promise((resolve) => setTimeout(resolve, 500));
    return { windows: BrowserWindow.getAllWindows().length, destroyed: window?.isDestroyed() ?? true };
  });
  expect(after).toEqual({ windows: 1, destroyed: false });
  expect(station.logEvents().map((line) => line.event)).toContain('close-prevented');
});

test('key-policy classifyKeyInput: reload, devtools, zoom, close, print and history keys never reach the page; typing does', async () => {
  await station.page.evaluate(() => {
    const seen: string[] = [];
    (globalThis as unknown as { __walkupKeys: string[] }).__walkupKeys = seen;
    const scope = globalThis as unknown as {
      addEventListener(
        type: 'keydown',
        listener: (event: { code: string; key: string }) => void,
        capture: boolean,
      ): void;
    };
    scope.addEventListener('keydown', (event) => seen.push(event.code || event.key), true);
  });
  const command = process.platform === 'darwin' ? 'meta' : 'control';
  await station.app.evaluate(({ BrowserWindow }, commandModifier) => {
    const contents = BrowserWindow.getAllWindows()[0]?.webContents;
    type Modifier = 'control' | 'meta' | 'shift' | 'alt';
    const press = (keyCode: string, modifiers: Modifier[] = []): void => {
      contents?.sendInputEvent({ type: 'keyDown', keyCode, modifiers });
      contents?.sendInputEvent({ type: 'keyUp', keyCode, modifiers });
    };
    const cmd = commandModifier as Modifier;
    contents?.focus();
    press('R', [cmd]); // reload
    press('F5');
    press('I', [cmd, process.platform === 'darwin' ? 'alt' : 'shift']); // devtools
    press('F12');
    press('=', [cmd]); // zoom
    press('P', [cmd]); // print
    press('W', [cmd]); // close
    press('F4', ['alt']);
    press('A'); // a visitor typing
  }, command);
  // Only the plain letter arrives (as its code, or its key where the platform gives no code).
  await expect
    .poll(() =>
      station.page.evaluate(() => (globalThis as unknown as { __walkupKeys: string[] }).__walkupKeys),
    )
    .toEqual([expect.stringMatching(/^(KeyA|a|A)$/)]);
  expect(station.page.url()).toMatch(/^app:\/\/walkup\//);
});
