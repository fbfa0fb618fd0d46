import { beforeEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../../main/core/ports';
import { createCrashLoopBreaker } from '../../../main/electron/crash-policy';
import { setupAppLockdown, setupLifecycle } from '../../../main/electron/lifecycle';
import {
  app,
  BrowserWindow,
  fakeEvent,
  Menu,
  powerMonitor,
  powerSaveBlocker,
  resetElectronFake,
} from './support/electron-fake';

vi.mock('electron', () => import('./support/electron-fake'));

describe('setupLifecycle', () => {
  let window: BrowserWindow;
  let now = 0;
  const onRendererLost = vi.fn();

  beforeEach(() => {
    resetElectronFake();
    vi.clearAllMocks();
    now = 1_000_000;
    window = new BrowserWindow();
  });

  function start() {
    return setupLifecycle({
      window: window as never,
      logger: silentLogger,
      onRendererLost,
      breaker: createCrashLoopBreaker({ now: () => now }),
    });
  }

  function crash(reason = 'crashed') {
    window.webContents.emit('render-process-gone', fakeEvent(), { reason, exitCode: 139 });
  }

  it('keeps the display awake', () => {
    start();
    expect(powerSaveBlocker.started).toEqual(['prevent-display-sleep']);
  });

  it('refuses to close or quit until an admin exit allows it', () => {
    const lifecycle = start();
    const close = fakeEvent();
    window.emit('close', close);
    expect(close.defaultPrevented).toBe(true);
    const quit = fakeEvent();
    app.emit('before-quit', quit);
    expect(quit.defaultPrevented).toBe(true);
    lifecycle.allowExit();
    const allowed = fakeEvent();
    window.emit('close', allowed);
    expect(allowed.defaultPrevented).toBe(false);
  });

  it('lets the operating system shut the station down', () => {
    start();
    powerMonitor.emit('shutdown');
    const close = fakeEvent();
    window.emit('close', close);
    expect(close.defaultPrevented).toBe(false);
  });

  it('reloads a crashed renderer and ends the visit', () => {
    start();
    crash();
    expect(onRendererLost).toHaveBeenCalledWith('renderer-crash');
    expect(window.webContents.loads).toEqual(['app://walkup/index.html']);
  });

  it('shows the out-of-service page at the third crash within a minute', () => {
    start();
    crash();
    now += 10_000;
    crash();
    now += 10_000;
    crash('oom');
    expect(window.webContents.loads.at(-1)).toBe('app://walkup/__walkup/out-of-service.html');
  });

  it('ignores a clean exit', () => {
    start();
    crash('clean-exit');
    expect(onRendererLost).not.toHaveBeenCalled();
    expect(window.webContents.loads).toEqual([]);
  });

  it('crashes a hung renderer so that it is reloaded', () => {
    start();
    window.emit('unresponsive');
    expect(window.webContents.crashed).toBe(true);
  });
});

describe('setupAppLockdown', () => {
  it('removes the application menu (and its reload, devtools and quit accelerators)', () => {
    resetElectronFake();
    setupAppLockdown();
    expect(Menu.menu).toBeNull();
  });
});
