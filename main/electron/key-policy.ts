/**
 * Which keystrokes the kiosk swallows (`before-input-event`, which also sees input typed into
 * subframes). Reload, devtools, zoom, close, fullscreen and history keys would let a visitor
 * leave or break the station. OS-level keys (Alt+Tab, Ctrl+Alt+Del, Cmd+Tab) never reach the
 * app; the OS kiosk configuration has to handle those. The admin chord is policy's
 * `kiosk.adminChord`, parsed once by `core/config/admin-chord.ts`.
 */
import { DEFAULT_ADMIN_CHORD, parseAdminChord, type AdminChord } from '../core/config/admin-chord';

/** The fields of Electron's `Input` that the filter reads. */
export interface KeyInput {
  type: string;
  key: string;
  code: string;
  control: boolean;
  shift: boolean;
  alt: boolean;
  meta: boolean;
  /** Electron's `Input.modifiers` (InputEvent.modifiers); `altgraph` when the OS reports AltGr. */
  modifiers?: readonly string[];
}

/** `allow`: pass to the page; `block`: preventDefault; `admin-chord`: block and open admin. */
export type KeyDecision = 'allow' | 'block' | 'admin-chord';

/**
 * The chord when no valid configuration names one (`DEFAULT_ADMIN_CHORD`, Ctrl+Shift+Alt+K), so
 * a station out of service for its configuration can still open the PIN pad.
 */
export const defaultAdminChord: AdminChord = (() => {
  const parsed = parseAdminChord(DEFAULT_ADMIN_CHORD);
  if (!parsed.ok) throw new Error(`the default admin chord does not parse: ${parsed.error}`);
  return parsed.chord;
})();

/**
 * Whether the key event types a character through AltGr rather than holding Ctrl+Alt. Windows
 * and Linux report AltGr as Ctrl+Alt (UI Events: the AltGraph modifier), so a chord with Ctrl
 * and Alt would otherwise fire while someone types "@" (AltGr+Q on a German keyboard). AltGr is
 * taken as held when Electron lists `altgraph`, or, for a letter chord, when the key produced a
 * character other than that letter. macOS has no AltGr.
 */
function typedWithAltGraph(input: KeyInput, chord: AdminChord, platform: NodeJS.Platform): boolean {
  if (input.modifiers?.some((modifier) => modifier.toLowerCase() === 'altgraph')) return true;
  if (platform === 'darwin' || !(input.control && input.alt)) return false;
  const letter = /^Key([A-Z])$/.exec(chord.code)?.[1];
  return letter !== undefined && [...input.key].length === 1 && input.key.toUpperCase() !== letter;
}

/** The chord's key with exactly its modifiers (no more, no fewer), not typed through AltGr. */
function isAdminChord(input: KeyInput, chord: AdminChord, platform: NodeJS.Platform): boolean {
  return (
    input.code === chord.code &&
    input.control === chord.control &&
    input.shift === chord.shift &&
    input.alt === chord.alt &&
    input.meta === chord.meta &&
    !typedWithAltGraph(input, chord, platform)
  );
}

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
 * a blocked combination; the admin chord is `admin-chord` on keyDown (auto-repeat included: the
 * caller opens the PIN pad once) and `block` on keyUp.
 */
export function classifyKeyInput(
  input: KeyInput,
  platform: NodeJS.Platform,
  adminChord: AdminChord = defaultAdminChord,
): KeyDecision {
  if (isAdminChord(input, adminChord, platform)) {
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
