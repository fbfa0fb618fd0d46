import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ipcChannels, type WalkupEvent } from '../../../main/contract';
import { adminMethods, type AdminApi } from '../../../main/contract/admin';
import { adminIpcChannel } from '../../../main/contract/channels';
import type { EnrollmentEngine, VisitSession } from '../../../main/core/enrollment/types';
import { silentLogger } from '../../../main/core/ports';
import { forwardEvents, setupIpc } from '../../../main/electron/ipc';
import { FakeWebContents, ipcMain, resetElectronFake } from './support/electron-fake';

vi.mock('electron', () => import('./support/electron-fake'));

const ourFrame = {
  origin: 'app://walkup',
  url: 'app://walkup/index.html',
  parent: null,
  isDestroyed: () => false,
};

const stationContents = new FakeWebContents();

function invoke(
  channel: string,
  payload?: unknown,
  senderFrame: unknown = ourFrame,
  sender: unknown = stationContents,
): Promise<unknown> {
  const handler = ipcMain.handlers.get(channel);
  if (!handler) throw new Error(`no handler for ${channel}`);
  return Promise.resolve(handler({ senderFrame, sender }, payload));
}

describe('setupIpc', () => {
  const session = {
    getVisit: vi.fn(() => ({ phase: 'idle' })),
    signIn: vi.fn(async (_request: unknown) => ({
      ok: false,
      reason: 'invalid-credentials',
      reference: 'R1',
    })),
    submitDuoResponse: vi.fn(async (_request: unknown) => ({ ok: true })),
    finish: vi.fn(),
    activity: vi.fn(),
  };
  const engine = { getStation: vi.fn(() => ({ name: 'Desk' })) };

  beforeEach(() => {
    resetElectronFake();
    vi.clearAllMocks();
    setupIpc({
      engine: engine as unknown as EnrollmentEngine,
      session: () => session as unknown as VisitSession,
      stationContents: () => stationContents as never,
      logger: silentLogger,
    });
  });

  it('registers exactly the request channels of the contract', () => {
    expect([...ipcMain.handlers.keys()].sort()).toEqual(
      Object.values(ipcChannels)
        .filter((channel) => channel !== ipcChannels.event)
        .sort(),
    );
  });

  it('passes a valid sign-in from our main frame to the visit session', async () => {
    const request = { username: 'alice', password: ' p@ss ' };
    await expect(invoke(ipcChannels.signIn, request)).resolves.toEqual({
      ok: false,
      reason: 'invalid-credentials',
      reference: 'R1',
    });
    expect(session.signIn).toHaveBeenCalledWith(request);
  });

  it("refuses a message from Duo's iframe without touching the session", async () => {
    const duoFrame = {
      origin: 'https://api-x.duosecurity.com',
      url: 'https://api-x.duosecurity.com/frame',
      parent: ourFrame,
      isDestroyed: () => false,
    };
    await expect(invoke(ipcChannels.signIn, { username: 'a', password: 'b' }, duoFrame)).rejects.toThrow(
      'refused',
    );
    expect(session.signIn).not.toHaveBeenCalled();
  });

  it('refuses a main frame of another origin, and a frame that is gone', async () => {
    const other = {
      origin: 'https://evil.test',
      url: 'https://evil.test/',
      parent: null,
      isDestroyed: () => false,
    };
    await expect(invoke(ipcChannels.getStation, undefined, other)).rejects.toThrow('refused');
    await expect(invoke(ipcChannels.getStation, undefined, null)).rejects.toThrow('refused');
    expect(engine.getStation).not.toHaveBeenCalled();
  });

  it('refuses the main frame of app://walkup in another web contents (window check)', async () => {
    const otherContents = new FakeWebContents();
    await expect(
      invoke(ipcChannels.signIn, { username: 'a', password: 'b' }, ourFrame, otherContents),
    ).rejects.toThrow('refused');
    await expect(invoke(ipcChannels.getStation, undefined, ourFrame, otherContents)).rejects.toThrow(
      'refused',
    );
    expect(session.signIn).not.toHaveBeenCalled();
    expect(engine.getStation).not.toHaveBeenCalled();
  });

  it('refuses a malformed payload with a generic error that does not echo it', async () => {
    const error = await invoke(ipcChannels.signIn, { username: 'alice', password: 42 }).catch(
      (caught: Error) => caught,
    );
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe('invalid request');
    expect(session.signIn).not.toHaveBeenCalled();
  });

  it("hands the session only the schema's parse: unknown fields dropped, never the page's own object", async () => {
    const signIn = { username: 'alice', password: 'pw', admin: true };
    await invoke(ipcChannels.signIn, signIn);
    expect(session.signIn.mock.calls[0]?.[0]).toStrictEqual({ username: 'alice', password: 'pw' });
    expect(session.signIn.mock.calls[0]?.[0]).not.toBe(signIn);
    await invoke(ipcChannels.submitDuoResponse, { response: 'AUTH|a|b', app: 'APP|forged' });
    expect(session.submitDuoResponse.mock.calls[0]?.[0]).toStrictEqual({ response: 'AUTH|a|b' });
    await invoke(ipcChannels.finish, { reason: 'cancelled', extra: 1 });
    await invoke(ipcChannels.finish, {});
    expect(session.finish.mock.calls).toStrictEqual([[{ reason: 'cancelled' }], [{ reason: 'finished' }]]);
    await expect(invoke(ipcChannels.finish, { reason: 'admin' })).rejects.toThrow('invalid request');
    expect(session.finish).toHaveBeenCalledTimes(2);
  });

  it('defaults finish to "finished" and forwards activity', async () => {
    await invoke(ipcChannels.finish);
    expect(session.finish).toHaveBeenCalledWith({ reason: 'finished' });
    await invoke(ipcChannels.activity);
    expect(session.activity).toHaveBeenCalledTimes(1);
  });
});

describe('setupIpc: the admin channels', () => {
  const session = {
    getVisit: vi.fn(),
    signIn: vi.fn(),
    submitDuoResponse: vi.fn(),
    finish: vi.fn(),
    activity: vi.fn(),
  };
  const admin = {
    gate: vi.fn(async () => ({ kind: 'pin', attemptsLeft: 5 })),
    unlock: vi.fn(async (_request: unknown) => ({ ok: true, token: 't'.repeat(43), idleSeconds: 120 })),
    createPin: vi.fn(async (_request: unknown) => ({
      ok: false,
      reason: 'not-first-run',
      gate: { kind: 'pin', attemptsLeft: 5 },
    })),
    changePin: vi.fn(async (_request: unknown) => ({ ok: true })),
    status: vi.fn(async (_request: unknown) => ({ ok: false, reason: 'not-unlocked' })),
    check: vi.fn(async (_request: unknown) => ({ ok: false, reason: 'not-unlocked' })),
    testSignIn: vi.fn(async (_request: unknown) => ({ ok: true, result: 'ok' })),
    save: vi.fn(async (_request: unknown) => ({ ok: true, restartNeeded: true })),
    lock: vi.fn(async (_request: unknown) => ({ ok: true })),
    restart: vi.fn(async (_request: unknown) => ({ ok: true })),
    exit: vi.fn(async (_request: unknown) => ({ ok: true })),
  };

  beforeEach(() => {
    resetElectronFake();
    vi.clearAllMocks();
    setupIpc({
      engine: {} as EnrollmentEngine,
      session: () => session as unknown as VisitSession,
      stationContents: () => stationContents as never,
      admin: admin as unknown as AdminApi,
      logger: silentLogger,
    });
  });

  it('registers one channel per admin method besides the visit channels', () => {
    const channels = [...ipcMain.handlers.keys()];
    for (const method of adminMethods) expect(channels).toContain(adminIpcChannel(method));
    expect(channels).toHaveLength(Object.keys(ipcChannels).length - 1 + adminMethods.length);
  });

  it("reaches the admin service with the schema's parse only (unknown fields dropped)", async () => {
    await expect(invoke(adminIpcChannel('gate'), { anything: 1 })).resolves.toEqual({
      kind: 'pin',
      attemptsLeft: 5,
    });
    const unlock = { pin: '123456', token: 'x' };
    await expect(invoke(adminIpcChannel('unlock'), unlock)).resolves.toMatchObject({ ok: true });
    expect(admin.unlock.mock.calls[0]?.[0]).toStrictEqual({ pin: '123456' });
    await invoke(adminIpcChannel('save'), {
      token: 'tok',
      changes: [{ path: 'station.name', value: 'Desk' }],
    });
    // The draft schema's defaults are applied: the service never sees a missing list.
    expect(admin.save.mock.calls[0]?.[0]).toStrictEqual({
      token: 'tok',
      changes: [{ path: 'station.name', value: 'Desk' }],
      secrets: {},
    });
    await invoke(adminIpcChannel('exit'), { token: 'tok' });
    expect(admin.exit).toHaveBeenCalledTimes(1);
  });

  it('refuses a sender outside the station window, a subframe and another origin, before the service', async () => {
    const subframe = { ...ourFrame, parent: ourFrame };
    const other = {
      origin: 'https://evil.test',
      url: 'https://evil.test/',
      parent: null,
      isDestroyed: () => false,
    };
    for (const method of adminMethods) {
      const channel = adminIpcChannel(method);
      await expect(
        invoke(channel, { pin: '123456', token: 'tok' }, ourFrame, new FakeWebContents()),
      ).rejects.toThrow('refused');
      await expect(invoke(channel, { pin: '123456', token: 'tok' }, subframe)).rejects.toThrow('refused');
      await expect(invoke(channel, { pin: '123456', token: 'tok' }, other)).rejects.toThrow('refused');
    }
    for (const method of adminMethods) expect(admin[method]).not.toHaveBeenCalled();
  });

  it('refuses a bad payload with a generic error that does not echo it', async () => {
    const secret = 'S3cret-that-must-not-echo';
    const bad: [string, unknown][] = [
      ['unlock', { pin: 123456 }],
      ['unlock', undefined],
      ['status', {}],
      ['testSignIn', { token: 'tok', username: 'alice', password: 7, note: secret }],
      ['save', { token: 'tok', secrets: { 'duo.clientSecret': 42 }, note: secret }],
      ['save', { token: 'tok', secrets: { 'duo.clientSecret': '' } }],
      ['exit', { token: '' }],
    ];
    for (const [method, payload] of bad) {
      const error = await invoke(adminIpcChannel(method), payload).catch((caught: Error) => caught);
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toBe('invalid request');
      expect((error as Error).message).not.toContain(secret);
    }
    for (const method of adminMethods) expect(admin[method]).not.toHaveBeenCalled();
  });
});

describe('forwardEvents', () => {
  it('sends session events to the renderer on the event channel until unsubscribed', () => {
    const listeners = new Set<(event: WalkupEvent) => void>();
    const source = {
      onEvent(listener: (event: WalkupEvent) => void) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    };
    const renderer = new FakeWebContents();
    const stop = forwardEvents(source, () => renderer as never);
    const event: WalkupEvent = { type: 'idle-warning', secondsLeft: 20, ending: 'idle' };
    for (const listener of listeners) listener(event);
    expect(renderer.sent).toEqual([{ channel: ipcChannels.event, value: event }]);
    stop();
    expect(listeners.size).toBe(0);
  });
});
