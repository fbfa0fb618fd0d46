/**
 * The admin screen's secret store for `walkup serve --state-dir <dir>` (`AdminSecretStore` of
 * main/core/admin/ports.ts): one file per entry, `<dir>/secrets/<name>`, written with
 * `writePrivateFileAtomically` (mode 0600 in a 0700 folder, atomic rename) and read back through
 * the one secret reader (`resolveSecret`, which refuses a file its group or others can read).
 *
 * Portal mode has no OS keystore, so these files are protected by the account's file permissions
 * alone: `describe` says so (`files`, not secure). A stored entry is referenced from the
 * configuration as `{ "file": "<absolute path>" }`, like any other file secret.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { SecretStoreInfo } from '../contract/admin';
import type { AdminSecretStore } from '../core/admin/ports';
import { resolveSecret, type SecretIo, defaultSecretIo } from '../core/config/secrets';
import { writePrivateFileAtomically } from '../core/private-file';
import { SECRET_NAME, SECRET_NAME_RULE } from '../core/secrets/names';

/** The folder of the entries inside a state folder. */
export const SECRETS_FOLDER = 'secrets';

/** What `describe` reports: plain files, protected only by their 0600 mode. */
export const FILE_SECRET_STORE_INFO: SecretStoreInfo = { backend: 'files', secure: false };

/**
 * The store over `<stateDir>/secrets/`. `io` reads entries (default: the file system with the
 * 0600 check).
 */
export function createFileSecretStore(stateDir: string, io: SecretIo = defaultSecretIo): AdminSecretStore {
  const folder = path.resolve(stateDir, SECRETS_FOLDER);
  const fileOf = (name: string): string | undefined =>
    SECRET_NAME.test(name) ? path.join(folder, name) : undefined;

  return {
    describe: () => Promise.resolve({ ...FILE_SECRET_STORE_INFO }),

    async store(name, value) {
      const file = fileOf(name);
      if (!file) return { ok: false, problem: `secret name "${name.slice(0, 64)}" ${SECRET_NAME_RULE}` };
      try {
        await writePrivateFileAtomically(file, value);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException | undefined)?.code ?? 'error';
        return { ok: false, problem: `${file} cannot be written (${code})` };
      }
      return { ok: true, ref: { file } };
    },

    read(name) {
      const file = fileOf(name);
      if (!file) return Promise.resolve({ ok: false, error: `secret name ${SECRET_NAME_RULE}` });
      return resolveSecret({ file }, io);
    },

    async has(name) {
      const file = fileOf(name);
      if (!file) return false;
      try {
        return (await stat(file)).isFile();
      } catch {
        return false;
      }
    },
  };
}
