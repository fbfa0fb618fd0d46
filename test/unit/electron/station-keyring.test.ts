/**
 * A kiosk whose configured secrets are all `{ file }` / `{ env }` references still keeps one
 * secret of its own, the generated audit username key, and keeps it only encrypted: in the vault
 * (safeStorage), never as a plain file in userData (main/index.ts, started on the Electron fake).
 */
import { access, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { app, fakeEvent, ipcMain, safeStorage } from './support/electron-fake';

vi.mock('electron', () => import('./support/electron-fake'));
vi.mock('electron-store', () => ({
  default: class {
    store: Record<string, unknown> = {};
  },
}));

describe('main/index.ts and the keyring', () => {
  let dir: string;
  const logLines: string[] = [];
  const argv = process.argv;
  const asked = { available: 0, backend: 0 };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'walkup-keyring-'));
    const secretFile = path.join(dir, 'duo-client-secret');
    await writeFile(secretFile, 'S'.repeat(40), { mode: 0o600 });
    const policyFile = path.join(dir, 'policy.json');
    await writeFile(
      policyFile,
      JSON.stringify({
        station: { name: 'Keyring test' },
        directory: { type: 'demo' },
        // Port 9 on loopback: the health check fails fast.
        duo: { apiHost: '127.0.0.1:9', clientId: 'C'.repeat(20), clientSecret: { file: secretFile } },
        audit: { file: path.join(dir, 'audit.jsonl') },
      }),
    );
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      logLines.push(String(chunk));
      return true;
    });
    vi.spyOn(safeStorage, 'isAsyncEncryptionAvailable').mockImplementation(async () => {
      asked.available += 1;
      return true;
    });
    vi.spyOn(safeStorage, 'getSelectedStorageBackend').mockImplementation(() => {
      asked.backend += 1;
      return 'gnome_libsecret';
    });
    app.userDataPath = dir;
    app.logsPath = dir;
    process.argv = [...argv, '--policy', policyFile];
    await import('../../../main/index');
    await vi.waitFor(() => expect(ipcMain.handlers.size).toBeGreaterThan(0), { timeout: 20_000 });
  }, 30_000);

  afterAll(async () => {
    if (app.exitCode === undefined) app.emit('will-quit', fakeEvent());
    process.argv = argv;
    vi.restoreAllMocks();
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps its generated audit username key only encrypted: in the vault, never as a plain file', async () => {
    // The one secret a kiosk on { file } / { env } references still keeps itself (issue #11: the
    // audit-hash key too is stored only with safeStorage), so the keyring is asked at start.
    expect(asked.available).toBeGreaterThan(0);
    expect(logLines.join('')).toContain('"source":"secret-store"');
    await expect(access(path.join(dir, 'vault', 'audit.usernameHashKey.secret'))).resolves.toBeUndefined();
    await expect(access(path.join(dir, 'audit-username-key'))).rejects.toThrow();
    // The station itself started from the file secret (the log names the station's start).
    expect(logLines.join('')).not.toContain('station-cannot-start');
  });
});
