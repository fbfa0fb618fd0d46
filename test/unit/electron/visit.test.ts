import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ipcChannels, type VisitView, type WalkupEvent } from '../../../main/contract';
import type { EnrollmentEngine, VisitSession } from '../../../main/core/enrollment/types';
import { silentLogger } from '../../../main/core/ports';
import { createNavigationPolicy } from '../../../main/electron/navigation-policy';
import { roleOf } from '../../../main/electron/roles';
import { setupVisit } from '../../../main/electron/visit';
import { BrowserWindow, partitions, resetElectronFake, views } from './support/electron-fake';

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
    pendingDuoUrl: () => authUrl,
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
    activity: vi.fn(),
    dispose() {
      this.disposed = true;
    },
  };
}

const duoVisit: VisitView = {
  phase: 'duo',
  displayName: 'Alice Demo',
  duo: { kind: 'v4', presentation: 'view' },
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
    await vi.waitFor(() => expect(partitions.get(partition)?.cleared).toHaveLength(3));
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

  it('does not open a view for Web SDK v2 (the renderer frames Duo itself)', () => {
    start();
    sessions[0]?.emit({
      type: 'visit-changed',
      visit: { ...duoVisit, duo: { kind: 'v2', host: '127.0.0.1:43123', tx: 'TX' } },
    });
    expect(views).toHaveLength(0);
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
