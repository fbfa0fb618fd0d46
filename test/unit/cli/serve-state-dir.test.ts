/**
 * The state folder of `walkup serve --state-dir`: the file secret store (0600 entries in
 * `secrets/`, read back through the one secret reader) and the local settings file; and what a
 * serve run takes from a policy whose configuration cannot run yet.
 */
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFileSecretStore, SECRETS_FOLDER } from '../../../main/cli/file-secret-store';
import { adminSettingsOf, adminVersion } from '../../../main/core/admin/shell-values';
import { servePortalSettings } from '../../../main/cli/serve-station';
import { createSettingsFile, SETTINGS_FILE } from '../../../main/cli/settings-file';
import type { LoadedConfig } from '../../../main/core/config/load';

const posix = process.platform !== 'win32';
if (!posix) console.log('serve-state-dir: file mode assertions skipped on Windows (POSIX modes only)');

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'walkup-state-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('file secret store', () => {
  it('describes itself as plain files, not a secure keystore', async () => {
    expect(await createFileSecretStore(dir).describe()).toEqual({ backend: 'files', secure: false });
  });

  it('stores an entry as a 0600 file in a 0700 folder, refers to it by absolute path and reads it back', async () => {
    const store = createFileSecretStore(dir);
    expect(await store.has('duo.clientSecret')).toBe(false);
    const stored = await store.store('duo.clientSecret', 'client-secret-value-1');
    const file = path.join(dir, SECRETS_FOLDER, 'duo.clientSecret');
    expect(stored).toEqual({ ok: true, ref: { file } });
    expect(path.isAbsolute(file)).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe('client-secret-value-1');
    if (posix) {
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    }
    expect(await store.has('duo.clientSecret')).toBe(true);
    expect(await store.read('duo.clientSecret')).toEqual({ ok: true, value: 'client-secret-value-1' });
    // Replacing leaves one file, no temporary one beside it.
    await store.store('duo.clientSecret', 'client-secret-value-2');
    expect(await store.read('duo.clientSecret')).toEqual({ ok: true, value: 'client-secret-value-2' });
    expect(readdirSync(path.dirname(file))).toEqual(['duo.clientSecret']);
  });

  it('refuses a name that is not a vault entry name, writing nothing', async () => {
    const store = createFileSecretStore(dir);
    for (const name of ['../escape', 'a/b', '', '.hidden']) {
      const stored = await store.store(name, 'value-never-written');
      expect(stored.ok, name).toBe(false);
      expect(JSON.stringify(stored)).not.toContain('value-never-written');
      expect(await store.has(name)).toBe(false);
      expect((await store.read(name)).ok).toBe(false);
    }
    expect(existsSync(path.join(dir, SECRETS_FOLDER))).toBe(false);
    expect(existsSync(path.join(path.dirname(dir), 'escape'))).toBe(false);
  });

  it.skipIf(!posix)(
    'refuses to read an entry its group or others can read, naming the path and mode',
    async () => {
      const store = createFileSecretStore(dir);
      await store.store('admin.pinHash', 'scrypt$hash-value');
      const file = path.join(dir, SECRETS_FOLDER, 'admin.pinHash');
      chmodSync(file, 0o644);
      const read = await store.read('admin.pinHash');
      expect(read).toEqual({
        ok: false,
        error: expect.stringContaining(`file ${file} is readable by other users (mode 0644)`),
      });
      expect(JSON.stringify(read)).not.toContain('hash-value');
    },
  );

  it('reports a missing entry as missing', async () => {
    const read = await createFileSecretStore(dir).read('duo.skey');
    expect(read).toEqual({ ok: false, error: expect.stringContaining('does not exist') });
  });
});

describe('settings file', () => {
  it('reads nothing when there is no file, then what was written (0600, atomic)', async () => {
    const settings = createSettingsFile(dir);
    expect(settings.file).toBe(path.join(dir, SETTINGS_FILE));
    expect(await settings.read()).toBeUndefined();
    await settings.write({ version: 1, settings: { station: { name: 'Desk 4' } }, tag: 'ab' });
    expect(await settings.read()).toEqual({
      version: 1,
      settings: { station: { name: 'Desk 4' } },
      tag: 'ab',
    });
    if (posix) expect(statSync(settings.file).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual([SETTINGS_FILE]);
  });

  it('throws an error naming the file and the JSON problem for a file that is not a JSON object', async () => {
    const settings = createSettingsFile(dir);
    writeFileSync(settings.file, '{ "station": ', { mode: 0o600 });
    await expect(settings.read()).rejects.toThrow(/settings\.json is not valid JSON: line 1, column/);
    writeFileSync(settings.file, '[1, 2]', { mode: 0o600 });
    await expect(settings.read()).rejects.toThrow(/settings\.json must hold a JSON object/);
  });
});

describe('what a serve run takes from a configuration that cannot run yet', () => {
  const unconfigured: LoadedConfig = { ok: false, reason: 'setup-required', errors: [], locked: [] };

  it('serves where the policy says, with the admin screen only if the policy turns it on', () => {
    expect(servePortalSettings(unconfigured, { portal: { port: 8796, adminScreen: true } })).toMatchObject({
      host: '127.0.0.1',
      port: 8796,
      adminScreen: true,
    });
    expect(servePortalSettings(unconfigured, {})).toMatchObject({ port: 8787, adminScreen: false });
    // A portal section the schema refuses counts as none: the defaults, admin screen off.
    expect(servePortalSettings(unconfigured, { portal: { port: 'x', adminScreen: true } })).toMatchObject({
      port: 8787,
      adminScreen: false,
    });
  });

  it('keeps the policy admin.* over the defaults for the PIN gate, the defaults for a refused section', () => {
    expect(adminSettingsOf(undefined, { admin: { maxPinAttempts: 2 } })).toEqual({
      maxPinAttempts: 2,
      lockoutSeconds: 300,
      idleSeconds: 120,
    });
    expect(adminSettingsOf(undefined, { admin: { maxPinAttempts: 0 } })).toEqual({
      maxPinAttempts: 5,
      lockoutSeconds: 300,
      idleSeconds: 120,
    });
  });

  it('names the build it runs, or that it runs from source', () => {
    expect(adminVersion({ version: '1.2.3', commit: undefined, builtAt: undefined, isBuild: false })).toEqual(
      {
        version: '1.2.3',
        build: 'run from source',
      },
    );
    expect(
      adminVersion({
        version: '1.2.3',
        commit: '0123456789ab',
        builtAt: '2026-12-03T07:50:00Z',
        isBuild: true,
      }),
    ).toEqual({ version: '1.2.3', build: 'commit 0123456789ab, built 2026-12-03T07:50:00Z' });
  });
});
