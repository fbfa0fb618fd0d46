/**
 * The admin service over the real parts: a real slapd on loopback (LDAPS) and the Duo emulator.
 * The first-run flow without the screens: create the PIN, check a draft (good, wrong bind
 * password, wrong Duo secret), save it, load the saved sources, and test a sign-in on the station
 * they build. Every draft check runs on a throwaway station; no socket of it stays open.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AdminApi, AdminCheckReport } from '../../main/contract/admin';
import { createAdminService } from '../../main/core/admin/admin-service';
import type { AdminServiceDeps, LoadedSources, RunningStationView } from '../../main/core/admin/ports';
import { loadStationSources } from '../../main/core/admin/station-sources';
import { createMemoryAuditLog, keepRecentAudit } from '../../main/core/audit';
import { adminSchema, type SecretRef } from '../../main/core/config/schema';
import type { SecretResult } from '../../main/core/config/secrets';
import { createOutOfServiceEngine, unconfiguredDirectory, unconfiguredDuo } from '../../main/core/enrollment';
import { systemClock, type Logger } from '../../main/core/ports';
import type * as stationModule from '../../main/core/station';
import { assembleStation, type AssembledStation } from '../../main/core/station';

/** Stop reports of every station assembled in this file, in order. */
const assembled = vi.hoisted(() => [] as { stopped: unknown[] }[]);
vi.mock('../../main/core/station', async (importOriginal) => {
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
import { FIXTURE_SERVICE, FIXTURE_USERS } from '../support/directory-fixtures/openldap';
import { openLdapSkipReason, useOpenLdapFixtures } from '../support/directory-fixtures/openldap-setup';
import { useDuoEmulator } from '../support/duo-emulator/test-setup';
import { memorySecretStore, memorySettingsFile } from '../unit/core/admin/fakes';

const unavailable = openLdapSkipReason('admin service over OpenLDAP');
const PIN = '60418273';
const REDIRECT_URI = 'http://127.0.0.1:8787/duo/callback';

/** Sockets this worker holds (TCP and TLS wraps). */
function sockets(): number {
  return process.getActiveResourcesInfo().filter((kind) => /TCP|TLS/i.test(kind)).length;
}

/** The socket count once sockets destroyed earlier have closed (they close a few turns later). */
async function settledSockets(): Promise<number> {
  let last = sockets();
  for (let turn = 0; turn < 50; turn += 1) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    const now = sockets();
    if (now === last && turn > 2) return now;
    last = now;
  }
  return last;
}

describe.skipIf(unavailable)('admin service over a real directory and the Duo emulator', () => {
  const emulator = useDuoEmulator();
  const ldap = useOpenLdapFixtures();
  const logLines: string[] = [];
  const logger: Logger = {
    info: (event, fields) => logLines.push(JSON.stringify({ event, fields })),
    warn: (event, fields) => logLines.push(JSON.stringify({ event, fields })),
    error: (event, fields) => logLines.push(JSON.stringify({ event, fields })),
  };
  const audit = keepRecentAudit(createMemoryAuditLog({ clock: systemClock, stationName: 'Helpdesk 1' }), {
    clock: systemClock,
    stationName: 'Helpdesk 1',
  });
  const secrets = memorySecretStore();
  const settingsFile = memorySettingsFile();
  let sources: LoadedSources = {
    policy: {},
    local: {},
    managed: false,
    policySources: [],
    settingsProblems: [],
  };
  let view: RunningStationView;
  let service: AdminApi;
  let running: AssembledStation | undefined;
  let token = '';

  const readSecret = async (ref: SecretRef): Promise<SecretResult> =>
    typeof ref === 'object' && 'vault' in ref
      ? secrets.read(ref.vault)
      : { ok: false, error: 'vault only here' };

  const deps = (): AdminServiceDeps => ({
    clock: systemClock,
    logger,
    audit: audit.log,
    recentAudit: (limit) => audit.recent(limit),
    secrets,
    settingsFile,
    sources: () => sources,
    station: () => view,
    adminSettings: adminSchema.parse({}),
    readSecret,
    redirectUri: REDIRECT_URI,
    version: { version: 'test', build: 'test' },
    restart: async () => {},
    exit: async () => {},
  });

  const changes = () => [
    { path: 'station.name', value: 'Helpdesk 1' },
    { path: 'directory.type', value: 'openldap' },
    { path: 'directory.servers', value: [ldap.slapd.ldapsUrl] },
    { path: 'directory.baseDN', value: ldap.slapd.suffix },
    { path: 'directory.bindDN', value: ldap.dns.service },
    { path: 'directory.tls.caFile', value: ldap.slapd.caFile },
    { path: 'directory.tls.useSystemCA', value: false },
    { path: 'directory.allowedGroups', value: [ldap.dns.groups.enrollers] },
    { path: 'directory.throttling.minFailureMs', value: 0 },
    { path: 'duo.sdk', value: 'v4' },
    { path: 'duo.apiHost', value: emulator.apiHost },
    { path: 'duo.clientId', value: emulator.integrations.v4.clientId },
    { path: 'duo.caFile', value: emulator.caFile },
  ];
  const goodSecrets = () => ({
    'directory.bindPassword': FIXTURE_SERVICE.password,
    'duo.clientSecret': emulator.integrations.v4.clientSecret,
  });

  beforeAll(async () => {
    // A first-run station: nothing configured, out of service with setup-required.
    const loaded = await loadStationSources({
      policy: {},
      managed: false,
      policySources: [],
      settingsFile,
      secrets,
    });
    expect(loaded.loaded).toMatchObject({ ok: false, reason: 'setup-required' });
    sources = loaded.sources;
    const engine = createOutOfServiceEngine({
      reason: 'setup-required',
      detail: 'setup-required',
      clock: systemClock,
      logger,
      audit: audit.log,
    });
    view = {
      engine,
      directory: unconfiguredDirectory,
      duo: unconfiguredDuo('v4'),
      config: undefined,
      problems: [],
    };
    service = createAdminService(deps());
    const created = await service.createPin({ pin: PIN });
    if (!created.ok) throw new Error(`createPin: ${created.reason}`);
    token = created.token;
  });

  afterAll(async () => {
    await running?.stop();
  });

  const check = async (secretValues: Record<string, string>): Promise<AdminCheckReport> => {
    const before = await settledSockets();
    const count = assembled.length;
    const report = await service.check({ token, draft: { changes: changes(), secrets: secretValues } });
    if (!report.ok) throw new Error('not unlocked');
    // One throwaway station, stopped with its audit queue closed, and none of its sockets left.
    expect(assembled.slice(count).map((entry) => entry.stopped)).toEqual([
      [{ stateSaved: true, audit: { flushed: true, unwritten: [], dropped: 0 } }],
    ]);
    expect(await settledSockets()).toBeLessThanOrEqual(before);
    return report;
  };

  it('checks a good draft: in service, the server reachable over TLS with the service bind, Duo ok; no socket left', async () => {
    const report = await check(goodSecrets());
    expect(report).toMatchObject({
      ok: true,
      inService: true,
      outOfService: null,
      problems: [],
      directory: {
        type: 'openldap',
        servers: [{ url: ldap.slapd.ldapsUrl, reachable: true, tlsOk: true, serviceBindOk: true }],
      },
      duo: { sdk: 'v4', ok: true },
    });
  });

  it('checks a draft with a wrong bind password: the service bind fails', async () => {
    const report = await check({ ...goodSecrets(), 'directory.bindPassword': 'not-the-service-password' });
    expect(report.inService).toBe(false);
    expect(report.directory?.servers[0]).toMatchObject({
      reachable: true,
      tlsOk: true,
      serviceBindOk: false,
    });
    expect(JSON.stringify(report)).not.toContain('not-the-service-password');
  });

  it('checks a draft with a wrong Duo secret: credentials rejected', async () => {
    const wrong = 'w'.repeat(40);
    const report = await check({ ...goodSecrets(), 'duo.clientSecret': wrong });
    expect(report).toMatchObject({ inService: false, duo: { ok: false, code: 'credentials-rejected' } });
    expect(JSON.stringify(report)).not.toContain(wrong);
  });

  it('saves the draft; the saved sources build a station on which testSignIn answers ok and invalid-credentials', async () => {
    expect(await service.save({ token, changes: changes(), secrets: goodSecrets() })).toEqual({
      ok: true,
      restartNeeded: true,
    });
    const loaded = await loadStationSources({
      policy: {},
      managed: false,
      policySources: [],
      settingsFile,
      secrets,
    });
    if (!loaded.loaded.ok) throw new Error(loaded.loaded.errors.join('\n'));
    running = await assembleStation(loaded.loaded.config, {
      clock: systemClock,
      logger,
      audit: 'check',
      redirectUri: REDIRECT_URI,
      vault: (name) => secrets.read(name),
    });
    expect(running.problems).toEqual([]);
    sources = loaded.sources;
    view = { ...running, config: loaded.loaded.config };
    const alice = FIXTURE_USERS.alice;
    expect(await service.testSignIn({ token, username: alice.uid, password: alice.password })).toEqual({
      ok: true,
      result: 'ok',
      displayName: alice.displayName,
    });
    expect(await service.testSignIn({ token, username: alice.uid, password: 'wrong password' })).toEqual({
      ok: true,
      result: 'invalid-credentials',
    });
    const everything = JSON.stringify([logLines, audit.recent(50), settingsFile.content]);
    for (const secret of [
      FIXTURE_SERVICE.password,
      emulator.integrations.v4.clientSecret,
      alice.password,
      PIN,
    ]) {
      expect(everything).not.toContain(secret);
    }
  });
});
