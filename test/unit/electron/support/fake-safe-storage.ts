/**
 * Electron's safeStorage as the adapter (`safe-storage-cipher.ts`) sees it, for tests without an
 * Electron binary: AES-256-GCM under a per-test key standing in for the OS keystore, and a
 * backend name the test can change (a desktop switch, a missing keyring).
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { SafeStorageApi } from '../../../../main/electron/safe-storage-cipher';

export function fakeSafeStorage(key: Buffer, backend: string): SafeStorageApi & { backend: string } {
  const api = {
    backend,
    isAsyncEncryptionAvailable: async () => true,
    getSelectedStorageBackend: () => api.backend as ReturnType<SafeStorageApi['getSelectedStorageBackend']>,
    async encryptStringAsync(plain: string) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    async decryptStringAsync(data: Buffer) {
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, 12));
      decipher.setAuthTag(data.subarray(12, 28));
      const result = Buffer.concat([decipher.update(data.subarray(28)), decipher.final()]).toString('utf8');
      return { result, shouldReEncrypt: false };
    },
  };
  return api;
}
