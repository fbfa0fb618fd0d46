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
});
