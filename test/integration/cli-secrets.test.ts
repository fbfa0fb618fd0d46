/**
 * The secret commands as real processes (Node + tsx, as `npm run walkup` runs them), and the
 * whole provisioning path: `walkup generate-akey` and `walkup hash-pin` print what an admin
 * stores, `walkup import-secrets` leaves the kiosk's pending import, and the kiosk's vault
 * (`prepareKioskVault` over the real safeStorage adapter with an injected `safeStorage`) moves it
 * into encrypted 0600 blobs and deletes it. Nothing printed holds a value.
 */
import { spawn } from 'node:child_process';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseConfig } from '../../main/core/config/schema';
import { verifyScryptHash } from '../../main/core/directory/demo-directory';
import { silentLogger } from '../../main/core/ports';
import { SECRETS_IMPORT_FILE, VAULT_FOLDER } from '../../main/core/secrets/provisioning';
import { BACKEND_RECORD_FILE, prepareKioskVault } from '../../main/electron/kiosk-secrets';
import { createSafeStorageCipher, type SafeStorageApi } from '../../main/electron/safe-storage-cipher';

/** File modes are POSIX; Windows protects files with ACLs, so these cases do not apply there. */
const POSIX_ONLY = process.platform === 'win32';
if (POSIX_ONLY) console.log('skipped: file-mode cases (POSIX permissions; Windows uses ACLs)');

// The adapter imports Electron; the safeStorage it uses here is injected.
vi.mock('electron', () => import('../unit/electron/support/electron-fake'));

const repoRoot = path.resolve(import.meta.dirname, '../..');
const CLIENT_SECRET = 'cli-secret-client-0123456789abcdefghijklm';
const PIN = '73910274';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'walkup-cli-secrets-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Runs `walkup <args>` as its own process, `stdin` piped in; resolves with its exit and output. */
function walkup(
  args: string[],
  stdin = '',
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'main', 'cli.ts'), ...args], {
    cwd: repoRoot,
    env: { ...process.env, XDG_CONFIG_HOME: path.join(dir, 'xdg') },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.stdin.end(stdin);
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

function fakeSafeStorage(key: Buffer): SafeStorageApi {
  return {
    isAsyncEncryptionAvailable: async () => true,
    getSelectedStorageBackend: () => 'gnome_libsecret',
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
}

describe('the secret commands as processes', () => {
  it('generate-akey, hash-pin and import-secrets provision a kiosk vault, printing no value', async () => {
    const akey = await walkup(['generate-akey']);
    expect(akey.code).toBe(0);
    expect(akey.stderr).toBe('');
    const akeyValue = akey.stdout.trim();
    expect(akeyValue).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const pin = await walkup(['hash-pin'], `${PIN}\n`);
    expect(pin.code).toBe(0);
    const pinHash = pin.stdout.trim();
    expect(await verifyScryptHash(PIN, pinHash)).toBe(true);
    expect(pin.stdout + pin.stderr).not.toContain(PIN);

    const file = path.join(dir, 'secrets.json');
    await writeFile(
      file,
      JSON.stringify({ 'duo.clientSecret': CLIENT_SECRET, 'duo.akey': akeyValue, 'admin.pinHash': pinHash }),
      { mode: 0o600 },
    );
    // No --state-dir: this account's userData folder ($XDG_CONFIG_HOME/Walkup here).
    const imported = await walkup(['import-secrets', '--file', file]);
    expect(imported.code).toBe(0);
    const stateDir = path.join(dir, 'xdg', 'Walkup');
    expect(imported.stdout).toContain(`pending import written: ${path.join(stateDir, SECRETS_IMPORT_FILE)}`);
    expect(imported.stdout).toContain('entries: admin.pinHash, duo.akey, duo.clientSecret');
    for (const value of [CLIENT_SECRET, akeyValue, pinHash]) {
      expect(imported.stdout + imported.stderr).not.toContain(value);
    }

    // The kiosk's next start.
    const parsed = parseConfig({
      directory: { type: 'demo' },
      duo: {
        sdk: 'v2',
        apiHost: 'api-1.duosecurity.com',
        ikey: 'DIXXXXXXXXXXXXXXXXXX',
        skey: CLIENT_SECRET,
        akey: { vault: 'duo.akey' },
      },
    });
    if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
    const cipher = createSafeStorageCipher({
      allowBasicText: false,
      logger: silentLogger,
      platform: 'linux',
      backendRecordFile: path.join(stateDir, BACKEND_RECORD_FILE),
      safeStorage: fakeSafeStorage(randomBytes(32)),
    });
    const read = await prepareKioskVault(parsed.config, { stateDir, logger: silentLogger, cipher });
    await expect(stat(path.join(stateDir, SECRETS_IMPORT_FILE))).rejects.toMatchObject({ code: 'ENOENT' });
    expect((await readdir(path.join(stateDir, VAULT_FOLDER))).sort()).toEqual([
      'admin.pinHash.secret',
      'duo.akey.secret',
      'duo.clientSecret.secret',
    ]);
    expect(await read('duo.akey')).toEqual({ ok: true, value: akeyValue });
    expect(await read('admin.pinHash')).toEqual({ ok: true, value: pinHash });
  });

  it.skipIf(POSIX_ONLY)(
    'refuses a provisioning file others can read, and says so on stderr with exit 2',
    async () => {
      const file = path.join(dir, 'secrets.json');
      await writeFile(file, JSON.stringify({ 'duo.clientSecret': CLIENT_SECRET }), { mode: 0o644 });
      const run = await walkup(['import-secrets', '--file', file, '--state-dir', path.join(dir, 'state')]);
      expect(run.code).toBe(2);
      expect(run.stderr.trim()).toBe(
        `walkup import-secrets: file ${file} is readable by other users (mode 0644); make it mode 0600`,
      );
      expect(run.stdout).toBe('');
      expect(run.stderr).not.toContain(CLIENT_SECRET);
    },
  );

  it('lists the three commands in the usage', async () => {
    const run = await walkup(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/generate-akey[\s\S]*hash-pin[\s\S]*import-secrets --file <secrets.json>/);
  });
});
