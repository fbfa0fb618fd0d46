/**
 * The station as the shells build it (`buildStation`): real secrets resolution, the demo
 * directory, the real Duo gateway against the local Duo emulator over HTTPS, and the audit log
 * on disk. Whole visits for both SDKs, replay, Duo going down and coming back, and a scan of
 * everything written for the password.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { WalkupEvent } from '../../main/contract';
import { createAuditLog, type FileAuditLog } from '../../main/core/audit';
import { parseConfig, type WalkupConfig } from '../../main/core/config/schema';
import { DEMO_USERS } from '../../main/core/directory';
import { systemClock, type Logger } from '../../main/core/ports';
import { buildStation, type Station } from '../../main/core/station';
import { finishUniversalPrompt, finishWebV2Frame } from '../support/duo-emulator/browser';
import { emulatorV2Config, emulatorV4Config, useDuoEmulator } from '../support/duo-emulator/test-setup';

const REDIRECT_URI = 'http://127.0.0.1:8787/duo/callback';
const PARENT = 'http://127.0.0.1:8787/visit/duo';
const alice = DEMO_USERS.find((user) => user.username === 'alice') ?? DEMO_USERS[0]!;

const emulator = useDuoEmulator();
let dir: string;
const stations: Station[] = [];
const audits: FileAuditLog[] = [];

/** Waits for every audit line recorded so far to reach the disk. */
async function flushAudits(): Promise<void> {
  await Promise.all(audits.map((audit) => audit.flush()));
}
const logLines: string[] = [];

const logger: Logger = {
  info: (event, fields) => logLines.push(JSON.stringify({ event, fields })),
  warn: (event, fields) => logLines.push(JSON.stringify({ event, fields })),
  error: (event, fields) => logLines.push(JSON.stringify({ event, fields })),
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'walkup-engine-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
afterEach(() => {
  for (const station of stations.splice(0)) station.engine.close();
});

function config(sdk: 'v2' | 'v4'): WalkupConfig {
  const duo =
    sdk === 'v4'
      ? emulatorV4Config(emulator, { healthCacheSeconds: 0 })
      : emulatorV2Config(emulator, { healthCacheSeconds: 0 });
  const parsed = parseConfig({ station: { name: 'Lobby' }, directory: { type: 'demo' }, duo });
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  return parsed.config;
}

const env = {
  WALKUP_DUO_CLIENT_SECRET: '',
  WALKUP_DUO_SKEY: '',
  WALKUP_DUO_AKEY: 'an-application-key-of-forty-or-more-characters-0123',
};

async function start(sdk: 'v2' | 'v4', auditFile: string): Promise<Station> {
  env.WALKUP_DUO_CLIENT_SECRET = emulator.integrations.v4.clientSecret;
  env.WALKUP_DUO_SKEY = emulator.integrations.v2.skey;
  const audit = createAuditLog({
    file: auditFile,
    maxBytes: 1_000_000,
    keep: 2,
    clock: systemClock,
    stationName: 'Lobby',
  });
  audits.push(audit);
  const station = await buildStation(config(sdk), {
    clock: systemClock,
    logger,
    audit,
    redirectUri: REDIRECT_URI,
    env,
  });
  stations.push(station);
  expect(station.problems).toEqual([]);
  await station.engine.refreshHealth();
  return station;
}

describe('a station built from configuration', () => {
  it('runs a whole v4 visit against the Duo emulator and refuses the callback a second time', async () => {
    const auditFile = join(dir, 'v4.jsonl');
    const { engine } = await start('v4', auditFile);
    expect(engine.getStation()).toMatchObject({ inService: true, duoSdk: 'v4', warnings: ['demo-mode'] });
    expect(engine.getStation().demo?.users).toContainEqual({
      username: alice.username,
      password: alice.password,
    });

    const session = engine.openSession({ duoPresentation: 'redirect' });
    const signIn = await session.signIn({ username: alice.username, password: alice.password });
    expect(signIn).toMatchObject({ ok: true, duo: { kind: 'page', presentation: 'redirect' } });
    if (!signIn.ok || signIn.duo.kind !== 'page' || signIn.duo.presentation !== 'redirect') return;

    const callback = await finishUniversalPrompt(emulator, signIn.duo.authUrl);
    expect(await session.handleDuoCallback(callback)).toEqual({ ok: true });
    expect(session.getVisit()).toMatchObject({ phase: 'done', outcome: 'verified' });
    expect(await session.handleDuoCallback(callback)).toMatchObject({ ok: false, reason: 'replayed' });

    await flushAudits();
    const records = (await readFile(auditFile, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string });
    expect(records.map((record) => record.type)).toEqual([
      'station-in-service',
      'sign-in-succeeded',
      'duo-started',
      'duo-verified',
      'duo-replayed',
    ]);
  });

  it('runs a whole v2 visit: the frame message verifies once, with the APP part kept in main', async () => {
    const auditFile = join(dir, 'v2.jsonl');
    const { engine } = await start('v2', auditFile);
    const session = engine.openSession({ duoPresentation: 'redirect' });
    const events: WalkupEvent[] = [];
    session.onEvent((event) => events.push(event));
    const signIn = await session.signIn({ username: alice.username, password: alice.password });
    expect(signIn).toMatchObject({ ok: true, duo: { kind: 'frame', host: emulator.apiHost } });
    if (!signIn.ok || signIn.duo.kind !== 'frame') return;
    expect(JSON.stringify([signIn, events])).not.toContain('APP|');

    const { message } = await finishWebV2Frame(emulator, signIn.duo.tx, PARENT);
    expect(message).toMatch(/^AUTH\|/);
    expect(await session.submitDuoResponse({ response: message })).toEqual({ ok: true });
    expect(await session.submitDuoResponse({ response: message })).toMatchObject({
      ok: false,
      reason: 'replayed',
    });

    const again = await session.signIn({ username: alice.username, password: alice.password });
    expect(again.ok).toBe(true);
    expect(await session.submitDuoResponse({ response: message })).toMatchObject({
      ok: false,
      reason: 'replayed',
    });
  });

  it('goes out of service when Duo goes down and comes back by itself', async () => {
    const { engine } = await start('v4', join(dir, 'down.jsonl'));
    emulator.setAvailable(false);
    const session = engine.openSession({ duoPresentation: 'view' });
    expect(await session.signIn({ username: alice.username, password: alice.password })).toMatchObject({
      ok: false,
      reason: 'duo-unavailable',
    });
    expect(engine.getStation()).toMatchObject({
      inService: false,
      outOfService: { reason: 'duo-unreachable' },
    });
    emulator.setAvailable(true);
    expect(await engine.refreshHealth()).toMatchObject({ inService: true });
    expect((await session.signIn({ username: alice.username, password: alice.password })).ok).toBe(true);
  });

  it('refuses a wrong password with a reference found in the audit log', async () => {
    const auditFile = join(dir, 'wrong.jsonl');
    const { engine } = await start('v4', auditFile);
    const result = await engine
      .openSession({ duoPresentation: 'view' })
      .signIn({ username: alice.username, password: 'Not-The-Password-42' });
    expect(result).toMatchObject({ ok: false, reason: 'invalid-credentials' });
    if (result.ok) return;
    await flushAudits();
    const text = await readFile(auditFile, 'utf8');
    expect(text).toContain(result.reference);
    expect(text).not.toContain('Not-The-Password-42');
  });

  it('is out of service, naming the key, when a secret cannot be resolved', async () => {
    const audit = createAuditLog({
      file: join(dir, 'secrets.jsonl'),
      maxBytes: 100_000,
      keep: 1,
      clock: systemClock,
      stationName: 'Lobby',
    });
    audits.push(audit);
    const station = await buildStation(config('v2'), {
      clock: systemClock,
      logger,
      audit,
      redirectUri: REDIRECT_URI,
      env: { WALKUP_DUO_AKEY: env.WALKUP_DUO_AKEY },
    });
    stations.push(station);
    expect(station.problems).toEqual(['duo.skey: environment variable WALKUP_DUO_SKEY is not set']);
    expect(station.engine.getStation()).toMatchObject({
      inService: false,
      outOfService: { reason: 'secrets-unavailable' },
    });
  });

  it('never wrote a password or a Duo secret to the audit files or the log', async () => {
    await flushAudits();
    const files = ['v4.jsonl', 'v2.jsonl', 'down.jsonl', 'wrong.jsonl', 'secrets.jsonl'];
    const everything = [
      ...(await Promise.all(files.map((file) => readFile(join(dir, file), 'utf8').catch(() => '')))),
      ...logLines,
    ].join('\n');
    for (const secret of [
      ...DEMO_USERS.map((user) => user.password),
      emulator.integrations.v4.clientSecret,
      emulator.integrations.v2.skey,
      env.WALKUP_DUO_AKEY,
    ]) {
      expect(everything).not.toContain(secret);
    }
  });
});
