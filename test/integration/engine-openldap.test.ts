/**
 * The engine over the real parts: `buildStation` with a real slapd on loopback (LDAPS, service
 * account password from a 0600 file, group policy) and the Duo emulator. What the person at the
 * kiosk is told, what the audit log keeps, and that no password is written anywhere.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuditLog, type FileAuditLog } from '../../main/core/audit';
import { parseConfig, type WalkupConfig } from '../../main/core/config/schema';
import { systemClock, type Logger } from '../../main/core/ports';
import { buildStation, type Station } from '../../main/core/station';
import { finishUniversalPrompt } from '../support/duo-emulator/browser';
import { emulatorV4Config, useDuoEmulator } from '../support/duo-emulator/test-setup';
import { FIXTURE_SERVICE, FIXTURE_USERS } from '../support/directory-fixtures/openldap';
import { openLdapSkipReason, useOpenLdapFixtures } from '../support/directory-fixtures/openldap-setup';

const unavailable = openLdapSkipReason('engine over OpenLDAP');

const REDIRECT_URI = 'http://127.0.0.1:8787/duo/callback';

describe.skipIf(unavailable)('engine over a real directory and the Duo emulator', () => {
  const emulator = useDuoEmulator();
  const ldap = useOpenLdapFixtures();
  let dir: string;
  let audit: FileAuditLog;
  let station: Station;
  const logLines: string[] = [];
  const logger: Logger = {
    info: (event, fields) => logLines.push(JSON.stringify({ event, fields })),
    warn: (event, fields) => logLines.push(JSON.stringify({ event, fields })),
    error: (event, fields) => logLines.push(JSON.stringify({ event, fields })),
  };

  const auditText = async (): Promise<string> => {
    await audit.flush();
    return readFile(join(dir, 'audit.jsonl'), 'utf8');
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'walkup-engine-ldap-'));
    const bindPasswordFile = join(dir, 'bind-password');
    await writeFile(bindPasswordFile, `${FIXTURE_SERVICE.password}\n`, { mode: 0o600 });
    const parsed = parseConfig({
      station: { name: 'Helpdesk 1' },
      directory: {
        type: 'openldap',
        servers: [ldap.slapd.ldapsUrl],
        baseDN: ldap.slapd.suffix,
        bindDN: ldap.dns.service,
        bindPassword: { file: bindPasswordFile },
        tls: { caFile: ldap.slapd.caFile, useSystemCA: false },
        allowedGroups: [ldap.dns.groups.enrollers],
        deniedGroups: [ldap.dns.groups.contractors],
        throttling: { minFailureMs: 0 },
      },
      duo: emulatorV4Config(emulator),
    });
    if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
    const config: WalkupConfig = parsed.config;
    audit = createAuditLog({
      file: join(dir, 'audit.jsonl'),
      maxBytes: 1_000_000,
      keep: 1,
      clock: systemClock,
      stationName: 'Helpdesk 1',
    });
    station = await buildStation(config, {
      clock: systemClock,
      logger,
      audit,
      redirectUri: REDIRECT_URI,
      env: { WALKUP_DUO_CLIENT_SECRET: emulator.integrations.v4.clientSecret },
    });
    expect(station.problems).toEqual([]);
    await station.engine.refreshHealth();
  });

  afterAll(async () => {
    station?.engine.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('is in service once the directory and Duo answer', () => {
    expect(station.engine.getStation()).toMatchObject({ name: 'Helpdesk 1', inService: true, warnings: [] });
  });

  it('takes an allowed person with a password full of spaces through Duo to done', async () => {
    const session = station.engine.openSession({ duoPresentation: 'redirect' });
    const alice = FIXTURE_USERS.alice;
    const result = await session.signIn({ username: alice.uid, password: alice.password });
    expect(result).toMatchObject({ ok: true, displayName: alice.displayName });
    if (!result.ok || result.duo.kind !== 'page' || result.duo.presentation !== 'redirect') return;
    expect(
      await session.handleDuoCallback(await finishUniversalPrompt(emulator, result.duo.authUrl)),
    ).toEqual({ ok: true });
    expect(session.getVisit()).toMatchObject({ phase: 'done', outcome: 'verified' });
    session.dispose();
  });

  it('lets a member of a nested allowed group in', async () => {
    const session = station.engine.openSession({ duoPresentation: 'view' });
    const zoe = FIXTURE_USERS.zoe;
    expect(await session.signIn({ username: zoe.uid, password: zoe.password })).toMatchObject({ ok: true });
    expect(session.pendingDuoUrl()).toContain(`https://${emulator.apiHost}/oauth/v1/authorize?`);
    session.dispose();
  });

  it('tells a member of a denied group only that they are not allowed, and audits why', async () => {
    const session = station.engine.openSession({ duoPresentation: 'redirect' });
    const mallory = FIXTURE_USERS.mallory;
    const result = await session.signIn({ username: mallory.uid, password: mallory.password });
    expect(result).toEqual({ ok: false, reason: 'not-allowed', reference: expect.any(String) });
    if (result.ok) return;
    const record = (await auditText())
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((entry) => entry.reference === result.reference);
    expect(record).toMatchObject({ type: 'sign-in-failed', reason: 'in-denied-group', username: 'mallory' });
  });

  it('answers an unknown user and a wrong password the same way', async () => {
    const session = station.engine.openSession({ duoPresentation: 'redirect' });
    const unknown = await session.signIn({ username: 'nobody-here', password: 'whatever-1' });
    const wrong = await session.signIn({ username: FIXTURE_USERS.o.uid, password: 'not-the-password' });
    expect(unknown).toMatchObject({ ok: false, reason: 'invalid-credentials' });
    expect(wrong).toMatchObject({ ok: false, reason: 'invalid-credentials' });
    expect(Object.keys(unknown).sort()).toEqual(Object.keys(wrong).sort());
  });

  it('never writes a password or the service secret to the audit log or the log', async () => {
    const everything = `${await auditText()}\n${logLines.join('\n')}`;
    for (const secret of [
      ...Object.values(FIXTURE_USERS).map((user) => user.password),
      'not-the-password',
      'whatever-1',
      FIXTURE_SERVICE.password,
      emulator.integrations.v4.clientSecret,
    ]) {
      expect(everything).not.toContain(secret);
    }
  });

  it('goes out of service when the directory stops, and refuses sign-ins without binding', async () => {
    await ldap.slapd.stop();
    const info = await station.engine.refreshHealth();
    expect(info).toMatchObject({ inService: false, outOfService: { reason: 'directory-unreachable' } });
    const result = await station.engine
      .openSession({ duoPresentation: 'redirect' })
      .signIn({ username: FIXTURE_USERS.alice.uid, password: FIXTURE_USERS.alice.password });
    expect(result).toMatchObject({ ok: false, reason: 'out-of-service' });
    expect(await auditText()).toContain('"type":"station-out-of-service","reason":"directory-unreachable"');
  });
});
