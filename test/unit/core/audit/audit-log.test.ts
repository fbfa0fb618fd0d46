import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createAuditLog,
  createMemoryAuditLog,
  redactSecrets,
  type AuditEvent,
  type AuditRecord,
} from '../../../../main/core/audit';
import { duoFailureCodes } from '../../../../main/core/duo/types';
import type { Clock } from '../../../../main/core/ports';

const clock: Clock = { now: () => Date.UTC(2026, 10, 22, 9, 0, 0), sleep: async () => {} };

const failed: AuditEvent = {
  type: 'sign-in-failed',
  visit: 'v1',
  username: 'alice',
  reason: 'invalid-credentials',
  shown: 'invalid-credentials',
  reference: 'K7F3-9QX2',
};

const visitOf = (record: AuditRecord | undefined): string | undefined =>
  (record as { visit?: string } | undefined)?.visit;

async function readLines(file: string): Promise<AuditRecord[]> {
  const text = await readFile(file, 'utf8');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as AuditRecord);
}

describe('file audit log', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'walkup-audit-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('appends one JSON line per event with time and station', async () => {
    const file = join(dir, 'walkup-audit.jsonl');
    const log = createAuditLog({ file, maxBytes: 100_000, keep: 3, clock, stationName: 'Lobby' });
    await log.record(failed);
    await log.record({ type: 'station-in-service' });
    const lines = await readLines(file);
    expect(lines).toEqual([
      { time: '2026-11-22T09:00:00.000Z', station: 'Lobby', ...failed },
      { time: '2026-11-22T09:00:00.000Z', station: 'Lobby', type: 'station-in-service' },
    ]);
  });

  it('creates the file readable by its owner only', async () => {
    const file = join(dir, 'nested', 'walkup-audit.jsonl');
    const log = createAuditLog({ file, maxBytes: 100_000, keep: 3, clock, stationName: 'Lobby' });
    await log.record(failed);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('rotates by size and keeps only the configured number of old files', async () => {
    const file = join(dir, 'walkup-audit.jsonl');
    const log = createAuditLog({
      file,
      maxBytes: 400,
      keep: 2,
      minHistoryHours: 0,
      clock,
      stationName: 'Lobby',
    });
    for (let index = 0; index < 12; index += 1) {
      await log.record({ type: 'visit-reset', visit: `visit-${index}`, reason: 'idle' });
    }
    const names = (await readdir(dir)).sort();
    expect(names).toEqual(['walkup-audit.jsonl', 'walkup-audit.jsonl.1', 'walkup-audit.jsonl.2']);
    for (const name of names) expect((await stat(join(dir, name))).size).toBeLessThanOrEqual(400);
    const newest = await readLines(file);
    expect(newest.at(-1)).toMatchObject({ visit: 'visit-11' });
    const previous = await readLines(`${file}.1`);
    expect(Number(String(visitOf(previous.at(-1))).split('-')[1]) + 1).toBe(
      Number(String(visitOf(newest[0])).split('-')[1]),
    );
  });

  it('keeps order when records are not awaited one by one', async () => {
    const file = join(dir, 'walkup-audit.jsonl');
    const log = createAuditLog({ file, maxBytes: 1_000_000, keep: 1, clock, stationName: 'Lobby' });
    await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        log.record({ type: 'visit-reset', visit: `v${index}`, reason: 'done' }),
      ),
    );
    expect((await readLines(file)).map(visitOf)).toEqual(
      Array.from({ length: 20 }, (_, index) => `v${index}`),
    );
  });

  it('flushes every line recorded so far', async () => {
    const file = join(dir, 'walkup-audit.jsonl');
    const log = createAuditLog({ file, maxBytes: 1_000_000, keep: 1, clock, stationName: 'Lobby' });
    for (let index = 0; index < 5; index += 1) void log.record(failed);
    await log.flush();
    expect(await readLines(file)).toHaveLength(5);
  });

  it('reports a failed write instead of throwing, and says at close what was not written', async () => {
    const errors: Error[] = [];
    const log = createAuditLog({
      file: join(dir, 'missing-parent', '\0bad'),
      maxBytes: 1000,
      keep: 1,
      clock,
      stationName: 'Lobby',
      retryMs: 10,
      onError: (error) => errors.push(error),
    });
    const pending = log.record(failed);
    await vi.waitFor(() => expect(errors.length).toBeGreaterThan(0));
    expect(log.health()).toMatchObject({ ok: false, backlog: 1 });
    const result = await log.close(200);
    expect(result.flushed).toBe(false);
    expect(result.unwritten.map((line) => JSON.parse(line) as AuditRecord)).toEqual([
      expect.objectContaining({ type: 'sign-in-failed', visit: 'v1' }),
    ]);
    await expect(pending).resolves.toBeUndefined();
  });
});

describe('redaction guard', () => {
  it('drops fields named like credentials, however deep, and says which', () => {
    const { value, redacted } = redactSecrets({
      type: 'admin-settings-changed',
      password: 'hunter2',
      nested: { clientSecret: 'x', skey: 'y', akey: 'z', idToken: 't', duo_code: 'c', keep: 1 },
      list: [{ bindPassword: 'p', name: 'n' }],
    });
    expect(value).toEqual({ type: 'admin-settings-changed', nested: { keep: 1 }, list: [{ name: 'n' }] });
    expect(redacted).toEqual([
      'password',
      'nested.clientSecret',
      'nested.skey',
      'nested.akey',
      'nested.idToken',
      'nested.duo_code',
      'list[0].bindPassword',
    ]);
  });

  it('keeps a code field only when it holds a known failure code', () => {
    expect(redactSecrets({ code: 'username-mismatch' }).value).toEqual({ code: 'username-mismatch' });
    expect(redactSecrets({ code: 'a1b2c3d4e5f6' }).value).toEqual({});
  });

  it('keeps every Duo failure code the integrations can report (one list, shared with core/duo)', () => {
    for (const code of [...duoFailureCodes, 'malformed', 'no-visit']) {
      expect(redactSecrets({ code }).value).toEqual({ code });
    }
  });

  it('marks redacted fields in the written record', async () => {
    const log = createMemoryAuditLog({ clock, stationName: 'Lobby' });
    await log.record({ type: 'admin-unlock-failed', pin: '1234', attempts: 2 });
    expect(log.records[0]).toEqual({
      time: '2026-11-22T09:00:00.000Z',
      station: 'Lobby',
      type: 'admin-unlock-failed',
      attempts: 2,
      redacted: ['pin'],
    });
  });
});

describe('memory audit log', () => {
  it('keeps the newest records up to its limit', async () => {
    const log = createMemoryAuditLog({ clock, stationName: 'Lobby', limit: 2 });
    for (const visit of ['a', 'b', 'c']) await log.record({ type: 'visit-reset', visit, reason: 'idle' });
    expect(log.records.map(visitOf)).toEqual(['b', 'c']);
  });
});
