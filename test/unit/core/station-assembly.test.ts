/**
 * The one station assembly (`core/station.ts`, `core/audit/sinks.ts`): the same configuration
 * gives the same audit sink whichever shell runs it (only the default file's folder is the
 * shell's), sizes come from the configuration schema, demo mode is decided in one place, and a
 * station's stop closes what it opened. The demo directory stands in for LDAP; Duo points at a
 * closed loopback port, so nothing leaves the machine.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chooseAuditSink, defaultAuditSettings, type AuditPlacement } from '../../../main/core/audit';
import { configSchema, parseConfig, type WalkupConfig } from '../../../main/core/config/schema';
import { DEMO_USERS } from '../../../main/core/directory';
import { silentLogger, systemClock } from '../../../main/core/ports';
import {
  assembleOutOfServiceStation,
  assembleStation,
  demoModeOf,
  type RunningStation,
} from '../../../main/core/station';
import { serveAuditPlacement } from '../../../main/cli/audit-target';
import { kioskAuditPlacement } from '../../../main/electron/station';
import { refusedPort } from '../../support/directory-fixtures/tcp';

let dir: string;
const running: RunningStation[] = [];
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'walkup-assembly-'));
});
afterEach(async () => {
  for (const station of running.splice(0)) await station.stop();
  await rm(dir, { recursive: true, force: true });
});

async function config(overrides: { directory?: object; audit?: object } = {}): Promise<WalkupConfig> {
  const parsed = parseConfig({
    directory: overrides.directory ?? { type: 'demo', throttling: { minFailureMs: 0 } },
    duo: {
      sdk: 'v4',
      apiHost: `127.0.0.1:${await refusedPort()}`,
      clientId: 'DIXXXXXXXXXXXXXXXXXX',
      clientSecret: 'x'.repeat(40),
    },
    ...(overrides.audit ? { audit: overrides.audit } : {}),
  });
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  return parsed.config;
}

const ldapDirectory = {
  type: 'openldap',
  servers: ['ldaps://127.0.0.1:1'],
  baseDN: 'dc=example,dc=org',
};

/** The placements of the shells that run a station at work. */
const shells: [string, AuditPlacement][] = [
  ['kiosk', kioskAuditPlacement('/var/log/kiosk')],
  ['walkup serve', serveAuditPlacement({ XDG_STATE_HOME: '/home/admin/.state' })],
];

describe('chooseAuditSink: one decision for every shell', () => {
  it('gives every shell the configured file with the configured sizes', async () => {
    const cfg = await config({
      directory: ldapDirectory,
      audit: {
        file: '/srv/audit.jsonl',
        maxBytes: 50_000,
        keep: 3,
        minHistoryHours: 2,
        perClientPerMinute: 30,
      },
    });
    const choices = shells.map(([, placement]) => chooseAuditSink(cfg.audit, { placement, demo: false }));
    expect(choices[0]).toEqual({
      kind: 'file',
      file: '/srv/audit.jsonl',
      maxBytes: 50_000,
      keep: 3,
      minHistoryHours: 2,
      perClientPerMinute: 30,
    });
    expect(choices[1]).toEqual(choices[0]);
  });

  it('takes sizes from the schema defaults; only the default file is the shell’s', async () => {
    const cfg = await config({ directory: ldapDirectory });
    const [kiosk, serve] = shells.map(([, placement]) =>
      chooseAuditSink(cfg.audit, { placement, demo: false }),
    );
    const schemaDefaults = configSchema.shape.audit.parse(undefined);
    const sizes = {
      maxBytes: schemaDefaults.maxBytes,
      keep: schemaDefaults.keep,
      minHistoryHours: schemaDefaults.minHistoryHours,
      perClientPerMinute: schemaDefaults.perClientPerMinute,
    };
    expect(sizes).toEqual({
      maxBytes: 10 * 1024 * 1024,
      keep: 5,
      minHistoryHours: 24,
      perClientPerMinute: 120,
    });
    expect(kiosk).toEqual({
      kind: 'file',
      file: path.join('/var/log/kiosk', 'walkup-audit.jsonl'),
      ...sizes,
    });
    expect(serve).toEqual({
      kind: 'file',
      file: path.join('/home/admin/.state', 'walkup', 'audit.jsonl'),
      ...sizes,
    });
    // A station without a valid configuration uses the same schema defaults.
    expect(defaultAuditSettings()).toEqual(schemaDefaults);
    expect(chooseAuditSink(undefined, { placement: shells[0]![1], demo: false })).toEqual(kiosk);
  });

  it('keeps a demo station’s log in memory in every shell, unless audit.file is set', async () => {
    const demo = await config();
    for (const [, placement] of shells) {
      expect(chooseAuditSink(demo.audit, { placement, demo: demoModeOf(demo) !== undefined })).toEqual({
        kind: 'memory',
        why: 'demo',
      });
    }
    const demoWithFile = await config({ audit: { file: '/tmp/demo-audit.jsonl' } });
    for (const [, placement] of shells) {
      expect(chooseAuditSink(demoWithFile.audit, { placement, demo: true })).toMatchObject({
        kind: 'file',
        file: '/tmp/demo-audit.jsonl',
      });
    }
  });

  it('keeps a one-off check in memory even when audit.file is set', async () => {
    const cfg = await config({ directory: ldapDirectory, audit: { file: '/srv/audit.jsonl' } });
    expect(chooseAuditSink(cfg.audit, { placement: 'check', demo: false })).toEqual({
      kind: 'memory',
      why: 'check',
    });
  });
});

describe('demoModeOf', () => {
  it('lists the demo accounts for the demo directory, and nothing for a real one', async () => {
    expect(demoModeOf(await config())?.users).toEqual(
      DEMO_USERS.map(({ username, password }) => ({ username, password })),
    );
    expect(demoModeOf(await config({ directory: ldapDirectory }))).toBeUndefined();
  });
});

describe('assembleStation', () => {
  it('gives a demo station its accounts on the station answer and its log in memory', async () => {
    const station = await assembleStation(await config(), {
      clock: systemClock,
      logger: silentLogger,
      redirectUri: 'http://127.0.0.1:1/duo-callback',
      audit: kioskAuditPlacement(dir),
    });
    running.push(station);
    expect(station.audit.where).toBe('memory (demo)');
    expect(station.demo?.users.length).toBeGreaterThan(0);
    expect(station.engine.getStation().demo).toEqual(station.demo);
  });

  it('writes the configured audit file and has every line on disk once stopped', async () => {
    const file = path.join(dir, 'audit.jsonl');
    const station = await assembleStation(await config({ audit: { file } }), {
      clock: systemClock,
      logger: silentLogger,
      redirectUri: 'http://127.0.0.1:1/duo-callback',
      audit: serveAuditPlacement({ XDG_STATE_HOME: path.join(dir, 'unused') }),
    });
    expect(station.audit.where).toBe(file);
    const result = await station.engine
      .openSession({ duoPresentation: 'view' })
      .signIn({ username: 'nobody', password: 'wrong' });
    expect(result).toMatchObject({ ok: false });
    const report = await station.stop();
    expect(report).toEqual({ stateSaved: true, audit: { flushed: true, unwritten: [], dropped: 0 } });
    const lines = (await readFile(file, 'utf8')).trim().split('\n');
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join('\n')).not.toContain('wrong');
  });

  it('keeps the last audit records for the admin screen: every line written is in audit.recent, newest first', async () => {
    const file = path.join(dir, 'audit.jsonl');
    const station = await assembleStation(await config({ audit: { file } }), {
      clock: systemClock,
      logger: silentLogger,
      redirectUri: 'http://127.0.0.1:1/duo-callback',
      audit: serveAuditPlacement({ XDG_STATE_HOME: path.join(dir, 'unused') }),
    });
    await station.engine
      .openSession({ duoPresentation: 'view' })
      .signIn({ username: 'nobody', password: 'wrong' });
    await station.stop();
    const onDisk = (await readFile(file, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { type: string }).type);
    expect(station.audit.recent(50).map((record) => record.type)).toEqual([...onDisk].reverse());
    expect(station.audit.recent(1)).toHaveLength(1);
  });
});

describe('assembleOutOfServiceStation', () => {
  it('refuses sign-ins, audits them in the shell’s default file, and closes that file on stop', async () => {
    const station = assembleOutOfServiceStation(
      { reason: 'configuration-invalid', detail: 'directory.type: required' },
      { clock: systemClock, logger: silentLogger, audit: kioskAuditPlacement(dir) },
    );
    expect(station.audit.where).toBe(path.join(dir, 'walkup-audit.jsonl'));
    expect(station.engine.getStation()).toMatchObject({
      inService: false,
      outOfService: { reason: 'configuration-invalid' },
    });
    const result = await station.engine
      .openSession({ duoPresentation: 'view' })
      .signIn({ username: 'alice', password: 'secret-password' });
    expect(result).toMatchObject({ ok: false });
    expect(await station.stop()).toEqual({
      stateSaved: true,
      audit: { flushed: true, unwritten: [], dropped: 0 },
    });
    const text = await readFile(path.join(dir, 'walkup-audit.jsonl'), 'utf8');
    expect(text).toContain('configuration-invalid');
    expect(text).not.toContain('secret-password');
    expect(station.audit.recent(50)[0]).toMatchObject({ type: 'sign-in-failed' });
  });
});
