import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Cipher } from '../../../../main/core/ports';
import { createVault } from '../../../../main/core/secrets';

/** AES-256-GCM with a test key, standing in for Electron's safeStorage. */
function testCipher(secure = true, key = randomBytes(32)): Cipher {
  return {
    isSecure: async () => secure,
    async encrypt(plaintext) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    async decrypt(ciphertext) {
      const decipher = createDecipheriv('aes-256-gcm', key, ciphertext.subarray(0, 12));
      decipher.setAuthTag(ciphertext.subarray(12, 28));
      return Buffer.concat([decipher.update(ciphertext.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}

const SECRET = 'duo-client-secret-0123456789abcdefghijkl';

describe('vault', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'walkup-vault-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('stores a secret encrypted in a 0600 file and gives it back', async () => {
    const vault = createVault({ dir: join(dir, 'vault'), cipher: testCipher() });
    expect(await vault.put('duo.clientSecret', SECRET)).toEqual({ ok: true });
    expect(await vault.has('duo.clientSecret')).toBe(true);
    expect(await vault.get('duo.clientSecret')).toEqual({ ok: true, value: SECRET });
    const file = join(dir, 'vault', 'duo.clientSecret.secret');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, 'vault'))).mode & 0o777).toBe(0o700);
    expect((await readFile(file)).includes(Buffer.from(SECRET))).toBe(false);
  });

  it('replaces a secret and leaves no temporary files', async () => {
    const vault = createVault({ dir, cipher: testCipher() });
    await vault.put('akey', 'first');
    await vault.put('akey', 'second');
    expect(await vault.get('akey')).toEqual({ ok: true, value: 'second' });
    expect(await readdir(dir)).toEqual(['akey.secret']);
  });

  it('lists names only', async () => {
    const vault = createVault({ dir, cipher: testCipher() });
    await vault.put('skey', SECRET);
    await vault.put('directory.bindPassword', 'bind');
    const listing = await vault.list();
    expect(listing).toEqual(['directory.bindPassword', 'skey']);
    expect(JSON.stringify(listing)).not.toContain(SECRET);
  });

  it('refuses an insecure cipher unless allowed', async () => {
    const refusing = createVault({ dir, cipher: testCipher(false) });
    expect(await refusing.put('skey', SECRET)).toEqual({ ok: false, reason: 'insecure-cipher' });
    expect(await refusing.get('skey')).toEqual({ ok: false, reason: 'insecure-cipher' });
    expect(await readdir(dir)).toEqual([]);
    const allowed = createVault({ dir, cipher: testCipher(false), allowInsecure: true });
    expect(await allowed.put('skey', SECRET)).toEqual({ ok: true });
  });

  it('refuses names that could escape the directory', async () => {
    const vault = createVault({ dir, cipher: testCipher() });
    for (const name of ['../escape', '/etc/passwd', '', '.hidden', 'a/b']) {
      expect(await vault.put(name, SECRET)).toEqual({ ok: false, reason: 'invalid-name' });
      expect(await vault.get(name)).toEqual({ ok: false, reason: 'invalid-name' });
    }
  });

  it('reports a missing secret, a foreign file and a changed key', async () => {
    const vault = createVault({ dir, cipher: testCipher() });
    expect(await vault.get('skey')).toEqual({ ok: false, reason: 'not-found' });
    await writeFile(join(dir, 'foreign.secret'), 'plain text');
    expect(await vault.get('foreign')).toEqual({ ok: false, reason: 'unreadable' });
    await vault.put('skey', SECRET);
    const otherKey = createVault({ dir, cipher: testCipher() });
    expect(await otherKey.get('skey')).toEqual({ ok: false, reason: 'decrypt-failed' });
  });

  it('deletes a secret', async () => {
    const vault = createVault({ dir, cipher: testCipher() });
    await vault.put('skey', SECRET);
    expect(await vault.delete('skey')).toEqual({ ok: true });
    expect(await vault.has('skey')).toBe(false);
    expect(await vault.delete('skey')).toEqual({ ok: false, reason: 'not-found' });
  });
});
