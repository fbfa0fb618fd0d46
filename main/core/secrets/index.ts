/** Secrets encrypted at rest through a Cipher (safeStorage in the kiosk). */
export {
  createVault,
  type Vault,
  type VaultFailure,
  type VaultOptions,
  type VaultReadResult,
  type VaultResult,
} from './vault';
