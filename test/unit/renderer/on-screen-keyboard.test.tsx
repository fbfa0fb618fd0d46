// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { useState } from 'react';
import { I18nextProvider } from 'react-i18next';
import type SimpleKeyboard from 'simple-keyboard';
import { afterEach, describe, expect, it } from 'vitest';
import type { SignInFields } from '../../../main/contract';
import {
  KEYBOARD_CLASS,
  OnScreenKeyboard,
  type KeyboardField,
} from '../../../renderer/components/on-screen-keyboard';
import { applyStationLocale, createWalkupI18n } from '../../../renderer/i18n';

afterEach(cleanup);

/** simple-keyboard's registry of live instances. */
function instances(): Record<string, SimpleKeyboard | null | undefined> {
  return (
    (window as { SimpleKeyboardInstances?: Record<string, SimpleKeyboard | null> }).SimpleKeyboardInstances ??
    {}
  );
}

function instance(): SimpleKeyboard {
  const found = Object.values(instances()).find((candidate) => candidate);
  if (!found) throw new Error('no simple-keyboard instance');
  return found;
}

/**
 * Every string the object graph holds (own properties, arrays, maps of strings), DOM nodes and
 * functions left out: where a copy of what was typed could still be.
 */
function stringsIn(root: unknown): string[] {
  const found: string[] = [];
  const seen = new Set<unknown>();
  const visit = (value: unknown, depth: number) => {
    if (typeof value === 'string') found.push(value);
    if (typeof value !== 'object' || value === null || depth > 6 || seen.has(value)) return;
    if (value instanceof Node || value === window) return;
    seen.add(value);
    for (const key of Object.keys(value)) visit((value as Record<string, unknown>)[key], depth + 1);
  };
  visit(root, 0);
  return found;
}

/** Holds the fields as the app state does, and exposes a reset. */
function Harness({ onEnter = () => undefined }: { onEnter?: () => void }) {
  const [values, setValues] = useState<SignInFields>({ username: '', password: '' });
  const [target, setTarget] = useState<KeyboardField>('username');
  return (
    <>
      <output data-testid="username">{values.username}</output>
      <output data-testid="password">{values.password}</output>
      <button type="button" onClick={() => setTarget('password')}>
        to password
      </button>
      <button type="button" onClick={() => setValues({ username: '', password: '' })}>
        reset
      </button>
      <button type="button" onClick={() => setValues({ username: 'alice', password: '' })}>
        refused
      </button>
      <OnScreenKeyboard
        target={target}
        values={values}
        onChange={(field, value) => setValues((current) => ({ ...current, [field]: value }))}
        onEnter={onEnter}
      />
    </>
  );
}

function renderKeyboard(onEnter?: () => void, i18n = createWalkupI18n('en')) {
  return render(
    <I18nextProvider i18n={i18n}>
      <Harness onEnter={onEnter} />
    </I18nextProvider>,
  );
}

function keyboard() {
  return screen.getByRole('group', { name: 'On-screen keyboard' });
}

/** Taps a key by its accessible name, as a click (what a tap ends in). */
function tap(name: string) {
  const key = within(keyboard()).getByRole('button', { name });
  act(() => {
    fireEvent.mouseDown(key);
    fireEvent.mouseUp(key);
    fireEvent.click(key);
  });
}

function typeKeys(text: string) {
  for (const character of text) tap(character === ' ' ? 'Space' : character);
}

describe('OnScreenKeyboard', () => {
  it('is a labelled group of buttons out of the Tab order, function keys named for screen readers', () => {
    renderKeyboard();
    const keys = within(keyboard()).getAllByRole('button');
    expect(keys.length).toBeGreaterThan(40);
    for (const key of keys) {
      expect(key.getAttribute('type')).toBe('button');
      expect(key.getAttribute('tabindex')).toBe('-1');
    }
    for (const name of ['Backspace', 'Shift', 'Caps Lock', 'Enter', 'Symbols', 'Space', 'q', '1', '@']) {
      expect(within(keyboard()).getByRole('button', { name })).toBeTruthy();
    }
    expect(within(keyboard()).getByRole('button', { name: 'Shift' }).getAttribute('aria-pressed')).toBe(
      'false',
    );
  });

  it('types into the target field through onChange, and Backspace removes the last character', () => {
    renderKeyboard();
    typeKeys('al1ce');
    expect(screen.getByTestId('username').textContent).toBe('al1ce');
    tap('Backspace');
    tap('Backspace');
    typeKeys('ce');
    expect(screen.getByTestId('username').textContent).toBe('al1ce');
    fireEvent.click(screen.getByRole('button', { name: 'to password' }));
    typeKeys('a b');
    expect(screen.getByTestId('password').textContent).toBe('a b');
    expect(screen.getByTestId('username').textContent).toBe('al1ce');
  });

  it('Shift gives one capital and shows as pressed; Caps Lock keeps capitals', () => {
    renderKeyboard();
    tap('Shift');
    expect(within(keyboard()).getByRole('button', { name: 'Shift' }).getAttribute('aria-pressed')).toBe(
      'true',
    );
    typeKeys('Ab');
    tap('Caps Lock');
    expect(within(keyboard()).getByRole('button', { name: 'Caps Lock' }).getAttribute('aria-pressed')).toBe(
      'true',
    );
    typeKeys('CD');
    tap('Caps Lock');
    typeKeys('e');
    expect(screen.getByTestId('username').textContent).toBe('AbCDe');
  });

  it('the symbols layer types the characters HTML would read as markup, as themselves', () => {
    renderKeyboard();
    tap('Symbols');
    typeKeys('<&>"\'\\{}');
    tap('Letters ABC');
    typeKeys('x');
    expect(screen.getByTestId('username').textContent).toBe('<&>"\'\\{}x');
  });

  it('the accents layer types accented letters, Shift there one accented capital, ¿ ¡ « » €', () => {
    renderKeyboard();
    tap('Accented letters àé');
    expect(within(keyboard()).queryByRole('button', { name: 'q' })).toBeNull();
    tap('Shift');
    expect(within(keyboard()).getByRole('button', { name: 'Shift' }).getAttribute('aria-pressed')).toBe(
      'true',
    );
    typeKeys('É');
    expect(within(keyboard()).getByRole('button', { name: 'Shift' }).getAttribute('aria-pressed')).toBe(
      'false',
    );
    typeKeys('çñß¿¡«»€');
    tap('Shift');
    typeKeys('Ü');
    tap('Letters ABC');
    typeKeys('a');
    tap('Symbols');
    tap('Accented letters àé');
    typeKeys('ÿ');
    expect(screen.getByTestId('username').textContent).toBe('Éçñß¿¡«»€Üaÿ');
  });

  it.each([
    ['en', 'Symbols', 'Letters ABC', 'Accented letters àé'],
    ['de', 'Sonderzeichen', 'Buchstaben ABC', 'Umlaute und Akzente àé'],
    ['es', 'Símbolos', 'Letras ABC', 'Letras con tilde àé'],
    ['fr', 'Symboles', 'Lettres ABC', 'Lettres accentuées àé'],
  ] as const)(
    'names the layer keys for screen readers in %s',
    async (language, symbols, letters, accents) => {
      const i18n = createWalkupI18n('en');
      await applyStationLocale(i18n, language);
      renderKeyboard(undefined, i18n);
      const group = screen.getByRole('group');
      expect(within(group).getByRole('button', { name: symbols })).toBeTruthy();
      expect(within(group).getByRole('button', { name: accents })).toBeTruthy();
      act(() => within(group).getByRole('button', { name: accents }).click());
      expect(within(group).getByRole('button', { name: letters })).toBeTruthy();
      expect(within(group).getByRole('button', { name: symbols })).toBeTruthy();
    },
  );

  it('Enter signs in (calls onEnter) and types nothing', () => {
    let entered = 0;
    renderKeyboard(() => {
      entered += 1;
    });
    typeKeys('a');
    tap('Enter');
    expect(entered).toBe(1);
    expect(screen.getByTestId('username').textContent).toBe('a');
  });

  it("never takes the focus from the field: a key's mousedown default is prevented", () => {
    renderKeyboard();
    const key = within(keyboard()).getByRole('button', { name: 'q' });
    // fireEvent returns false when a listener called preventDefault.
    expect(fireEvent.mouseDown(key)).toBe(false);
  });

  it("keeps no copy of what was typed once the fields are reset (a refusal, a visit's end)", () => {
    renderKeyboard();
    typeKeys('alice');
    fireEvent.click(screen.getByRole('button', { name: 'to password' }));
    typeKeys('s3cret pw');
    expect(instance().getAllInputs()).toMatchObject({ username: 'alice', password: 's3cret pw' });

    // A refusal keeps the username and clears the password.
    fireEvent.click(screen.getByRole('button', { name: 'refused' }));
    expect(instance().getAllInputs()).toMatchObject({ username: 'alice', password: '' });
    expect(stringsIn(instance()).filter((text) => text.includes('s3cret'))).toEqual([]);

    // The visit's reset clears both.
    fireEvent.click(screen.getByRole('button', { name: 'reset' }));
    expect(Object.values(instance().getAllInputs()).filter((text) => text !== '')).toEqual([]);
    expect(stringsIn(instance()).filter((text) => text.includes('alice') || text.includes('s3cret'))).toEqual(
      [],
    );
  });

  it('on unmount clears its copy, leaves the registry and removes its document listeners', () => {
    const view = renderKeyboard();
    fireEvent.click(screen.getByRole('button', { name: 'to password' }));
    typeKeys('s3cret');
    const live = instance();
    expect(document.onmouseup).not.toBeNull();
    view.unmount();
    expect(live.getAllInputs()).toMatchObject({ password: '' });
    expect(Object.values(instances()).filter((candidate) => candidate)).toEqual([]);
    expect(document.onmouseup).toBeNull();
    expect(document.querySelector(`.${KEYBOARD_CLASS} .hg-button`)).toBeNull();
  });
});
