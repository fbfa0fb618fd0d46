/**
 * The kiosk's vault: named secrets (Duo client secret / skey, akey, LDAP service password, admin
 * PIN hash) encrypted through a Cipher (Electron safeStorage) and kept as one 0600 blob file
 * each. Secrets go in and are tested or replaced; listing shows names only, and `get` is for the
 * main process alone (never wire it to IPC or HTTP).
 */
import { readFile, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Cipher } from '../ports';
import { writePrivateFileAtomically } from '../private-file';
import { SECRET_NAME } from './names';

const SUFFIX = '.secret';
/** Blob header, so a file that is not ours (or a future format) is recognised as such. */
const MAGIC = Buffer.from('WKV1');

export type VaultFailure =
  | 'invalid-name'
  /** The cipher does not really protect data (Linux `basic_text`) and policy does not allow it. */
  | 'insecure-cipher'
  | 'not-found'
  | 'unreadable'
  | 'decrypt-failed'
  | 'write-failed';

export type VaultResult = { ok: true } | { ok: false; reason: VaultFailure };
export type VaultReadResult = { ok: true; value: string } | { ok: false; reason: VaultFailure };

export interface Vault {
  /** Stores (or replaces) a secret. */
  put(name: string, value: string): Promise<VaultResult>;
  has(name: string): Promise<boolean>;
  /** Main process only: the value itself. Never expose this through the contract. */
  get(name: string): Promise<VaultReadResult>;
  delete(name: string): Promise<VaultResult>;
  /** Names of the stored secrets (never values). */
  list(): Promise<string[]>;
}

export interface VaultOptions {
  /** Directory of the blob files; created with mode 0700. */
  dir: string;
  cipher: Cipher;
  /** Accept a cipher that reports itself insecure (policy `allowInsecureSecretStorage`). */
  allowInsecure?: boolean;
}

/**
 * Whether the vault in `dir` holds an entry `name`, without decrypting anything (so without
 * asking the OS key store): the blob file exists and can be read.
 */
export async function vaultEntryExists(dir: string, name: string): Promise<boolean> {
  if (!SECRET_NAME.test(name)) return false;
  try {
    await readFile(join(dir, `${name}${SUFFIX}`));
    return true;
  } catch {
    return false;
  }
}

/** Creates a vault over a directory. */
export function createVault(options: VaultOptions): Vault {
  const { dir, cipher } = options;
  const pathOf = (name: string): string => join(dir, `${name}${SUFFIX}`);

  async function cipherAllowed(): Promise<boolean> {
    if (options.allowInsecure) return true;
    try {
      return await cipher.isSecure();
    } catch {
      return false;
    }
  }

  return {
    async put(name, value) {
      if (!SECRET_NAME.test(name)) return { ok: false, reason: 'invalid-name' };
      if (!(await cipherAllowed())) return { ok: false, reason: 'insecure-cipher' };
      try {
        const encrypted = await cipher.encrypt(value);
        await writePrivateFileAtomically(pathOf(name), Buffer.concat([MAGIC, encrypted]));
        return { ok: true };
      } catch {
        return { ok: false, reason: 'write-failed' };
      }
    },

    has: (name) => vaultEntryExists(dir, name),

    async get(name) {
      if (!SECRET_NAME.test(name)) return { ok: false, reason: 'invalid-name' };
      if (!(await cipherAllowed())) return { ok: false, reason: 'insecure-cipher' };
      let blob: Buffer;
      try {
        blob = await readFile(pathOf(name));
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        return { ok: false, reason: code === 'ENOENT' ? 'not-found' : 'unreadable' };
      }
      if (blob.length < MAGIC.length || !blob.subarray(0, MAGIC.length).equals(MAGIC)) {
        return { ok: false, reason: 'unreadable' };
      }
      try {
        return { ok: true, value: await cipher.decrypt(blob.subarray(MAGIC.length)) };
      } catch {
        // The OS key changed (new user profile, restored disk): the secret must be entered again.
        return { ok: false, reason: 'decrypt-failed' };
      }
    },

    async delete(name) {
      if (!SECRET_NAME.test(name)) return { ok: false, reason: 'invalid-name' };
      try {
        await rm(pathOf(name));
        return { ok: true };
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        return { ok: false, reason: code === 'ENOENT' ? 'not-found' : 'write-failed' };
      }
    },

    async list() {
      try {
        const names = await readdir(dir);
        return names
          .filter((file) => file.endsWith(SUFFIX))
          .map((file) => file.slice(0, -SUFFIX.length))
          .filter((name) => SECRET_NAME.test(name))
          .sort();
      } catch {
        return [];
      }
    },
  };
}
