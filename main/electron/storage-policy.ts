/**
 * Whether safeStorage really protects secrets on this machine. On Linux without a secret
 * service, Chromium falls back to `basic_text`, a hard-coded key: that is obfuscation, so the
 * station refuses it unless policy explicitly allows it (Signal's rule).
 */

export type StorageBackend =
  'basic_text' | 'gnome_libsecret' | 'kwallet' | 'kwallet5' | 'kwallet6' | 'unknown';

export type StorageDecision =
  | { ok: true; secure: boolean }
  | {
      ok: false;
      reason: 'encryption-unavailable' | 'basic-text-refused' | 'backend-unknown' | 'backend-changed';
    };

/**
 * Decides whether the Cipher may be used. `backend` is only meaningful on Linux; elsewhere the
 * OS keystore (Keychain, DPAPI) is used and `secure` is true whenever encryption is available.
 * `previousBackend` is the Linux backend recorded when secrets were first stored: a different
 * one now (a desktop change, a missing keyring) is an error for the admin, not a silent re-key
 * that would strand the stored secrets (Signal's rule).
 */
export function decideStorageBackend(input: {
  platform: NodeJS.Platform;
  available: boolean;
  backend: StorageBackend | undefined;
  allowBasicText: boolean;
  previousBackend?: string | undefined;
}): StorageDecision {
  if (!input.available) return { ok: false, reason: 'encryption-unavailable' };
  if (input.platform !== 'linux') return { ok: true, secure: true };
  if (input.backend === undefined || input.backend === 'unknown') {
    return { ok: false, reason: 'backend-unknown' };
  }
  if (input.previousBackend !== undefined && input.previousBackend !== input.backend) {
    return { ok: false, reason: 'backend-changed' };
  }
  if (input.backend === 'basic_text') {
    return input.allowBasicText ? { ok: true, secure: false } : { ok: false, reason: 'basic-text-refused' };
  }
  return { ok: true, secure: true };
}
