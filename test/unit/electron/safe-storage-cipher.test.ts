import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../../main/core/ports';
import { createSafeStorageCipher } from '../../../main/electron/safe-storage-cipher';
import { resetElectronFake, safeStorage } from './support/electron-fake';

vi.mock('electron', () => import('./support/electron-fake'));

describe('createSafeStorageCipher', () => {
  beforeEach(() => resetElectronFake());

  it('encrypts and decrypts through the async safeStorage API on a real secret store', async () => {
    const cipher = createSafeStorageCipher({
      allowBasicText: false,
      logger: silentLogger,
      platform: 'linux',
    });
    expect(await cipher.isSecure()).toBe(true);
    const blob = await cipher.encrypt('s3cret');
    expect(await cipher.decrypt(blob)).toBe('s3cret');
  });

  it('refuses Linux basic_text without leaking the plaintext in the error', async () => {
    safeStorage.backend = 'basic_text';
    const cipher = createSafeStorageCipher({
      allowBasicText: false,
      logger: silentLogger,
      platform: 'linux',
    });
    expect(await cipher.isSecure()).toBe(false);
    const error = await cipher.encrypt('s3cret').catch((caught: Error) => caught);
    expect((error as Error).message).toBe('safeStorage unavailable: basic-text-refused');
  });

  it('works on basic_text when policy allows it, but says it is not secure', async () => {
    safeStorage.backend = 'basic_text';
    const cipher = createSafeStorageCipher({ allowBasicText: true, logger: silentLogger, platform: 'linux' });
    expect(await cipher.isSecure()).toBe(false);
    expect(await cipher.decrypt(await cipher.encrypt('x'))).toBe('x');
  });

  it('refuses when encryption is unavailable', async () => {
    safeStorage.available = false;
    const cipher = createSafeStorageCipher({ allowBasicText: true, logger: silentLogger, platform: 'win32' });
    await expect(cipher.encrypt('x')).rejects.toThrow('encryption-unavailable');
  });
  it('remembers the Linux backend and refuses a different one later', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'walkup-cipher-'));
    const backendRecordFile = path.join(dir, 'safe-storage-backend.json');
    try {
      const first = createSafeStorageCipher({
        allowBasicText: true,
        logger: silentLogger,
        platform: 'linux',
        backendRecordFile,
      });
      expect(await first.isSecure()).toBe(true);
      expect(JSON.parse(await readFile(backendRecordFile, 'utf8'))).toEqual({ backend: 'gnome_libsecret' });

      safeStorage.backend = 'basic_text';
      const later = createSafeStorageCipher({
        allowBasicText: true,
        logger: silentLogger,
        platform: 'linux',
        backendRecordFile,
      });
      await expect(later.decrypt(Buffer.from('enc:x'))).rejects.toThrow('backend-changed');

      await writeFile(backendRecordFile, 'not json');
      const unreadable = createSafeStorageCipher({
        allowBasicText: true,
        logger: silentLogger,
        platform: 'linux',
        backendRecordFile,
      });
      expect(await unreadable.decrypt(Buffer.from('enc:x'))).toBe('x');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
