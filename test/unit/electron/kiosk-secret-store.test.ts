/**
 * The kiosk's secret store (`AdminSecretStore` over the vault) through the real safeStorage
 * adapter (`createSafeStorageCipher`) with an injected `safeStorage` (see
 * support/fake-safe-storage.ts): a round trip into a 0600 blob, Linux `basic_text` refused by the
 * policy switch alone, a backend change reported (never re-keyed), damaged blobs reported as a
 * problem without a crash, the backend names the admin screen shows, and no secret value in
 * anything logged or answered.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Logger } from '../../../main/core/ports';
import { VAULT_FOLDER, writePendingImport } from '../../../main/core/secrets/provisioning';
import { BACKEND_RECORD_FILE, createKioskSecretStore } from '../../../main/electron/kiosk-secret-store';
import { createSafeStorageCipher } from '../../../main/electron/safe-storage-cipher';
import { fakeSafeStorage } from './support/fake-safe-storage';

// The adapter imports Electron; the safeStorage it uses here is injected (the fake's is never asked).
vi.mock('electron', () => import('./support/electron-fake'));

const SECRET = 'kiosk-store-secret-0123456789-never-shown';

function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const record =
    (level: string) =>
    (event: string, data?: unknown): void => {
      lines.push(JSON.stringify({ level, event, data }));
    };
  return { lines, info: record('info'), warn: record('warn'), error: record('error') };
}

let dir: string;
let osKey: Buffer;
let logger: ReturnType<typeof recordingLogger>;
/** Everything the tests saw answered, for the secret scan. */
let answers: unknown[];

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'walkup-kiosk-store-'));
  osKey = randomBytes(32);
  logger = recordingLogger();
  answers = [];
});
afterEach(async () => {
  // No test lets the value reach a log line or an answer other than `read`'s own.
  expect(logger.lines.join('\n')).not.toContain(SECRET);
  expect(JSON.stringify(answers)).not.toContain(SECRET);
  await rm(dir, { recursive: true, force: true });
});

function storeOn(
  backend: string,
  options: { allowInsecure?: boolean; platform?: NodeJS.Platform } = {},
): ReturnType<typeof createKioskSecretStore> & { asked: () => number } {
  const storage = fakeSafeStorage(osKey, backend);
  let asked = 0;
  const counted = {
    ...storage,
    isAsyncEncryptionAvailable: async () => {
      asked += 1;
      return storage.isAsyncEncryptionAvailable();
    },
  };
  const allowInsecure = options.allowInsecure ?? false;
  const cipher = createSafeStorageCipher({
    allowBasicText: allowInsecure,
    logger,
    platform: options.platform ?? 'linux',
    backendRecordFile: path.join(dir, BACKEND_RECORD_FILE),
    safeStorage: counted,
  });
  const store = createKioskSecretStore({ stateDir: dir, allowInsecure, logger, cipher });
  return Object.assign(store, { asked: () => asked });
}

const blobFile = (name: string): string => path.join(dir, VAULT_FOLDER, `${name}.secret`);

describe('createKioskSecretStore', () => {
  it('asks the keyring nothing until it is used', async () => {
    const store = storeOn('gnome_libsecret');
    await store.vaultReader();
    expect(store.asked()).toBe(0);
    // Whether an entry exists is a file question: the keyring is still not asked.
    answers.push(await store.has('duo.clientSecret'));
    expect(store.asked()).toBe(0);
    answers.push(await store.read('duo.clientSecret'));
    expect(store.asked()).toBe(1);
  });

  it('stores a secret as a 0600 encrypted blob, answers a { vault } reference, and reads it back', async () => {
    const store = storeOn('gnome_libsecret');
    const stored = await store.store('duo.clientSecret', SECRET);
    answers.push(stored);
    expect(stored).toEqual({ ok: true, ref: { vault: 'duo.clientSecret' } });
    expect(await store.has('duo.clientSecret')).toBe(true);
    expect(await store.has('duo.skey')).toBe(false);
    expect(await store.read('duo.clientSecret')).toEqual({ ok: true, value: SECRET });
    const blob = await readFile(blobFile('duo.clientSecret'));
    expect(blob.toString('latin1')).not.toContain(SECRET);
    if (process.platform !== 'win32')
      expect((await stat(blobFile('duo.clientSecret'))).mode & 0o777).toBe(0o600);
    const info = await store.describe();
    answers.push(info);
    expect(info).toEqual({ backend: 'gnome_libsecret', secure: true });
    // The station's reader reads the same entry.
    const reader = await store.vaultReader();
    expect(await reader('duo.clientSecret')).toEqual({ ok: true, value: SECRET });
    // Replacing it keeps one entry with the new value.
    answers.push(await store.store('duo.clientSecret', `${SECRET}-2`));
    expect(await store.read('duo.clientSecret')).toEqual({ ok: true, value: `${SECRET}-2` });
  });

  it('moves a pending import into the vault when the station asks for its reader', async () => {
    expect((await writePendingImport(dir, { 'duo.clientSecret': SECRET })).ok).toBe(true);
    const store = storeOn('gnome_libsecret');
    const reader = await store.vaultReader();
    expect(store.asked()).toBe(1);
    expect(await store.has('duo.clientSecret')).toBe(true);
    expect(await reader('duo.clientSecret')).toEqual({ ok: true, value: SECRET });
  });

  it('refuses Linux basic_text unless the policy switch allows it, and says so', async () => {
    const refused = storeOn('basic_text');
    const info = await refused.describe();
    answers.push(info);
    expect(info).toMatchObject({ backend: 'basic_text', secure: false });
    expect(info.problem).toMatch(/basic_text.*kiosk\.allowInsecureSecretStorage/);
    const stored = await refused.store('duo.clientSecret', SECRET);
    answers.push(stored);
    expect(stored).toEqual({ ok: false, problem: info.problem });
    const read = await refused.read('duo.clientSecret');
    answers.push(read);
    expect(read.ok).toBe(false);
    expect(await refused.has('duo.clientSecret')).toBe(false);

    await rm(path.join(dir, BACKEND_RECORD_FILE), { force: true });
    const allowed = storeOn('basic_text', { allowInsecure: true });
    answers.push(await allowed.store('duo.clientSecret', SECRET));
    expect(await allowed.read('duo.clientSecret')).toEqual({ ok: true, value: SECRET });
    // Usable, but the admin screen says it only obfuscates.
    expect(await allowed.describe()).toEqual({ backend: 'basic_text', secure: false });
  });

  it('reports a backend changed since the secrets were stored and never re-keys them', async () => {
    const first = storeOn('gnome_libsecret');
    answers.push(await first.store('duo.clientSecret', SECRET));
    const before = await readFile(blobFile('duo.clientSecret'));

    const later = storeOn('kwallet5');
    const info = await later.describe();
    answers.push(info);
    expect(info.backend).toBe('kwallet5');
    expect(info.secure).toBe(false);
    expect(info.problem).toMatch(/changed.*was gnome_libsecret, now kwallet5/);
    const read = await later.read('duo.clientSecret');
    answers.push(read);
    expect(read).toMatchObject({ ok: false });
    const stored = await later.store('duo.clientSecret', 'replacement-value');
    answers.push(stored);
    expect(stored.ok).toBe(false);
    expect(await readFile(blobFile('duo.clientSecret'))).toEqual(before);
    expect(JSON.parse(await readFile(path.join(dir, BACKEND_RECORD_FILE), 'utf8'))).toEqual({
      backend: 'gnome_libsecret',
    });
  });

  it('reports a damaged blob as a problem of that entry, without a crash, and keeps working', async () => {
    const store = storeOn('gnome_libsecret');
    answers.push(await store.store('duo.clientSecret', SECRET));
    await mkdir(path.join(dir, VAULT_FOLDER), { recursive: true });
    await writeFile(blobFile('duo.skey'), 'not a vault blob');
    // Right header, wrong ciphertext (a blob from another OS key, or a flipped byte).
    const good = await readFile(blobFile('duo.clientSecret'));
    const flipped = Buffer.from(good);
    flipped[flipped.length - 1] = (flipped[flipped.length - 1] ?? 0) ^ 0xff;
    await writeFile(blobFile('duo.akey'), flipped);

    const damaged = await store.read('duo.skey');
    const undecryptable = await store.read('duo.akey');
    answers.push(damaged, undecryptable);
    expect(damaged).toEqual({ ok: false, error: expect.stringMatching(/damaged/) as unknown });
    expect(undecryptable).toEqual({
      ok: false,
      error: expect.stringMatching(/cannot be decrypted/) as unknown,
    });
    const reader = await store.vaultReader();
    expect(await reader('duo.akey')).toMatchObject({ ok: false });
    // The other entries and the store itself are unaffected.
    expect(await store.read('duo.clientSecret')).toEqual({ ok: true, value: SECRET });
    expect(await store.describe()).toEqual({ backend: 'gnome_libsecret', secure: true });
  });

  it('refuses a name outside the vault vocabulary without echoing the value', async () => {
    const store = storeOn('gnome_libsecret');
    const stored = await store.store('../escape', SECRET);
    answers.push(stored);
    expect(stored).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/vault entry name/) as unknown,
    });
  });

  it('names the keystore on macOS and Windows', async () => {
    expect((await storeOn('unused', { platform: 'darwin' }).describe()).backend).toBe('keychain');
    expect((await storeOn('unused', { platform: 'win32' }).describe()).backend).toBe('dpapi');
  });

  it('says so when the cipher cannot be created at all, and refuses every use', async () => {
    const store = createKioskSecretStore({
      stateDir: dir,
      allowInsecure: false,
      logger,
      cipher: {
        backend: () => Promise.reject(new Error('no keyring')),
        problem: () => Promise.resolve('safeStorage encryption is not available on this machine'),
        isSecure: () => Promise.resolve(false),
        encrypt: () => Promise.reject(new Error('unavailable')),
        decrypt: () => Promise.reject(new Error('unavailable')),
      },
    });
    const info = await store.describe();
    answers.push(info);
    expect(info).toEqual({
      backend: 'unknown',
      secure: false,
      problem: 'safeStorage encryption is not available on this machine',
    });
    expect((await store.store('duo.clientSecret', SECRET)).ok).toBe(false);
    expect((await store.read('duo.clientSecret')).ok).toBe(false);
  });
});
