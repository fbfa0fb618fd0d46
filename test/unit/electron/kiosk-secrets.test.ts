/**
 * The kiosk's vault, wired: `{ "vault": name }` secrets read through the real safeStorage adapter
 * (`createSafeStorageCipher`) with an injected `safeStorage` (AES-256-GCM under a per-test key
 * standing in for the OS keystore), so no Electron binary is needed. A pending import is moved
 * into 0600 blob files and deleted; Linux `basic_text` without
 * `kiosk.allowInsecureSecretStorage`, a backend changed since the secrets were stored and a
 * damaged blob each put the station out of service with the reason, never crash it, and never
 * re-key. Every test scans what the station logged, audited and published for the secret values.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseConfig, type WalkupConfig } from '../../../main/core/config/schema';
import { systemClock, type Logger } from '../../../main/core/ports';
import {
  CLAIMED_IMPORT_FILE,
  SECRETS_IMPORT_FILE,
  VAULT_FOLDER,
  writePendingImport,
} from '../../../main/core/secrets/provisioning';
import { BACKEND_RECORD_FILE, prepareKioskVault } from '../../../main/electron/kiosk-secrets';
import {
  createSafeStorageCipher,
  type SafeStorageApi,
  type SafeStorageCipher,
} from '../../../main/electron/safe-storage-cipher';
import { startKioskStation } from '../../../main/electron/station';
import { refusedPort } from '../../support/directory-fixtures/tcp';
import { fakeSafeStorage } from './support/fake-safe-storage';

// The adapter imports Electron; the safeStorage it uses here is injected (the fake's is never asked).
vi.mock('electron', () => import('./support/electron-fake'));

const CLIENT_SECRET = 'vault-client-secret-0123456789abcdefghij';
const HASH_KEY = 'vault-audit-hash-key-never-shown-anywhere';

type Entry = { level: string; event: string; data: unknown };
function recordingLogger(): Logger & { entries: Entry[] } {
  const entries: Entry[] = [];
  return {
    entries,
    info: (event, data) => entries.push({ level: 'info', event, data }),
    warn: (event, data) => entries.push({ level: 'warn', event, data }),
    error: (event, data) => entries.push({ level: 'error', event, data }),
  };
}

let dir: string;
let osKey: Buffer;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'walkup-kiosk-secrets-'));
  osKey = randomBytes(32);
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function cipherFor(
  backend: string,
  logger: Logger,
  allowBasicText = false,
): SafeStorageCipher & { storage: ReturnType<typeof fakeSafeStorage> } {
  const storage = fakeSafeStorage(osKey, backend);
  const cipher = createSafeStorageCipher({
    allowBasicText,
    logger,
    platform: 'linux',
    backendRecordFile: path.join(dir, BACKEND_RECORD_FILE),
    safeStorage: storage,
  });
  return Object.assign(cipher, { storage });
}

async function vaultConfig(allowInsecureSecretStorage = false): Promise<WalkupConfig> {
  const parsed = parseConfig({
    directory: { type: 'demo', throttling: { minFailureMs: 0 } },
    duo: {
      sdk: 'v4',
      apiHost: `127.0.0.1:${await refusedPort()}`,
      clientId: 'DIXXXXXXXXXXXXXXXXXX',
      clientSecret: { vault: 'duo.clientSecret' },
    },
    audit: { usernameHashKey: { vault: 'audit.usernameHashKey' } },
    kiosk: { allowInsecureSecretStorage },
  });
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  return parsed.config;
}

/** Starts the kiosk station on `config` in `dir`; returns what it logged and its out-of-service problems. */
async function startStation(config: WalkupConfig, cipher: SafeStorageCipher) {
  const logger = recordingLogger();
  const station = await startKioskStation(
    { ok: true, config, locked: [], policyFile: undefined, policySources: [] },
    { clock: systemClock, logger, logsDir: dir, stateDir: dir, cipher },
  );
  const published = JSON.stringify(station.engine.getStation());
  await station.stop();
  const cannotStart = logger.entries.find((entry) => entry.event === 'station-cannot-start');
  const problems = (cannotStart?.data as { reason: string; problems: string[] } | undefined) ?? undefined;
  const audit = await readFile(path.join(dir, 'walkup-audit.jsonl'), 'utf8').catch(() => '');
  return { logger, problems, published, audit };
}

/** Nothing the station logged, audited or published holds a secret value. */
function expectNoSecret(...captured: unknown[]): void {
  const text = captured.map((item) => (typeof item === 'string' ? item : JSON.stringify(item))).join('\n');
  expect(text).not.toContain(CLIENT_SECRET);
  expect(text).not.toContain(HASH_KEY);
}

async function provision(): Promise<void> {
  const written = await writePendingImport(dir, {
    'duo.clientSecret': CLIENT_SECRET,
    'audit.usernameHashKey': HASH_KEY,
  });
  expect(written.ok).toBe(true);
}

describe('the kiosk vault through the safeStorage adapter', () => {
  it('imports a pending import into 0600 encrypted blobs, deletes it, and reads the secrets back', async () => {
    await provision();
    const logger = recordingLogger();
    const read = await prepareKioskVault(await vaultConfig(), {
      stateDir: dir,
      logger,
      cipher: cipherFor('gnome_libsecret', logger),
    });
    await expect(stat(path.join(dir, SECRETS_IMPORT_FILE))).rejects.toMatchObject({ code: 'ENOENT' });
    const blobs = (await readdir(path.join(dir, VAULT_FOLDER))).sort();
    expect(blobs).toEqual(['audit.usernameHashKey.secret', 'duo.clientSecret.secret']);
    for (const blob of blobs) {
      const file = path.join(dir, VAULT_FOLDER, blob);
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      expect(await readFile(file, 'latin1')).not.toContain(CLIENT_SECRET);
    }
    expect((await stat(path.join(dir, VAULT_FOLDER))).mode & 0o777).toBe(0o700);
    expect(await read('duo.clientSecret')).toEqual({ ok: true, value: CLIENT_SECRET });
    expect(logger.entries.find((entry) => entry.event === 'vault-imported')?.data).toEqual({
      names: ['audit.usernameHashKey', 'duo.clientSecret'],
    });
    expect(JSON.parse(await readFile(path.join(dir, BACKEND_RECORD_FILE), 'utf8'))).toEqual({
      backend: 'gnome_libsecret',
    });

    // The next start (a new process, the same OS key): the station assembles in service of its secrets.
    const next = recordingLogger();
    const started = await startStation(await vaultConfig(), cipherFor('gnome_libsecret', next));
    expect(started.problems).toBeUndefined();
    expect(started.logger.entries.map((entry) => entry.event)).not.toContain('vault-unavailable');
    expectNoSecret(logger.entries, started.logger.entries, started.published, started.audit);
  });

  it('names a vault entry that was never provisioned, and the station is out of service', async () => {
    const logger = recordingLogger();
    const started = await startStation(await vaultConfig(), cipherFor('gnome_libsecret', logger));
    expect(started.problems).toEqual({
      reason: 'secrets-unavailable',
      problems: [
        'duo.clientSecret: is not in the vault: provision it with walkup import-secrets',
        'audit.usernameHashKey: is not in the vault: provision it with walkup import-secrets',
      ],
    });
    expect(started.published).toContain('secrets-unavailable');
  });

  it('puts the station out of service on Linux basic_text unless policy allows it, importing nothing', async () => {
    await provision();
    const refusedLogger = recordingLogger();
    const refused = await startStation(await vaultConfig(false), cipherFor('basic_text', refusedLogger));
    expect(refused.problems?.reason).toBe('secrets-unavailable');
    expect(refused.problems?.problems[0]).toBe(
      'duo.clientSecret: cannot be read: Linux safeStorage uses the basic_text backend (no keyring: secrets would only be obfuscated); set kiosk.allowInsecureSecretStorage to accept it',
    );
    // The pending import waits; nothing was written with the obfuscating key.
    await expect(stat(path.join(dir, SECRETS_IMPORT_FILE))).resolves.toBeTruthy();
    await expect(stat(path.join(dir, VAULT_FOLDER))).rejects.toMatchObject({ code: 'ENOENT' });
    expectNoSecret(refused.logger.entries, refused.published, refused.audit);

    const allowedLogger = recordingLogger();
    const allowed = await startStation(await vaultConfig(true), cipherFor('basic_text', allowedLogger, true));
    expect(allowed.problems).toBeUndefined();
    await expect(stat(path.join(dir, SECRETS_IMPORT_FILE))).rejects.toMatchObject({ code: 'ENOENT' });
    expectNoSecret(allowed.logger.entries, allowed.published, allowed.audit);
  });

  it('reports a backend changed since the secrets were stored, and never re-keys', async () => {
    await provision();
    const first = recordingLogger();
    expect(
      (await startStation(await vaultConfig(), cipherFor('gnome_libsecret', first))).problems,
    ).toBeUndefined();
    const blobFile = path.join(dir, VAULT_FOLDER, 'duo.clientSecret.secret');
    const blobBefore = await readFile(blobFile);

    const later = recordingLogger();
    const changed = await startStation(await vaultConfig(), cipherFor('kwallet5', later));
    expect(changed.problems?.reason).toBe('secrets-unavailable');
    expect(changed.problems?.problems[0]).toBe(
      'duo.clientSecret: cannot be read: the safeStorage backend changed since the secrets were stored (was gnome_libsecret, now kwallet5); restore the keyring, or delete the vault and the backend record and provision the secrets again',
    );
    expect(changed.logger.entries.find((entry) => entry.event === 'vault-unavailable')?.level).toBe('error');
    // Neither the record nor the blob was touched.
    expect(JSON.parse(await readFile(path.join(dir, BACKEND_RECORD_FILE), 'utf8'))).toEqual({
      backend: 'gnome_libsecret',
    });
    expect((await readFile(blobFile)).equals(blobBefore)).toBe(true);
    expectNoSecret(first.entries, later.entries, changed.published, changed.audit);
  });

  it('puts the station out of service on a damaged blob or a changed OS key, never crashing', async () => {
    await provision();
    const logger = recordingLogger();
    expect(
      (await startStation(await vaultConfig(), cipherFor('gnome_libsecret', logger))).problems,
    ).toBeUndefined();
    const blobFile = path.join(dir, VAULT_FOLDER, 'duo.clientSecret.secret');
    const blob = await readFile(blobFile);

    // Flip the last byte of the ciphertext (the header stays): the OS key cannot open it.
    const flipped = Buffer.from(blob);
    flipped[flipped.length - 1] = (flipped[flipped.length - 1] ?? 0) ^ 0xff;
    await writeFile(blobFile, flipped, { mode: 0o600 });
    const damaged = await startStation(await vaultConfig(), cipherFor('gnome_libsecret', recordingLogger()));
    expect(damaged.problems).toEqual({
      reason: 'secrets-unavailable',
      problems: [
        'duo.clientSecret: cannot be decrypted (the OS key changed or the blob is damaged): provision it again',
      ],
    });

    // Not a vault blob at all.
    await writeFile(blobFile, 'garbage', { mode: 0o600 });
    const foreign = await startStation(await vaultConfig(), cipherFor('gnome_libsecret', recordingLogger()));
    expect(foreign.problems?.problems).toEqual([
      'duo.clientSecret: is damaged (not a vault blob): provision it again',
    ]);

    // A different OS key (a new profile, a restored disk) reads neither entry.
    await writeFile(blobFile, blob, { mode: 0o600 });
    osKey = randomBytes(32);
    const rekeyed = await startStation(await vaultConfig(), cipherFor('gnome_libsecret', recordingLogger()));
    expect(rekeyed.problems?.problems).toHaveLength(2);
    expectNoSecret(damaged.logger.entries, foreign.logger.entries, rekeyed.logger.entries, rekeyed.published);
  });

  it('leaves a damaged pending import in place and says why, without its content', async () => {
    await writeFile(path.join(dir, SECRETS_IMPORT_FILE), `{"duo.clientSecret": "${CLIENT_SECRET}",`, {
      mode: 0o600,
    });
    const logger = recordingLogger();
    const started = await startStation(await vaultConfig(), cipherFor('gnome_libsecret', logger));
    expect(started.problems?.problems[0]).toBe(
      `duo.clientSecret: cannot be read: the pending import ${path.join(dir, CLAIMED_IMPORT_FILE)} is not valid: (file): is not valid JSON`,
    );
    await expect(stat(path.join(dir, CLAIMED_IMPORT_FILE))).resolves.toBeTruthy();
    expectNoSecret(logger.entries, started.published, started.audit);
  });

  it('says in words why the secret store may not be used, and a store that may be used says nothing', async () => {
    const storage = fakeSafeStorage(osKey, 'gnome_libsecret');
    const make = (platform: NodeJS.Platform, api: SafeStorageApi) =>
      createSafeStorageCipher({
        allowBasicText: false,
        logger: recordingLogger(),
        platform,
        safeStorage: api,
      });
    expect(await make('linux', storage).problem()).toBeUndefined();
    expect(await make('darwin', storage).problem()).toBeUndefined();
    expect(await make('win32', { ...storage, isAsyncEncryptionAvailable: async () => false }).problem()).toBe(
      'safeStorage encryption is not available on this machine',
    );
    expect(await make('linux', { ...storage, getSelectedStorageBackend: () => 'unknown' }).problem()).toBe(
      'the safeStorage backend is unknown (no keyring detected)',
    );
  });

  it('never asks the keyring when no secret is in the vault', async () => {
    const parsed = parseConfig({
      directory: { type: 'demo', throttling: { minFailureMs: 0 } },
      duo: {
        sdk: 'v4',
        apiHost: `127.0.0.1:${await refusedPort()}`,
        clientId: 'DIXXXXXXXXXXXXXXXXXX',
        clientSecret: CLIENT_SECRET,
      },
    });
    if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
    const logger = recordingLogger();
    const started = await startStation(parsed.config, cipherFor('basic_text', logger));
    expect(started.problems).toBeUndefined();
    expect(logger.entries.map((entry) => entry.event)).not.toContain('safe-storage');
    await expect(stat(path.join(dir, BACKEND_RECORD_FILE))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
