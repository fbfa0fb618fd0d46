import { describe, expect, it } from 'vitest';
import { decideStorageBackend } from '../../../main/electron/storage-policy';

describe('decideStorageBackend', () => {
  it('refuses when encryption is unavailable', () => {
    expect(
      decideStorageBackend({ platform: 'win32', available: false, backend: undefined, allowBasicText: true }),
    ).toEqual({
      ok: false,
      reason: 'encryption-unavailable',
    });
  });
  it('trusts the OS keystore on Windows and macOS', () => {
    for (const platform of ['win32', 'darwin'] as const) {
      expect(
        decideStorageBackend({ platform, available: true, backend: undefined, allowBasicText: false }),
      ).toEqual({
        ok: true,
        secure: true,
      });
    }
  });
  it('trusts a Linux secret service', () => {
    for (const backend of ['gnome_libsecret', 'kwallet', 'kwallet5', 'kwallet6'] as const) {
      expect(
        decideStorageBackend({ platform: 'linux', available: true, backend, allowBasicText: false }),
      ).toEqual({
        ok: true,
        secure: true,
      });
    }
  });
  it('refuses the Linux basic_text backend unless policy allows it', () => {
    expect(
      decideStorageBackend({
        platform: 'linux',
        available: true,
        backend: 'basic_text',
        allowBasicText: false,
      }),
    ).toEqual({ ok: false, reason: 'basic-text-refused' });
    expect(
      decideStorageBackend({
        platform: 'linux',
        available: true,
        backend: 'basic_text',
        allowBasicText: true,
      }),
    ).toEqual({
      ok: true,
      secure: false,
    });
  });
  it('refuses an unknown backend (asked before ready)', () => {
    expect(
      decideStorageBackend({ platform: 'linux', available: true, backend: 'unknown', allowBasicText: true }),
    ).toEqual({
      ok: false,
      reason: 'backend-unknown',
    });
  });
  it('refuses a Linux backend that differs from the one recorded when secrets were stored', () => {
    expect(
      decideStorageBackend({
        platform: 'linux',
        available: true,
        backend: 'basic_text',
        allowBasicText: true,
        previousBackend: 'gnome_libsecret',
      }),
    ).toEqual({ ok: false, reason: 'backend-changed' });
    expect(
      decideStorageBackend({
        platform: 'linux',
        available: true,
        backend: 'kwallet6',
        allowBasicText: false,
        previousBackend: 'kwallet6',
      }),
    ).toEqual({ ok: true, secure: true });
  });
});
