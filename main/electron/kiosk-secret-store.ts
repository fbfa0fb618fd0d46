/**
 * The kiosk's secret store (`AdminSecretStore` of main/core/admin/ports.ts): the vault in userData
 * (`core/secrets/vault.ts`, one 0600 blob per entry under `<userData>/vault`) encrypted with
 * Electron safeStorage through the one cipher of the process (`safe-storage-cipher.ts`: Linux
 * `basic_text` refused unless `kiosk.allowInsecureSecretStorage`, a backend changed since the
 * secrets were written reported from the backend record, never re-keyed).
 *
 * Whether the insecure backend is allowed comes from the managed policy alone: the local settings
 * cannot be verified before this store opens (their integrity key lives in it).
 *
 * Opened lazily, on the first call that needs it, so a station that never asks for a `{ vault }`
 * secret, a PIN or signed settings never asks the keyring. Opening moves a pending import
 * (`walkup import-secrets`) into the vault first (`openKioskVault`). Never throws; messages name
 * entries and causes, never values. `read` is for main alone (never wired to IPC).
 */
import { access } from 'node:fs/promises';
import path from 'node:path';
import type { SecretStoreInfo } from '../contract/admin';
import type { AdminSecretStore } from '../core/admin/ports';
import type { SecretIo, SecretResult } from '../core/config/secrets';
import type { Logger } from '../core/ports';
import { openKioskVault, type KioskVault } from '../core/secrets/kiosk-vault';
import { SECRET_NAME_RULE } from '../core/secrets/names';
import { CLAIMED_IMPORT_FILE, SECRETS_IMPORT_FILE, VAULT_FOLDER } from '../core/secrets/provisioning';
import { createVault, vaultEntryExists, type Vault, type VaultFailure } from '../core/secrets/vault';
import type { SafeStorageCipher } from './safe-storage-cipher';

/** The userData file that remembers the Linux safeStorage backend chosen at first use. */
export const BACKEND_RECORD_FILE = 'safe-storage-backend.json';

export interface KioskSecretStoreOptions {
  /** The kiosk's userData folder (the vault is `<stateDir>/vault`). */
  stateDir: string;
  /** The managed policy's `kiosk.allowInsecureSecretStorage` (never the local settings'). */
  allowInsecure: boolean;
  logger: Logger;
  /** Tests: the cipher (default: Electron safeStorage, loaded only when the store opens). */
  cipher?: SafeStorageCipher;
}

/** The store, plus the reader the station assembly uses for `{ "vault": name }` references. */
export interface KioskSecretStore extends AdminSecretStore {
  /**
   * The reader for `SecretIo.vault`. Opens the store at once when a pending import is waiting (so
   * it is moved into the vault at start), else on the first `{ vault }` reference.
   */
  vaultReader(): Promise<NonNullable<SecretIo['vault']>>;
}

/** Why a store failed, per vault failure (`store` only; reads use the kiosk vault's texts). */
const STORE_FAILURE: Record<VaultFailure, string> = {
  'invalid-name': SECRET_NAME_RULE,
  'insecure-cipher':
    'the secret store only obfuscates (Linux basic_text) and kiosk.allowInsecureSecretStorage is off',
  'not-found': 'is not in the vault',
  unreadable: 'the vault cannot be read',
  'decrypt-failed': 'the vault cannot be decrypted',
  'write-failed': 'the vault entry cannot be written',
};

interface Opened {
  cipher: SafeStorageCipher | undefined;
  /** Why the store cannot be used; undefined when it can. */
  problem: string | undefined;
  reader: KioskVault;
  vault: Vault | undefined;
}

async function defaultCipher(options: KioskSecretStoreOptions): Promise<SafeStorageCipher> {
  // Loaded here, not at the top: only a station that opens the store needs Electron's safeStorage.
  const { createSafeStorageCipher } = await import('./safe-storage-cipher');
  return createSafeStorageCipher({
    allowBasicText: options.allowInsecure,
    logger: options.logger,
    backendRecordFile: path.join(options.stateDir, BACKEND_RECORD_FILE),
  });
}

/** Creates the store (one per process: it holds the one cipher). Nothing is asked until used. */
export function createKioskSecretStore(options: KioskSecretStoreOptions): KioskSecretStore {
  const { logger } = options;
  let opening: Promise<Opened> | undefined;

  const open = (): Promise<Opened> =>
    (opening ??= (async (): Promise<Opened> => {
      let cipher: SafeStorageCipher;
      try {
        cipher = options.cipher ?? (await defaultCipher(options));
      } catch (error) {
        const problem = `the secret store cannot be opened (${error instanceof Error ? error.name : 'error'})`;
        logger.error('vault-unavailable', { problem });
        return {
          cipher: undefined,
          problem,
          reader: { read: async () => ({ ok: false, error: `cannot be read: ${problem}` }) },
          vault: undefined,
        };
      }
      let problem: string | undefined;
      try {
        problem = await cipher.problem();
      } catch (error) {
        problem = `the secret store cannot be asked (${error instanceof Error ? error.name : 'error'})`;
      }
      // The kiosk vault asks the cipher again (one decision, cached), imports a pending import and
      // turns every read failure into a sentence; `vault` writes through the same cipher.
      const reader = await openKioskVault({
        stateDir: options.stateDir,
        cipher,
        storageProblem: () => cipher.problem(),
        allowInsecure: options.allowInsecure,
        logger,
      });
      const vault =
        problem === undefined
          ? createVault({
              dir: path.join(options.stateDir, VAULT_FOLDER),
              cipher,
              allowInsecure: options.allowInsecure,
            })
          : undefined;
      return { cipher, problem, reader, vault };
    })());

  const pendingImport = async (): Promise<boolean> => {
    for (const file of [SECRETS_IMPORT_FILE, CLAIMED_IMPORT_FILE]) {
      const exists = await access(path.join(options.stateDir, file)).then(
        () => true,
        () => false,
      );
      if (exists) return true;
    }
    return false;
  };

  return {
    async describe(): Promise<SecretStoreInfo> {
      const { cipher, problem } = await open();
      let backend = 'unknown';
      let secure = false;
      try {
        if (cipher) {
          backend = await cipher.backend();
          secure = problem === undefined && (await cipher.isSecure());
        }
      } catch {
        secure = false;
      }
      return { backend, secure, ...(problem !== undefined ? { problem } : {}) };
    },

    async store(name, value) {
      const { problem, vault } = await open();
      if (problem !== undefined || vault === undefined) {
        return { ok: false, problem: problem ?? 'the secret store cannot be opened' };
      }
      const result = await vault.put(name, value);
      if (!result.ok) {
        logger.warn('vault-store-failed', { name: name.slice(0, 64), reason: result.reason });
        return { ok: false, problem: STORE_FAILURE[result.reason] };
      }
      logger.info('vault-stored', { name });
      return { ok: true, ref: { vault: name } };
    },

    async read(name): Promise<SecretResult> {
      return (await open()).reader.read(name);
    },

    // Presence only: the blob file, without opening the store (no keyring question at start).
    has: (name) => vaultEntryExists(path.join(options.stateDir, VAULT_FOLDER), name),

    async vaultReader() {
      if (await pendingImport()) await open();
      return async (name) => (await open()).reader.read(name);
    },
  };
}
