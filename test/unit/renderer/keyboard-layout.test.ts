import { describe, expect, it } from 'vitest';
import {
  FUNCTION_KEYS,
  KEYBOARD_LAYOUT,
  allKeys,
  escapeHtml,
  layoutNameOf,
  nextLayer,
  typedText,
} from '../../../renderer/touch/keyboard-layout';

/** How many key widths a row takes (the wide keys' flex-grow in on-screen-keyboard.css). */
const widths: Record<string, number> = {
  '{shift}': 1.5,
  '{bksp}': 1.5,
  '{lock}': 1.5,
  '{symbols}': 1.5,
  '{enter}': 2,
  '{abc}': 2,
  // 6 on the symbols layout, whose last row has three keys.
  '{space}': 2,
};

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
        const width = row.split(' ').reduce((sum, key) => sum + (widths[key] ?? 1), 0);
        expect(width, `${name}: ${row}`).toBeLessThanOrEqual(10);
      }
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
    expect(KEYBOARD_LAYOUT.symbols.join(' ')).toContain(FUNCTION_KEYS.letters);
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

  it('maps layers to layouts: Shift and Caps Lock share the capitals', () => {
    expect(layoutNameOf('letters')).toBe('default');
    expect(layoutNameOf('shift')).toBe('shift');
    expect(layoutNameOf('caps')).toBe('shift');
    expect(layoutNameOf('symbols')).toBe('symbols');
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
