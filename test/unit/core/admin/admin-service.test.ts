/**
 * The admin service (core/admin/admin-service.ts) over fakes of its ports: an in-memory secret
 * store and settings file, and real stations (the demo directory; Duo on a closed loopback port,
 * so nothing leaves the machine).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { adminResponseSchemas, type AdminApi, type AdminStatus } from '../../../../main/contract/admin';
import { createAdminService } from '../../../../main/core/admin/admin-service';
import type { AdminServiceDeps, LoadedSources, RunningStationView } from '../../../../main/core/admin/ports';
import { writeSignedSettings } from '../../../../main/core/admin/signed-settings';
import { loadStationSources } from '../../../../main/core/admin/station-sources';
import { createMemoryAuditLog, keepRecentAudit } from '../../../../main/core/audit';
import { matchPolicyPath } from '../../../../main/core/config/policy-sources/policy-keys';
import { adminSchema, secretSchema, type SecretRef } from '../../../../main/core/config/schema';
import type { SecretResult } from '../../../../main/core/config/secrets';
import { createOutOfServiceEngine } from '../../../../main/core/enrollment';
import { type Clock, type Logger } from '../../../../main/core/ports';
import type * as stationModule from '../../../../main/core/station';
import { assembleStation, type AssembledStation } from '../../../../main/core/station';

/** Every station assembled in this file, and the stop reports of those stopped. */
const assembled = vi.hoisted(() => [] as { stopped: unknown[] }[]);
vi.mock('../../../../main/core/station', async (importOriginal) => {
  const original = await importOriginal<typeof stationModule>();
  return {
    ...original,
    assembleStation: async (...args: Parameters<typeof original.assembleStation>) => {
      const station = await original.assembleStation(...args);
      const entry = { stopped: [] as unknown[] };
      assembled.push(entry);
      return {
        ...station,
        stop: async () => {
          const report = await station.stop();
          entry.stopped.push(report);
          return report;
        },
      };
    },
  };
});
import { refusedPort } from '../../../support/directory-fixtures/tcp';
import {
  memorySecretStore,
  memorySettingsFile,
  type MemorySecretStore,
  type MemorySettingsFile,
} from './fakes';

const PIN = '48213957';
/** Duo v4 client secrets are 40 characters. */
const CLIENT_SECRET = 'client-secret-AAAAbbbbCCCCddddEEEEffff01';
const BIND_PASSWORD = 'bind-password-Zq8!kL';
const ALICE_PASSWORD = 'enroll-alice';

function fakeClock(): Clock & { advance(ms: number): void } {
  let now = Date.UTC(2026, 11, 3, 9);
  return { now: () => now, sleep: async () => {}, advance: (ms) => (now += ms) };
}

class CapturingLogger implements Logger {
  readonly lines: string[] = [];
  info(event: string, fields?: Record<string, unknown>): void {
    this.lines.push(JSON.stringify({ event, fields }));
  }
  warn(event: string, fields?: Record<string, unknown>): void {
    this.lines.push(JSON.stringify({ event, fields }));
  }
  error(event: string, fields?: Record<string, unknown>): void {
    this.lines.push(JSON.stringify({ event, fields }));
  }
}

const stations: AssembledStation[] = [];
afterEach(async () => {
  for (const station of stations.splice(0)) await station.stop();
});

async function demoLocal(): Promise<Record<string, unknown>> {
  return {
    station: { name: 'Lobby' },
    directory: { type: 'demo', throttling: { minFailureMs: 0 } },
    duo: {
      apiHost: `127.0.0.1:${await refusedPort()}`,
      clientId: 'DIXXXXXXXXXXXXXXXXXX',
      clientSecret: { vault: 'duo.clientSecret' },
    },
  };
}

interface Harness {
  service: AdminApi;
  secrets: MemorySecretStore;
  settingsFile: MemorySettingsFile;
  clock: ReturnType<typeof fakeClock>;
  logger: CapturingLogger;
  audit: ReturnType<typeof keepRecentAudit>;
  restarts: number;
  exits: number;
  sources: LoadedSources;
}

/** A service over a running demo station (`configured`), or over a first-run station. */
async function harness(
  options: { configured?: boolean; policy?: Record<string, unknown>; withPin?: boolean } = {},
): Promise<Harness> {
  const clock = fakeClock();
  const logger = new CapturingLogger();
  const audit = keepRecentAudit(createMemoryAuditLog({ clock, stationName: 'Lobby' }), {
    clock,
    stationName: 'Lobby',
  });
  const secrets = memorySecretStore();
  const settingsFile = memorySettingsFile();
  const policy = options.policy ?? {};
  const readSecret = async (ref: SecretRef): Promise<SecretResult> =>
    typeof ref === 'object' && 'vault' in ref
      ? secrets.read(ref.vault)
      : { ok: false, error: 'only vault in this test' };
  let view: RunningStationView;
  if (options.configured) {
    await secrets.store('duo.clientSecret', CLIENT_SECRET);
    await writeSignedSettings(settingsFile, secrets, await demoLocal());
  }
  const loaded = await loadStationSources({
    policy,
    managed: Object.keys(policy).length > 0,
    policySources: Object.keys(policy).length > 0 ? ['/etc/walkup/policy.json'] : [],
    settingsFile,
    secrets,
  });
  if (loaded.loaded.ok) {
    const station = await assembleStation(loaded.loaded.config, {
      clock,
      logger,
      audit: 'check',
      redirectUri: 'http://127.0.0.1:1/duo-callback',
      vault: (name) => secrets.read(name),
    });
    stations.push(station);
    view = { ...station, config: loaded.loaded.config };
  } else {
    const engine = createOutOfServiceEngine({
      reason: loaded.loaded.reason,
      detail: loaded.loaded.errors.join('; ') || loaded.loaded.reason,
      clock,
      logger,
      audit: audit.log,
    });
    const { unconfiguredDirectory, unconfiguredDuo } = await import('../../../../main/core/enrollment');
    view = {
      engine,
      directory: unconfiguredDirectory,
      duo: unconfiguredDuo('v4'),
      config: undefined,
      problems: loaded.loaded.errors,
    };
  }
  if (options.withPin) {
    const { hashPin } = await import('../../../../main/core/secrets/pin-hash');
    await secrets.store('admin.pinHash', await hashPin(PIN));
  }
  const h: Harness = {
    service: undefined as unknown as AdminApi,
    secrets,
    settingsFile,
    clock,
    logger,
    audit,
    restarts: 0,
    exits: 0,
    sources: loaded.sources,
  };
  const deps: AdminServiceDeps = {
    clock,
    logger,
    audit: audit.log,
    recentAudit: (limit) => audit.recent(limit),
    secrets,
    settingsFile,
    sources: () => h.sources,
    station: () => view,
    adminSettings: adminSchema.parse({}),
    readSecret,
    redirectUri: 'http://127.0.0.1:1/duo-callback',
    version: { version: '1.2.3', build: 'test' },
    restart: async () => {
      h.restarts += 1;
    },
    exit: async () => {
      h.exits += 1;
    },
  };
  h.service = createAdminService(deps);
  return h;
}

async function unlock(h: Harness): Promise<string> {
  const result = await h.service.unlock({ pin: PIN });
  if (!result.ok) throw new Error(`unlock failed: ${result.reason}`);
  return result.token;
}

/** A local settings object as a draft's changes: one per key path, secret references left out. */
function draftChanges(local: Record<string, unknown>): { path: string; value: unknown }[] {
  const walk = (value: unknown, prefix: string): { path: string; value: unknown }[] => {
    const match = matchPolicyPath(prefix.split('.'));
    if (match.kind === 'key') return match.key.kind === 'secret' ? [] : [{ path: prefix, value }];
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
    return Object.entries(value).flatMap(([key, child]) => walk(child, prefix ? `${prefix}.${key}` : key));
  };
  return walk(local, '');
}

/** Open handles (sockets, timers, pipes) of this worker. */
function openHandles(): number {
  return process.getActiveResourcesInfo().filter((kind) => kind !== 'TTYWrap').length;
}

/** The handle count once sockets destroyed earlier have closed (they close a few turns later). */
async function settledHandleCount(): Promise<number> {
  let last = openHandles();
  for (let turn = 0; turn < 20; turn += 1) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    const now = openHandles();
    if (now === last) return now;
    last = now;
  }
  return last;
}

/** Whether the handle count comes back to `count` (a station left running keeps its timer and sockets). */
async function openHandlesSettle(count: number): Promise<boolean> {
  for (let turn = 0; turn < 100; turn += 1) {
    if (openHandles() <= count) return true;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return false;
}

/** Everything a test could leak a secret into. */
function everything(h: Harness, ...answers: unknown[]): string {
  return JSON.stringify([answers, h.logger.lines, h.audit.recent(50), h.settingsFile.content]);
}

describe('admin service: the gate', () => {
  it('first run: setup, then createPin (PIN rule, stored as a hash), which unlocks; a second createPin is refused', async () => {
    const h = await harness();
    expect(await h.service.gate()).toEqual({ kind: 'setup' });
    expect(await h.service.createPin({ pin: '12ab' })).toMatchObject({
      ok: false,
      reason: 'pin-format',
      gate: { kind: 'setup' },
    });
    const created = await h.service.createPin({ pin: PIN });
    expect(created).toMatchObject({ ok: true, idleSeconds: 120 });
    expect(h.secrets.values.get('admin.pinHash')).toMatch(/^scrypt\$/);
    expect(await h.service.gate()).toEqual({ kind: 'pin', attemptsLeft: 5 });
    expect(await h.service.createPin({ pin: PIN })).toMatchObject({ ok: false, reason: 'not-first-run' });
    expect(
      h.audit
        .recent(50)
        .map((record) => record.type)
        .filter((type) => type.startsWith('admin-')),
    ).toEqual(['admin-unlocked', 'admin-pin-created']);
    expect(everything(h, created)).not.toContain(PIN);
  });

  it('five createPin calls at once store one PIN and open one session', async () => {
    const h = await harness();
    const results = await Promise.all(
      ['111111', '222222', '333333', '444444', '555555'].map((pin) => h.service.createPin({ pin })),
    );
    expect(results.filter((result) => result.ok)).toHaveLength(1);
    expect(h.audit.recent(50).filter((record) => record.type === 'admin-pin-created')).toHaveLength(1);
  });

  it('a configured station without a PIN is unavailable (no-pin); an unusable secret store says so', async () => {
    const h = await harness({ configured: true });
    expect(await h.service.gate()).toEqual({ kind: 'unavailable', reason: 'no-pin' });
    expect(await h.service.createPin({ pin: PIN })).toMatchObject({ ok: false, reason: 'not-first-run' });
    expect(await h.service.unlock({ pin: PIN })).toMatchObject({ ok: false, reason: 'unavailable' });
    h.secrets.info = { backend: 'basic_text', secure: false, problem: 'basic_text refused' };
    expect(await h.service.gate()).toEqual({ kind: 'unavailable', reason: 'secret-store-unavailable' });
  });

  it('wrong PINs count down and lock; the answer carries the gate', async () => {
    const h = await harness({ configured: true, withPin: true });
    expect(await h.service.unlock({ pin: '000000' })).toEqual({
      ok: false,
      reason: 'wrong-pin',
      gate: { kind: 'pin', attemptsLeft: 4 },
    });
    for (let index = 0; index < 4; index += 1) await h.service.unlock({ pin: '000000' });
    expect(await h.service.unlock({ pin: PIN })).toEqual({
      ok: false,
      reason: 'locked',
      gate: { kind: 'locked', retryAfterSeconds: 300 },
    });
  });
});

describe('admin service: authenticated methods', () => {
  it('answers not-unlocked for a wrong, expired or ended token, for every method', async () => {
    const h = await harness({ configured: true, withPin: true });
    const token = await unlock(h);
    const calls = (t: string): Promise<unknown>[] => [
      h.service.changePin({ token: t, pin: '99999999' }),
      h.service.status({ token: t }),
      h.service.check({ token: t }),
      h.service.testSignIn({ token: t, username: 'alice', password: ALICE_PASSWORD }),
      h.service.save({ token: t, changes: [], secrets: {} }),
      h.service.lock({ token: t }),
      h.service.restart({ token: t }),
      h.service.exit({ token: t }),
    ];
    for (const answer of await Promise.all(calls('not-the-token')))
      expect(answer).toEqual({ ok: false, reason: 'not-unlocked' });
    h.clock.advance(121_000);
    for (const answer of await Promise.all(calls(token)))
      expect(answer).toEqual({ ok: false, reason: 'not-unlocked' });
    const fresh = await unlock(h);
    expect(await h.service.lock({ token: fresh })).toEqual({ ok: true });
    for (const answer of await Promise.all(calls(fresh)))
      expect(answer).toEqual({ ok: false, reason: 'not-unlocked' });
    expect(h.restarts + h.exits).toBe(0);
  });

  it('status: station, version, store, sources, settings (secrets as set), audit newest first without secrets', async () => {
    const h = await harness({ configured: true, withPin: true });
    await h.service.unlock({ pin: '000000' });
    const token = await unlock(h);
    const status = (await h.service.status({ token })) as AdminStatus;
    expect(status).toMatchObject({
      ok: true,
      station: { name: 'Lobby' },
      version: { version: '1.2.3', build: 'test' },
      secretStore: { backend: 'test', secure: true },
      managed: false,
      policySources: [],
      settingsProblems: [],
    });
    expect(status.settings.find((setting) => setting.path === 'duo.clientSecret')).toMatchObject({
      set: true,
      source: 'local',
    });
    expect(status.settings.find((setting) => setting.path === 'station.name')).toMatchObject({
      value: 'Lobby',
      source: 'local',
    });
    expect(status.audit.map((event) => event.type).slice(0, 2)).toEqual([
      'admin-unlocked',
      'admin-unlock-failed',
    ]);
    expect(everything(h, status)).not.toContain(CLIENT_SECRET);
  });

  it('changePin: the PIN rule, then the new PIN unlocks and the old one does not', async () => {
    const h = await harness({ configured: true, withPin: true });
    const token = await unlock(h);
    expect(await h.service.changePin({ token, pin: '12' })).toEqual({ ok: false, reason: 'pin-format' });
    expect(await h.service.changePin({ token, pin: '55556666' })).toEqual({ ok: true });
    expect(await h.service.unlock({ pin: PIN })).toMatchObject({ ok: false, reason: 'wrong-pin' });
    expect(await h.service.unlock({ pin: '55556666' })).toMatchObject({ ok: true });
    expect(h.audit.recent(50).map((record) => record.type)).toContain('admin-pin-changed');
    expect(everything(h)).not.toContain('55556666');
  });

  it('testSignIn: the directory’s reason code, audited by username hash, never the password', async () => {
    const h = await harness({ configured: true, withPin: true });
    const token = await unlock(h);
    const good = await h.service.testSignIn({ token, username: 'alice', password: ALICE_PASSWORD });
    expect(good).toEqual({ ok: true, result: 'ok', displayName: 'Alice Demo' });
    const bad = await h.service.testSignIn({ token, username: 'alice', password: 'wrong-password-x' });
    expect(bad).toEqual({ ok: true, result: 'invalid-credentials' });
    const events = h.audit.recent(50).filter((record) => record.type === 'admin-test-sign-in');
    expect(events.map((event) => (event as { result?: string }).result)).toEqual([
      'invalid-credentials',
      'ok',
    ]);
    expect(events[0]).toMatchObject({ usernameHash: expect.stringMatching(/^hmac-sha256:[0-9a-f]{32}$/) });
    expect(everything(h, good, bad)).not.toContain(ALICE_PASSWORD);
    expect(everything(h, good, bad)).not.toContain('wrong-password-x');
  });

  it('check without a draft: the running station’s verdict with directory and Duo details', async () => {
    const h = await harness({ configured: true, withPin: true });
    const token = await unlock(h);
    const report = await h.service.check({ token });
    expect(report).toMatchObject({
      ok: true,
      problems: [],
      directory: { type: 'demo', servers: [{ url: 'demo:', reachable: true }] },
      duo: { sdk: 'v4', ok: false, code: 'unreachable' },
    });
  });

  it('check with a draft: a throwaway station that leaves no socket or timer open; problems never show draft secrets', async () => {
    const h = await harness({ withPin: true });
    const token = await unlock(h);
    const local = await demoLocal();
    const before = await settledHandleCount();
    const report = await h.service.check({
      token,
      draft: {
        changes: draftChanges(local),
        secrets: { 'duo.clientSecret': CLIENT_SECRET },
      },
    });
    expect(report).toMatchObject({
      ok: true,
      problems: [],
      directory: { type: 'demo' },
      duo: { ok: false, code: 'unreachable' },
    });
    // The throwaway station was stopped, its audit queue closed, and its sockets are gone.
    const throwaway = assembled.at(-1);
    expect(throwaway?.stopped).toEqual([
      { stateSaved: true, audit: { flushed: true, unwritten: [], dropped: 0 } },
    ]);
    expect(await openHandlesSettle(before)).toBe(true);
    // A draft with a value the schema refuses: the schema's message, no station built.
    const wrong = await h.service.check({
      token,
      draft: {
        changes: [{ path: 'directory.type', value: 'novell' }],
        secrets: { 'duo.clientSecret': CLIENT_SECRET },
      },
    });
    expect(wrong).toMatchObject({ ok: true, inService: false });
    expect(JSON.stringify(wrong)).toContain('directory.type');
    // A draft whose Duo secret is too short: a station problem, the value masked.
    const short = await h.service.check({
      token,
      draft: {
        changes: draftChanges(local),
        secrets: { 'duo.clientSecret': 'short-secret' },
      },
    });
    expect(short).toMatchObject({ ok: true, inService: false });
    expect(assembled.at(-1)?.stopped).toHaveLength(1);
    expect((short as { problems: string[] }).problems.join()).toContain('duo.clientSecret');
    expect(everything(h, report, wrong, short)).not.toContain(CLIENT_SECRET);
    expect(everything(h, short)).not.toContain('short-secret');
  });
});

describe('admin service: saves before a restart', () => {
  async function savedLocal(h: Harness): Promise<Record<string, unknown>> {
    const reloaded = await loadStationSources({
      policy: {},
      managed: false,
      policySources: [],
      settingsFile: h.settingsFile,
      secrets: h.secrets,
    });
    return reloaded.sources.local;
  }

  it('a save builds on the one before (a secret replaced after a setting keeps the setting)', async () => {
    const h = await harness({ configured: true, withPin: true });
    const token = await unlock(h);
    expect(
      await h.service.save({ token, changes: [{ path: 'station.name', value: 'Hall' }], secrets: {} }),
    ).toEqual({ ok: true, restartNeeded: true });
    expect(
      await h.service.save({ token, changes: [], secrets: { 'duo.clientSecret': CLIENT_SECRET } }),
    ).toEqual({
      ok: true,
      restartNeeded: true,
    });
    expect(await savedLocal(h)).toMatchObject({
      station: { name: 'Hall' },
      duo: { clientSecret: { vault: 'duo.clientSecret' } },
    });
    const status = await h.service.status({ token });
    expect((status as AdminStatus).settings.find((setting) => setting.path === 'station.name')).toMatchObject(
      {
        value: 'Hall',
        source: 'local',
      },
    );
  });

  it('saves sent at once run one after the other: none is lost', async () => {
    const h = await harness({ configured: true, withPin: true });
    const token = await unlock(h);
    const results = await Promise.all(
      [5, 6, 7, 8].map((failures) =>
        h.service.save({
          token,
          changes: [
            failures === 5
              ? { path: 'station.name', value: 'Hall' }
              : failures === 6
                ? { path: 'station.locale', value: 'de' }
                : failures === 7
                  ? { path: 'station.idle.signInSeconds', value: 90 }
                  : { path: 'station.idle.doneSeconds', value: 12 },
          ],
          secrets: {},
        }),
      ),
    );
    expect(results).toEqual(Array(4).fill({ ok: true, restartNeeded: true }));
    expect(await savedLocal(h)).toMatchObject({
      station: { name: 'Hall', locale: 'de', idle: { signInSeconds: 90, doneSeconds: 12 } },
    });
  });
});

describe('admin service: secrets are never chosen by reference', () => {
  it('a change may only remove a secret setting: a { vault } / { file } / { env } reference is refused in save and check', async () => {
    const h = await harness({ configured: true, withPin: true });
    const token = await unlock(h);
    for (const value of [{ vault: 'duo.clientSecret' }, { file: '/etc/shadow' }, { env: 'HOME' }]) {
      const saved = await h.service.save({
        token,
        changes: [{ path: 'directory.bindPassword', value }],
        secrets: {},
      });
      expect(saved).toMatchObject({
        ok: false,
        reason: 'invalid',
        errors: [{ path: 'directory.bindPassword', message: expect.stringContaining('write-only') }],
      });
      const checked = await h.service.check({
        token,
        draft: { changes: [{ path: 'directory.bindPassword', value }], secrets: {} },
      });
      expect(checked).toMatchObject({ ok: true, inService: false });
      expect((checked as { problems: string[] }).problems).toEqual([
        expect.stringContaining('directory.bindPassword: a secret is given through secrets'),
      ]);
    }
  });

  it("no setting may name the admin screen's vault entries (the PIN hash, the settings key)", () => {
    for (const vault of ['admin.pinHash', 'settings.hmacKey', 'admin.anything']) {
      const parsed = secretSchema.safeParse({ vault });
      expect(parsed.success).toBe(false);
    }
    expect(secretSchema.safeParse({ vault: 'duo.clientSecret' }).success).toBe(true);
  });
});

describe('admin service: check of a v2 draft', () => {
  it('checks Duo Web SDK v2 without an akey (save generates one), storing nothing', async () => {
    const h = await harness({ withPin: true });
    const token = await unlock(h);
    const linesBefore = h.logger.lines.length;
    const report = await h.service.check({
      token,
      draft: {
        changes: [
          { path: 'directory.type', value: 'demo' },
          { path: 'directory.throttling.minFailureMs', value: 0 },
          { path: 'duo.sdk', value: 'v2' },
          { path: 'duo.apiHost', value: `127.0.0.1:${await refusedPort()}` },
          { path: 'duo.ikey', value: 'DIXXXXXXXXXXXXXXXXXX' },
        ],
        secrets: { 'duo.skey': 'S'.repeat(40) },
      },
    });
    // The station was built and checked (Duo is unreachable there), not refused for a missing akey.
    expect(report).toMatchObject({
      ok: true,
      problems: [],
      duo: { sdk: 'v2', ok: false, code: 'unreachable' },
    });
    expect(JSON.stringify(report)).not.toContain('akey');
    expect(h.secrets.values.has('duo.akey')).toBe(false);
    // The throwaway station's log lines are a check's, never mistaken for the serving station's.
    const events = h.logger.lines
      .slice(linesBefore)
      .map((line) => (JSON.parse(line) as { event: string }).event);
    expect(events.some((event) => event.startsWith('admin-check.'))).toBe(true);
    expect(
      events.filter((event) => /duo\.health|out-of-service/.test(event) && !event.startsWith('admin-check.')),
    ).toEqual([]);
  });
});

describe('admin service: save', () => {
  it('first run under a policy that only sets switches (portal.adminScreen, a CA file): the setup saves; trust keys are judged by value', async () => {
    const policy = { portal: { adminScreen: true }, duo: { caFile: '/etc/walkup/duo-ca.pem' } };
    const h = await harness({ policy });
    expect(await h.service.gate()).toEqual({ kind: 'setup' });
    const created = await h.service.createPin({ pin: PIN });
    if (!created.ok) throw new Error('createPin failed');
    const token = created.token;
    const saved = await h.service.save({
      token,
      changes: [
        { path: 'directory.type', value: 'openldap' },
        { path: 'directory.servers', value: ['ldaps://127.0.0.1:6360'] },
        { path: 'directory.baseDN', value: 'dc=example,dc=test' },
        { path: 'directory.bindDN', value: 'cn=svc,dc=example,dc=test' },
        // Tighter than the default: allowed on a managed station.
        { path: 'admin.maxPinAttempts', value: 3 },
        { path: 'duo.apiHost', value: 'api-12345678.duosecurity.com' },
        { path: 'duo.clientId', value: 'DIXXXXXXXXXXXXXXXXXX' },
      ],
      secrets: { 'duo.clientSecret': CLIENT_SECRET, 'directory.bindPassword': BIND_PASSWORD },
    });
    expect(saved).toEqual({ ok: true, restartNeeded: true });
    // Looser than the default, or the demo directory, or a policy-only key: refused by the one rule.
    for (const change of [
      { path: 'admin.maxPinAttempts', value: 9 },
      { path: 'directory.type', value: 'demo' },
      { path: 'directory.tls.caFile', value: '/tmp/ca.pem' },
    ]) {
      expect(await h.service.save({ token, changes: [change], secrets: {} })).toMatchObject({
        ok: false,
        reason: 'widens-trust',
        errors: [{ path: change.path }],
      });
    }
  });

  it('refuses locked paths, trust-widening paths on a managed station, unknown paths and schema errors with the schema’s messages', async () => {
    const policy = { station: { name: 'Managed' }, directory: { type: 'openldap' } };
    const h = await harness({ policy, withPin: true });
    // A managed station that still lacks keys has no first run: unlock with the provisioned PIN.
    const token = await unlock(h);
    expect(
      await h.service.save({ token, changes: [{ path: 'station.name', value: 'x' }], secrets: {} }),
    ).toEqual({
      ok: false,
      reason: 'locked',
      errors: [{ path: 'station.name', message: 'set by managed policy' }],
    });
    expect(
      await h.service.save({
        token,
        changes: [{ path: 'directory.allowInsecure', value: true }],
        secrets: {},
      }),
    ).toMatchObject({
      ok: false,
      reason: 'widens-trust',
      errors: [{ path: 'directory.allowInsecure' }],
    });
    expect(
      await h.service.save({ token, changes: [{ path: 'no.such.key', value: 1 }], secrets: {} }),
    ).toMatchObject({
      ok: false,
      reason: 'invalid',
      errors: [{ path: 'no.such.key' }],
    });
    const invalid = await h.service.save({
      token,
      changes: [{ path: 'directory.servers', value: ['http://dc1.example.test'] }],
      secrets: {},
    });
    expect(invalid).toMatchObject({ ok: false, reason: 'invalid' });
    const errors = (invalid as { errors: { path: string; message: string }[] }).errors;
    expect(errors).toContainEqual({
      path: 'directory.servers[0]',
      message: expect.stringContaining('must be an ldap:// or ldaps:// URL'),
    });
    expect(h.settingsFile.content).toBeUndefined();
  });

  it('a secret in changes is refused (secrets go through secrets); a secret the policy locks to a vault entry is stored under that name; another locked ref is refused', async () => {
    const policy = {
      duo: { clientSecret: { vault: 'fleet.duoSecret' } },
      directory: { bindPassword: { env: 'BIND' } },
    };
    const h = await harness({ policy, withPin: true });
    const token = await unlock(h);
    expect(
      await h.service.save({
        token,
        changes: [{ path: 'audit.usernameHashKey', value: 'inline-secret-value' }],
        secrets: {},
      }),
    ).toMatchObject({
      ok: false,
      reason: 'invalid',
    });
    expect(
      await h.service.save({ token, changes: [], secrets: { 'directory.bindPassword': BIND_PASSWORD } }),
    ).toMatchObject({
      ok: false,
      reason: 'locked',
    });
    expect(h.secrets.values.has('directory.bindPassword')).toBe(false);
  });

  it('first run end to end: gate setup -> createPin -> save (v2 with a generated akey) -> loadStationSources is ok; secrets only in the store', async () => {
    const h = await harness();
    expect(await h.service.gate()).toEqual({ kind: 'setup' });
    const created = await h.service.createPin({ pin: PIN });
    if (!created.ok) throw new Error('createPin failed');
    const changes = [
      { path: 'station.name', value: 'Front desk' },
      { path: 'directory.type', value: 'openldap' },
      { path: 'directory.servers', value: ['ldaps://127.0.0.1:6360'] },
      { path: 'directory.baseDN', value: 'dc=example,dc=test' },
      { path: 'directory.bindDN', value: 'cn=svc,dc=example,dc=test' },
      { path: 'duo.sdk', value: 'v2' },
      { path: 'duo.apiHost', value: 'api-12345678.duosecurity.com' },
      { path: 'duo.ikey', value: 'DIXXXXXXXXXXXXXXXXXX' },
    ];
    const skey = 'S'.repeat(40);
    const saved = await h.service.save({
      token: created.token,
      changes,
      secrets: { 'duo.skey': skey, 'directory.bindPassword': BIND_PASSWORD },
    });
    expect(saved).toEqual({ ok: true, restartNeeded: true });
    expect(h.secrets.values.get('duo.skey')).toBe(skey);
    expect(h.secrets.values.get('directory.bindPassword')).toBe(BIND_PASSWORD);
    expect(h.secrets.values.get('duo.akey')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const reloaded = await loadStationSources({
      policy: {},
      managed: false,
      policySources: [],
      settingsFile: h.settingsFile,
      secrets: h.secrets,
    });
    expect(reloaded.loaded).toMatchObject({
      ok: true,
      config: {
        station: { name: 'Front desk' },
        duo: { sdk: 'v2', skey: { vault: 'duo.skey' }, akey: { vault: 'duo.akey' } },
        directory: { bindPassword: { vault: 'directory.bindPassword' } },
      },
    });
    const events = h.audit.recent(50);
    expect(events.find((event) => event.type === 'admin-secret-replaced')).toMatchObject({
      names: ['duo.skey', 'directory.bindPassword', 'duo.akey'],
    });
    expect(events.find((event) => event.type === 'admin-settings-saved')).toMatchObject({
      paths: changes.map((change) => change.path),
    });
    const akey = h.secrets.values.get('duo.akey') ?? 'missing';
    for (const secret of [skey, BIND_PASSWORD, akey, PIN]) expect(everything(h, saved)).not.toContain(secret);
  });

  it('value null removes a local value; trust-widening keys are allowed on an unmanaged station', async () => {
    const h = await harness({ configured: true, withPin: true });
    const token = await unlock(h);
    const saved = await h.service.save({
      token,
      changes: [
        { path: 'station.name', value: null },
        { path: 'directory.allowInsecure', value: true },
      ],
      secrets: {},
    });
    expect(saved).toEqual({ ok: true, restartNeeded: true });
    const reloaded = await loadStationSources({
      policy: {},
      managed: false,
      policySources: [],
      settingsFile: h.settingsFile,
      secrets: h.secrets,
    });
    expect(reloaded.sources.local).not.toHaveProperty('station');
    expect(reloaded.sources.local).toMatchObject({ directory: { allowInsecure: true } });
  });
});

describe('admin service: paths', () => {
  it('check and save refuse paths that are not settings (a prototype path pollutes nothing)', async () => {
    const h = await harness({ configured: true, withPin: true });
    const token = await unlock(h);
    const checked = await h.service.check({
      token,
      draft: {
        changes: [{ path: '__proto__.polluted', value: true }],
        secrets: { 'constructor.prototype.x': 'some-value' },
      },
    });
    expect(checked).toMatchObject({
      ok: true,
      inService: false,
      problems: [
        '__proto__.polluted: not a setting of Walkup',
        'constructor.prototype.x: not a secret setting of Walkup',
      ],
    });
    const saved = await h.service.save({
      token,
      changes: [{ path: '__proto__.polluted', value: true }],
      secrets: {},
    });
    expect(saved).toMatchObject({ ok: false, reason: 'invalid', errors: [{ path: '__proto__.polluted' }] });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('admin service: the contract', () => {
  it('every answer parses with the contract’s response schema of its method', async () => {
    const h = await harness({ configured: true, withPin: true });
    const gate = await h.service.gate();
    expect(adminResponseSchemas.gate.safeParse(gate).success).toBe(true);
    const unlocked = await h.service.unlock({ pin: PIN });
    expect(adminResponseSchemas.unlock.safeParse(unlocked).success).toBe(true);
    if (!unlocked.ok) throw new Error('unlock failed');
    const { token } = unlocked;
    const answers = {
      status: await h.service.status({ token }),
      check: await h.service.check({ token }),
      testSignIn: await h.service.testSignIn({ token, username: 'alice', password: ALICE_PASSWORD }),
      save: await h.service.save({ token, changes: [{ path: 'station.name', value: 'Desk' }], secrets: {} }),
      changePin: await h.service.changePin({ token, pin: '12345678' }),
      lock: await h.service.lock({ token }),
    };
    for (const [method, answer] of Object.entries(answers)) {
      const parsed = adminResponseSchemas[method as keyof typeof answers].safeParse(answer);
      expect(parsed.success, `${method}: ${JSON.stringify(parsed.error?.issues)}`).toBe(true);
      expect(answer, method).not.toEqual({ ok: false, reason: 'not-unlocked' });
    }
  });
});

describe('admin service: lock, restart, exit', () => {
  it('restart and exit are audited, end the session and call the shell', async () => {
    const h = await harness({ configured: true, withPin: true });
    expect(await h.service.restart({ token: await unlock(h) })).toEqual({ ok: true });
    expect(h.restarts).toBe(1);
    const token = await unlock(h);
    expect(await h.service.exit({ token })).toEqual({ ok: true });
    expect(h.exits).toBe(1);
    expect(await h.service.status({ token })).toEqual({ ok: false, reason: 'not-unlocked' });
    const types = h.audit.recent(50).map((record) => record.type);
    expect(types).toEqual(expect.arrayContaining(['admin-restart', 'admin-exit', 'admin-session-ended']));
  });
});
