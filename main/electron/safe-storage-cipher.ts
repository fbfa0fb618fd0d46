/**
 * The Cipher port on Electron's safeStorage, async API (the sync API is deprecated in 45 and
 * removed later). On Linux the `basic_text` backend, a hard-coded key, is refused unless policy
 * allows it (see storage-policy), and a backend other than the one recorded in userData when
 * the cipher was first used is refused, never silently re-keyed. `problem()` says why in words
 * for the out-of-service detail. Errors name a reason, never data.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { safeStorage } from 'electron';
import type { Cipher, Logger } from '../core/ports';
import { decideStorageBackend, type StorageDecision } from './storage-policy';

/** The part of Electron's `safeStorage` the cipher uses (tests inject their own). */
export type SafeStorageApi = Pick<
  typeof safeStorage,
  'isAsyncEncryptionAvailable' | 'getSelectedStorageBackend' | 'encryptStringAsync' | 'decryptStringAsync'
>;

/** The Cipher, plus why it may not be used. */
export interface SafeStorageCipher extends Cipher {
  /** Why the secret store may not be used, in words for the admin; undefined when it may. */
  problem(): Promise<string | undefined>;
  /**
   * The backend's name for the admin screen: on Linux the one Chromium selected
   * (`getSelectedStorageBackend`: `gnome_libsecret`, `kwallet5`, `basic_text`, …), `keychain` on
   * macOS, `dpapi` on Windows (Electron's safeStorage docs name these stores).
   */
  backend(): Promise<string>;
}

/** The safeStorage backend of a platform that has only one. */
const FIXED_BACKENDS: Partial<Record<NodeJS.Platform, string>> = { darwin: 'keychain', win32: 'dpapi' };

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
  /** Tests: a stand-in for Electron's `safeStorage` (default: the real one). */
  safeStorage?: SafeStorageApi;
}

/** Says why the store may not be used, naming the backends involved (never data). */
function problemText(
  reason: Extract<StorageDecision, { ok: false }>['reason'],
  backend: string | undefined,
  previousBackend: string | undefined,
): string {
  switch (reason) {
    case 'encryption-unavailable':
      return 'safeStorage encryption is not available on this machine';
    case 'backend-unknown':
      return 'the safeStorage backend is unknown (no keyring detected)';
    case 'basic-text-refused':
      return 'Linux safeStorage uses the basic_text backend (no keyring: secrets would only be obfuscated); set kiosk.allowInsecureSecretStorage to accept it';
    case 'backend-changed':
      return `the safeStorage backend changed since the secrets were stored (was ${previousBackend ?? 'unknown'}, now ${backend ?? 'unknown'}); restore the keyring, or delete the vault and the backend record and provision the secrets again`;
  }
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
export function createSafeStorageCipher(options: SafeStorageCipherOptions): SafeStorageCipher {
  const platform = options.platform ?? process.platform;
  const storage = options.safeStorage ?? safeStorage;
  let decided: Promise<StorageDecision & { backend?: string; previousBackend?: string }> | undefined;

  const decision = (): Promise<StorageDecision & { backend?: string; previousBackend?: string }> => {
    decided ??= (async () => {
      const available = await storage.isAsyncEncryptionAvailable();
      const backend = platform === 'linux' ? storage.getSelectedStorageBackend() : undefined;
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
      return {
        ...result,
        ...(backend !== undefined ? { backend } : {}),
        ...(previousBackend !== undefined ? { previousBackend } : {}),
      };
    })();
    return decided;
  };

  const usable = async (): Promise<void> => {
    const result = await decision();
    if (!result.ok) throw new Error(`safeStorage unavailable: ${result.reason}`);
  };

  return {
    async backend() {
      const fixed = FIXED_BACKENDS[platform];
      if (fixed !== undefined) return fixed;
      return (await decision()).backend ?? 'unknown';
    },
    async problem() {
      const result = await decision();
      return result.ok ? undefined : problemText(result.reason, result.backend, result.previousBackend);
    },
    async isSecure() {
      const result = await decision();
      return result.ok && result.secure;
    },
    async encrypt(plaintext) {
      await usable();
      return storage.encryptStringAsync(plaintext);
    },
    async decrypt(ciphertext) {
      await usable();
      const { result, shouldReEncrypt } = await storage.decryptStringAsync(ciphertext);
      // Key rotation: the vault re-encrypts secrets whenever it writes them; note it for admins.
      if (shouldReEncrypt) options.logger.info('safe-storage-should-reencrypt');
      return result;
    },
  };
}
