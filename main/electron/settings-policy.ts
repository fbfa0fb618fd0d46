/**
 * What may be written to the local settings file (electron-store). Settings are the admin
 * screen's overrides below the managed policy: plain, non-secret configuration. Secrets go to
 * the vault (encrypted through the Cipher), so an inline secret here is refused, never stored.
 * The full schema check happens when the merged configuration is loaded; this only keeps junk
 * and secrets out of the file. The file holds the signed envelope the admin service writes
 * (`core/admin/signed-settings.ts`: `{ version, settings, tag }`); these checks apply to its
 * inner `settings`, and the tag is verified in core.
 */
import { policyKeys } from '../core/config/policy-sources/policy-keys';
import { configSchema } from '../core/config/schema';

/**
 * Config paths that hold secrets (every `secret` key of the one schema); only references
 * (`{ vault }`, `{ file }`, `{ env }`) may appear there, never a value.
 */
export const secretPaths: readonly (readonly string[])[] = policyKeys()
  .filter((key) => key.kind === 'secret')
  .map((key) => key.segments);

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
  for (const segments of secretPaths) {
    let here: unknown = copy;
    for (const segment of segments) here = isPlainObject(here) ? here[segment] : undefined;
    if (typeof here === 'string') return { ok: false, reason: 'inline-secret', path: segments.join('.') };
  }
  return { ok: true, settings: copy };
}

export type SettingsFileCheck =
  | { ok: true; file: Record<string, unknown> }
  | {
      ok: false;
      reason: 'not-an-object' | 'unknown-section' | 'inline-secret' | 'not-json' | 'not-an-envelope';
      path?: string;
    };

/** The envelope's keys (`core/admin/signed-settings.ts`). */
const ENVELOPE_KEYS = ['settings', 'tag', 'version'];

/**
 * Checks the whole settings file: empty, or the signed envelope whose inner `settings` pass
 * {@link checkLocalSettings}. A file of bare settings (written before settings were signed, or by
 * hand) is passed on unchanged when it holds no secret or junk, so that core reports it as
 * changed outside Walkup; written files must be envelopes.
 */
export function checkSettingsFile(value: unknown, options: { writing: boolean }): SettingsFileCheck {
  if (!isPlainObject(value)) return { ok: false, reason: 'not-an-object' };
  const keys = Object.keys(value).sort();
  if (keys.length === 0) return { ok: true, file: {} };
  const isEnvelope = keys.length === ENVELOPE_KEYS.length && keys.every((key, i) => key === ENVELOPE_KEYS[i]);
  if (!isEnvelope) {
    if (options.writing) return { ok: false, reason: 'not-an-envelope' };
    const bare = checkLocalSettings(value);
    return bare.ok ? { ok: true, file: bare.settings } : bare;
  }
  const inner = checkLocalSettings(value.settings);
  if (!inner.ok) return inner.path !== undefined ? { ...inner, path: `settings.${inner.path}` } : inner;
  if (typeof value.tag !== 'string' || typeof value.version !== 'number') {
    return { ok: false, reason: 'not-an-envelope' };
  }
  return { ok: true, file: { version: value.version, settings: inner.settings, tag: value.tag } };
}
