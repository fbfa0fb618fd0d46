// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import type SimpleKeyboard from 'simple-keyboard';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { StationInfo } from '../../../main/contract';
import { forgetPhysicalKeys } from '../../../renderer/touch/use-on-screen-keyboard';
import { createFakeWalkupApi, testStation, type FakeWalkupApi } from './support/fake-walkup-api';
import { renderApp, startSignIn } from './support/render-app';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
  forgetPhysicalKeys();
  delete (window as { walkup?: unknown }).walkup;
  delete (window as { matchMedia?: unknown }).matchMedia;
});

function apiWith(onScreenKeyboard: StationInfo['onScreenKeyboard']): FakeWalkupApi {
  return createFakeWalkupApi({ station: { ...testStation, onScreenKeyboard } });
}

/** Renders the app and goes from the welcome to the sign-in form. */
async function showSignIn(api: FakeWalkupApi): Promise<void> {
  renderApp(api);
  await startSignIn();
}

/** The keyboard, once its lazily loaded module has arrived. */
function findKeyboard(): Promise<HTMLElement> {
  return screen.findByRole('group', { name: 'On-screen keyboard' });
}

function tap(keyboard: HTMLElement, text: string) {
  for (const character of text) {
    const key = within(keyboard).getByRole('button', { name: character === ' ' ? 'Space' : character });
    act(() => {
      fireEvent.mouseDown(key);
      fireEvent.mouseUp(key);
      fireEvent.click(key);
    });
  }
}

function liveKeyboards(): SimpleKeyboard[] {
  const registry = (window as { SimpleKeyboardInstances?: Record<string, SimpleKeyboard | null> })
    .SimpleKeyboardInstances;
  return Object.values(registry ?? {}).filter((instance): instance is SimpleKeyboard => instance !== null);
}

/** Every non-empty field text any live keyboard still holds. */
function heldTexts(): string[] {
  return liveKeyboards().flatMap((instance) => Object.values(instance.getAllInputs()).filter(Boolean));
}

describe('the sign-in screen with the on-screen keyboard', () => {
  it("'on': shows it, with inputmode none on both fields, and keys type into the focused field", async () => {
    const api = apiWith('on');
    await showSignIn(api);
    const keyboard = await findKeyboard();
    expect(screen.getByLabelText('Username').getAttribute('inputmode')).toBe('none');
    expect(screen.getByLabelText('Password').getAttribute('inputmode')).toBe('none');

    tap(keyboard, 'alice');
    expect(screen.getByLabelText('Username')).toHaveProperty('value', 'alice');
    act(() => screen.getByLabelText('Password').focus());
    tap(keyboard, 'pw 1');
    expect(screen.getByLabelText('Password')).toHaveProperty('value', 'pw 1');
    expect(screen.getByLabelText('Username')).toHaveProperty('value', 'alice');
  });

  it('Enter signs in with what was typed, and a refusal leaves no password in the keyboard', async () => {
    const api = apiWith('on');
    api.signInResults = [{ ok: false, reason: 'invalid-credentials', reference: 'R1' }];
    await showSignIn(api);
    const keyboard = await findKeyboard();
    tap(keyboard, 'alice');
    act(() => screen.getByLabelText('Password').focus());
    tap(keyboard, 's3cret');
    act(() => {
      fireEvent.click(within(keyboard).getByRole('button', { name: 'Enter' }));
    });
    await waitFor(() => expect(api.signInCalls).toHaveLength(1));
    expect(api.signInCalls[0]).toMatchObject({ username: 'alice', password: 's3cret' });
    await screen.findByRole('alert');
    await waitFor(() => expect(screen.getByLabelText('Password')).toHaveProperty('value', ''));
    expect(heldTexts()).toEqual(['alice']);
  });

  it("an empty form's Enter names the fields and sends nothing", async () => {
    const api = apiWith('on');
    await showSignIn(api);
    const keyboard = await findKeyboard();
    act(() => {
      fireEvent.click(within(keyboard).getByRole('button', { name: 'Enter' }));
    });
    expect((await screen.findByRole('alert')).textContent).toContain('Please enter your username.');
    expect(api.signInCalls).toEqual([]);
  });

  it("after a visit reset nothing typed remains in the keyboard's state", async () => {
    const api = apiWith('on');
    await showSignIn(api);
    const keyboard = await findKeyboard();
    tap(keyboard, 'alice');
    act(() => screen.getByLabelText('Password').focus());
    tap(keyboard, 's3cret');
    expect(heldTexts().sort()).toEqual(['alice', 's3cret']);

    act(() => api.emit({ type: 'visit-reset', reason: 'admin' }));
    await waitFor(() => expect(heldTexts()).toEqual([]));
    // Whether the form is drawn anew or the welcome comes back, no keyboard holds anything.
    expect(screen.queryByDisplayValue('alice')).toBeNull();
  });

  it('Hide keyboard removes it (inputmode back to text) and Show keyboard brings it back', async () => {
    await showSignIn(apiWith('on'));
    await findKeyboard();
    fireEvent.click(screen.getByRole('button', { name: 'Hide keyboard' }));
    expect(screen.queryByRole('group', { name: 'On-screen keyboard' })).toBeNull();
    expect(liveKeyboards()).toEqual([]);
    expect(screen.getByLabelText('Username').getAttribute('inputmode')).toBe('text');
    fireEvent.click(screen.getByRole('button', { name: 'Show keyboard' }));
    await findKeyboard();
  });

  it("'off' and 'auto' in a browser (portal mode): no keyboard and no toggle, inputmode text", async () => {
    for (const setting of ['off', 'auto'] as const) {
      // Even on a touch screen.
      window.matchMedia = ((query: string) => ({ matches: query === '(pointer: coarse)' })) as never;
      await showSignIn(apiWith(setting));
      expect(screen.queryByRole('group', { name: 'On-screen keyboard' })).toBeNull();
      expect(screen.queryByRole('button', { name: /keyboard/ })).toBeNull();
      expect(screen.getByLabelText('Username').getAttribute('inputmode')).toBe('text');
      cleanup();
    }
  });

  it("'auto' in the kiosk on a touch screen: shown until a physical key is pressed", async () => {
    (window as { walkup?: unknown }).walkup = {};
    window.matchMedia = ((query: string) => ({ matches: query === '(pointer: coarse)' })) as never;
    const listen = vi.spyOn(window, 'addEventListener');
    await showSignIn(apiWith('auto'));
    await findKeyboard();

    // A script's keydown is not a physical key.
    fireEvent.keyDown(screen.getByLabelText('Username'), { key: 'a' });
    expect(screen.queryByRole('group', { name: 'On-screen keyboard' })).not.toBeNull();

    // jsdom cannot make a trusted event; hand the watcher what the browser would.
    const watcher = listen.mock.calls.find(
      ([type, , capture]) => type === 'keydown' && capture === true,
    )?.[1];
    expect(watcher).toBeTypeOf('function');
    act(() =>
      (watcher as (event: unknown) => void)({ isTrusted: true, target: screen.getByLabelText('Username') }),
    );
    expect(screen.queryByRole('group', { name: 'On-screen keyboard' })).toBeNull();
    expect(screen.getByLabelText('Username').getAttribute('inputmode')).toBe('text');
    // Still offered: the person can bring it back.
    expect(screen.getByRole('button', { name: 'Show keyboard' })).toBeTruthy();
  });

  it("'auto' in the kiosk: once hidden by the person, no key can switch it off for the next person", async () => {
    (window as { walkup?: unknown }).walkup = {};
    window.matchMedia = ((query: string) => ({ matches: query === '(pointer: coarse)' })) as never;
    const listen = vi.spyOn(window, 'addEventListener');
    const unlisten = vi.spyOn(window, 'removeEventListener');
    const api = apiWith('auto');
    await showSignIn(api);
    await findKeyboard();
    const watcher = listen.mock.calls.find(
      ([type, , capture]) => type === 'keydown' && capture === true,
    )?.[1];
    expect(watcher).toBeTypeOf('function');

    // Hidden: the system's own touch keyboard may open (inputmode text); the watcher is gone.
    fireEvent.click(screen.getByRole('button', { name: 'Hide keyboard' }));
    expect(screen.getByLabelText('Username').getAttribute('inputmode')).toBe('text');
    expect(unlisten.mock.calls.some(([type, listener]) => type === 'keydown' && listener === watcher)).toBe(
      true,
    );

    // The next person gets the keyboard at first again.
    act(() => api.emit({ type: 'visit-reset', reason: 'admin' }));
    await startSignIn();
    expect(await findKeyboard()).toBeTruthy();
  });

  it('restores window.oncontextmenu, which the library sets on touch devices, when it goes away', async () => {
    (window as unknown as { ontouchstart: unknown }).ontouchstart = null;
    const before = () => undefined;
    window.oncontextmenu = before;
    try {
      await showSignIn(apiWith('on'));
      await findKeyboard();
      fireEvent.click(screen.getByRole('button', { name: 'Hide keyboard' }));
      expect(screen.queryByRole('group', { name: 'On-screen keyboard' })).toBeNull();
      expect(window.oncontextmenu).toBe(before);
    } finally {
      delete (window as unknown as { ontouchstart?: unknown }).ontouchstart;
      window.oncontextmenu = null;
    }
  });

  it("'auto' in the kiosk with a mouse: offered but hidden", async () => {
    (window as { walkup?: unknown }).walkup = {};
    window.matchMedia = (() => ({ matches: false })) as never;
    await showSignIn(apiWith('auto'));
    expect(screen.queryByRole('group', { name: 'On-screen keyboard' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Show keyboard' })).toBeTruthy();
  });
});
