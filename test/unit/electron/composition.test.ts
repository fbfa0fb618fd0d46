/**
 * The composition root (main/index.ts) started on the Electron fake: the order of the setup
 * calls, and that a sign-in arriving over IPC reaches the real engine built from a policy file
 * given with --policy. electron-store is replaced by an in-memory store here only because it
 * imports the real `electron` package, which cannot load in Node.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { adminIpcChannel, ipcChannels } from '../../../main/contract';
import { readFile } from 'node:fs/promises';
import { app, BrowserWindow, fakeEvent, ipcMain, protocol, session } from './support/electron-fake';

vi.mock('electron', () => import('./support/electron-fake'));
vi.mock('electron-store', () => ({
  default: class {
    store: Record<string, unknown> = {};
  },
}));

const CLIENT_SECRET = 'S'.repeat(40);
const ourFrame = {
  origin: 'app://walkup',
  url: 'app://walkup/index.html',
  parent: null,
  isDestroyed: () => false,
};

describe('main/index.ts', () => {
  let dir: string;
  const logLines: string[] = [];
  const argv = process.argv;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'walkup-composition-'));
    const policyFile = path.join(dir, 'policy.json');
    await writeFile(
      policyFile,
      JSON.stringify({
        station: { name: 'Composition test' },
        directory: { type: 'demo' },
        // Port 9 on loopback: the health check fails fast, and the station stays out of service.
        duo: { apiHost: '127.0.0.1:9', clientId: 'C'.repeat(20), clientSecret: CLIENT_SECRET },
        audit: { file: path.join(dir, 'audit.jsonl') },
      }),
    );
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      logLines.push(String(chunk));
      return true;
    });
    app.userDataPath = dir;
    app.logsPath = dir;
    process.argv = [...argv, '--policy', policyFile];
    await import('../../../main/index');
    // Generous: onReady builds the real engine, which may be slow on a loaded machine.
    await vi.waitFor(() => expect(ipcMain.handlers.size).toBeGreaterThan(0), { timeout: 20_000 });
  }, 30_000);

  afterAll(async () => {
    if (app.exitCode === undefined) app.emit('will-quit', fakeEvent());
    process.argv = argv;
    vi.restoreAllMocks();
    await rm(dir, { recursive: true, force: true });
  });

  it('sandboxes every renderer and registers app:// before the app is ready', () => {
    expect(app.sandboxEnabled).toBe(true);
    expect(protocol.privileged).toHaveLength(1);
  });

  it('guards every web contents and every session, then serves app://', () => {
    expect(app.listenerCount('web-contents-created')).toBe(1);
    // Permission handlers and the session hardening (downloads) for every later session.
    expect(app.listenerCount('session-created')).toBe(2);
    expect(app.listenerCount('select-client-certificate')).toBe(1);
    expect(session.defaultSession.requestHandler).toBeDefined();
    expect(session.defaultSession.listenerCount('will-download')).toBe(1);
    expect(session.defaultSession.beforeRequest).toBeDefined();
    // Wiped before the window exists: nothing of an older version's Duo frame survives.
    expect(session.defaultSession.cleared).toContain('storage');
    expect(protocol.handlers.has('app')).toBe(true);
  });

  it('opens one hardened kiosk window on app://walkup with the bundled preload', () => {
    expect(BrowserWindow.created).toHaveLength(1);
    const [window] = BrowserWindow.created;
    expect(window?.options).toMatchObject({
      kiosk: true,
      show: false,
      webPreferences: { preload: path.join('/opt/walkup', 'out', 'preload', 'index.cjs'), sandbox: true },
    });
    expect(window?.webContents.loads).toEqual(['app://walkup/index.html']);
  });

  it('answers the renderer from the engine built from the --policy file', async () => {
    const handler = ipcMain.handlers.get(ipcChannels.getStation);
    const [window] = BrowserWindow.created;
    const station = (await handler?.({ senderFrame: ourFrame, sender: window?.webContents })) as {
      name: string;
      duoSdk: string;
    };
    expect(station).toMatchObject({ name: 'Composition test', duoSdk: 'v4' });
  });

  it('serves the admin service on the admin channels behind the same sender check', async () => {
    const [window] = BrowserWindow.created;
    const gate = ipcMain.handlers.get(adminIpcChannel('gate'));
    // A configured station without a provisioned PIN: the admin screen cannot open.
    await expect(gate?.({ senderFrame: ourFrame, sender: window?.webContents })).resolves.toEqual({
      kind: 'unavailable',
      reason: 'no-pin',
    });
    await expect(
      Promise.resolve(
        gate?.({ senderFrame: { ...ourFrame, parent: ourFrame }, sender: window?.webContents }),
      ),
    ).rejects.toThrow('refused');
  });

  it('never writes the Duo client secret to the log', async () => {
    // Wait for the Duo health check's verdict: the log line most likely to carry Duo details.
    await vi.waitFor(() => expect(logLines.join('')).toContain('"event":"station-out-of-service"'), {
      timeout: 20_000,
    });
    expect(logLines.join('')).not.toContain(CLIENT_SECRET);
  });

  it('the admin chord asks the station window to open its PIN pad, and quits nothing', () => {
    const [window] = BrowserWindow.created;
    const chord = fakeEvent();
    window?.webContents.emit('before-input-event', chord, {
      type: 'keyDown',
      key: 'K',
      code: 'KeyK',
      control: true,
      shift: true,
      alt: true,
      meta: false,
    });
    expect(chord.defaultPrevented).toBe(true);
    expect(window?.webContents.sent).toContainEqual({
      channel: ipcChannels.event,
      value: { type: 'admin-requested' },
    });
    expect(app.quitCalls).toBe(0);
  });

  it('quits only after the audit queue is written, and then exits by itself', async () => {
    const quitting = fakeEvent();
    app.emit('will-quit', quitting);
    // Electron would quit at once; the station holds the quit until its state is saved.
    expect(quitting.defaultPrevented).toBe(true);
    await vi.waitFor(() => expect(app.exitCode).toBe(0), { timeout: 10_000 });
    const lines = (await readFile(path.join(dir, 'audit.jsonl'), 'utf8')).trim().split('\n');
    expect(lines.map((line) => (JSON.parse(line) as { type: string }).type)).toContain(
      'station-out-of-service',
    );
    // A second will-quit (from app.exit) is let through.
    const again = fakeEvent();
    app.emit('will-quit', again);
    expect(again.defaultPrevented).toBe(false);
  });
});
