/**
 * The admin key chord as policy writes it (`kiosk.adminChord`, e.g. `Ctrl+Shift+Alt+K`): one or
 * more modifiers and one key, joined by `+`. Parsed here once, for the schema (which refuses a
 * chord this cannot read) and for the kiosk's key filter (main/electron/key-policy.ts), which
 * compares it with Electron's `Input` (`code` is the W3C UI Events KeyboardEvent.code value).
 */

/** A parsed chord: the W3C `code` of the key and the modifiers that must be held. */
export interface AdminChord {
  code: string;
  control: boolean;
  shift: boolean;
  alt: boolean;
  meta: boolean;
}

/** The chord when policy sets none. */
export const DEFAULT_ADMIN_CHORD = 'Ctrl+Shift+Alt+K';

const MODIFIERS: Record<string, keyof Omit<AdminChord, 'code'>> = {
  ctrl: 'control',
  control: 'control',
  shift: 'shift',
  alt: 'alt',
  option: 'alt',
  meta: 'meta',
  cmd: 'meta',
  command: 'meta',
  super: 'meta',
};

/** The key part: a letter, a digit or F1-F24 (KeyboardEvent.code `KeyK`, `Digit5`, `F9`). */
function codeOf(key: string): string | undefined {
  if (/^[A-Za-z]$/.test(key)) return `Key${key.toUpperCase()}`;
  if (/^[0-9]$/.test(key)) return `Digit${key}`;
  if (/^F([1-9]|1[0-9]|2[0-4])$/i.test(key)) return key.toUpperCase();
  return undefined;
}

/**
 * Parses `Ctrl+Shift+Alt+K`-style text (case-insensitive modifiers). At least two modifiers are
 * required, so a visitor cannot open the PIN pad by typing; a repeated modifier is refused.
 * Returns the chord, or the reason it cannot be read.
 */
export function parseAdminChord(
  text: string,
): { ok: true; chord: AdminChord } | { ok: false; error: string } {
  const parts = text.split('+').map((part) => part.trim());
  const key = parts.pop() ?? '';
  const code = codeOf(key);
  if (code === undefined) {
    return { ok: false, error: 'must end with a letter, a digit or F1-F24, e.g. Ctrl+Shift+Alt+K' };
  }
  const chord: AdminChord = { code, control: false, shift: false, alt: false, meta: false };
  for (const part of parts) {
    const modifier = MODIFIERS[part.toLowerCase()];
    if (modifier === undefined)
      return { ok: false, error: `"${part}" is not a modifier (Ctrl, Shift, Alt, Meta)` };
    if (chord[modifier]) return { ok: false, error: `"${part}" is named twice` };
    chord[modifier] = true;
  }
  const held = [chord.control, chord.shift, chord.alt, chord.meta].filter(Boolean).length;
  if (held < 2) return { ok: false, error: 'needs at least two modifiers, so that typing cannot open it' };
  return { ok: true, chord };
}
