/**
 * The on-screen keyboard's keys and layers (issue #12), as simple-keyboard's `layout` option
 * takes them: one string per row, keys separated by spaces, `{name}` a function key. Pure data
 * and pure functions, unit-tested in test/unit/renderer/keyboard-layout.test.ts.
 *
 * What people put in usernames (letters, digits, `. - _ @`) is on the first layer; every other
 * printable ASCII character (`\` of `DOMAIN\name` included) is on the symbols layer. The letters
 * of German, Spanish and French beyond ASCII (Unicode CLDR's main exemplar characters for de, es
 * and fr, lower case and capitals), their punctuation (¡ ¿ « ») and the euro sign are on the
 * accents layer, which has Shift too. No row is wider than ten key widths, so at 320 px every key
 * keeps the 24 px WCAG 2.2 (SC 2.5.8, Target Size (Minimum)) asks for.
 */

/**
 * The layer a person sees: lower case, one capital (Shift), capitals (Caps Lock), symbols,
 * accented letters in lower case, and one accented capital (Shift on the accents layer).
 */
export type KeyboardLayer = 'letters' | 'shift' | 'caps' | 'symbols' | 'accents' | 'accentsShift';

/** simple-keyboard's layout names; Shift and Caps Lock share the capitals. */
export type KeyboardLayoutName = 'default' | 'shift' | 'symbols' | 'accents' | 'accentsShift';

/** The function keys. */
export const FUNCTION_KEYS = {
  backspace: '{bksp}',
  shift: '{shift}',
  capsLock: '{lock}',
  space: '{space}',
  enter: '{enter}',
  symbols: '{symbols}',
  letters: '{abc}',
  accents: '{accents}',
} as const;

export type FunctionKey = (typeof FUNCTION_KEYS)[keyof typeof FUNCTION_KEYS];

/**
 * What the layer keys show: the same in every language. Their names for screen readers end
 * with it ("Accented letters àé", not in brackets, which checkers ignore), so a label made of
 * letters is part of the name (WCAG 2.2 SC 2.5.3, Label in Name: a voice user says what they see).
 */
export const LAYER_KEY_LABELS = {
  [FUNCTION_KEYS.symbols]: '#+=',
  [FUNCTION_KEYS.letters]: 'ABC',
  [FUNCTION_KEYS.accents]: 'àé',
} as const;

const letterRows = ['q w e r t y u i o p', 'a s d f g h j k l -', '{shift} z x c v b n m {bksp}'];
const lastLetterRow = '{symbols} {accents} {lock} @ {space} . _ {enter}';

/** The accented letters, lower case (ß, whose capital is ẞ, included). */
const accentRows = [
  'à â æ ç é è ê ë î ï',
  'ô œ ù û ü ÿ ä ö ß ñ',
  '{shift} á í ó ú « » {bksp}',
  '{abc} {symbols} ¡ ¿ € {space} {enter}',
];

/**
 * A key's capital on the Shift layouts: one character (ß gives ẞ, not toUpperCase's "SS"), or
 * the key itself for function keys, digits and signs.
 */
export function capitalOf(key: string): string {
  if (key === 'ß') return 'ẞ';
  if ([...key].length !== 1) return key;
  const upper = key.toUpperCase();
  return [...upper].length === 1 ? upper : key;
}

const capitals = (rows: readonly string[]) => rows.map((row) => row.split(' ').map(capitalOf).join(' '));

/** The rows of each layout. */
export const KEYBOARD_LAYOUT: Readonly<Record<KeyboardLayoutName, readonly string[]>> = {
  default: ['1 2 3 4 5 6 7 8 9 0', ...letterRows, lastLetterRow],
  shift: capitals(['1 2 3 4 5 6 7 8 9 0', ...letterRows, lastLetterRow]),
  symbols: [
    '! @ # $ % ^ & * ( )',
    '- _ = + [ ] { } \\ |',
    '; : \' " , . < > / ?',
    '` ~ € £ ä ö ü ß {bksp}',
    '{abc} {accents} {space} {enter}',
  ],
  accents: accentRows,
  accentsShift: capitals(accentRows),
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
    case 'accents':
      return 'accents';
    case 'accentsShift':
      return 'accentsShift';
  }
}

/**
 * The layer after a key press: Shift gives one capital (the next typed character, a space
 * included, returns to lower case; on the accents layer, to the accents), Caps Lock keeps capitals
 * until pressed again (Shift also ends it), the symbols, accents and letters keys switch layers;
 * Backspace and Enter change nothing.
 */
export function nextLayer(layer: KeyboardLayer, key: string): KeyboardLayer {
  switch (key) {
    case FUNCTION_KEYS.shift:
      if (layer === 'accents') return 'accentsShift';
      if (layer === 'accentsShift') return 'accents';
      return layer === 'letters' ? 'shift' : 'letters';
    case FUNCTION_KEYS.capsLock:
      return layer === 'caps' ? 'letters' : 'caps';
    case FUNCTION_KEYS.symbols:
      return 'symbols';
    case FUNCTION_KEYS.accents:
      return 'accents';
    case FUNCTION_KEYS.letters:
      return 'letters';
    case FUNCTION_KEYS.backspace:
    case FUNCTION_KEYS.enter:
      return layer;
    default:
      if (layer === 'shift') return 'letters';
      if (layer === 'accentsShift') return 'accents';
      return layer;
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
