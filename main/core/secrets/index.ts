/** Secrets encrypted at rest through a Cipher (safeStorage in the kiosk). */
export {
  createVault,
  type Vault,
  type VaultFailure,
  type VaultOptions,
  type VaultReadResult,
  type VaultResult,
} from './vault';
export { openKioskVault, type KioskVault, type KioskVaultDeps } from './kiosk-vault';
export {
  importPendingSecrets,
  parseProvisioning,
  SECRETS_IMPORT_FILE,
  VAULT_FOLDER,
  writePendingImport,
} from './provisioning';
export { SECRET_NAME, SECRET_NAME_RULE } from './names';
