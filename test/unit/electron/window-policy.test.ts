import { describe, expect, it } from 'vitest';
import {
  createActivityGate,
  duoViewLaunchFor,
  getDuoViewBounds,
  getDuoViewOptions,
  getMainWindowOptions,
} from '../../../main/electron/window-policy';

describe('getMainWindowOptions', () => {
  const options = getMainWindowOptions({ preloadPath: '/app/out/preload/index.cjs', isProduction: true });
  const prefs = options.webPreferences ?? {};

  it('opens a frameless fullscreen kiosk window that stays hidden until ready-to-show', () => {
    expect(options).toMatchObject({
      kiosk: true,
      fullscreen: true,
      show: false,
      frame: false,
      closable: false,
    });
  });
  it('sandboxes the renderer with context isolation and no Node, also in subframes and workers', () => {
    expect(prefs).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      nodeIntegrationInWorker: false,
    });
  });
  it('keeps web security on and risky features off', () => {
    expect(prefs).toMatchObject({
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    });
    expect(prefs.enableBlinkFeatures).toBeUndefined();
  });
  it('has no devtools in production and loads the bundled preload', () => {
    expect(prefs.devTools).toBe(false);
    expect(prefs.preload).toBe('/app/out/preload/index.cjs');
  });
  it('allows devtools and a window in development only', () => {
    const dev = getMainWindowOptions({ preloadPath: '/p.cjs', isProduction: false, kiosk: false });
    expect(dev.webPreferences?.devTools).toBe(true);
    expect(dev).toMatchObject({ kiosk: false, fullscreen: false, show: false, frame: false });
    expect(dev.webPreferences).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
    });
  });
});

describe('the Duo v4 view', () => {
  it('uses an in-memory partition, no preload and the same hardening', () => {
    const view = getDuoViewOptions('walkup-duo-abc', true);
    expect(view.webPreferences).toMatchObject({
      partition: 'walkup-duo-abc',
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      devTools: false,
    });
    expect(view.webPreferences?.preload).toBeUndefined();
  });
  it('refuses a persistent partition', () => {
    expect(() => getDuoViewOptions('persist:walkup', true)).toThrow(/in-memory/);
  });
  it('puts v4 (view presentation) and v2 in the Duo view, nothing else', () => {
    const base = { displayName: 'A', idleResetAt: 'x', capResetAt: 'y' };
    expect(duoViewLaunchFor({ ...base, phase: 'duo', duo: { kind: 'page', presentation: 'view' } })).toEqual({
      kind: 'page',
    });
    expect(
      duoViewLaunchFor({ ...base, phase: 'duo', duo: { kind: 'frame', host: 'h:1', tx: 'TX' } }),
    ).toEqual({
      kind: 'frame',
      host: 'h:1',
      tx: 'TX',
    });
    expect(
      duoViewLaunchFor({
        ...base,
        phase: 'duo',
        duo: { kind: 'page', presentation: 'redirect', authUrl: 'u' },
      }),
    ).toBeUndefined();
    expect(duoViewLaunchFor({ phase: 'idle' })).toBeUndefined();
  });
  it('sits below the Walkup bar and fills the rest of the window', () => {
    expect(getDuoViewBounds({ width: 1920, height: 1080 }, 64)).toEqual({
      x: 0,
      y: 64,
      width: 1920,
      height: 1016,
    });
    expect(getDuoViewBounds({ width: 100, height: 40 }, 64)).toEqual({ x: 0, y: 40, width: 100, height: 0 });
  });
});

describe('createActivityGate', () => {
  it('forwards one activity per interval', () => {
    let now = 0;
    const gate = createActivityGate(5000, () => now);
    expect(gate()).toBe(true);
    now = 4999;
    expect(gate()).toBe(false);
    now = 5000;
    expect(gate()).toBe(true);
  });
});
