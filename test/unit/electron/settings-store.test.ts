/**
 * The SettingsStore adapter on the real electron-store 12 (and conf) writing real files in a
 * temporary folder; only `electron` itself is the hand-written fake, whose `app.getPath` points
 * into that folder. electron-store is inlined in the unit project (vitest.config.ts) so that its
 * own `import electron from 'electron'` reaches the fake.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Logger } from '../../../main/core/ports';
import { createElectronSettingsStore } from '../../../main/electron/settings-store';
import { app, resetElectronFake } from './support/electron-fake';

vi.mock('electron', () => import('./support/electron-fake'));

const SECRET = 'hunter2-never-on-disk';
const TAG = 'ab'.repeat(32);
/** The signed envelope the admin service writes (core/admin/signed-settings.ts); the tag is checked in core. */
const envelope = (settings: unknown) => ({ version: 1, settings, tag: TAG });

/** A logger that keeps what it was told, to prove what reaches the log (and what does not). */
function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const record = (level: string) => (event: string, fields?: Record<string, unknown>) => {
    lines.push(JSON.stringify({ level, event, ...fields }));
  };
  return { lines, info: record('info'), warn: record('warn'), error: record('error') };
}

describe('createElectronSettingsStore', () => {
  let root: string;
  let userData: string;
  let caseNumber = 0;
  /** A fresh folder per test (electron-store remembers app.getPath('userData') from its first use). */
  let cwd: string;

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'walkup-settings-store-'));
    userData = path.join(root, 'user-data');
    app.userDataPath = userData;
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });
  beforeEach(async () => {
    resetElectronFake();
    caseNumber += 1;
    cwd = path.join(root, `case-${caseNumber}`);
    await mkdir(cwd);
  });

  it("keeps the signed settings in settings.json in the app's user-data folder, read back by a new store", async () => {
    const settings = envelope({
      station: { name: 'Desk 4' },
      directory: { bindPassword: { env: 'LDAP_PW' } },
    });
    await createElectronSettingsStore(recordingLogger()).write(settings);

    expect(JSON.parse(await readFile(path.join(userData, 'settings.json'), 'utf8'))).toEqual(settings);
    expect(await createElectronSettingsStore(recordingLogger()).read()).toEqual(settings);
  });

  it('reads nothing from a station that has no settings file yet', async () => {
    expect(await createElectronSettingsStore(recordingLogger(), { cwd }).read()).toEqual({});
  });

  it('refuses an unknown section inside the envelope, and anything but an envelope, keeping the file as it was', async () => {
    const store = createElectronSettingsStore(recordingLogger(), { cwd });
    await store.write(envelope({ station: { name: 'Desk 4' } }));

    await expect(store.write(envelope({ station: { name: 'Desk 5' }, plugins: {} }))).rejects.toThrow(
      'settings refused: unknown-section at settings.plugins',
    );
    await expect(store.write({ station: { name: 'Desk 5' } })).rejects.toThrow(
      'settings refused: not-an-envelope',
    );
    await expect(store.write(['station'])).rejects.toThrow('settings refused: not-an-object');
    expect(await createElectronSettingsStore(recordingLogger(), { cwd }).read()).toEqual(
      envelope({ station: { name: 'Desk 4' } }),
    );
  });

  it('refuses an inline secret without writing it to disk or putting it in the message', async () => {
    const store = createElectronSettingsStore(recordingLogger(), { cwd });
    await store.write(envelope({ station: { name: 'Desk 4' } }));

    for (const [section, key] of [
      ['directory', 'bindPassword'],
      ['duo', 'clientSecret'],
    ] as const) {
      const error = await store
        .write(envelope({ [section]: { [key]: SECRET } }))
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toBe(`settings refused: inline-secret at settings.${section}.${key}`);
    }
    const onDisk = await readFile(path.join(cwd, 'settings.json'), 'utf8');
    expect(onDisk).not.toContain(SECRET);
    expect(JSON.parse(onDisk)).toEqual(envelope({ station: { name: 'Desk 4' } }));
  });

  it('refuses a hand-edited file holding a secret, logging where it is but not what it is', async () => {
    await writeFile(
      path.join(cwd, 'settings.json'),
      JSON.stringify(envelope({ station: { name: 'Desk 4' }, duo: { clientSecret: SECRET } })),
    );
    const logger = recordingLogger();

    const error = await createElectronSettingsStore(logger, { cwd })
      .read()
      .catch((caught: unknown) => caught);
    expect((error as Error).message).toBe('settings refused: inline-secret at settings.duo.clientSecret');
    expect(logger.lines).toEqual([
      JSON.stringify({
        level: 'warn',
        event: 'settings-ignored',
        reason: 'inline-secret',
        path: 'settings.duo.clientSecret',
      }),
    ]);
    expect(logger.lines.join('')).not.toContain(SECRET);
  });

  it('passes bare settings (no envelope) on for core to refuse as changed outside Walkup', async () => {
    await writeFile(path.join(cwd, 'settings.json'), JSON.stringify({ station: { name: 'Desk 4' } }));
    expect(await createElectronSettingsStore(recordingLogger(), { cwd }).read()).toEqual({
      station: { name: 'Desk 4' },
    });
  });

  it('keeps a corrupt file for the admin: reading fails with the reason; an admin save replaces it and keeps the bytes beside it', async () => {
    const file = path.join(cwd, 'settings.json');
    await writeFile(file, '{"station": {"name": "Desk');
    const logger = recordingLogger();

    const store = createElectronSettingsStore(logger, { cwd });
    await expect(store.read()).rejects.toThrow('the settings file is unreadable');
    // A save that the checks refuse changes nothing.
    await expect(store.write({ station: { name: 'bare' } })).rejects.toThrow('settings refused');
    expect(await readFile(file, 'utf8')).toBe('{"station": {"name": "Desk');
    // The admin screen's save replaces it; the unreadable bytes are kept for inspection.
    await store.write(envelope({ station: { name: 'Desk 4' } }));
    expect(await createElectronSettingsStore(recordingLogger(), { cwd }).read()).toEqual(
      envelope({ station: { name: 'Desk 4' } }),
    );
    const kept = (await readdir(cwd)).filter((name) => name.startsWith('settings.json.unreadable-'));
    expect(kept).toHaveLength(1);
    expect(await readFile(path.join(cwd, kept[0]!), 'utf8')).toBe('{"station": {"name": "Desk');
    expect(logger.lines[0]).toBe(
      JSON.stringify({ level: 'error', event: 'settings-unreadable', error: 'SyntaxError' }),
    );
    expect(logger.lines[1]).toContain('settings-unreadable-replaced');
  });
});
