/** Fakes of the admin service's ports: an in-memory secret store and settings file. */
import type { SecretStoreInfo } from '../../../../main/contract/admin';
import type { AdminSecretStore } from '../../../../main/core/admin/ports';
import type { SecretResult } from '../../../../main/core/config/secrets';
import type { SettingsStore } from '../../../../main/core/ports';

export interface MemorySecretStore extends AdminSecretStore {
  readonly values: Map<string, string>;
  info: SecretStoreInfo;
  /** Names whose reads fail. */
  unreadable: Set<string>;
}

export function memorySecretStore(): MemorySecretStore {
  const values = new Map<string, string>();
  const store: MemorySecretStore = {
    values,
    info: { backend: 'test', secure: true },
    unreadable: new Set(),
    describe: async () => store.info,
    async store(name, value) {
      values.set(name, value);
      return { ok: true, ref: { vault: name } };
    },
    async read(name): Promise<SecretResult> {
      if (store.unreadable.has(name)) return { ok: false, error: 'the vault entry cannot be decrypted' };
      const value = values.get(name);
      return value === undefined ? { ok: false, error: `${name} is not stored` } : { ok: true, value };
    },
    has: async (name) => values.has(name),
  };
  return store;
}

export interface MemorySettingsFile extends SettingsStore {
  content: unknown;
}

export function memorySettingsFile(content: unknown = undefined): MemorySettingsFile {
  const file: MemorySettingsFile = {
    content,
    read: async () => (file.content === undefined ? undefined : structuredClone(file.content)),
    async write(settings) {
      file.content = structuredClone(settings);
    },
  };
  return file;
}
