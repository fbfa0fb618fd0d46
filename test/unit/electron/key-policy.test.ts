import { describe, expect, it } from 'vitest';
import { parseAdminChord, type AdminChord } from '../../../main/core/config/admin-chord';
import { classifyKeyInput, type KeyInput } from '../../../main/electron/key-policy';

function chordOf(text: string): AdminChord {
  const parsed = parseAdminChord(text);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.chord;
}

function key(code: string, mods: Partial<KeyInput> = {}, keyName?: string): KeyInput {
  return {
    type: 'keyDown',
    code,
    key: keyName ?? code.replace(/^Key/, '').toLowerCase(),
    control: false,
    shift: false,
    alt: false,
    meta: false,
    ...mods,
  };
}

describe('classifyKeyInput on Windows and Linux', () => {
  const blocked: [string, KeyInput][] = [
    ['F5 (reload)', key('F5', {}, 'F5')],
    ['Ctrl+R (reload)', key('KeyR', { control: true })],
    ['Ctrl+Shift+R (hard reload)', key('KeyR', { control: true, shift: true })],
    ['F11 (fullscreen)', key('F11', {}, 'F11')],
    ['F12 (devtools)', key('F12', {}, 'F12')],
    ['Ctrl+Shift+I (devtools)', key('KeyI', { control: true, shift: true })],
    ['Ctrl+Shift+J (console)', key('KeyJ', { control: true, shift: true })],
    ['Ctrl+Shift+C (inspect)', key('KeyC', { control: true, shift: true })],
    ['Ctrl+W (close)', key('KeyW', { control: true })],
    ['Ctrl+Q (quit)', key('KeyQ', { control: true })],
    ['Ctrl+F4 (close)', key('F4', { control: true }, 'F4')],
    ['Alt+F4 (close)', key('F4', { alt: true }, 'F4')],
    ['Ctrl+= (zoom in)', key('Equal', { control: true }, '=')],
    ['Ctrl+- (zoom out)', key('Minus', { control: true }, '-')],
    ['Ctrl+0 (zoom reset)', key('Digit0', { control: true }, '0')],
    ['Ctrl+numpad + (zoom)', key('NumpadAdd', { control: true }, '+')],
    ['Alt+Left (back)', key('ArrowLeft', { alt: true }, 'ArrowLeft')],
    ['Alt+Right (forward)', key('ArrowRight', { alt: true }, 'ArrowRight')],
    ['Ctrl+P (print)', key('KeyP', { control: true })],
    ['Ctrl+N (new window)', key('KeyN', { control: true })],
    ['Ctrl+U (view source)', key('KeyU', { control: true })],
    ['browser back key', key('BrowserBack', {}, 'BrowserBack')],
  ];
  it.each(blocked)('blocks %s', (_name, input) => {
    expect(classifyKeyInput(input, 'win32')).toBe('block');
    expect(classifyKeyInput(input, 'linux')).toBe('block');
  });
  it('blocks the key-up half of a blocked combination too', () => {
    expect(classifyKeyInput({ ...key('KeyR', { control: true }), type: 'keyUp' }, 'win32')).toBe('block');
  });

  const allowed: [string, KeyInput][] = [
    ['plain letters', key('KeyA', {}, 'a')],
    ['Shift+letter', key('KeyA', { shift: true }, 'A')],
    ['Ctrl+V (paste a password)', key('KeyV', { control: true })],
    ['Ctrl+C (copy)', key('KeyC', { control: true })],
    ['Ctrl+A (select all)', key('KeyA', { control: true })],
    ['Ctrl+Z (undo)', key('KeyZ', { control: true })],
    ['Tab (focus order)', key('Tab', {}, 'Tab')],
    ['Enter', key('Enter', {}, 'Enter')],
    ['Backspace', key('Backspace', {}, 'Backspace')],
    ['Left arrow', key('ArrowLeft', {}, 'ArrowLeft')],
    [
      'AltGr characters (Ctrl+Alt+Q gives @ on German layouts)',
      key('KeyQ', { control: true, alt: true }, '@'),
    ],
  ];
  it.each(allowed)('lets %s through', (_name, input) => {
    expect(classifyKeyInput(input, 'linux')).toBe('allow');
    expect(classifyKeyInput(input, 'win32')).toBe('allow');
  });
});

describe('classifyKeyInput on macOS', () => {
  it('blocks the Cmd shortcuts', () => {
    for (const code of ['KeyQ', 'KeyW', 'KeyR', 'KeyH', 'KeyM', 'BracketLeft', 'BracketRight', 'Equal']) {
      expect(classifyKeyInput(key(code, { meta: true }), 'darwin')).toBe('block');
    }
    expect(classifyKeyInput(key('KeyI', { meta: true, alt: true }), 'darwin')).toBe('block');
  });
  it('keeps the macOS text-editing keys working', () => {
    expect(classifyKeyInput(key('ArrowLeft', { alt: true }, 'ArrowLeft'), 'darwin')).toBe('allow');
    expect(classifyKeyInput(key('ArrowLeft', { meta: true }, 'ArrowLeft'), 'darwin')).toBe('allow');
    expect(classifyKeyInput(key('KeyV', { meta: true }), 'darwin')).toBe('allow');
    expect(classifyKeyInput(key('KeyH', { control: true }), 'darwin')).toBe('allow');
  });
});

describe('the admin key chord', () => {
  it('recognises Ctrl+Shift+Alt+K on key down', () => {
    expect(classifyKeyInput(key('KeyK', { control: true, shift: true, alt: true }), 'win32')).toBe(
      'admin-chord',
    );
    expect(classifyKeyInput(key('KeyK', { control: true, shift: true, alt: true }), 'darwin')).toBe(
      'admin-chord',
    );
  });
  it('swallows the key up without firing twice', () => {
    expect(
      classifyKeyInput({ ...key('KeyK', { control: true, shift: true, alt: true }), type: 'keyUp' }, 'linux'),
    ).toBe('block');
  });
  it('does not fire for near misses', () => {
    expect(classifyKeyInput(key('KeyK', { control: true, shift: true }), 'linux')).toBe('allow');
    expect(classifyKeyInput(key('KeyK', { control: true, alt: true }), 'linux')).toBe('allow');
  });
  it('does not fire with an extra modifier held', () => {
    expect(
      classifyKeyInput(key('KeyK', { control: true, shift: true, alt: true, meta: true }), 'linux'),
    ).not.toBe('admin-chord');
  });
});

describe('a configured admin chord (kiosk.adminChord)', () => {
  it('fires for the configured chord only, and the default chord no longer opens admin', () => {
    const chord = chordOf('Ctrl+Shift+F9');
    expect(classifyKeyInput(key('F9', { control: true, shift: true }, 'F9'), 'win32', chord)).toBe(
      'admin-chord',
    );
    expect(classifyKeyInput(key('F9', { control: true, shift: true }, 'F9'), 'darwin', chord)).toBe(
      'admin-chord',
    );
    expect(
      classifyKeyInput(key('KeyK', { control: true, shift: true, alt: true }, 'K'), 'win32', chord),
    ).toBe('allow');
    expect(classifyKeyInput(key('F9', { control: true }, 'F9'), 'win32', chord)).toBe('allow');
  });
  it('swallows the configured chord on key up without firing again', () => {
    const chord = chordOf('Meta+Alt+7');
    const down = key('Digit7', { meta: true, alt: true }, '7');
    expect(classifyKeyInput(down, 'darwin', chord)).toBe('admin-chord');
    expect(classifyKeyInput({ ...down, type: 'keyUp' }, 'darwin', chord)).toBe('block');
  });
  it('is not matched by AltGr typing a character (Windows and Linux report AltGr as Ctrl+Alt)', () => {
    const chord = chordOf('Ctrl+Alt+Q');
    // AltGr+Q types "@" on a German keyboard: it must reach the username field.
    const altGrQ = key('KeyQ', { control: true, alt: true }, '@');
    expect(classifyKeyInput(altGrQ, 'win32', chord)).toBe('allow');
    expect(classifyKeyInput(altGrQ, 'linux', chord)).toBe('allow');
    // Electron's modifiers list naming AltGraph settles it for any key.
    const digitChord = chordOf('Ctrl+Alt+7');
    const altGr7 = {
      ...key('Digit7', { control: true, alt: true }, '7'),
      modifiers: ['control', 'alt', 'altgraph'],
    };
    expect(classifyKeyInput(altGr7, 'linux', digitChord)).toBe('allow');
    // The real chord (the letter itself) still opens admin.
    expect(classifyKeyInput(key('KeyQ', { control: true, alt: true }, 'q'), 'win32', chord)).toBe(
      'admin-chord',
    );
    expect(classifyKeyInput(key('KeyQ', { control: true, alt: true }, 'Q'), 'linux', chord)).toBe(
      'admin-chord',
    );
  });
});
