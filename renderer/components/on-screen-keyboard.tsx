/**
 * The sign-in screen's on-screen keyboard (issue #12), drawn by simple-keyboard (MIT; a kept,
 * dependency-free library, so Walkup writes no key handling of its own). This module is loaded
 * lazily (`import()` in sign-in.tsx) and only when the keyboard is to be shown, so a station
 * without it never loads the library.
 *
 * - It types into the field the person is in, through the same `onChange` as physical typing
 *   (the app state's `form-changed`), so the app state stays the one owner of the values.
 * - simple-keyboard keeps its own copy of each field's text (its input buffer, which it needs to
 *   append to). That copy is set from the app state on every change, so when the state is reset
 *   (a refusal clears the password, a new visit clears both) the copy is cleared too, and it is
 *   cleared and the instance destroyed on unmount (test/unit/renderer/on-screen-keyboard.test.tsx).
 * - Keys are `<button type="button">`s named for screen readers (function keys by aria-label),
 *   activated by click, so a tap, a mouse, a switch or a screen reader's activation all type.
 *   A press never takes the focus from the field (mousedown's default is prevented). Keys are
 *   out of the Tab order: whoever has a physical keyboard types on it.
 * - No inline style: simple-keyboard builds elements and classes only (its physical-key
 *   highlight, which sets colours through the CSSOM, is off), and the styles are our own
 *   stylesheet, which Vite emits as a file of the renderer's origin (CSP `style-src 'self'`).
 */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { KeyboardButtonAttributes, KeyboardOptions } from 'simple-keyboard';
// The build without old browsers' polyfills (renderer/touch/simple-keyboard-modern.d.ts).
import Keyboard from 'simple-keyboard/build/index.modern.esm.js';
import { MAX_PASSWORD_LENGTH, MAX_USERNAME_LENGTH, type SignInFields } from '../../main/contract';
import {
  FUNCTION_KEYS,
  KEYBOARD_LAYOUT,
  LAYER_KEY_LABELS,
  allKeys,
  escapeHtml,
  layoutNameOf,
  nextLayer,
  type KeyboardLayer,
} from '../touch/keyboard-layout';
import './on-screen-keyboard.css';

/** The fields the keyboard can type into. */
export type KeyboardField = keyof SignInFields;

const fields: readonly KeyboardField[] = ['username', 'password'];

/** Props of {@link OnScreenKeyboard}. */
export interface OnScreenKeyboardProps {
  /** The field keys type into: the one that had the focus last. */
  target: KeyboardField;
  /** The fields' values, owned by the app state. */
  values: SignInFields;
  /** The same change handler physical typing uses. */
  onChange(field: KeyboardField, value: string): void;
  /** Enter: signs in (submits the form). */
  onEnter(): void;
  /** Receives the keyboard's root element (keys pressed there are not physical keys). */
  rootRef?: { current: HTMLElement | null };
}

/** The instance's name in simple-keyboard's registry (`window.SimpleKeyboardInstances`). */
export const KEYBOARD_CLASS = 'walkup-keyboard';

/** The keyboard: a labelled group of keys below the sign-in form. */
export function OnScreenKeyboard({ target, values, onChange, onEnter, rootRef }: OnScreenKeyboardProps) {
  const { t } = useTranslation();
  const groupRef = useRef<HTMLDivElement>(null);
  const keysRef = useRef<HTMLDivElement>(null);
  const keyboardRef = useRef<Keyboard | null>(null);
  const [layer, setLayer] = useState<KeyboardLayer>('letters');
  // The latest handlers, for simple-keyboard's callbacks (set once, at construction).
  const handlers = useRef({ onChange, onEnter });
  useEffect(() => {
    handlers.current = { onChange, onEnter };
  }, [onChange, onEnter]);

  useEffect(() => {
    if (rootRef) rootRef.current = groupRef.current;
    return () => {
      if (rootRef) rootRef.current = null;
    };
  }, [rootRef]);

  // The names screen readers read for the function keys; labels as drawn.
  const names: Record<string, string> = {
    [FUNCTION_KEYS.backspace]: t('keyboard.backspace'),
    [FUNCTION_KEYS.shift]: t('keyboard.shift'),
    [FUNCTION_KEYS.capsLock]: t('keyboard.capsLock'),
    [FUNCTION_KEYS.enter]: t('keyboard.enter'),
    [FUNCTION_KEYS.symbols]: t('keyboard.symbols'),
    [FUNCTION_KEYS.letters]: `${t('keyboard.letters')} ${LAYER_KEY_LABELS[FUNCTION_KEYS.letters]}`,
    [FUNCTION_KEYS.accents]: `${t('keyboard.accents')} ${LAYER_KEY_LABELS[FUNCTION_KEYS.accents]}`,
    [FUNCTION_KEYS.space]: t('keyboard.space'),
  };
  const options: Partial<KeyboardOptions> = {
    layoutName: layoutNameOf(layer),
    display: keyLabels(names),
    buttonAttributes: keyAttributes(names, layer),
  };
  const optionsJson = JSON.stringify(options);

  useEffect(() => {
    const element = keysRef.current;
    if (!element) return;
    // simple-keyboard sets window.oncontextmenu on touch devices and never restores it.
    const contextMenuHandler = window.oncontextmenu;
    const keyboard = new Keyboard(element, {
      ...(JSON.parse(optionsJson) as Partial<KeyboardOptions>),
      layout: Object.fromEntries(Object.entries(KEYBOARD_LAYOUT).map(([name, rows]) => [name, [...rows]])),
      theme: 'hg-theme-walkup',
      useButtonTag: true,
      // Click, not pointerdown: a screen reader's or switch's activation is a click too.
      useMouseEvents: true,
      preventMouseDownDefault: true,
      // Typing appends and Backspace removes the last character, as the fields show them.
      disableCaretPositioning: true,
      // No repeat timers, no colours set from script, no word suggestions.
      disableButtonHold: true,
      physicalKeyboardHighlight: false,
      enableLayoutCandidates: false,
      maxLength: { username: MAX_USERNAME_LENGTH, password: MAX_PASSWORD_LENGTH },
      inputName: 'username',
      onKeyPress: (key: string) => {
        if (key === FUNCTION_KEYS.enter) handlers.current.onEnter();
        setLayer((current) => nextLayer(current, key));
      },
      onChange: (input: string) => {
        const field = keyboard.options.inputName;
        if (field === 'username' || field === 'password') handlers.current.onChange(field, input);
      },
    });
    keyboardRef.current = keyboard;
    return () => {
      for (const field of fields) keyboard.clearInput(field);
      keyboard.destroy();
      window.oncontextmenu = contextMenuHandler;
      keyboardRef.current = null;
    };
    // Built once; later option changes go through setOptions below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    keyboardRef.current?.setOptions(JSON.parse(optionsJson) as Partial<KeyboardOptions>);
  }, [optionsJson]);

  useEffect(() => {
    keyboardRef.current?.setOptions({ inputName: target });
  }, [target]);

  // The keyboard's copy of each field follows the app state, emptied when the state is reset.
  useEffect(() => {
    const keyboard = keyboardRef.current;
    if (!keyboard) return;
    keyboard.setInput(values.username, 'username');
    keyboard.setInput(values.password, 'password');
  }, [values.username, values.password]);

  return (
    <div ref={groupRef} className="on-screen-keyboard" role="group" aria-label={t('keyboard.label')}>
      <div ref={keysRef} className={KEYBOARD_CLASS} />
    </div>
  );
}

/** What each key shows (HTML, as simple-keyboard writes it with innerHTML: every text escaped). */
function keyLabels(names: Record<string, string>): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const key of allKeys()) labels[key] = escapeHtml(key);
  labels[FUNCTION_KEYS.backspace] = '⌫';
  labels[FUNCTION_KEYS.shift] = '⇧';
  labels[FUNCTION_KEYS.capsLock] = '⇪';
  for (const [key, label] of Object.entries(LAYER_KEY_LABELS)) labels[key] = escapeHtml(label);
  // Below 30rem only "#" fits one key width (on-screen-keyboard.css hides the rest).
  labels[FUNCTION_KEYS.symbols] = `#<span class="key-more">${escapeHtml('+=')}</span>`;
  // The words go on narrow screens (on-screen-keyboard.css); the names (aria-label) stay.
  const word = (key: string) => `<span class="key-word">${escapeHtml(names[key] ?? '')}</span>`;
  labels[FUNCTION_KEYS.space] = word(FUNCTION_KEYS.space);
  labels[FUNCTION_KEYS.enter] = `↵ ${word(FUNCTION_KEYS.enter)}`;
  return labels;
}

/** Attributes of the keys: button type, out of the Tab order, names and pressed states. */
function keyAttributes(names: Record<string, string>, layer: KeyboardLayer): KeyboardButtonAttributes[] {
  const every = allKeys().join(' ');
  return [
    { attribute: 'type', value: 'button', buttons: every },
    { attribute: 'tabindex', value: '-1', buttons: every },
    ...Object.entries(names).map(([key, name]) => ({ attribute: 'aria-label', value: name, buttons: key })),
    {
      attribute: 'aria-pressed',
      value: String(layer === 'shift' || layer === 'accentsShift'),
      buttons: FUNCTION_KEYS.shift,
    },
    { attribute: 'aria-pressed', value: String(layer === 'caps'), buttons: FUNCTION_KEYS.capsLock },
  ];
}

export default OnScreenKeyboard;
