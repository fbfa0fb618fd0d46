/**
 * The kiosk's station (`main/electron/station.ts`) is the one station assembly with the kiosk's
 * own places: the audit file in its logs folder, state in userData. An invalid configuration
 * gives an out-of-service engine, never a crash; quitting hands what could not be finished to
 * the operational log.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemClock, type Logger } from '../../../main/core/ports';
import { logStopReport, startKioskStation } from '../../../main/electron/station';

type Entry = { level: 'info' | 'warn' | 'error'; event: string; data: unknown };

function recordingLogger(): Logger & { entries: Entry[] } {
  const entries: Entry[] = [];
  return {
    entries,
    info: (event, data) => entries.push({ level: 'info', event, data }),
    warn: (event, data) => entries.push({ level: 'warn', event, data }),
    error: (event, data) => entries.push({ level: 'error', event, data }),
  };
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'walkup-kiosk-station-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('startKioskStation', () => {
  it('keeps a station with an invalid configuration out of service and audits to the logs folder', async () => {
    const logger = recordingLogger();
    const station = await startKioskStation(
      {
        ok: false,
        reason: 'configuration-invalid',
        errors: ['directory.type: is required'],
        policyFile: '/etc/walkup/policy.json',
        policySources: ['/etc/walkup/policy.json'],
      },
      { clock: systemClock, logger, logsDir: dir, stateDir: dir },
    );
    expect(station.config).toBeUndefined();
    expect(station.engine.getStation()).toMatchObject({
      inService: false,
      outOfService: { reason: 'configuration-invalid' },
    });
    await station.engine
      .openSession({ duoPresentation: 'view' })
      .signIn({ username: 'alice', password: 'pw-123456' });
    await station.stop();
    expect(logger.entries.map((entry) => entry.event)).toContain('configuration-invalid');
    // Everything was written: nothing handed to the operational log at quit.
    expect(logger.entries.filter((entry) => entry.event.startsWith('audit.'))).toEqual([]);
    const audit = await readFile(path.join(dir, 'walkup-audit.jsonl'), 'utf8');
    expect(audit).toContain('configuration-invalid');
    expect(audit).not.toContain('pw-123456');
  });
});

describe('startKioskStation waiting for configuration', () => {
  it('stays out of service with that reason, the missing keys in the log and the audit detail', async () => {
    const logger = recordingLogger();
    const station = await startKioskStation(
      {
        ok: false,
        reason: 'waiting-for-configuration',
        errors: ['duo.clientId: Invalid input'],
        missing: ['duo.clientId', 'duo.clientSecret'],
        policyFile: undefined,
        policySources: ['HKLM\\Software\\Policies\\Walkup'],
      },
      { clock: systemClock, logger, logsDir: dir, stateDir: dir },
    );
    expect(station.engine.getStation()).toMatchObject({
      inService: false,
      outOfService: { reason: 'waiting-for-configuration' },
    });
    await station.engine
      .openSession({ duoPresentation: 'view' })
      .signIn({ username: 'alice', password: 'pw-123456' });
    await station.stop();
    expect(logger.entries).toContainEqual(
      expect.objectContaining({
        level: 'error',
        event: 'waiting-for-configuration',
        data: expect.objectContaining({ missing: ['duo.clientId', 'duo.clientSecret'] }),
      }),
    );
    const audit = await readFile(path.join(dir, 'walkup-audit.jsonl'), 'utf8');
    expect(audit).toContain('waiting-for-configuration');
    expect(audit).toContain('missing keys: duo.clientId, duo.clientSecret');
    expect(audit).not.toContain('pw-123456');
  });
});

describe('logStopReport', () => {
  it('logs what could not be finished at quit, and nothing when all was', () => {
    const quiet = recordingLogger();
    logStopReport({ stateSaved: true, audit: { flushed: true, unwritten: [], dropped: 0 } }, quiet, 1500);
    expect(quiet.entries).toEqual([]);

    const logger = recordingLogger();
    logStopReport(
      { stateSaved: false, audit: { flushed: false, unwritten: ['{"a":1}'], dropped: 2 } },
      logger,
      1500,
    );
    expect(logger.entries).toEqual([
      { level: 'warn', event: 'state.save-timeout', data: { ms: 1500 } },
      { level: 'error', event: 'audit.unwritten-at-quit', data: { count: 1, lines: ['{"a":1}'] } },
      { level: 'error', event: 'audit.dropped-at-quit', data: { count: 2 } },
    ]);

    const failed = recordingLogger();
    logStopReport({ stateSaved: true, audit: { error: 'EIO' } }, failed, 1500);
    expect(failed.entries).toEqual([{ level: 'error', event: 'audit.close-failed', data: { error: 'EIO' } }]);
  });
});
