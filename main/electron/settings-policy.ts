/**
 * What may be written to the local settings file (electron-store). Settings are the admin
 * screen's overrides below the managed policy: plain, non-secret configuration. Secrets go to
 * the vault (encrypted through the Cipher), so an inline secret here is refused, never stored.
 * The full schema check happens when the merged configuration is loaded; this only keeps junk
 * and secrets out of the file.
 */
import { configSchema } from '../core/config/schema';

/** Config paths that hold secrets; only `{env}` / `{file}` references may appear there. */
export const secretPaths: readonly (readonly [string, string])[] = [
  ['directory', 'bindPassword'],
  ['duo', 'clientSecret'],
  ['duo', 'skey'],
  ['duo', 'akey'],
];

export type SettingsCheck =
  | { ok: true; settings: Record<string, unknown> }
  | { ok: false; reason: 'not-an-object' | 'unknown-section' | 'inline-secret' | 'not-json'; path?: string };

// A null prototype counts as plain: conf (under electron-store) hands its store back that way.
const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' &&
  value !== null &&
  !Array.isArray(value) &&
  [Object.prototype, null].includes(Object.getPrototypeOf(value) as object | null);

/** Checks settings before they are written (and after they are read back). */
export function checkLocalSettings(value: unknown): SettingsCheck {
  if (!isPlainObject(value)) return { ok: false, reason: 'not-an-object' };
  let copy: unknown;
  try {
    // A JSON round trip drops functions and prototypes and fails on cycles and BigInt.
    copy = JSON.parse(JSON.stringify(value));
  } catch {
    return { ok: false, reason: 'not-json' };
  }
  // The rules below look at the copy, i.e. exactly what would be written, so a secret inside a
  // class instance or an object with a `toJSON` cannot slip past them.
  if (!isPlainObject(copy)) return { ok: false, reason: 'not-an-object' };
  const sections = new Set(Object.keys(configSchema.shape));
  for (const key of Object.keys(copy)) {
    if (!sections.has(key)) return { ok: false, reason: 'unknown-section', path: key };
  }
  for (const [section, key] of secretPaths) {
    const parent = copy[section];
    if (isPlainObject(parent) && typeof parent[key] === 'string') {
      return { ok: false, reason: 'inline-secret', path: `${section}.${key}` };
    }
  }
  return { ok: true, settings: copy };
}
