import { describe, expect, it } from 'vitest';
import {
  FUNCTION_KEYS,
  KEYBOARD_LAYOUT,
  allKeys,
  capitalOf,
  escapeHtml,
  layoutNameOf,
  nextLayer,
  typedText,
} from '../../../renderer/touch/keyboard-layout';

/** How many key widths a key takes (the wide keys' flex-grow in on-screen-keyboard.css). */
function keyWidth(layout: string, key: string): number {
  if (key === '{space}') return layout === 'symbols' ? 5 : 2;
  const widths: Record<string, number> = { '{shift}': 1.5, '{bksp}': 1.5, '{enter}': 2, '{abc}': 2 };
  return widths[key] ?? 1;
}

/**
 * The letters of German, Spanish and French beyond a-z: Unicode CLDR's main exemplar characters
 * (common/main/de.xml, es.xml, fr.xml, `<exemplarCharacters>`), plus the punctuation exemplars
 * those languages add to ASCII (¡ ¿ in Spanish, « » in French) and the euro sign.
 */
const CLDR_EXEMPLARS = {
  de: 'aäbcdefghijklmnoöpqrsßtuüvwxyz',
  es: 'aábcdeéfghiíjklmnñoópqrstuúüvwxyz',
  fr: 'aàâæbcçdeéèêëfghiîïjklmnoôœpqrstuùûüvwxyÿz',
} as const;
const EXTRA_SIGNS = '¡¿«»€';

/** Every character a person of these languages may need: each letter, its capital, the signs. */
function requiredCharacters(): Set<string> {
  const required = new Set<string>(EXTRA_SIGNS);
  for (const letters of Object.values(CLDR_EXEMPLARS)) {
    for (const letter of letters) {
      required.add(letter);
      // toUpperCase('ß') is "SS" (Unicode SpecialCasing): each character of it must be typable.
      for (const capital of letter.toUpperCase()) required.add(capital);
    }
  }
  return required;
}

describe('keyboard layout', () => {
  it('types every printable ASCII character, on one layer or another', () => {
    const typed = new Set(allKeys().map(typedText));
    for (let code = 0x20; code <= 0x7e; code += 1) {
      expect(typed.has(String.fromCharCode(code)), JSON.stringify(String.fromCharCode(code))).toBe(true);
    }
  });

  it('has what usernames hold on the first layer: lower-case letters, digits, . - _ @', () => {
    const first = new Set(KEYBOARD_LAYOUT.default.flatMap((row) => row.split(' ')));
    for (const key of [...'abcdefghijklmnopqrstuvwxyz0123456789.-_@']) expect(first.has(key), key).toBe(true);
  });

  it('types every letter of German, Spanish and French (CLDR exemplars), its capital, ¡ ¿ « » €', () => {
    const typed = new Set(allKeys().map(typedText));
    const required = requiredCharacters();
    // The derived set holds what the languages need beyond ASCII (a check of the check).
    for (const character of 'äöüÄÖÜßéèêëàâîïôûùÿçœæÉÈÊËÀÂÎÏÔÛÙŸÇŒÆñÑáíóúÁÍÓÚ¿¡«»€') {
      expect(required.has(character), character).toBe(true);
    }
    const missing = [...required].filter((character) => !typed.has(character));
    expect(missing).toEqual([]);
  });

  it('has every accented letter and its capital on the accents layers, in the same places', () => {
    const lower = new Set(KEYBOARD_LAYOUT.accents.flatMap((row) => row.split(' ')));
    const upper = new Set(KEYBOARD_LAYOUT.accentsShift.flatMap((row) => row.split(' ')));
    for (const letters of Object.values(CLDR_EXEMPLARS)) {
      for (const letter of letters) {
        if (/[a-z]/.test(letter)) continue;
        expect(lower.has(letter), letter).toBe(true);
        expect(upper.has(capitalOf(letter)), capitalOf(letter)).toBe(true);
      }
    }
    expect(KEYBOARD_LAYOUT.accentsShift).toEqual(
      KEYBOARD_LAYOUT.accents.map((row) => row.split(' ').map(capitalOf).join(' ')),
    );
  });

  it('capitalOf gives one character: ẞ for ß, the key itself for function keys and signs', () => {
    expect(capitalOf('é')).toBe('É');
    expect(capitalOf('ÿ')).toBe('Ÿ');
    expect(capitalOf('œ')).toBe('Œ');
    expect(capitalOf('ß')).toBe('ẞ');
    expect(capitalOf('«')).toBe('«');
    expect(capitalOf(FUNCTION_KEYS.shift)).toBe(FUNCTION_KEYS.shift);
  });

  it('has the capitals on the shift layout, in the same places as the letters', () => {
    KEYBOARD_LAYOUT.default.forEach((row, index) => {
      expect(KEYBOARD_LAYOUT.shift[index]).toBe(
        row
          .split(' ')
          .map((key) => (/^[a-z]$/.test(key) ? key.toUpperCase() : key))
          .join(' '),
      );
    });
  });

  it('keeps every row within ten key widths (24 px keys at 320 px)', () => {
    for (const [name, rows] of Object.entries(KEYBOARD_LAYOUT)) {
      for (const row of rows) {
        const width = row.split(' ').reduce((sum, key) => sum + keyWidth(name, key), 0);
        expect(width, `${name}: ${row}`).toBeLessThanOrEqual(10);
      }
    }
  });

  it('has no key twice on one layout (each key one button, one name)', () => {
    for (const [name, rows] of Object.entries(KEYBOARD_LAYOUT)) {
      const keys = rows.flatMap((row) => row.split(' '));
      expect(new Set(keys).size, name).toBe(keys.length);
    }
  });

  it('offers Backspace and Enter on every layout, and a way to the other layers', () => {
    for (const rows of Object.values(KEYBOARD_LAYOUT)) {
      const keys = rows.flatMap((row) => row.split(' '));
      expect(keys).toContain(FUNCTION_KEYS.backspace);
      expect(keys).toContain(FUNCTION_KEYS.enter);
      expect(keys).toContain(FUNCTION_KEYS.space);
    }
    expect(KEYBOARD_LAYOUT.default.join(' ')).toContain(FUNCTION_KEYS.symbols);
    expect(KEYBOARD_LAYOUT.default.join(' ')).toContain(FUNCTION_KEYS.accents);
    expect(KEYBOARD_LAYOUT.symbols.join(' ')).toContain(FUNCTION_KEYS.letters);
    expect(KEYBOARD_LAYOUT.symbols.join(' ')).toContain(FUNCTION_KEYS.accents);
    expect(KEYBOARD_LAYOUT.accents.join(' ')).toContain(FUNCTION_KEYS.letters);
    expect(KEYBOARD_LAYOUT.accents.join(' ')).toContain(FUNCTION_KEYS.symbols);
    expect(KEYBOARD_LAYOUT.accents.join(' ')).toContain(FUNCTION_KEYS.shift);
  });
});

describe('nextLayer', () => {
  it('Shift gives one capital: the next character returns to lower case', () => {
    expect(nextLayer('letters', FUNCTION_KEYS.shift)).toBe('shift');
    expect(nextLayer('shift', 'A')).toBe('letters');
    expect(nextLayer('shift', FUNCTION_KEYS.space)).toBe('letters');
    expect(nextLayer('shift', FUNCTION_KEYS.shift)).toBe('letters');
  });

  it('Backspace and Enter keep Shift', () => {
    expect(nextLayer('shift', FUNCTION_KEYS.backspace)).toBe('shift');
    expect(nextLayer('shift', FUNCTION_KEYS.enter)).toBe('shift');
  });

  it('Caps Lock keeps capitals until pressed again or Shift is pressed', () => {
    expect(nextLayer('letters', FUNCTION_KEYS.capsLock)).toBe('caps');
    expect(nextLayer('caps', 'A')).toBe('caps');
    expect(nextLayer('caps', FUNCTION_KEYS.capsLock)).toBe('letters');
    expect(nextLayer('caps', FUNCTION_KEYS.shift)).toBe('letters');
  });

  it('the symbols and letters keys switch layers; symbols stay for several characters', () => {
    expect(nextLayer('letters', FUNCTION_KEYS.symbols)).toBe('symbols');
    expect(nextLayer('symbols', '$')).toBe('symbols');
    expect(nextLayer('symbols', FUNCTION_KEYS.letters)).toBe('letters');
  });

  it('the accents key switches to the accents; Shift there gives one accented capital', () => {
    expect(nextLayer('letters', FUNCTION_KEYS.accents)).toBe('accents');
    expect(nextLayer('symbols', FUNCTION_KEYS.accents)).toBe('accents');
    expect(nextLayer('accents', 'é')).toBe('accents');
    expect(nextLayer('accents', FUNCTION_KEYS.shift)).toBe('accentsShift');
    expect(nextLayer('accentsShift', 'É')).toBe('accents');
    expect(nextLayer('accentsShift', FUNCTION_KEYS.shift)).toBe('accents');
    expect(nextLayer('accentsShift', FUNCTION_KEYS.backspace)).toBe('accentsShift');
    expect(nextLayer('accents', FUNCTION_KEYS.letters)).toBe('letters');
    expect(nextLayer('accents', FUNCTION_KEYS.symbols)).toBe('symbols');
  });

  it('maps layers to layouts: Shift and Caps Lock share the capitals', () => {
    expect(layoutNameOf('letters')).toBe('default');
    expect(layoutNameOf('shift')).toBe('shift');
    expect(layoutNameOf('caps')).toBe('shift');
    expect(layoutNameOf('symbols')).toBe('symbols');
    expect(layoutNameOf('accents')).toBe('accents');
    expect(layoutNameOf('accentsShift')).toBe('accentsShift');
  });
});

describe('typedText and escapeHtml', () => {
  it('types characters and the space; other function keys type nothing; braces are characters', () => {
    expect(typedText('a')).toBe('a');
    expect(typedText(FUNCTION_KEYS.space)).toBe(' ');
    expect(typedText(FUNCTION_KEYS.enter)).toBeUndefined();
    expect(typedText('{')).toBe('{');
    expect(typedText('}')).toBe('}');
  });

  it('escapes what HTML would read as markup', () => {
    expect(escapeHtml('<b>&"\'')).toBe('&#60;b&#62;&#38;&#34;&#39;');
    expect(escapeHtml('Space')).toBe('Space');
  });
});
