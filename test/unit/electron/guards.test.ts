import { beforeEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../../main/core/ports';
import { parseAdminChord, type AdminChord } from '../../../main/core/config/admin-chord';
import { setupGuards } from '../../../main/electron/guards';
import { defaultAdminChord } from '../../../main/electron/key-policy';
import { createNavigationPolicy } from '../../../main/electron/navigation-policy';
import { assignRole } from '../../../main/electron/roles';
import { FakeWebContents, fakeEvent, resetElectronFake } from './support/electron-fake';

vi.mock('electron', () => import('./support/electron-fake'));

const duoOrigin = 'https://api-x.duosecurity.com';
const policy = createNavigationPolicy({ duoOrigin, callbackUrl: 'https://walkup.invalid/duo/callback' });

function navigate(contents: FakeWebContents, kind: string, url: string, isMainFrame = true) {
  const event = fakeEvent({ url, isMainFrame });
  contents.emit(kind, event);
  return event.defaultPrevented;
}

function key(contents: FakeWebContents, input: Record<string, unknown>) {
  const event = fakeEvent();
  contents.emit('before-input-event', event, {
    type: 'keyDown',
    key: '',
    code: '',
    control: false,
    shift: false,
    alt: false,
    meta: false,
    ...input,
  });
  return event.defaultPrevented;
}

describe('setupGuards', () => {
  const onAdminChord = vi.fn();
  let chord: AdminChord = defaultAdminChord;
  beforeEach(() => {
    resetElectronFake();
    onAdminChord.mockReset();
    chord = defaultAdminChord;
    setupGuards({ policy: () => policy, logger: silentLogger, adminChord: () => chord, onAdminChord });
  });

  it('hardens the kiosk window: main frame stays on app://walkup, frames load nothing', () => {
    const window = new FakeWebContents();
    assignRole(window as never, { kind: 'window' });
    expect(navigate(window, 'will-navigate', 'app://walkup/index.html')).toBe(false);
    expect(navigate(window, 'will-navigate', 'https://evil.test/')).toBe(true);
    // Duo's v2 frame runs in its own view and partition, never in the window's session.
    expect(navigate(window, 'will-frame-navigate', `${duoOrigin}/frame/web/v1/auth`, false)).toBe(true);
    expect(navigate(window, 'will-frame-navigate', 'about:blank', false)).toBe(false);
    expect(navigate(window, 'will-frame-navigate', 'https://api-x.duosecurity.com.evil.test/', false)).toBe(
      true,
    );
    expect(navigate(window, 'will-redirect', 'https://evil.test/', false)).toBe(true);
  });

  it('denies every navigation of a web contents the station did not create on purpose', () => {
    const stray = new FakeWebContents();
    expect(navigate(stray, 'will-navigate', 'app://walkup/index.html')).toBe(true);
    expect(navigate(stray, 'will-frame-navigate', `${duoOrigin}/`, false)).toBe(true);
  });

  it('refuses new windows and webviews everywhere', () => {
    const contents = new FakeWebContents();
    expect(contents.windowOpenHandler?.({ url: 'app://walkup/index.html' })).toEqual({ action: 'deny' });
    const attach = fakeEvent();
    contents.emit('will-attach-webview', attach, {}, {});
    expect(attach.defaultPrevented).toBe(true);
  });

  it('swallows reload and devtools keys, passes typing, and reports the admin chord', () => {
    const contents = new FakeWebContents();
    expect(key(contents, { code: 'KeyR', key: 'r', control: true, meta: true })).toBe(true);
    expect(key(contents, { code: 'F12', key: 'F12' })).toBe(true);
    expect(key(contents, { code: 'KeyA', key: 'a' })).toBe(false);
    expect(onAdminChord).not.toHaveBeenCalled();
    expect(key(contents, { code: 'KeyK', key: 'K', control: true, shift: true, alt: true })).toBe(true);
    expect(onAdminChord).toHaveBeenCalledTimes(1);
  });

  it("uses the configuration's chord: the configured one opens admin, the default no longer does", () => {
    const parsed = parseAdminChord('Ctrl+Alt+F9');
    if (!parsed.ok) throw new Error(parsed.error);
    chord = parsed.chord;
    const contents = new FakeWebContents();
    key(contents, { code: 'KeyK', key: 'K', control: true, shift: true, alt: true });
    expect(onAdminChord).not.toHaveBeenCalled();
    expect(key(contents, { code: 'F9', key: 'F9', control: true, alt: true })).toBe(true);
    expect(key(contents, { type: 'keyUp', code: 'F9', key: 'F9', control: true, alt: true })).toBe(true);
    expect(onAdminChord).toHaveBeenCalledTimes(1);
  });

  it("intercepts the redirect_uri in Duo's view and hands its query over instead of loading it", () => {
    const view = new FakeWebContents();
    const onDuoCallback = vi.fn();
    const onActivity = vi.fn();
    assignRole(view as never, { kind: 'duo-view', onDuoCallback, onActivity });
    expect(navigate(view, 'will-navigate', `${duoOrigin}/oauth/v1/authorize?x=1`)).toBe(false);
    expect(navigate(view, 'will-redirect', 'https://walkup.invalid/duo/callback?state=s&duo_code=c')).toBe(
      true,
    );
    expect(onDuoCallback).toHaveBeenCalledWith({ state: 's', duoCode: 'c' });
    expect(navigate(view, 'will-navigate', 'https://evil.test/')).toBe(true);
    expect(onDuoCallback).toHaveBeenCalledTimes(1);
    key(view, { code: 'KeyA', key: 'a' });
    expect(onActivity).toHaveBeenCalledTimes(1);
  });
});
