/**
 * The kiosk's vault as the station assembly reads it: `{ "vault": name }` secret references are
 * answered from `<userData>/vault` (one 0600 blob per entry, encrypted through the Cipher port:
 * Electron safeStorage). Opening it first asks the secret store whether it may be used (Linux
 * `basic_text` without `kiosk.allowInsecureSecretStorage`, a backend changed since the secrets
 * were stored, no encryption at all: each a reason), then moves a pending import
 * (`walkup import-secrets`) into the vault. Every failure becomes the error of the references
 * that need the vault, so the station is out of service (`secrets-unavailable`) with the reason
 * and never crashes. Messages name entries and causes, never values.
 */
import path from 'node:path';
import type { SecretResult } from '../config/secrets';
import type { Cipher, Logger } from '../ports';
import { importPendingSecrets, VAULT_FOLDER } from './provisioning';
import { createVault, type VaultFailure } from './vault';

export interface KioskVaultDeps {
  /** The kiosk's userData folder: the vault is `<stateDir>/vault`, the pending import beside it. */
  stateDir: string;
  cipher: Cipher;
  /**
   * Why the secret store may not be used (the Cipher's own decision, e.g. Linux `basic_text`
   * refused, backend changed), or undefined when it may.
   */
  storageProblem(): Promise<string | undefined>;
  /** Policy `kiosk.allowInsecureSecretStorage`: accept a cipher that says it is not secure. */
  allowInsecure: boolean;
  logger: Logger;
}

/** Reads vault entries for `SecretIo.vault`. */
export interface KioskVault {
  read(name: string): Promise<SecretResult>;
}

/** What each vault failure means to the admin. */
const FAILURE_TEXT: Record<VaultFailure, string> = {
  'invalid-name': 'is not a valid vault entry name',
  'insecure-cipher':
    'cannot be read: the secret store only obfuscates (Linux basic_text) and kiosk.allowInsecureSecretStorage is off',
  'not-found': 'is not in the vault: provision it with walkup import-secrets',
  unreadable: 'is damaged (not a vault blob): provision it again',
  'decrypt-failed': 'cannot be decrypted (the OS key changed or the blob is damaged): provision it again',
  'write-failed': 'cannot be written',
};

/** Opens the kiosk's vault (see the file comment). Never throws. */
export async function openKioskVault(deps: KioskVaultDeps): Promise<KioskVault> {
  const { logger } = deps;
  const refuse = (problem: string): KioskVault => ({
    read: async () => ({ ok: false, error: `cannot be read: ${problem}` }),
  });

  let problem: string | undefined;
  try {
    problem = await deps.storageProblem();
  } catch (error) {
    problem = `the secret store cannot be asked (${error instanceof Error ? error.name : 'error'})`;
  }
  if (problem !== undefined) {
    logger.error('vault-unavailable', { problem });
    return refuse(problem);
  }

  const vault = createVault({
    dir: path.join(deps.stateDir, VAULT_FOLDER),
    cipher: deps.cipher,
    allowInsecure: deps.allowInsecure,
  });
  const imported = await importPendingSecrets(deps.stateDir, vault);
  if (!imported.ok) {
    logger.error('vault-import-failed', { problem: imported.problem });
    return refuse(imported.problem);
  }
  if (imported.imported.length > 0) logger.info('vault-imported', { names: imported.imported });

  return {
    async read(name) {
      const result = await vault.get(name);
      return result.ok ? result : { ok: false, error: FAILURE_TEXT[result.reason] };
    },
  };
}
