/**
 * Which keystrokes the kiosk swallows (`before-input-event`, which also sees input typed into
 * subframes). Reload, devtools, zoom, close, fullscreen and history keys would let a visitor
 * leave or break the station. OS-level keys (Alt+Tab, Ctrl+Alt+Del, Cmd+Tab) never reach the
 * app; the OS kiosk configuration has to handle those.
 */

/** The fields of Electron's `Input` that the filter reads. */
export interface KeyInput {
  type: string;
  key: string;
  code: string;
  control: boolean;
  shift: boolean;
  alt: boolean;
  meta: boolean;
}

/** `allow`: pass to the page; `block`: preventDefault; `admin-chord`: block and open admin. */
export type KeyDecision = 'allow' | 'block' | 'admin-chord';

/**
 * The admin key chord: Ctrl+Shift+Alt+K (Cmd instead of Ctrl on macOS is not needed: the chord
 * is typed by staff who know it; one fixed chord is easier to document).
 */
export const ADMIN_CHORD = { code: 'KeyK', control: true, shift: true, alt: true } as const;

const functionKeysAlwaysBlocked = new Set([
  'F5',
  'F11',
  'F12',
  'BrowserRefresh',
  'BrowserBack',
  'BrowserForward',
]);
/**
 * With the command modifier (Ctrl; Cmd on macOS): reload, close, quit, new window/tab, print,
 * save, open, downloads, view-source, minimise, hide, tab switching, Ctrl+F4.
 * Copy, paste, cut, select-all and undo stay allowed: people paste passwords.
 */
const commandKeysBlocked = new Set([
  'KeyR',
  'KeyW',
  'KeyQ',
  'KeyN',
  'KeyT',
  'KeyP',
  'KeyS',
  'KeyO',
  'KeyJ',
  'KeyU',
  'KeyM',
  'F4',
  'Tab',
]);
/** Cmd-only keys on macOS: hide (Cmd+H) and history (Cmd+[ / Cmd+]). */
const macCommandKeysBlocked = new Set(['KeyH', 'BracketLeft', 'BracketRight']);
/** Zoom keys (with the command modifier): the layout is fixed for the kiosk screen. */
const zoomCodes = new Set(['Equal', 'Minus', 'Digit0', 'NumpadAdd', 'NumpadSubtract', 'Numpad0']);
/** Devtools: Ctrl+Shift+I/J/C, Cmd+Alt+I/J/C. */
const devtoolsCodes = new Set(['KeyI', 'KeyJ', 'KeyC']);

/**
 * Classifies one key event. Both keyDown and keyUp are filtered so the page never sees half of
 * a blocked combination.
 */
export function classifyKeyInput(input: KeyInput, platform: NodeJS.Platform): KeyDecision {
  if (
    input.code === ADMIN_CHORD.code &&
    input.control === ADMIN_CHORD.control &&
    input.shift === ADMIN_CHORD.shift &&
    input.alt === ADMIN_CHORD.alt
  ) {
    return input.type === 'keyDown' ? 'admin-chord' : 'block';
  }
  if (functionKeysAlwaysBlocked.has(input.key) || functionKeysAlwaysBlocked.has(input.code)) return 'block';

  const mac = platform === 'darwin';
  // On Windows and Linux, AltGr arrives as Ctrl+Alt: Ctrl+Alt+Q is "@" on a German keyboard and
  // must reach the username field, so Ctrl with Alt is not a command.
  const command = mac ? input.meta : input.control && !input.alt;
  if (command) {
    if (commandKeysBlocked.has(input.code) || zoomCodes.has(input.code)) return 'block';
    if ((input.shift || input.alt) && devtoolsCodes.has(input.code)) return 'block';
    if (mac && macCommandKeysBlocked.has(input.code)) return 'block';
  }
  // Alt+F4 closes the window everywhere. Alt+Left/Right/Home are history keys on Windows and
  // Linux, but word-wise cursor movement on macOS, where they stay allowed.
  if (input.alt && input.code === 'F4') return 'block';
  if (!mac && input.alt && ['ArrowLeft', 'ArrowRight', 'Home'].includes(input.code)) return 'block';
  return 'allow';
}
