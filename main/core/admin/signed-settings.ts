/**
 * Local settings with an integrity tag (issue #11, "Local settings cannot weaken a station"): the
 * settings file is writable by the kiosk account, so Walkup signs what the admin screen writes
 * and refuses a file changed outside it.
 *
 * File content: `{ "version": 1, "settings": { … }, "tag": "<hex>" }`, where `tag` is
 * HMAC-SHA256 (RFC 2104, FIPS 180-4) over the canonical JSON of `settings` (object keys sorted
 * by UTF-16 code unit at every level, no white space; arrays keep their order), keyed with the
 * secret `settings.hmacKey` (32 random bytes, base64), kept in the secret store and created on
 * the first write. The tag is compared in constant time (`constant-time.ts`).
 *
 * The canonical form is written here by hand (ten lines) rather than taken from a package: the
 * settings are plain JSON the configuration schema accepts (objects, arrays, strings, numbers,
 * booleans), for which sorting keys and `JSON.stringify` give one stable text.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { bytesEqual } from '../constant-time';
import type { SettingsStore } from '../ports';
import { ADMIN_SECRET_NAMES, type AdminSecretStore } from './ports';

/** The file format's version. */
export const SIGNED_SETTINGS_VERSION = 1;
/** Bytes of a new settings key (256 bits). */
const KEY_BYTES = 32;

/** What the problem line says when the tag does not match (no values in it). */
export const TAMPERED_TEXT =
  'local settings were changed outside Walkup (their integrity tag does not match): re-save them in the admin screen';
const REMOVED_TEXT =
  'local settings were removed outside Walkup (their key is in the secret store, the file is gone or empty): re-save them in the admin screen';
const UNTAGGED_TEXT =
  'local settings were changed outside Walkup (they carry no integrity tag): re-save them in the admin screen';

export interface SignedSettingsRead {
  /** The verified settings; `{}` when there are none or they cannot be trusted. */
  settings: Record<string, unknown>;
  /** One line per problem (never a value). */
  problems: string[];
  /** True when the file is present but its tag is missing or wrong. */
  tampered: boolean;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** JSON with object keys sorted at every level (see the module comment). */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item)).join(',')}]`;
  if (isPlainObject(value)) {
    const keys = Object.keys(value)
      .filter((key) => value[key] !== undefined)
      .sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function tagOf(key: Buffer, settings: Record<string, unknown>): Buffer {
  return createHmac('sha256', key).update(canonicalJson(settings), 'utf8').digest();
}

function keyBytes(encoded: string): Buffer | undefined {
  const key = Buffer.from(encoded, 'base64');
  return key.length >= 16 ? key : undefined;
}

function isEmpty(raw: unknown): boolean {
  return raw === undefined || raw === null || (isPlainObject(raw) && Object.keys(raw).length === 0);
}

/**
 * Reads and verifies the local settings. Never throws: an empty file gives `{}`; an untagged or
 * wrongly tagged file gives `{}` with `tampered` and the problem line; a key that cannot be read
 * gives `{}` with a problem naming why.
 */
export async function readSignedSettings(
  file: SettingsStore,
  secrets: AdminSecretStore,
): Promise<SignedSettingsRead> {
  let raw: unknown;
  try {
    raw = await file.read();
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return { settings: {}, problems: [`local settings cannot be read: ${why}`], tampered: false };
  }
  if (isEmpty(raw)) {
    // Walkup keeps a signed file once it has written one (the key exists): none now means removed.
    // A store that cannot be asked has no key to show (nor a PIN: the admin screen is closed).
    const keyed = await secrets.has(ADMIN_SECRET_NAMES.settingsKey).catch(() => false);
    return keyed
      ? { settings: {}, problems: [REMOVED_TEXT], tampered: true }
      : { settings: {}, problems: [], tampered: false };
  }
  if (
    !isPlainObject(raw) ||
    raw.version !== SIGNED_SETTINGS_VERSION ||
    !isPlainObject(raw.settings) ||
    typeof raw.tag !== 'string'
  ) {
    return { settings: {}, problems: [UNTAGGED_TEXT], tampered: true };
  }
  const read = await secrets
    .read(ADMIN_SECRET_NAMES.settingsKey)
    .catch(
      (error: unknown) =>
        ({ ok: false, error: error instanceof Error ? error.message : String(error) }) as const,
    );
  if (!read.ok) {
    return {
      settings: {},
      problems: [
        `local settings cannot be verified: their key ${ADMIN_SECRET_NAMES.settingsKey} cannot be read (${read.error}); re-save them in the admin screen`,
      ],
      tampered: false,
    };
  }
  const key = keyBytes(read.value);
  const given = /^[0-9a-f]{64}$/.test(raw.tag) ? Buffer.from(raw.tag, 'hex') : Buffer.alloc(0);
  if (!key || !bytesEqual(given, tagOf(key, raw.settings))) {
    return { settings: {}, problems: [TAMPERED_TEXT], tampered: true };
  }
  return { settings: raw.settings, problems: [], tampered: false };
}

export type SignedSettingsWrite = { ok: true } | { ok: false; problem: string };

/**
 * Signs and writes `settings`, creating the key (`settings.hmacKey`) in the secret store on the
 * first write. Never throws; a key or file that cannot be written is a problem line.
 */
export async function writeSignedSettings(
  file: SettingsStore,
  secrets: AdminSecretStore,
  settings: Record<string, unknown>,
): Promise<SignedSettingsWrite> {
  const name = ADMIN_SECRET_NAMES.settingsKey;
  try {
    let key: Buffer | undefined;
    if (await secrets.has(name)) {
      const read = await secrets.read(name);
      if (!read.ok) return { ok: false, problem: `the settings key ${name} cannot be read (${read.error})` };
      key = keyBytes(read.value);
    }
    if (!key) {
      const fresh = randomBytes(KEY_BYTES);
      const stored = await secrets.store(name, fresh.toString('base64'));
      if (!stored.ok)
        return { ok: false, problem: `the settings key ${name} cannot be stored (${stored.problem})` };
      key = fresh;
    }
    await file.write({
      version: SIGNED_SETTINGS_VERSION,
      settings,
      tag: tagOf(key, settings).toString('hex'),
    });
    return { ok: true };
  } catch (error) {
    return {
      ok: false,
      problem: `local settings cannot be written: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}
