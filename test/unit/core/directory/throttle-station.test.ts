/**
 * The station keeps its throttle counters in its state folder: `station.stateDirectory`, else
 * the shell's default (the kiosk's userData), else memory. A restarted station stays throttled.
 * The demo directory stands in for LDAP (the throttle is the same guard); Duo points at a closed
 * loopback port, so nothing leaves the machine.
 */
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryAuditLog } from '../../../../main/core/audit';
import { parseConfig, type WalkupConfig } from '../../../../main/core/config/schema';
import { THROTTLE_STATE_FILE } from '../../../../main/core/directory';
import { silentLogger } from '../../../../main/core/ports';
import { buildStation, type Station } from '../../../../main/core/station';
import { createFakeClock, type FakeClock } from '../../../support/directory-fixtures/fake-clock';
import { refusedPort } from '../../../support/directory-fixtures/tcp';

let dir: string;
const stations: Station[] = [];
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'walkup-state-'));
});
afterEach(async () => {
  for (const station of stations.splice(0)) {
    station.engine.close();
    await station.stateSaved();
  }
  await rm(dir, { recursive: true, force: true });
});

async function config(stateDirectory?: string): Promise<WalkupConfig> {
  const parsed = parseConfig({
    station: stateDirectory === undefined ? {} : { stateDirectory },
    directory: { type: 'demo', throttling: { minFailureMs: 0 } },
    duo: {
      sdk: 'v4',
      apiHost: `127.0.0.1:${await refusedPort()}`,
      clientId: 'DIXXXXXXXXXXXXXXXXXX',
      clientSecret: 'x'.repeat(40),
    },
  });
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  return parsed.config;
}

async function start(cfg: WalkupConfig, clock: FakeClock, defaultStateDirectory?: string): Promise<Station> {
  const station = await buildStation(cfg, {
    clock,
    logger: silentLogger,
    audit: createMemoryAuditLog({ clock, stationName: 'state test' }),
    redirectUri: 'http://127.0.0.1:1/duo-callback',
    ...(defaultStateDirectory === undefined ? {} : { defaultStateDirectory }),
  });
  stations.push(station);
  return station;
}

describe('throttle counters in the state folder', () => {
  it('keep a restarted station throttled for the rest of the window', async () => {
    const clock = createFakeClock();
    const cfg = await config(dir);
    const first = await start(cfg, clock);
    for (let i = 0; i < 3; i += 1) {
      expect(await first.directory.authenticate('alice', 'wrong')).toMatchObject({
        reason: 'invalid-credentials',
      });
    }
    await first.stateSaved();
    first.engine.close();
    expect((await stat(path.join(dir, THROTTLE_STATE_FILE))).mode & 0o777).toBe(0o600);

    clock.advance(5 * 60_000);
    const second = await start(cfg, clock);
    expect(await second.directory.authenticate('ａｌｉｃｅ', 'enroll-alice')).toMatchObject({
      ok: false,
      reason: 'throttled-user',
      retryAfterSeconds: 25 * 60,
    });
  });

  it("use the shell's default folder (the kiosk's userData) when the configuration names none", async () => {
    const clock = createFakeClock();
    const station = await start(await config(), clock, dir);
    await station.directory.authenticate('bob', 'wrong');
    await station.stateSaved();
    expect(await readdir(dir)).toContain(THROTTLE_STATE_FILE);
  });

  it('prefer station.stateDirectory over the default folder', async () => {
    const clock = createFakeClock();
    const configured = path.join(dir, 'configured');
    const fallback = path.join(dir, 'fallback');
    const station = await start(await config(configured), clock, fallback);
    await station.directory.authenticate('bob', 'wrong');
    await station.stateSaved();
    expect(await readdir(configured)).toContain(THROTTLE_STATE_FILE);
    expect(await readdir(dir)).not.toContain('fallback');
  });

  it('stay in memory without any folder (a restart starts afresh)', async () => {
    const clock = createFakeClock();
    const cfg = await config();
    const first = await start(cfg, clock);
    for (let i = 0; i < 3; i += 1) await first.directory.authenticate('alice', 'wrong');
    await first.stateSaved();
    expect(await first.directory.authenticate('alice', 'enroll-alice')).toMatchObject({
      reason: 'throttled-user',
    });
    const second = await start(cfg, clock);
    expect(await second.directory.authenticate('alice', 'enroll-alice')).toMatchObject({ ok: true });
    expect(await readdir(dir)).not.toContain(THROTTLE_STATE_FILE);
  });
});
