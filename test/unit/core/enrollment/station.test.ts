import { describe, expect, it, vi } from 'vitest';
import type { StationInfo, WalkupEvent } from '../../../../main/contract';
import { IN_SERVICE_CHECK_MS, OUT_OF_SERVICE_CHECK_MS } from '../../../../main/core/enrollment';
import {
  downServer,
  healthyServer,
  PASSWORD,
  startHarness,
  testConfig,
  useFakeTimersClosing,
  type Harness,
} from './fakes';

let h: Harness;
useFakeTimersClosing(() => h);

/** Lets the promise chains of a timer-started health check settle. */
async function settle(): Promise<void> {
  for (let index = 0; index < 10; index += 1) await Promise.resolve();
}

describe('station health', () => {
  it('is in service with the configured name, locale, SDK and timings', async () => {
    h = await startHarness('v4');
    expect(h.engine.getStation()).toEqual({
      name: 'Lobby',
      locale: 'en',
      duoSdk: 'v4',
      inService: true,
      warnings: [],
      idle: {
        signInSeconds: 60,
        refusedSeconds: 20,
        duoSeconds: 300,
        visitCapSeconds: 900,
        warningSeconds: 20,
        doneSeconds: 8,
        failedSeconds: 60,
      },
      branding: { organisation: 'Walkup', accentColor: '#0b4a8b' },
      onScreenKeyboard: 'auto',
    });
  });

  it('waits for the first health check before the first sign-in', async () => {
    h = await startHarness('v4');
    h.engine.close();
    const { createEnrollmentEngine } = await import('../../../../main/core/enrollment');
    const engine = createEnrollmentEngine({
      config: h.config,
      directory: h.directory,
      duo: h.duo.integration,
      clock: { now: () => Date.now(), sleep: async () => {} },
      logger: h.logger,
      audit: h.audit,
    });
    expect(engine.getStation()).toMatchObject({ inService: false, outOfService: { reason: 'starting' } });
    const result = await engine
      .openSession({ duoPresentation: 'view' })
      .signIn({ username: 'alice', password: PASSWORD });
    expect(result.ok).toBe(true);
    engine.close();
  });

  it('goes out of service when no directory server answers, refuses sign-ins without asking the directory, and recovers by itself', async () => {
    h = await startHarness('v4', { prepare: ({ directory }) => (directory.health = [downServer()]) });
    const session = h.engine.openSession({ duoPresentation: 'redirect' });
    const events: WalkupEvent[] = [];
    session.onEvent((event) => events.push(event));
    expect(h.engine.getStation()).toMatchObject({
      inService: false,
      outOfService: { reason: 'directory-unreachable', since: '2026-11-22T09:00:00.000Z' },
    });
    expect(await session.signIn({ username: 'alice', password: PASSWORD })).toMatchObject({
      ok: false,
      reason: 'out-of-service',
    });
    expect(h.directory.authenticateCalls).toEqual([]);
    expect(h.audit.records[0]).toMatchObject({
      type: 'station-out-of-service',
      reason: 'directory-unreachable',
    });

    h.directory.health = [healthyServer()];
    vi.advanceTimersByTime(OUT_OF_SERVICE_CHECK_MS);
    await settle();
    expect(h.engine.getStation().inService).toBe(true);
    expect(events).toEqual([
      { type: 'station-changed', station: expect.objectContaining({ inService: true }) },
    ]);
    expect(h.audit.records.at(-1)).toMatchObject({ type: 'station-in-service' });
    expect((await session.signIn({ username: 'alice', password: PASSWORD })).ok).toBe(true);
  });

  it('checks every few minutes while in service and notices Duo going away', async () => {
    h = await startHarness('v4');
    const changes: StationInfo[] = [];
    h.engine.onStationChanged((station) => changes.push(station));
    h.duo.healthResult = { ok: false, checkedAt: 0, code: 'credentials-rejected', detail: 'HTTP 401' };
    vi.advanceTimersByTime(OUT_OF_SERVICE_CHECK_MS);
    await settle();
    expect(changes).toEqual([]);
    vi.advanceTimersByTime(IN_SERVICE_CHECK_MS - OUT_OF_SERVICE_CHECK_MS);
    await settle();
    expect(changes).toEqual([
      expect.objectContaining({
        inService: false,
        outOfService: expect.objectContaining({ reason: 'duo-credentials-rejected' }),
      }),
    ]);
    expect(h.duo.healthCalls.at(-1)).toEqual({ fresh: true });
    expect(
      await h.engine
        .openSession({ duoPresentation: 'redirect' })
        .signIn({ username: 'alice', password: PASSWORD }),
    ).toMatchObject({ ok: false, reason: 'duo-unavailable' });
    expect(h.directory.authenticateCalls).toEqual([]);
  });

  it('takes a second look at the directory when a sign-in finds it unavailable', async () => {
    h = await startHarness('v4');
    h.directory.health = [downServer()];
    h.directory.nextFailure = { ok: false, reason: 'unavailable', detail: 'ECONNREFUSED' };
    await h.engine
      .openSession({ duoPresentation: 'redirect' })
      .signIn({ username: 'alice', password: PASSWORD });
    await settle();
    expect(h.engine.getStation()).toMatchObject({
      inService: false,
      outOfService: { reason: 'directory-unreachable' },
    });
  });

  it('warns when some but not all directory servers are down', async () => {
    h = await startHarness('v4', {
      prepare: ({ directory }) => (directory.health = [healthyServer(), downServer()]),
    });
    expect(h.engine.getStation()).toMatchObject({ inService: true, warnings: ['directory-server-down'] });
  });

  it('warns about plain LDAP and clock skew', async () => {
    h = await startHarness('v4', {
      config: testConfig('v4', { directory: { servers: ['ldap://dc1.example.test'], allowInsecure: true } }),
      prepare: ({ duo }) => (duo.healthResult = { ok: true, checkedAt: 0, skewSeconds: -75 }),
    });
    expect(h.engine.getStation().warnings).toEqual(['directory-insecure', 'clock-skew']);
  });

  it('shows demo mode and the demo accounts', async () => {
    h = await startHarness('v4', {
      config: testConfig('v4', { directory: { type: 'demo', servers: [], baseDN: '' } }),
      prepare: ({ directory }) => (directory.health = []),
      demoUsers: [{ username: 'demo', password: 'demo-password' }],
    });
    expect(h.engine.getStation()).toMatchObject({
      inService: true,
      warnings: ['demo-mode'],
      demo: { users: [{ username: 'demo', password: 'demo-password' }] },
    });
  });

  it('does not show demo accounts outside demo mode', async () => {
    h = await startHarness('v4', { demoUsers: [{ username: 'demo', password: 'demo-password' }] });
    expect(h.engine.getStation()).not.toHaveProperty('demo');
  });

  it('treats a health check that throws as unreachable', async () => {
    h = await startHarness('v4', {
      prepare: ({ duo }) =>
        (duo.health = async () => {
          throw new Error('socket hang up');
        }),
    });
    expect(h.engine.getStation()).toMatchObject({
      inService: false,
      outOfService: { reason: 'duo-unreachable' },
    });
  });

  it('stops checking once closed', async () => {
    h = await startHarness('v4');
    h.engine.close();
    const calls = h.duo.healthCalls.length;
    vi.advanceTimersByTime(IN_SERVICE_CHECK_MS * 3);
    await settle();
    expect(h.duo.healthCalls.length).toBe(calls);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('sessions', () => {
  it('returns the same session for a known id and keeps a well-formed requested id', async () => {
    h = await startHarness('v4');
    const session = h.engine.openSession({ id: 'portal-session-0123456789', duoPresentation: 'redirect' });
    expect(session.id).toBe('portal-session-0123456789');
    expect(h.engine.openSession({ id: session.id, duoPresentation: 'redirect' })).toBe(session);
    expect(h.engine.findSession(session.id)).toBe(session);
    expect(h.engine.findSession('unknown-session-id-000')).toBeUndefined();
  });

  it('gives a fresh random id when the requested one is not well formed', async () => {
    h = await startHarness('v4');
    const session = h.engine.openSession({ id: 'x', duoPresentation: 'redirect' });
    expect(session.id).not.toBe('x');
    expect(session.id).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });

  it('tells every session when the station changes', async () => {
    h = await startHarness('v4');
    const first = h.engine.openSession({ duoPresentation: 'redirect' });
    const second = h.engine.openSession({ duoPresentation: 'view' });
    const seen: string[] = [];
    first.onEvent((event) => seen.push(`first:${event.type}`));
    second.onEvent((event) => seen.push(`second:${event.type}`));
    h.directory.health = [downServer()];
    await h.engine.refreshHealth();
    expect(seen).toEqual(['first:station-changed', 'second:station-changed']);
  });
});
