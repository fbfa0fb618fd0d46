import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ipcChannels, type VisitView, type WalkupEvent } from '../../../main/contract';
import type { EnrollmentEngine, VisitSession } from '../../../main/core/enrollment/types';
import { silentLogger } from '../../../main/core/ports';
import { createNavigationPolicy } from '../../../main/electron/navigation-policy';
import { roleOf } from '../../../main/electron/roles';
import { setupVisit } from '../../../main/electron/visit';
import {
  BrowserWindow,
  fakeEvent,
  partitions,
  resetElectronFake,
  session as electronSession,
  views,
} from './support/electron-fake';

vi.mock('electron', () => import('./support/electron-fake'));

const duoOrigin = 'https://127.0.0.1:43123';
const authUrl = `${duoOrigin}/oauth/v1/authorize?request=jwt`;

/** A visit session that emits what the test tells it to. */
function fakeSession(id: string) {
  const listeners = new Set<(event: WalkupEvent) => void>();
  return {
    id,
    disposed: false,
    callbacks: [] as unknown[],
    responses: [] as unknown[],
    pendingDuoUrl: () => authUrl,
    /** The language the person signed in with (`VisitSession.language`). */
    language: undefined as string | undefined,
    getVisit: () => ({ phase: 'idle' }) as VisitView,
    onEvent(listener: (event: WalkupEvent) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    emit(event: WalkupEvent) {
      for (const listener of [...listeners]) listener(event);
    },
    listenerCount: () => listeners.size,
    async handleDuoCallback(params: unknown) {
      this.callbacks.push(params);
      return { ok: true } as const;
    },
    async submitDuoResponse(request: unknown) {
      this.responses.push(request);
      return { ok: true } as const;
    },
    activity: vi.fn(),
    duoUnreachable: vi.fn(),
    disposedReason: undefined as unknown,
    dispose(reason?: unknown) {
      this.disposed = true;
      this.disposedReason = reason;
    },
  };
}

const duoVisit: VisitView = {
  phase: 'duo',
  displayName: 'Alice Demo',
  duo: { kind: 'page', presentation: 'view' },
  idleResetAt: '2026-01-01T00:05:00Z',
  capResetAt: '2026-01-01T00:15:00Z',
};

describe('setupVisit', () => {
  let window: BrowserWindow;
  let sessions: ReturnType<typeof fakeSession>[];
  let engine: EnrollmentEngine;

  beforeEach(() => {
    resetElectronFake();
    window = new BrowserWindow();
    sessions = [];
    engine = {
      openSession: () => {
        const created = fakeSession(`s${sessions.length + 1}`);
        sessions.push(created);
        return created as unknown as VisitSession;
      },
    } as unknown as EnrollmentEngine;
  });

  function start() {
    return setupVisit({
      engine,
      window: window as never,
      policy: () => createNavigationPolicy({ duoOrigin, callbackUrl: 'https://walkup.invalid/duo/callback' }),
      permissions: () => ({ duoOrigin, allowSecurityKeys: false }),
      duoCaPem: undefined,
      isProduction: true,
      logger: silentLogger,
    });
  }

  it('forwards the visit events to the renderer', () => {
    start();
    sessions[0]?.emit({ type: 'idle-warning', secondsLeft: 10, ending: 'idle' });
    expect(window.webContents.sent).toEqual([
      { channel: ipcChannels.event, value: { type: 'idle-warning', secondsLeft: 10, ending: 'idle' } },
    ]);
  });

  it("opens Duo's view when the visit reaches Duo v4, once, and closes it when the visit leaves", async () => {
    start();
    sessions[0]?.emit({ type: 'visit-changed', visit: duoVisit });
    sessions[0]?.emit({ type: 'visit-changed', visit: duoVisit });
    expect(views).toHaveLength(1);
    expect(views[0]?.webContents.loads).toEqual([authUrl]);
    sessions[0]?.emit({ type: 'visit-changed', visit: { phase: 'idle' } });
    await vi.waitFor(() => expect(window.children).toEqual([]));
    const [partition = ''] = partitions.keys();
    await vi.waitFor(() => expect(partitions.get(partition)?.cleared).toHaveLength(6));
  });

  it("gives Duo's view the language the person signed in with, and the station's to the next visit", async () => {
    setupVisit({
      engine,
      window: window as never,
      policy: () => createNavigationPolicy({ duoOrigin, callbackUrl: 'https://walkup.invalid/duo/callback' }),
      permissions: () => ({ duoOrigin, allowSecurityKeys: false }),
      duoCaPem: undefined,
      isProduction: true,
      locale: 'en-GB',
      logger: silentLogger,
    });
    const visit = sessions[0];
    if (!visit) throw new Error('no session');
    visit.language = 'fr';
    visit.emit({ type: 'visit-changed', visit: duoVisit });
    const [first = ''] = partitions.keys();
    expect(partitions.get(first)?.acceptLanguages).toBe('fr');
    visit.emit({ type: 'visit-changed', visit: { phase: 'idle' } });
    await vi.waitFor(() => expect(partitions.get(first)?.cleared).toHaveLength(6));
    visit.language = undefined;
    visit.emit({ type: 'visit-changed', visit: duoVisit });
    const [, second = ''] = partitions.keys();
    expect(partitions.get(second)?.acceptLanguages).toBe('en-GB');
  });

  it("hands Duo's failed load to the visit, which ends it as failed with its reference", () => {
    start();
    sessions[0]?.emit({ type: 'visit-changed', visit: duoVisit });
    views[0]?.webContents.emit('did-fail-load', fakeEvent(), -102, 'ERR_CONNECTION_REFUSED', authUrl, true);
    expect(sessions[0]?.duoUnreachable).toHaveBeenCalledWith('ERR_CONNECTION_REFUSED (-102)');
  });

  it('hides the view during the idle warning and shows it again once the person answers', () => {
    start();
    sessions[0]?.emit({ type: 'visit-changed', visit: duoVisit });
    sessions[0]?.emit({ type: 'idle-warning', secondsLeft: 20, ending: 'idle' });
    expect(views[0]?.visible).toBe(false);
    expect(window.webContents.focused).toBe(true);
    sessions[0]?.emit({ type: 'visit-changed', visit: { ...duoVisit, idleResetAt: '2026-01-01T00:10:00Z' } });
    expect(views[0]?.visible).toBe(true);
    expect(views).toHaveLength(1);
  });

  const v2Visit: VisitView = { ...duoVisit, duo: { kind: 'frame', host: '127.0.0.1:43123', tx: 'TX|a|b' } };

  it("runs Duo's v2 frame in a view and partition of its own, never in the renderer's session", async () => {
    start();
    sessions[0]?.emit({ type: 'visit-changed', visit: v2Visit });
    expect(views).toHaveLength(1);
    const [name = ''] = partitions.keys();
    expect(name).toMatch(/^walkup-visit-duo-v2-/);
    expect(views[0]?.webContents.loads[0]).toMatch(/^app:\/\/walkup\/duo-v2\/host\.html\?/);
    expect(electronSession.defaultSession.protocol.handlers.size).toBe(0);
    sessions[0]?.emit({ type: 'visit-changed', visit: { phase: 'idle' } });
    await vi.waitFor(() => expect(partitions.get(name)?.cleared).toHaveLength(6));
  });

  it("hands the v2 frame's message to the window's session", async () => {
    start();
    sessions[0]?.emit({ type: 'visit-changed', visit: v2Visit });
    const handler = partitions.get([...partitions.keys()][0] ?? '')?.protocol.handlers.get('app');
    await handler?.(new Request('app://walkup/duo-v2/response', { method: 'POST', body: 'AUTH|dQ==|x' }));
    expect(sessions[0]?.responses).toEqual([{ response: 'AUTH|dQ==|x' }]);
  });

  it("ends the visit like a crashed renderer when Duo's view crashes, and tells the renderer", async () => {
    const visit = start();
    sessions[0]?.emit({ type: 'visit-changed', visit: duoVisit });
    const [name = ''] = partitions.keys();
    views[0]?.webContents.emit('render-process-gone', fakeEvent(), { reason: 'crashed', exitCode: 11 });
    expect(sessions[0]?.disposed).toBe(true);
    expect(sessions[0]?.disposedReason).toBe('renderer-crash');
    expect(visit.current()).toBe(sessions[1]);
    expect(window.webContents.sent.at(-1)).toEqual({
      channel: ipcChannels.event,
      value: { type: 'visit-changed', visit: { phase: 'idle' } },
    });
    await vi.waitFor(() => expect(partitions.get(name)?.cleared).toHaveLength(6));
  });

  it("hands the intercepted redirect to the window's session", async () => {
    start();
    sessions[0]?.emit({ type: 'visit-changed', visit: duoVisit });
    const role = roleOf(views[0]?.webContents as never);
    if (role?.kind === 'duo-view') role.onDuoCallback({ state: 's', duoCode: 'c' });
    expect(sessions[0]?.callbacks).toEqual([{ state: 's', duoCode: 'c' }]);
  });

  it('starts over with a fresh session when the renderer is lost', () => {
    const visit = start();
    const first = sessions[0];
    visit.restart('renderer-crash');
    expect(first?.disposed).toBe(true);
    expect(first?.listenerCount()).toBe(0);
    expect(visit.current()).toBe(sessions[1]);
  });
});
