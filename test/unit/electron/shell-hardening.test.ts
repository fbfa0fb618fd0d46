/**
 * Adapter tests on the Electron fake for the session-wide hardening (issue #9): downloads on
 * every session, client certificates, the default session's network block, per-visit partition
 * release, and a packaged start with refused switches.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Logger } from '../../../main/core/ports';
import { createNavigationPolicy } from '../../../main/electron/navigation-policy';
import {
  openVisitPartition,
  setupSessionHardening,
  wipeDefaultSession,
} from '../../../main/electron/sessions';
import { app, fakeEvent, FakeWebContents, resetElectronFake, session } from './support/electron-fake';

vi.mock('electron', () => import('./support/electron-fake'));

const duoOrigin = 'https://api-x.duosecurity.com';
const policy = createNavigationPolicy({ duoOrigin });

function recordingLogger() {
  const lines: { event: string; fields: Record<string, unknown> | undefined }[] = [];
  const record = (event: string, fields?: Record<string, unknown>) => lines.push({ event, fields });
  const logger: Logger = { info: record, warn: record, error: record };
  return { logger, lines };
}

describe('setupSessionHardening', () => {
  let log: ReturnType<typeof recordingLogger>;
  beforeEach(() => {
    resetElectronFake();
    log = recordingLogger();
    setupSessionHardening({ policy: () => policy, logger: log.logger });
  });

  it('cancels downloads on the default session and logs where they came from (no query)', () => {
    const { item, event } = session.defaultSession.download(
      'https://evil.test/file.exe?token=SECRET',
      'application/x-msdownload',
    );
    expect(event.defaultPrevented).toBe(true);
    expect(item.cancelled).toBe(true);
    expect(log.lines).toContainEqual({
      event: 'download-cancelled',
      fields: { origin: 'https://evil.test', mimeType: 'application/x-msdownload' },
    });
    expect(JSON.stringify(log.lines)).not.toContain('SECRET');
  });

  it("cancels downloads on every session created later: a visit's Duo partitions, any other", () => {
    const duoV4 = openVisitPartition('duo-v4', log.logger).session as unknown as ReturnType<
      typeof session.fromPartition
    >;
    const duoV2 = openVisitPartition('duo-v2', log.logger).session as unknown as ReturnType<
      typeof session.fromPartition
    >;
    const stray = session.fromPartition('made-behind-our-back');
    for (const target of [duoV4, duoV2, stray]) {
      const { item } = target.download(`${duoOrigin}/report.pdf`);
      expect(item.cancelled).toBe(true);
    }
    expect(log.lines.filter((line) => line.event === 'download-cancelled')).toHaveLength(3);
  });

  it('never sends a client certificate, whatever is offered', () => {
    const event = fakeEvent();
    const answers: unknown[][] = [];
    app.emit(
      'select-client-certificate',
      event,
      new FakeWebContents(),
      `${duoOrigin}/frame?x=1`,
      [{ subjectName: 'CN=kiosk' }, { subjectName: 'CN=other' }],
      (...args: unknown[]) => answers.push(args),
    );
    expect(event.defaultPrevented).toBe(true);
    expect(answers).toEqual([[]]);
    expect(log.lines).toContainEqual({
      event: 'client-certificate-refused',
      fields: { origin: duoOrigin, offered: 2 },
    });
  });

  it('lets the default session load app://walkup only: Duo never reaches it', () => {
    const ask = (url: string, resourceType: string) => {
      let cancel: boolean | undefined;
      session.defaultSession.beforeRequest?.({ url, resourceType }, (answer) => (cancel = answer.cancel));
      return cancel;
    };
    expect(ask('app://walkup/assets/index.js', 'script')).toBe(false);
    expect(ask(`${duoOrigin}/frame/web/v1/auth?tx=TX`, 'subFrame')).toBe(true);
    expect(ask('https://evil.test/pixel.gif', 'image')).toBe(true);
  });
});

describe('wipeDefaultSession', () => {
  it('wipes the default session at start (Duo state an older version may have left), every step', async () => {
    resetElectronFake();
    const { logger, lines } = recordingLogger();
    session.defaultSession.failing.add('code');
    await wipeDefaultSession(logger);
    expect([...session.defaultSession.cleared].sort()).toEqual([
      'auth',
      'cache',
      'code',
      'connections',
      'host-resolver',
      'storage',
    ]);
    expect(lines).toContainEqual({
      event: 'default-session-wipe-failed',
      fields: { failed: ['clearCodeCaches'] },
    });
  });
});

describe('openVisitPartition', () => {
  it('makes a fresh in-memory partition each time, and wipes it once at release', async () => {
    resetElectronFake();
    const { logger, lines } = recordingLogger();
    const first = openVisitPartition('duo-v4', logger);
    const second = openVisitPartition('duo-v4', logger);
    expect(first.name).not.toBe(second.name);
    expect(first.name.startsWith('persist:')).toBe(false);
    expect(first.session).not.toBe(second.session);
    await Promise.all([first.release(), first.release()]);
    const wiped = first.session as unknown as { cleared: string[] };
    expect([...wiped.cleared].sort()).toEqual([
      'auth',
      'cache',
      'code',
      'connections',
      'host-resolver',
      'storage',
    ]);
    expect(lines.filter((line) => line.event === 'visit-partition-released')).toHaveLength(1);
  });
});

// Importing main/index.ts loads the whole composition (engine included): slow on a busy machine.
describe('a packaged start', { timeout: 60_000 }, () => {
  beforeEach(() => {
    resetElectronFake();
    vi.resetModules();
  });

  it('refuses to start with a remote-debugging switch, and logs which (not its value)', async () => {
    const written: string[] = [];
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    const argv = process.argv;
    app.isPackaged = true;
    process.argv = ['/opt/walkup/walkup', '--remote-debugging-port=9333'];
    try {
      await import('../../../main/index');
    } finally {
      process.argv = argv;
      stderr.mockRestore();
    }
    expect(app.exitCode).toBe(1);
    expect(app.sandboxEnabled).toBe(false);
    expect(app.listenerCount('web-contents-created')).toBe(0);
    const refused = written.map((line) => JSON.parse(line)).find((line) => line.event === 'startup-refused');
    expect(refused?.switches).toEqual(['remote-debugging-port']);
    expect(written.join('')).not.toContain('9333');
  });

  it('lets a packaged test build (marked in its package.json) start with the switches Playwright uses', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'walkup-test-build-'));
    await writeFile(
      path.join(dir, 'package.json'),
      JSON.stringify({ name: 'walkup', walkupTestBuild: true }),
    );
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const argv = process.argv;
    app.isPackaged = true;
    app.appPath = dir;
    process.argv = ['/opt/walkup/walkup', '--inspect=0', '--remote-debugging-port=0'];
    try {
      await import('../../../main/index');
    } finally {
      process.argv = argv;
      app.appPath = '/opt/walkup';
      stderr.mockRestore();
      await rm(dir, { recursive: true, force: true });
    }
    expect(app.exitCode).toBeUndefined();
    expect(app.sandboxEnabled).toBe(true);
  });
});

describe('loadKioskConfig on a packaged station', () => {
  it('ignores --policy and says so in the log', async () => {
    resetElectronFake();
    const { loadKioskConfig } = await import('../../../main/electron/config');
    const { logger, lines } = recordingLogger();
    const loaded = await loadKioskConfig({
      argv: ['walkup', '--policy', '/tmp/attacker-policy.json'],
      isPackaged: true,
      settings: { read: async () => ({}), write: async () => undefined } as never,
      stateDir: '/nonexistent-walkup-state',
      platform: 'win32',
      env: { ProgramData: '/nonexistent-walkup-test' },
      logger,
    });
    expect(loaded.policyFile).toBeUndefined();
    expect(lines).toContainEqual({
      event: 'policy-argument-ignored',
      fields: { reason: 'packaged', source: 'none' },
    });
    expect(JSON.stringify(lines)).not.toContain('attacker-policy');
  });
});
