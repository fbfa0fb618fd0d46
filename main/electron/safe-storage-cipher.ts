/**
 * The Cipher port on Electron's safeStorage, async API (the sync API is deprecated in 45 and
 * removed later). On Linux the `basic_text` backend, a hard-coded key, is refused unless policy
 * allows it (see storage-policy). Errors name a reason, never data.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { safeStorage } from 'electron';
import type { Cipher, Logger } from '../core/ports';
import { decideStorageBackend, type StorageDecision } from './storage-policy';

export interface SafeStorageCipherOptions {
  /** Policy switch: accept Linux `basic_text` (secrets then only obfuscated). */
  allowBasicText: boolean;
  logger: Logger;
  platform?: NodeJS.Platform;
  /**
   * Where the Linux backend chosen at first use is remembered (a small JSON file in userData).
   * Without it, a backend change is not detected.
   */
  backendRecordFile?: string;
}

/** Reads the remembered backend; undefined when none was recorded (or the file is unreadable). */
async function readRecordedBackend(file: string | undefined): Promise<string | undefined> {
  if (file === undefined) return undefined;
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as { backend?: unknown };
    return typeof parsed.backend === 'string' ? parsed.backend : undefined;
  } catch {
    return undefined;
  }
}

/** Creates the Cipher. Call after `app` is ready: the backend is unknown before. */
export function createSafeStorageCipher(options: SafeStorageCipherOptions): Cipher {
  const platform = options.platform ?? process.platform;
  let decided: Promise<StorageDecision> | undefined;

  const decision = (): Promise<StorageDecision> => {
    decided ??= (async () => {
      const available = await safeStorage.isAsyncEncryptionAvailable();
      const backend = platform === 'linux' ? safeStorage.getSelectedStorageBackend() : undefined;
      const previousBackend = await readRecordedBackend(options.backendRecordFile);
      const result = decideStorageBackend({
        platform,
        available,
        backend,
        allowBasicText: options.allowBasicText,
        previousBackend,
      });
      options.logger.info(
        'safe-storage',
        result.ok ? { secure: result.secure, backend } : { refused: result.reason, backend, previousBackend },
      );
      if (result.ok && backend !== undefined && previousBackend === undefined && options.backendRecordFile) {
        await writeFile(options.backendRecordFile, JSON.stringify({ backend }), { mode: 0o600 }).catch(() => {
          options.logger.warn('safe-storage-record-failed');
        });
      }
      return result;
    })();
    return decided;
  };

  const usable = async (): Promise<void> => {
    const result = await decision();
    if (!result.ok) throw new Error(`safeStorage unavailable: ${result.reason}`);
  };

  return {
    async isSecure() {
      const result = await decision();
      return result.ok && result.secure;
    },
    async encrypt(plaintext) {
      await usable();
      return safeStorage.encryptStringAsync(plaintext);
    },
    async decrypt(ciphertext) {
      await usable();
      const { result, shouldReEncrypt } = await safeStorage.decryptStringAsync(ciphertext);
      // Key rotation: the vault re-encrypts secrets whenever it writes them; note it for admins.
      if (shouldReEncrypt) options.logger.info('safe-storage-should-reencrypt');
      return result;
    },
  };
}
