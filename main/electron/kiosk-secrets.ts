/**
 * The kiosk's secret reading for the station assembly: `{ "vault": name }` secret references are
 * read from the kiosk's secret store (`kiosk-secret-store.ts`: the vault in userData, encrypted
 * with Electron safeStorage, Linux `basic_text` refused unless `kiosk.allowInsecureSecretStorage`,
 * the backend remembered in `safe-storage-backend.json`). The store is opened when a reference
 * first needs it, or at start when a pending import (`walkup import-secrets`) is waiting, so a
 * station that uses only `{ file }` / `{ env }` references never asks the keyring. Never throws:
 * a store that cannot be used is the error of every vault reference (the station is out of
 * service with the reason).
 *
 * The composition root passes its one store (`startKioskStation`'s `secretStore`); this function
 * is the same reader over a store of its own, for callers without one (tests, the CLI's checks).
 */
import type { SecretIo } from '../core/config/secrets';
import type { WalkupConfig } from '../core/config/schema';
import type { Logger } from '../core/ports';
import { createKioskSecretStore } from './kiosk-secret-store';
import type { SafeStorageCipher } from './safe-storage-cipher';

export { BACKEND_RECORD_FILE } from './kiosk-secret-store';

export interface KioskSecretsDeps {
  /** The kiosk's userData folder. */
  stateDir: string;
  logger: Logger;
  /** Tests: the cipher (default: Electron safeStorage, loaded only when the vault is opened). */
  cipher?: SafeStorageCipher;
}

/** The reader for `SecretIo.vault` (`StationDeps.vault`) over a store opened with `config`'s switch. */
export function prepareKioskVault(
  config: WalkupConfig,
  deps: KioskSecretsDeps,
): Promise<NonNullable<SecretIo['vault']>> {
  return createKioskSecretStore({
    stateDir: deps.stateDir,
    allowInsecure: config.kiosk.allowInsecureSecretStorage,
    logger: deps.logger,
    ...(deps.cipher ? { cipher: deps.cipher } : {}),
  }).vaultReader();
}
