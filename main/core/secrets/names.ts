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
