/**
 * The provisioning file of `walkup import-secrets` and the kiosk's pending import
 * (`core/secrets/provisioning`): one schema, errors that name entries and never values, a 0600
 * file written atomically and merged, moved into the vault once and then deleted.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Cipher } from '../../../../main/core/ports';
import { createVault } from '../../../../main/core/secrets';
import {
  CLAIMED_IMPORT_FILE,
  importPendingSecrets,
  parseProvisioning,
  SECRETS_IMPORT_FILE,
  writePendingImport,
} from '../../../../main/core/secrets/provisioning';

const SECRET = 'provisioned-secret-0123456789abcdefghijkl';

function testCipher(key = randomBytes(32)): Cipher {
  return {
    isSecure: async () => true,
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

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'walkup-provisioning-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('parseProvisioning', () => {
  it('takes an object of vault entry names to values', () => {
    expect(parseProvisioning(`\uFEFF{"duo.clientSecret": "${SECRET}"}`)).toEqual({
      ok: true,
      secrets: { 'duo.clientSecret': SECRET },
    });
  });

  it('names every bad entry and never shows a value', () => {
    const cases: [string, string[]][] = [
      [`{"duo.clientSecret": "${SECRET}"`, ['(file): is not valid JSON']],
      [
        `["${SECRET}"]`,
        ['(file): must be a JSON object of vault entry names to values, e.g. { "duo.clientSecret": "…" }'],
      ],
      ['{}', ['(file): names no secret']],
      [`{"duo.clientSecret": ""}`, ['duo.clientSecret: is empty']],
      [`{"duo.akey": 12345}`, ['duo.akey: must be a string']],
      [
        `{"../escape": "${SECRET}"}`,
        [
          '../escape: must be a vault entry name: 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit',
        ],
      ],
      [`{"big": "${'x'.repeat(64 * 1024 + 1)}"}`, ['big: is too large to hold a secret']],
    ];
    for (const [text, errors] of cases) {
      const result = parseProvisioning(text);
      expect(result).toEqual({ ok: false, errors });
      expect(JSON.stringify(result)).not.toContain(SECRET);
    }
  });
});

describe('writePendingImport', () => {
  it('writes the pending import with mode 0600, leaving no temporary file', async () => {
    const result = await writePendingImport(dir, { 'duo.clientSecret': SECRET });
    const file = path.join(dir, SECRETS_IMPORT_FILE);
    expect(result).toEqual({ ok: true, file, names: ['duo.clientSecret'], replaced: [] });
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readdir(dir)).toEqual([SECRETS_IMPORT_FILE]);
    expect(parseProvisioning(await readFile(file, 'utf8'))).toEqual({
      ok: true,
      secrets: { 'duo.clientSecret': SECRET },
    });
  });

  it('merges into an import the kiosk has not taken yet; a name given again replaces its value', async () => {
    await writePendingImport(dir, { 'duo.clientSecret': 'old-value', 'directory.bindPassword': 'bind' });
    const result = await writePendingImport(dir, { 'duo.clientSecret': SECRET });
    expect(result).toMatchObject({
      ok: true,
      names: ['directory.bindPassword', 'duo.clientSecret'],
      replaced: ['duo.clientSecret'],
    });
    expect(parseProvisioning(await readFile(path.join(dir, SECRETS_IMPORT_FILE), 'utf8'))).toEqual({
      ok: true,
      secrets: { 'directory.bindPassword': 'bind', 'duo.clientSecret': SECRET },
    });
  });

  it('never loses an entry when many runs write at once: each is merged or refused', async () => {
    const names = Array.from({ length: 12 }, (_, i) => `entry-${i}`);
    const results = await Promise.all(
      names.map((name) => writePendingImport(dir, { [name]: `${SECRET}-${name}` })),
    );
    const file = path.join(dir, SECRETS_IMPORT_FILE);
    const written = names.filter((_, i) => results[i]?.ok);
    expect(written.length).toBeGreaterThan(0);
    for (const result of results) {
      if (!result.ok) {
        expect(result.error).toBe(
          `another walkup import-secrets is writing it (if none is, delete ${file}.lock)`,
        );
      }
    }
    const parsed = parseProvisioning(await readFile(file, 'utf8'));
    expect(parsed.ok && Object.keys(parsed.secrets).sort()).toEqual([...written].sort());
    // The lock is gone: the next run writes.
    expect(await readdir(dir)).toEqual([SECRETS_IMPORT_FILE]);
    expect((await writePendingImport(dir, { late: SECRET })).ok).toBe(true);
  });

  it('leaves a pending import it cannot parse alone and says so', async () => {
    const file = path.join(dir, SECRETS_IMPORT_FILE);
    await writeFile(file, 'not json', { mode: 0o600 });
    const result = await writePendingImport(dir, { 'duo.clientSecret': SECRET });
    expect(result).toEqual({
      ok: false,
      file,
      error: 'a pending import that is not valid is already there ((file): is not valid JSON)',
    });
    expect(await readFile(file, 'utf8')).toBe('not json');
  });
});

describe('importPendingSecrets', () => {
  it('does nothing when nothing is pending', async () => {
    const vault = createVault({ dir: path.join(dir, 'vault'), cipher: testCipher() });
    expect(await importPendingSecrets(dir, vault)).toEqual({ ok: true, imported: [] });
    expect(await vault.list()).toEqual([]);
  });

  it('stores every entry in the vault, then deletes the file', async () => {
    await writePendingImport(dir, { 'duo.clientSecret': SECRET, 'directory.bindPassword': 'bind-pw' });
    const vault = createVault({ dir: path.join(dir, 'vault'), cipher: testCipher() });
    expect(await importPendingSecrets(dir, vault)).toEqual({
      ok: true,
      imported: ['directory.bindPassword', 'duo.clientSecret'],
    });
    expect(await vault.get('duo.clientSecret')).toEqual({ ok: true, value: SECRET });
    await expect(stat(path.join(dir, SECRETS_IMPORT_FILE))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it("never imports the admin screen's own entries: not the settings key, and the PIN hash only into a station never administered", async () => {
    const vault = createVault({ dir: path.join(dir, 'vault'), cipher: testCipher() });
    await writePendingImport(dir, { 'settings.hmacKey': 'a-key-the-importer-chose', 'admin.other': 'x' });
    const refused = await importPendingSecrets(dir, vault);
    expect(refused).toMatchObject({ ok: false });
    expect(!refused.ok && refused.problem).toContain(
      'settings.hmacKey: belongs to the admin screen and is never imported',
    );
    expect(!refused.ok && refused.problem).toContain('admin.other: belongs to the admin screen');
    expect(!refused.ok && refused.problem).not.toContain('a-key-the-importer-chose');
    expect(await vault.list()).toEqual([]);
    await rm(path.join(dir, CLAIMED_IMPORT_FILE));

    // A fresh station: the fleet's PIN hash is taken.
    await writePendingImport(dir, { 'admin.pinHash': 'scrypt$first' });
    expect(await importPendingSecrets(dir, vault)).toEqual({ ok: true, imported: ['admin.pinHash'] });
    // A station with a PIN: a dropped file cannot choose another one.
    await writePendingImport(dir, { 'admin.pinHash': 'scrypt$dropped' });
    const second = await importPendingSecrets(dir, vault);
    expect(!second.ok && second.problem).toContain('admin.pinHash: this station already has an admin PIN');
    expect(await vault.get('admin.pinHash')).toEqual({ ok: true, value: 'scrypt$first' });
  });

  it('keeps the file when the vault refuses an entry', async () => {
    await writePendingImport(dir, { 'duo.clientSecret': SECRET });
    const insecure = createVault({
      dir: path.join(dir, 'vault'),
      cipher: { ...testCipher(), isSecure: async () => false },
    });
    const result = await importPendingSecrets(dir, insecure);
    expect(result).toEqual({
      ok: false,
      problem: `the pending import ${path.join(dir, CLAIMED_IMPORT_FILE)} could not store duo.clientSecret (insecure-cipher)`,
    });
    await expect(stat(path.join(dir, CLAIMED_IMPORT_FILE))).resolves.toBeTruthy();

    // The next start, with a working vault, imports the claim it left.
    const vault = createVault({ dir: path.join(dir, 'vault'), cipher: testCipher() });
    expect(await importPendingSecrets(dir, vault)).toEqual({ ok: true, imported: ['duo.clientSecret'] });
    expect(await readdir(dir)).toEqual(['vault']);
  });

  it('never deletes an import written after the kiosk claimed its file; a newer value wins', async () => {
    // An earlier start claimed a file and stopped; since then an admin wrote a new import.
    await writePendingImport(dir, { 'duo.clientSecret': 'older-value', 'duo.akey': 'a'.repeat(40) });
    await rename(path.join(dir, SECRETS_IMPORT_FILE), path.join(dir, CLAIMED_IMPORT_FILE));
    await writePendingImport(dir, { 'duo.clientSecret': SECRET });
    const vault = createVault({ dir: path.join(dir, 'vault'), cipher: testCipher() });
    expect(await importPendingSecrets(dir, vault)).toEqual({
      ok: true,
      imported: ['duo.akey', 'duo.clientSecret'],
    });
    expect(await vault.get('duo.clientSecret')).toEqual({ ok: true, value: SECRET });
    expect(await readdir(dir)).toEqual(['vault']);
  });
});
