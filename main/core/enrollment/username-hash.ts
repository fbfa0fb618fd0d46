/**
 * What the audit log records of a username the directory has not resolved to an account: a keyed
 * hash, never the text. People type passwords into the username field by mistake; the hash lets
 * an admin see that one name was tried again and again without anyone reading what was typed.
 *
 * `hmac-sha256:<hex>` is the first 16 bytes of HMAC-SHA256 (RFC 2104, FIPS 180-4) under the
 * station's key, over the typed name trimmed and case-folded in NFKC (`foldName`, the form the
 * per-name throttle uses), so `Alice` and ` alice` correlate. Without the key the hash cannot be
 * reversed by trying likely names.
 *
 * The key, in order:
 * 1. `audit.usernameHashKey` (a secret reference, like the other secrets; the same key on several
 *    stations makes their hashes comparable);
 * 2. the kiosk: a random key generated once and kept encrypted in its secret store (the vault
 *    entry `audit.usernameHashKey`, Electron safeStorage), so hashes correlate across restarts; a
 *    key file an older version left in the state folder is moved into the vault;
 * 3. else a random key generated once and kept in `<station state folder>/audit-username-key`
 *    (mode 0600): `walkup serve --state-dir`, or `station.stateDirectory`;
 * 4. else (no state folder) a random key per process: hashes correlate within one run only.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../ports';
import { foldName } from '../directory/login-name';

/** File name of the generated key inside the station's state folder. */
export const AUDIT_USERNAME_KEY_FILE = 'audit-username-key';

/** Bytes of a generated key (256 bits). */
const KEY_BYTES = 32;

/** Maps a typed username to its audit hash. */
export type UsernameHasher = (typed: string) => string;

/** The hasher for `key` (see the module comment for the format). */
export function createUsernameHasher(key: Uint8Array): UsernameHasher {
  const keyCopy = Buffer.from(key);
  return (typed) => {
    const mac = createHmac('sha256', keyCopy).update(foldName(typed.trim()), 'utf8').digest();
    return `hmac-sha256:${mac.subarray(0, 16).toString('hex')}`;
  };
}

/** Where the key came from, for the operator log. */
export type UsernameKeySource = 'configured' | 'secret-store' | 'state-file' | 'process';

/** The vault entry of the kiosk's generated key (a normal entry: policy may name it too). */
export const AUDIT_USERNAME_KEY_ENTRY = 'audit.usernameHashKey';

/** The kiosk's encrypted store, as the key needs it (`read` answers `not-found` in `error` text too). */
export interface UsernameKeyStore {
  /** The stored key (hex), `undefined` when there is none yet; throws when the store cannot be read. */
  read(): Promise<string | undefined>;
  /** Stores a new key (hex); throws when the store refuses. */
  store(hex: string): Promise<void>;
}

/** Options of `loadAuditUsernameKey`. */
export interface UsernameKeyOptions {
  /** The resolved `audit.usernameHashKey` secret, when configured. */
  configured?: string | undefined;
  /** The station's state folder, when it has one. */
  stateDirectory?: string | undefined;
  /** The kiosk: keep the generated key encrypted here instead of a state file. */
  keyStore?: UsernameKeyStore | undefined;
  logger: Logger;
}

/**
 * The station's username hash key (see the module comment). Never throws: when the state file
 * cannot be read or written, the key is per process and the operator log says why (no key bytes).
 */
export async function loadAuditUsernameKey(
  options: UsernameKeyOptions,
): Promise<{ key: Buffer; source: UsernameKeySource }> {
  if (options.configured !== undefined && options.configured.length > 0) {
    return { key: Buffer.from(options.configured, 'utf8'), source: 'configured' };
  }
  if (options.keyStore !== undefined) {
    try {
      return {
        key: await readOrCreateStoredKey(options.keyStore, options.stateDirectory),
        source: 'secret-store',
      };
    } catch (error) {
      options.logger.warn('audit.username-key-unavailable', {
        store: 'vault',
        error: error instanceof Error ? error.message : 'error',
      });
      return { key: randomBytes(KEY_BYTES), source: 'process' };
    }
  }
  if (options.stateDirectory !== undefined) {
    const file = path.join(options.stateDirectory, AUDIT_USERNAME_KEY_FILE);
    try {
      return { key: await readOrCreateKeyFile(file), source: 'state-file' };
    } catch (error) {
      options.logger.warn('audit.username-key-unavailable', {
        file,
        error: (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.name : 'error'),
      });
    }
  }
  return { key: randomBytes(KEY_BYTES), source: 'process' };
}

/** The key in the store; else the old state file's key moved in (file deleted); else a new one. */
async function readOrCreateStoredKey(
  store: UsernameKeyStore,
  stateDirectory: string | undefined,
): Promise<Buffer> {
  const stored = await store.read();
  if (stored !== undefined) {
    if (!/^(?:[0-9a-f]{2}){16,}$/i.test(stored)) throw new Error('the stored key is malformed');
    return Buffer.from(stored, 'hex');
  }
  const file = stateDirectory === undefined ? undefined : path.join(stateDirectory, AUDIT_USERNAME_KEY_FILE);
  const old = file === undefined ? undefined : await readKeyFile(file).catch(() => undefined);
  const key = old ?? randomBytes(KEY_BYTES);
  await store.store(key.toString('hex'));
  if (old !== undefined && file !== undefined) await rm(file, { force: true });
  return key;
}

async function readOrCreateKeyFile(file: string): Promise<Buffer> {
  const existing = await readKeyFile(file);
  if (existing) return existing;
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const key = randomBytes(KEY_BYTES);
  try {
    // `wx`: never overwrite a key another process wrote meanwhile.
    await writeFile(file, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const raced = await readKeyFile(file);
    if (!raced) throw error;
    return raced;
  }
}

/** The key in `file` (hex), or undefined when the file does not exist. A malformed file throws. */
async function readKeyFile(file: string): Promise<Buffer | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const hex = text.trim();
  if (!/^(?:[0-9a-f]{2}){16,}$/i.test(hex)) {
    throw Object.assign(new Error('malformed key file'), { code: 'EMALFORMED' });
  }
  // Keep it private even if someone loosened the mode.
  await chmod(file, 0o600).catch(() => undefined);
  return Buffer.from(hex, 'hex');
}
