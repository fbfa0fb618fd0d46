/**
 * Names of vault entries: a fixed, path-safe vocabulary such as `duo.clientSecret` (the entry is
 * the file `<name>.secret`). One rule for the vault, the `{ "vault": … }` secret reference and the
 * provisioning file of `walkup import-secrets`.
 */

/** 1–64 characters: letters, digits, `.`, `_`, `-`, starting with a letter or digit. */
export const SECRET_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** The rule in words, for error messages. */
export const SECRET_NAME_RULE =
  'must be a vault entry name: 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit';

/**
 * Vault entries of the admin screen itself: the admin PIN's hash and the key that signs the local
 * settings. No setting may read them (`{ "vault": … }` references are refused), the settings key
 * is never imported, and the PIN hash is imported only into a vault that has neither (a station
 * never administered yet): a file dropped into the state folder must not choose the PIN.
 */
export const RESERVED_SECRET_NAMES = { pinHash: 'admin.pinHash', settingsKey: 'settings.hmacKey' } as const;

/** Whether `name` is in the admin screen's own part of the vault (`admin.*`, `settings.*`). */
export function isReservedSecretName(name: string): boolean {
  return name.startsWith('admin.') || name.startsWith('settings.');
}

/** Why a setting may not read a reserved entry, for error messages. */
export const RESERVED_SECRET_RULE =
  'names a vault entry of the admin screen (admin.*, settings.*), which no setting may read';
