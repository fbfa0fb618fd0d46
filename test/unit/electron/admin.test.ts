/**
 * The kiosk's admin wiring (`setupAdmin`) on the Electron fake, over the real admin service and a
 * real out-of-service kiosk station: the PIN gate answers from the kiosk's secret store, status
 * shows the store's backend and this build, a restart stops the station, then relaunches once and
 * exits; an exit stops the station, then quits (the will-quit handler exits). Stopping is shared
 * and bounded (`boundedStopOnce`).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AdminApi } from '../../../main/contract/admin';
import { ADMIN_SECRET_NAMES } from '../../../main/core/admin/ports';
import { silentLogger, systemClock } from '../../../main/core/ports';
import { hashPin } from '../../../main/core/secrets/pin-hash';
import { adminVersion } from '../../../main/core/admin/shell-values';
import { boundedStopOnce, kioskAdminSettings, setupAdmin } from '../../../main/electron/admin';
import type { KioskConfig } from '../../../main/electron/config';
import { startKioskStation, type KioskStation } from '../../../main/electron/station';
import { memorySecretStore, memorySettingsFile, type MemorySecretStore } from '../core/admin/fakes';
import { app, resetElectronFake } from './support/electron-fake';

vi.mock('electron', () => import('./support/electron-fake'));

const PIN = '246813';

const brokenPolicy: KioskConfig = {
  ok: false,
  reason: 'configuration-invalid',
  errors: ['duo.apiHost: must be a Duo API host'],
  policyFile: '/etc/walkup/policy.json',
  policySources: ['/etc/walkup/policy.json'],
  sources: {
    policy: { admin: { maxPinAttempts: 3, lockoutSeconds: 600 } },
    local: {},
    managed: true,
    policySources: ['/etc/walkup/policy.json'],
    settingsProblems: [],
  },
};

describe('setupAdmin', () => {
  let dir: string;
  let station: KioskStation;
  let secrets: MemorySecretStore;
  let admin: AdminApi;
  let stop: ReturnType<typeof vi.fn<() => Promise<void>>>;
  let allowExit: ReturnType<typeof vi.fn<() => void>>;
  let order: string[];

  beforeEach(async () => {
    resetElectronFake();
    dir = await mkdtemp(path.join(tmpdir(), 'walkup-kiosk-admin-'));
    order = [];
    station = await startKioskStation(brokenPolicy, {
      clock: systemClock,
      logger: silentLogger,
      logsDir: dir,
      stateDir: dir,
    });
    const realStop = station.stop;
    stop = vi.fn(async () => {
      order.push('stop');
      await realStop();
    });
    allowExit = vi.fn(() => {
      order.push('allowExit');
    });
    vi.spyOn(app, 'relaunch').mockImplementation(() => {
      order.push('relaunch');
    });
    vi.spyOn(app, 'exit').mockImplementation((code?: number) => {
      order.push(`exit(${code ?? ''})`);
    });
    vi.spyOn(app, 'quit').mockImplementation(() => {
      order.push('quit');
    });
    secrets = memorySecretStore();
    secrets.info = { backend: 'gnome_libsecret', secure: true };
    await secrets.store(ADMIN_SECRET_NAMES.pinHash, await hashPin(PIN));
    admin = setupAdmin({
      loaded: brokenPolicy,
      station,
      secrets,
      settingsFile: memorySettingsFile(),
      stopStation: boundedStopOnce(stop, 5000),
      lifecycle: { allowExit },
      clock: systemClock,
      logger: silentLogger,
      stateDir: dir,
      buildInfo: { version: '1.2.3', commit: 'abcdef123456', builtAt: '2026-12-01T00:00:00Z', isBuild: true },
    });
  });

  afterEach(async () => {
    vi.restoreAllMocks();
    await station.stop();
    await rm(dir, { recursive: true, force: true });
  });

  async function unlock(): Promise<string> {
    const result = await admin.unlock({ pin: PIN });
    if (!result.ok) throw new Error(`unlock refused: ${result.reason}`);
    return result.token;
  }

  it("gates with the policy's attempts although the configuration is broken, and shows the store and build", async () => {
    expect(await admin.gate()).toEqual({ kind: 'pin', attemptsLeft: 3 });
    const wrong = await admin.unlock({ pin: '000000' });
    expect(wrong).toMatchObject({ ok: false, reason: 'wrong-pin', gate: { kind: 'pin', attemptsLeft: 2 } });
    const status = await admin.status({ token: await unlock() });
    expect(status).toMatchObject({
      ok: true,
      secretStore: { backend: 'gnome_libsecret', secure: true },
      version: { version: '1.2.3', build: 'commit abcdef123456, built 2026-12-01T00:00:00Z' },
      managed: true,
      station: { inService: false, outOfService: { reason: 'configuration-invalid' } },
    });
    // The unlock and the failure are in the station's audit, which status lists.
    const types = (status as { audit: { type?: unknown }[] }).audit.map((event) => event.type);
    expect(types).toEqual(expect.arrayContaining(['admin-unlock-failed', 'admin-unlocked']));
  });

  it('keeps the PIN attempts used in userData, so a restart does not give fresh guesses', async () => {
    await admin.unlock({ pin: '000000' });
    const restarted = setupAdmin({
      loaded: brokenPolicy,
      station,
      secrets,
      settingsFile: memorySettingsFile(),
      stopStation: boundedStopOnce(stop, 5000),
      lifecycle: { allowExit },
      clock: systemClock,
      logger: silentLogger,
      stateDir: dir,
    });
    expect(await restarted.gate()).toEqual({ kind: 'pin', attemptsLeft: 2 });
  });

  it('restart: stops the station first, then relaunches once and exits', async () => {
    expect(await admin.restart({ token: await unlock() })).toEqual({ ok: true });
    await vi.waitFor(() => expect(order).toContain('exit(0)'));
    expect(order).toEqual(['stop', 'allowExit', 'relaunch', 'exit(0)']);
    expect(stop).toHaveBeenCalledTimes(1);
  });

  it('exit: stops the station first, then allows the exit and quits (never relaunches)', async () => {
    expect(await admin.exit({ token: await unlock() })).toEqual({ ok: true });
    await vi.waitFor(() => expect(order).toContain('quit'));
    expect(order).toEqual(['stop', 'allowExit', 'quit']);
  });

  it('does nothing for a request without a valid token', async () => {
    expect(await admin.exit({ token: 'x'.repeat(43) })).toEqual({ ok: false, reason: 'not-unlocked' });
    expect(await admin.restart({ token: 'x'.repeat(43) })).toEqual({ ok: false, reason: 'not-unlocked' });
    expect(order).toEqual([]);
  });
});

describe('boundedStopOnce', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('stops once for every caller (quit, restart, exit)', async () => {
    const stop = vi.fn(async () => undefined);
    const once = boundedStopOnce(stop, 5000);
    await Promise.all([once(), once(), once()]);
    expect(stop).toHaveBeenCalledTimes(1);
  });

  it('settles after the bound when the station never finishes stopping, and when it fails', async () => {
    vi.useFakeTimers();
    let settled = false;
    const hung = boundedStopOnce(() => new Promise<void>(() => undefined), 5000);
    void hung().then(() => {
      settled = true;
    });
    await vi.advanceTimersByTimeAsync(4999);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(settled).toBe(true);
    await expect(boundedStopOnce(() => Promise.reject(new Error('boom')), 5000)()).resolves.toBeUndefined();
  });
});

describe('kioskAdminSettings and adminVersion', () => {
  it("uses the policy's admin settings over the defaults when the configuration is broken", () => {
    expect(kioskAdminSettings(brokenPolicy)).toEqual({
      maxPinAttempts: 3,
      lockoutSeconds: 600,
      idleSeconds: 120,
    });
    const invalidAdmin: KioskConfig = {
      ...brokenPolicy,
      sources: { ...brokenPolicy.sources!, policy: { admin: { maxPinAttempts: 99 } } },
    };
    expect(kioskAdminSettings(invalidAdmin)).toEqual({
      maxPinAttempts: 5,
      lockoutSeconds: 300,
      idleSeconds: 120,
    });
  });

  it('says a run from source is one', () => {
    expect(adminVersion({ version: '1.0.0', commit: undefined, builtAt: undefined, isBuild: false })).toEqual(
      {
        version: '1.0.0',
        build: 'run from source',
      },
    );
  });
});
