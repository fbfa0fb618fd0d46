/**
 * What a station keeps of the people at it, over the real parts (slapd on loopback, the Duo
 * emulator, the file audit log): a password typed into the username field reaches no log line and
 * no audit line; an account Duo Web SDK v2 cannot carry (a `|` in its uid) is sent to the
 * helpdesk with its own reason while the station stays in service, and goes through on v4.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Attribute, Change } from 'ldapts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuditLog, type FileAuditLog } from '../../main/core/audit';
import { parseConfig, type WalkupConfig } from '../../main/core/config/schema';
import { systemClock, type Logger } from '../../main/core/ports';
import { buildStation, type Station } from '../../main/core/station';
import { finishUniversalPrompt } from '../support/duo-emulator/browser';
import { emulatorV2Config, emulatorV4Config, useDuoEmulator } from '../support/duo-emulator/test-setup';
import { FIXTURE_SERVICE, FIXTURE_USERS } from '../support/directory-fixtures/openldap';
import { openLdapSkipReason, useOpenLdapFixtures } from '../support/directory-fixtures/openldap-setup';

const unavailable = openLdapSkipReason('engine privacy over OpenLDAP');

const REDIRECT_URI = 'http://127.0.0.1:8787/duo/callback';
/** An account whose uid Duo Web SDK v2 cannot carry. */
const PIPE_USER = { uid: 'pipe|user', password: 'pipe-password-1', displayName: 'Pipe User' };
/** A password typed into the username field by mistake (with LDAP filter characters in it). */
const TYPED_PASSWORD = 'Sommer*2026(Lobby)!';

describe.skipIf(unavailable)('what a station keeps of a person (OpenLDAP, Duo emulator)', () => {
  const emulator = useDuoEmulator();
  const ldap = useOpenLdapFixtures();
  let dir: string;
  const logLines: string[] = [];
  const logger: Logger = {
    info: (event, fields) => logLines.push(JSON.stringify({ event, fields })),
    warn: (event, fields) => logLines.push(JSON.stringify({ event, fields })),
    error: (event, fields) => logLines.push(JSON.stringify({ event, fields })),
  };
  const audits: FileAuditLog[] = [];
  const stations: Station[] = [];

  async function startStation(sdk: 'v2' | 'v4'): Promise<{ station: Station; audit: FileAuditLog }> {
    const parsed = parseConfig({
      station: { name: `Privacy ${sdk}`, stateDirectory: join(dir, `state-${sdk}`) },
      directory: {
        type: 'openldap',
        servers: [ldap.slapd.ldapsUrl],
        baseDN: ldap.slapd.suffix,
        bindDN: ldap.dns.service,
        bindPassword: FIXTURE_SERVICE.password,
        tls: { caFile: ldap.slapd.caFile, useSystemCA: false },
        allowedGroups: [ldap.dns.groups.enrollers],
        throttling: { minFailureMs: 0 },
      },
      duo: sdk === 'v2' ? emulatorV2Config(emulator) : emulatorV4Config(emulator),
    });
    if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
    const config: WalkupConfig = parsed.config;
    const audit = createAuditLog({
      file: join(dir, `audit-${sdk}.jsonl`),
      maxBytes: 1_000_000,
      keep: 1,
      clock: systemClock,
      stationName: `Privacy ${sdk}`,
    });
    const station = await buildStation(config, {
      clock: systemClock,
      logger,
      audit,
      redirectUri: REDIRECT_URI,
      env: {
        WALKUP_DUO_CLIENT_SECRET: emulator.integrations.v4.clientSecret,
        WALKUP_DUO_SKEY: emulator.integrations.v2.skey,
        WALKUP_DUO_AKEY: 'a'.repeat(40),
      },
    });
    expect(station.problems).toEqual([]);
    await station.engine.refreshHealth();
    expect(station.engine.getStation()).toMatchObject({ inService: true });
    audits.push(audit);
    stations.push(station);
    return { station, audit };
  }

  async function auditLines(audit: FileAuditLog, sdk: 'v2' | 'v4'): Promise<Record<string, unknown>[]> {
    await audit.flush();
    return (await readFile(join(dir, `audit-${sdk}.jsonl`), 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'walkup-privacy-'));
    // The `|` account, in the enrollers group.
    const client = await ldap.slapd.rootClient();
    try {
      const dn = `uid=${PIPE_USER.uid},ou=people,${ldap.slapd.suffix}`;
      await client.add(dn, {
        objectClass: 'inetOrgPerson',
        uid: PIPE_USER.uid,
        cn: PIPE_USER.displayName,
        sn: 'User',
        displayName: PIPE_USER.displayName,
        userPassword: PIPE_USER.password,
      });
      await client.modify(
        ldap.dns.groups.enrollers,
        new Change({ operation: 'add', modification: new Attribute({ type: 'member', values: [dn] }) }),
      );
    } finally {
      await client.unbind();
    }
  });

  afterAll(async () => {
    for (const station of stations) station.engine.close();
    for (const audit of audits) await audit.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('sends a v2 account with "|" in its uid to the helpdesk with its own reason, and stays in service', async () => {
    const { station, audit } = await startStation('v2');
    const session = station.engine.openSession({ duoPresentation: 'view' });
    const result = await session.signIn({ username: PIPE_USER.uid, password: PIPE_USER.password });
    expect(result).toEqual({ ok: false, reason: 'see-helpdesk', reference: expect.any(String) });
    if (result.ok) return;
    const record = (await auditLines(audit, 'v2')).find((line) => line.reference === result.reference);
    expect(record).toMatchObject({
      type: 'sign-in-failed',
      reason: 'duo-username-unsupported',
      shown: 'see-helpdesk',
      username: PIPE_USER.uid,
    });
    expect(station.engine.getStation()).toMatchObject({ inService: true });
    expect(logLines.some((line) => line.includes('"event":"duo-username-unsupported"'))).toBe(true);
    // The station still serves everyone else.
    const alice = FIXTURE_USERS.alice;
    expect(await session.signIn({ username: alice.uid, password: alice.password })).toMatchObject({
      ok: true,
      duo: { kind: 'frame' },
    });
    session.dispose();
  });

  it('takes the same account through the Universal Prompt on a v4 station', async () => {
    const { station } = await startStation('v4');
    const session = station.engine.openSession({ duoPresentation: 'redirect' });
    const result = await session.signIn({ username: PIPE_USER.uid, password: PIPE_USER.password });
    expect(result).toMatchObject({ ok: true, displayName: PIPE_USER.displayName });
    if (!result.ok || result.duo.kind !== 'page' || result.duo.presentation !== 'redirect') return;
    expect(
      await session.handleDuoCallback(await finishUniversalPrompt(emulator, result.duo.authUrl)),
    ).toEqual({
      ok: true,
    });
    session.dispose();
  });

  it('keeps a password typed into the username field out of every log and audit line', async () => {
    const { station, audit } = await startStation('v4');
    const session = station.engine.openSession({ duoPresentation: 'redirect' });
    const first = await session.signIn({ username: TYPED_PASSWORD, password: 'second-try-1' });
    const second = await session.signIn({ username: TYPED_PASSWORD, password: 'second-try-2' });
    expect(first).toMatchObject({ ok: false, reason: 'invalid-credentials' });
    const records = await auditLines(audit, 'v4');
    const failures = records.filter((line) => line.type === 'sign-in-failed');
    expect(failures.length).toBeGreaterThanOrEqual(2);
    const hashes = failures.slice(-2).map((line) => line.usernameHash);
    expect(hashes[0]).toMatch(/^hmac-sha256:[0-9a-f]{32}$/);
    expect(hashes[1]).toBe(hashes[0]);
    if (!second.ok) expect(records.at(-1)?.reference).toBe(second.reference);

    // The key lives in the state folder, 0600, so the hashes correlate across restarts.
    const key = await readFile(join(dir, 'state-v4', 'audit-username-key'), 'utf8');
    expect(key.trim()).toMatch(/^[0-9a-f]{64}$/);

    const everything = [
      ...(await Promise.all(
        (['v2', 'v4'] as const).map((sdk) => readFile(join(dir, `audit-${sdk}.jsonl`), 'utf8')),
      )),
      ...logLines,
    ].join('\n');
    for (const typed of [TYPED_PASSWORD, 'second-try-1', 'second-try-2', PIPE_USER.password]) {
      expect(everything).not.toContain(typed);
    }
    // Not even escaped for a filter or cut short.
    expect(everything).not.toContain('Sommer');
    session.dispose();
  });

  it('names an account in the audit log once the directory resolved the typed name, never before', async () => {
    const { station, audit } = await startStation('v4');
    const session = station.engine.openSession({ duoPresentation: 'redirect' });
    const alice = FIXTURE_USERS.alice;
    const wrong = await session.signIn({ username: alice.uid.toUpperCase(), password: 'not-hers-1' });
    const nora = FIXTURE_USERS.nora;
    const outside = await session.signIn({ username: nora.uid, password: nora.password });
    const unknown = await session.signIn({ username: 'nobody-like-this', password: 'whatever-9' });
    const records = await auditLines(audit, 'v4');
    const byReference = (result: typeof wrong) =>
      records.find((line) => !result.ok && line.reference === result.reference);
    expect(byReference(wrong)).toMatchObject({ reason: 'invalid-credentials', username: alice.uid });
    expect(byReference(outside)).toMatchObject({ reason: 'not-in-allowed-group', username: nora.uid });
    expect(byReference(unknown)).toMatchObject({ reason: 'invalid-credentials' });
    expect(byReference(unknown)).not.toHaveProperty('username');
    expect(byReference(unknown)?.usernameHash).toMatch(/^hmac-sha256:/);
    session.dispose();
  });

  it('keeps a state-folder key across a restart of the station', async () => {
    const before = await readFile(join(dir, 'state-v4', 'audit-username-key'), 'utf8');
    await startStation('v4');
    expect(await readFile(join(dir, 'state-v4', 'audit-username-key'), 'utf8')).toBe(before);
  });
});
