/**
 * The engine asks the audit log whether it can take lines: while it cannot (the disk refuses
 * writes, or the backlog is over its bound) new visits are refused as "out of service: audit
 * unavailable", and the station comes back by itself once the log recovers. Real file log in a
 * temp folder; the path is replaced by a folder to make the disk refuse.
 */
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { StationInfo } from '../../../../main/contract';
import { createAuditLog, type FileAuditLog } from '../../../../main/core/audit';
import { createEnrollmentEngine } from '../../../../main/core/enrollment';
import type { EnrollmentEngine } from '../../../../main/core/enrollment/types';
import { assessStation } from '../../../../main/core/enrollment/station-health';
import { CapturingLogger, clock, FakeDirectory, FakeDuo, healthyServer, PASSWORD, testConfig } from './fakes';

describe('audit backpressure', () => {
  let dir: string;
  let audit: FileAuditLog;
  let engine: EnrollmentEngine;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'walkup-audit-engine-'));
  });
  afterEach(async () => {
    engine?.close();
    await audit?.close(500);
    await rm(dir, { recursive: true, force: true });
  });

  async function start(file: string): Promise<void> {
    const config = testConfig('v4');
    audit = createAuditLog({ file, maxBytes: 1_000_000, keep: 2, clock, stationName: 'Lobby', retryMs: 20 });
    engine = createEnrollmentEngine({
      config,
      directory: new FakeDirectory(),
      duo: new FakeDuo('v4').integration,
      clock,
      logger: new CapturingLogger(),
      audit,
    });
    await engine.refreshHealth();
  }

  it('refuses new visits while the audit file cannot be written, and takes them again after', async () => {
    const file = join(dir, 'audit.jsonl');
    await start(file);
    expect(engine.getStation().inService).toBe(true);
    const changes: StationInfo[] = [];
    engine.onStationChanged((station) => changes.push(station));

    // The station's first lines are on disk before the path is replaced, so the first visit meets
    // a log that has not failed yet (its own lines are the first the disk refuses).
    await audit.flush();
    await rm(file);
    await mkdir(file); // the path is replaced: every write fails
    const first = engine.openSession({ duoPresentation: 'view' });
    expect(await first.signIn({ username: 'alice', password: PASSWORD })).toMatchObject({ ok: true });
    await vi.waitFor(() =>
      expect(engine.getStation()).toMatchObject({
        inService: false,
        outOfService: { reason: 'audit-unavailable' },
      }),
    );
    const refused = await engine
      .openSession({ duoPresentation: 'view' })
      .signIn({ username: 'alice', password: PASSWORD });
    expect(refused).toMatchObject({ ok: false, reason: 'out-of-service' });

    await rm(file, { recursive: true });
    await vi.waitFor(() => expect(engine.getStation().inService).toBe(true));
    expect(changes.map((station) => station.outOfService?.reason)).toEqual(['audit-unavailable', undefined]);
    const accepted = await engine
      .openSession({ duoPresentation: 'view' })
      .signIn({ username: 'alice', password: PASSWORD });
    expect(accepted.ok).toBe(true);
    await audit.flush();
    const types = (await readFile(file, 'utf8'))
      .split('\n')
      .filter(Boolean)
      .map((line) => (JSON.parse(line) as { type: string }).type);
    // Nothing recorded while the disk refused was lost: the first visit's lines are there too.
    expect(types.filter((type) => type === 'sign-in-succeeded')).toHaveLength(2);
    expect(types).toContain('station-out-of-service');
  });

  it('names the audit first and warns when history was cut short', () => {
    const config = testConfig('v4');
    const assessment = assessStation(config, {
      directory: [healthyServer()],
      duo: { ok: false, checkedAt: 0, code: 'unreachable', detail: 'timeout' },
      audit: {
        ok: false,
        backlog: 10_000,
        dropped: 0,
        historyShort: true,
        detail: 'audit backlog of 10000 lines',
      },
    });
    expect(assessment).toEqual({
      outOfService: { reason: 'audit-unavailable', detail: 'audit backlog of 10000 lines' },
      warnings: ['audit-history-short'],
    });
  });
});
