/**
 * The kiosk's secret store for the station assembly: `{ "vault": name }` secret references are
 * read from the vault in userData (`core/secrets/kiosk-vault`), encrypted with Electron
 * safeStorage (`safe-storage-cipher`, Linux `basic_text` refused unless
 * `kiosk.allowInsecureSecretStorage`, the backend remembered in `safe-storage-backend.json`).
 * The vault is opened when a reference first needs it, or at start when a pending import
 * (`walkup import-secrets`) is waiting, so a station that uses only `{ file }` / `{ env }`
 * references never asks the keyring. Never throws: a store that cannot be used is the error of
 * every vault reference (the station is out of service with the reason).
 */
import { access } from 'node:fs/promises';
import path from 'node:path';
import type { SecretIo } from '../core/config/secrets';
import type { WalkupConfig } from '../core/config/schema';
import type { Logger } from '../core/ports';
import { openKioskVault, type KioskVault } from '../core/secrets/kiosk-vault';
import { CLAIMED_IMPORT_FILE, SECRETS_IMPORT_FILE } from '../core/secrets/provisioning';
import type { SafeStorageCipher } from './safe-storage-cipher';

/** The userData file that remembers the Linux safeStorage backend chosen at first use. */
export const BACKEND_RECORD_FILE = 'safe-storage-backend.json';

export interface KioskSecretsDeps {
  /** The kiosk's userData folder. */
  stateDir: string;
  logger: Logger;
  /** Tests: the cipher (default: Electron safeStorage, loaded only when the vault is opened). */
  cipher?: SafeStorageCipher;
}

async function defaultCipher(config: WalkupConfig, deps: KioskSecretsDeps): Promise<SafeStorageCipher> {
  // Loaded here, not at the top: only a station that uses the vault needs Electron's safeStorage.
  const { createSafeStorageCipher } = await import('./safe-storage-cipher');
  return createSafeStorageCipher({
    allowBasicText: config.kiosk.allowInsecureSecretStorage,
    logger: deps.logger,
    backendRecordFile: path.join(deps.stateDir, BACKEND_RECORD_FILE),
  });
}

/**
 * The reader for `SecretIo.vault` (`StationDeps.vault`). Imports a pending import at once when
 * one is waiting; otherwise opens the vault on the first `{ vault }` reference.
 */
export async function prepareKioskVault(
  config: WalkupConfig,
  deps: KioskSecretsDeps,
): Promise<NonNullable<SecretIo['vault']>> {
  let opened: Promise<KioskVault> | undefined;
  const open = (): Promise<KioskVault> =>
    (opened ??= (async () => {
      let cipher: SafeStorageCipher;
      try {
        cipher = deps.cipher ?? (await defaultCipher(config, deps));
      } catch (error) {
        const problem = `the secret store cannot be opened (${error instanceof Error ? error.name : 'error'})`;
        deps.logger.error('vault-unavailable', { problem });
        return { read: async () => ({ ok: false, error: `cannot be read: ${problem}` }) };
      }
      return openKioskVault({
        stateDir: deps.stateDir,
        cipher,
        storageProblem: () => cipher.problem(),
        allowInsecure: config.kiosk.allowInsecureSecretStorage,
        logger: deps.logger,
      });
    })());
  const exists = (file: string): Promise<boolean> =>
    access(path.join(deps.stateDir, file)).then(
      () => true,
      () => false,
    );
  if ((await exists(SECRETS_IMPORT_FILE)) || (await exists(CLAIMED_IMPORT_FILE))) await open();
  return async (name) => (await open()).read(name);
}
