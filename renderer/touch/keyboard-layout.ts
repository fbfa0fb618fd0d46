/**
 * The on-screen keyboard's keys and layers (issue #12), as simple-keyboard's `layout` option
 * takes them: one string per row, keys separated by spaces, `{name}` a function key. Pure data
 * and pure functions, unit-tested in test/unit/renderer/keyboard-layout.test.ts.
 *
 * What people put in usernames (letters, digits, `. - _ @`) is on the first layer; every other
 * printable ASCII character (`\` of `DOMAIN\name` included), and the German letters and currency
 * signs a password may hold, is on the symbols layer. No row is wider than ten key widths, so at 320 px every key keeps the
 * 24 px WCAG 2.2 (SC 2.5.8, Target Size (Minimum)) asks for.
 */

/** The layer a person sees: lower case, one capital (Shift), capitals (Caps Lock), symbols. */
export type KeyboardLayer = 'letters' | 'shift' | 'caps' | 'symbols';

/** simple-keyboard's layout names; Shift and Caps Lock share the capitals. */
export type KeyboardLayoutName = 'default' | 'shift' | 'symbols';

/** The function keys. */
export const FUNCTION_KEYS = {
  backspace: '{bksp}',
  shift: '{shift}',
  capsLock: '{lock}',
  space: '{space}',
  enter: '{enter}',
  symbols: '{symbols}',
  letters: '{abc}',
} as const;

export type FunctionKey = (typeof FUNCTION_KEYS)[keyof typeof FUNCTION_KEYS];

const letterRows = ['q w e r t y u i o p', 'a s d f g h j k l -', '{shift} z x c v b n m {bksp}'];

/** The rows of each layout. */
export const KEYBOARD_LAYOUT: Readonly<Record<KeyboardLayoutName, readonly string[]>> = {
  default: ['1 2 3 4 5 6 7 8 9 0', ...letterRows, '{symbols} {lock} @ {space} . _ {enter}'],
  shift: [
    '1 2 3 4 5 6 7 8 9 0',
    ...letterRows.map((row) =>
      row
        .split(' ')
        .map((key) => (/^[a-z]$/.test(key) ? key.toUpperCase() : key))
        .join(' '),
    ),
    '{symbols} {lock} @ {space} . _ {enter}',
  ],
  symbols: [
    '! @ # $ % ^ & * ( )',
    '- _ = + [ ] { } \\ |',
    '; : \' " , . < > / ?',
    '` ~ € £ ä ö ü ß {bksp}',
    '{abc} {space} {enter}',
  ],
};

/** The layout that shows a layer. */
export function layoutNameOf(layer: KeyboardLayer): KeyboardLayoutName {
  switch (layer) {
    case 'letters':
      return 'default';
    case 'shift':
    case 'caps':
      return 'shift';
    case 'symbols':
      return 'symbols';
  }
}

/**
 * The layer after a key press: Shift gives one capital (the next typed character, a space
 * included, returns to lower case), Caps Lock keeps capitals until pressed again (Shift also
 * ends it), the symbols key and the letters key switch layers; Backspace and Enter change nothing.
 */
export function nextLayer(layer: KeyboardLayer, key: string): KeyboardLayer {
  switch (key) {
    case FUNCTION_KEYS.shift:
      return layer === 'letters' ? 'shift' : 'letters';
    case FUNCTION_KEYS.capsLock:
      return layer === 'caps' ? 'letters' : 'caps';
    case FUNCTION_KEYS.symbols:
      return 'symbols';
    case FUNCTION_KEYS.letters:
      return 'letters';
    case FUNCTION_KEYS.backspace:
    case FUNCTION_KEYS.enter:
      return layer;
    default:
      return layer === 'shift' ? 'letters' : layer;
  }
}

/** Every key of every layout, once each. */
export function allKeys(): string[] {
  return [
    ...new Set(Object.values(KEYBOARD_LAYOUT).flatMap((rows) => rows.flatMap((row) => row.split(' ')))),
  ];
}

/** The text a key types, or undefined for a key that types nothing (Shift, Enter, …). */
export function typedText(key: string): string | undefined {
  if (key === FUNCTION_KEYS.space) return ' ';
  if (key.length > 1 && key.startsWith('{') && key.endsWith('}')) return undefined;
  return key;
}

/** Escapes text for HTML: simple-keyboard writes a key's label with `innerHTML`. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}
