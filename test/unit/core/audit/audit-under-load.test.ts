/**
 * The audit log under load, on a real temp folder: group commit keeps order and loses nothing,
 * rotation under concurrent load loses nothing, one file handle, the queue bound and its policy,
 * close() flushes or reports the tail, a failing disk is reported, and a flood cannot erase
 * the earlier history.
 */
import { mkdir, mkdtemp, readFile, readdir, readlink, rename, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createAuditLog,
  createAuditWriter,
  type AuditEvent,
  type AuditHealth,
  type AuditRecord,
  type FileAuditLog,
} from '../../../../main/core/audit';
import { systemClock } from '../../../../main/core/ports';

const reset = (index: number): AuditEvent => ({ type: 'visit-reset', visit: `v${index}`, reason: 'idle' });

const failedSignIn = (index: number): AuditEvent => ({
  type: 'sign-in-failed',
  visit: `flood-${index}`,
  username: `nobody${index}`,
  reason: 'unknown-user',
  shown: 'invalid-credentials',
  reference: 'AAAA-BBBB',
});

async function linesOf(path: string): Promise<AuditRecord[]> {
  const text = await readFile(path, 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as AuditRecord);
}

/** Every line of the current file and its rotated files, oldest first. */
async function allLines(dir: string, base: string): Promise<AuditRecord[]> {
  const names = await readdir(dir);
  const rotated = names
    .filter((name) => name.startsWith(`${base}.`))
    .map((name) => Number(name.slice(base.length + 1)))
    .sort((a, b) => b - a);
  const out: AuditRecord[] = [];
  for (const index of rotated) out.push(...(await linesOf(join(dir, `${base}.${index}`))));
  out.push(...(await linesOf(join(dir, base))));
  return out;
}

const visitOf = (record: AuditRecord): string | undefined => (record as { visit?: string }).visit;

/** File descriptors of this process open on files inside `dir` (Linux /proc). */
async function fdsInside(dir: string): Promise<number> {
  let count = 0;
  for (const fd of await readdir('/proc/self/fd')) {
    const target = await readlink(`/proc/self/fd/${fd}`).catch(() => '');
    if (target.startsWith(dir)) count += 1;
  }
  return count;
}

describe('file audit log under load', () => {
  let dir: string;
  const logs: FileAuditLog[] = [];
  const open = (options: Partial<Parameters<typeof createAuditWriter>[0]> = {}): FileAuditLog => {
    const log = createAuditLog({
      file: join(dir, 'audit.jsonl'),
      maxBytes: 10_000_000,
      keep: 3,
      clock: systemClock,
      stationName: 'Lobby',
      ...options,
    });
    logs.push(log);
    return log;
  };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'walkup-audit-load-'));
  });
  afterEach(async () => {
    await Promise.all(logs.splice(0).map((log) => log.close(1000)));
    await rm(dir, { recursive: true, force: true });
  });

  it('writes 5,000 concurrent records, all of them, in the order recorded', async () => {
    const log = open();
    await Promise.all(Array.from({ length: 5000 }, (_, index) => log.record(reset(index))));
    const lines = await linesOf(join(dir, 'audit.jsonl'));
    expect(lines.map(visitOf)).toEqual(Array.from({ length: 5000 }, (_, index) => `v${index}`));
    expect(log.health()).toMatchObject({ ok: true, backlog: 0, dropped: 0 });
  });

  it('resolves a record only once its line is on disk', async () => {
    const log = open();
    void log.record(reset(0));
    await log.record(reset(1));
    expect((await linesOf(join(dir, 'audit.jsonl'))).map(visitOf)).toEqual(['v0', 'v1']);
  });

  it('loses nothing when rotating under concurrent load', async () => {
    const log = open({ maxBytes: 20_000, keep: 100 });
    await Promise.all(Array.from({ length: 3000 }, (_, index) => log.record(reset(index))));
    const names = await readdir(dir);
    expect(names.length).toBeGreaterThan(10);
    expect((await allLines(dir, 'audit.jsonl')).map(visitOf)).toEqual(
      Array.from({ length: 3000 }, (_, index) => `v${index}`),
    );
  });

  it('keeps one file handle open, under load and across rotations, and none after close', async () => {
    const log = open({ maxBytes: 50_000, keep: 50 });
    let most = 0;
    const writes = Promise.all(Array.from({ length: 4000 }, (_, index) => log.record(reset(index))));
    let done = false;
    void writes.then(() => {
      done = true;
    });
    while (!done) {
      most = Math.max(most, await fdsInside(dir));
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(most).toBe(1);
    expect(await fdsInside(dir)).toBe(1);
    await log.close();
    expect(await fdsInside(dir)).toBe(0);
  });

  it('bounds the queue: not ok beyond the soft limit, counted drops beyond the hard limit, recovered later', async () => {
    const file = join(dir, 'audit.jsonl');
    // The path is replaced by a folder: every write fails until it is put right.
    await mkdir(file);
    const seen: AuditHealth[] = [];
    const errors: Error[] = [];
    const log = open({ softLimit: 10, hardLimit: 20, retryMs: 20, onError: (error) => errors.push(error) });
    log.onHealthChange((health) => seen.push(health));
    for (let index = 0; index < 25; index += 1) void log.record(reset(index));
    await vi.waitFor(() => expect(errors.length).toBeGreaterThan(0));
    expect(log.health()).toMatchObject({ ok: false, dropped: 5 });
    // The 20 lines that fit, and (once a retry began) the notice of the 5 dropped.
    expect(log.health().backlog).toBeGreaterThanOrEqual(20);
    expect(log.health().backlog).toBeLessThanOrEqual(21);
    expect(log.health().detail).toMatch(/cannot be written: EISDIR/);
    expect(seen.at(-1)?.ok).toBe(false);

    await rm(file, { recursive: true });
    await log.flush();
    await vi.waitFor(() => expect(log.health().ok).toBe(true));
    expect(seen.at(-1)?.ok).toBe(true);
    const lines = await linesOf(file);
    expect(lines[0]).toMatchObject({ type: 'audit-lines-dropped', count: 5, total: 5 });
    expect(lines.slice(1).map(visitOf)).toEqual(Array.from({ length: 20 }, (_, index) => `v${index}`));
  });

  it('reports a folder that becomes unwritable mid-run, never throws, and writes on once it is back', async () => {
    const file = join(dir, 'logs', 'audit.jsonl');
    const errors: Error[] = [];
    const log = open({ file, maxBytes: 2000, keep: 2, retryMs: 20, onError: (error) => errors.push(error) });
    await log.record(reset(0));
    // The folder is replaced by a file: rotation and reopening fail.
    await rm(join(dir, 'logs'), { recursive: true });
    await writeFile(join(dir, 'logs'), 'not a folder');
    const pending = Array.from({ length: 40 }, (_, index) => log.record(reset(index + 1)));
    await vi.waitFor(() => expect(errors.length).toBeGreaterThan(0));
    expect(log.health().ok).toBe(false);
    await rm(join(dir, 'logs'));
    await Promise.all(pending);
    expect(log.health().ok).toBe(true);
    const lines = await allLines(join(dir, 'logs'), 'audit.jsonl');
    // What was in the open file when its folder went is gone with the folder; nothing after it is.
    expect(lines.map(visitOf).filter((visit) => visit !== 'v0')).toEqual(
      Array.from({ length: 40 }, (_, index) => `v${index + 1}`),
    );
  });

  it('writes to a new file at the path when the file is moved away from outside', async () => {
    const file = join(dir, 'audit.jsonl');
    const log = open();
    await log.record(reset(0));
    await rename(file, `${file}.moved`);
    await log.record(reset(1));
    await log.record(reset(2));
    expect((await linesOf(file)).map(visitOf)).toEqual(['v1', 'v2']);
    // The moved file may hold a copy of the batch in flight, never anything in its place.
    expect((await linesOf(`${file}.moved`)).map(visitOf)[0]).toBe('v0');
    expect(await fdsInside(dir)).toBe(1);
  });

  it('close() writes everything queued, and counts what comes after', async () => {
    const log = open();
    for (let index = 0; index < 500; index += 1) void log.record(reset(index));
    const result = await log.close(5000);
    expect(result).toEqual({ flushed: true, unwritten: [], dropped: 0 });
    expect(await linesOf(join(dir, 'audit.jsonl'))).toHaveLength(500);
    await log.record(reset(999));
    expect(log.health()).toMatchObject({ ok: false, dropped: 1 });
    expect(await linesOf(join(dir, 'audit.jsonl'))).toHaveLength(500);
  });

  it('close() returns within its deadline with the tail it could not write', async () => {
    const file = join(dir, 'audit.jsonl');
    await mkdir(file);
    const log = open({ retryMs: 60_000 });
    for (let index = 0; index < 3; index += 1) void log.record(reset(index));
    const result = await log.close(300);
    expect(result.flushed).toBe(false);
    expect(result.unwritten.map((line) => visitOf(JSON.parse(line) as AuditRecord))).toEqual([
      'v0',
      'v1',
      'v2',
    ]);
  });
});

describe('audit history nobody can flush away', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'walkup-audit-flood-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('counts Duo answers without a visit in a summary line instead of writing each', async () => {
    const log = createAuditLog({
      file: join(dir, 'audit.jsonl'),
      maxBytes: 1_000_000,
      keep: 2,
      clock: systemClock,
      stationName: 'Lobby',
    });
    for (let index = 0; index < 1000; index += 1) {
      void log.record({
        type: 'duo-rejected',
        sdk: 'v4',
        code: 'no-visit',
        reason: 'no-visit',
        reference: 'AAAA-BBBB',
      });
    }
    // A replayed answer was issued to somebody: its refusal keeps a line of its own.
    void log.record({ type: 'duo-replayed', sdk: 'v4', reference: 'CCCC-DDDD' });
    await log.record(reset(1));
    await log.close();
    const lines = await linesOf(join(dir, 'audit.jsonl'));
    expect(lines).toEqual([
      expect.objectContaining({ type: 'duo-replayed', reference: 'CCCC-DDDD' }),
      expect.objectContaining({ type: 'visit-reset', visit: 'v1' }),
      expect.objectContaining({ type: 'audit-summary', unattributed: { 'duo-rejected': 1000 } }),
    ]);
  });

  it('bounds what one client writes per minute and counts the rest', async () => {
    const log = createAuditLog({
      file: join(dir, 'audit.jsonl'),
      maxBytes: 1_000_000,
      keep: 2,
      clock: systemClock,
      stationName: 'Lobby',
      perClientPerMinute: 10,
    });
    await Promise.all(
      Array.from({ length: 500 }, (_, index) => log.record(failedSignIn(index), { client: '192.0.2.9' })),
    );
    await log.record(failedSignIn(9999), { client: '198.51.100.1' });
    await log.close();
    const lines = await linesOf(join(dir, 'audit.jsonl'));
    expect(lines.filter((line) => line.type === 'sign-in-failed')).toHaveLength(11);
    expect(lines.at(-1)).toMatchObject({
      type: 'audit-summary',
      suppressed: { clients: 1, events: { 'sign-in-failed': 490 } },
    });
  });

  it('a flood of unauthenticated sign-ins leaves the earlier audit lines in place', async () => {
    const file = join(dir, 'audit.jsonl');
    const log = createAuditLog({
      file,
      maxBytes: 100_000,
      keep: 2,
      minHistoryHours: 24,
      clock: systemClock,
      stationName: 'Lobby',
      perClientPerMinute: 10,
    });
    await log.record({ type: 'sign-in-succeeded', visit: 'early', username: 'alice' });
    // 100 clients, 200 attempts each: far beyond what the files hold.
    const flood: Promise<void>[] = [];
    for (let attempt = 0; attempt < 200; attempt += 1) {
      for (let client = 0; client < 100; client += 1) {
        flood.push(log.record(failedSignIn(attempt * 100 + client), { client: `10.0.0.${client}` }));
      }
    }
    await Promise.all(flood);
    await log.close();
    const lines = await allLines(dir, 'audit.jsonl');
    expect(lines[0]).toMatchObject({ type: 'sign-in-succeeded', visit: 'early' });
    expect(lines.filter((line) => line.type === 'sign-in-failed')).toHaveLength(1000);
    expect(lines.some((line) => line.type === 'audit-history-dropped')).toBe(false);
    expect(lines.at(-1)).toMatchObject({
      type: 'audit-summary',
      suppressed: { clients: 100, events: { 'sign-in-failed': 19_000 } },
    });
  });

  it('keeps rotated files younger than the minimum age beyond `keep`, and drops old ones', async () => {
    const file = join(dir, 'audit.jsonl');
    const old = new Date(Date.now() - 48 * 3_600_000);
    // Two rotated files from two days ago.
    await writeFile(`${file}.1`, `${JSON.stringify({ type: 'old', n: 1 })}\n`);
    await writeFile(`${file}.2`, `${JSON.stringify({ type: 'old', n: 2 })}\n`);
    await utimes(`${file}.1`, old, old);
    await utimes(`${file}.2`, old, old);
    const log = createAuditWriter({
      file,
      maxBytes: 2000,
      keep: 2,
      minHistoryHours: 24,
      clock: systemClock,
      stationName: 'L',
    });
    // About 20 lines per file: three rotations.
    for (let index = 0; index < 70; index += 1) await log.record(reset(index));
    await log.close();
    const names = (await readdir(dir)).sort();
    // The two old files went; three young rotated files stay though `keep` is 2.
    expect(names).toEqual(['audit.jsonl', 'audit.jsonl.1', 'audit.jsonl.2', 'audit.jsonl.3']);
    expect((await allLines(dir, 'audit.jsonl')).map(visitOf)).toEqual(
      Array.from({ length: 70 }, (_, index) => `v${index}`),
    );
    expect(log.health().historyShort).toBe(false);
  });

  it('says so when a rotation has to drop history younger than the minimum age', async () => {
    const file = join(dir, 'audit.jsonl');
    const seen: AuditHealth[] = [];
    const log = createAuditWriter({
      file,
      maxBytes: 2000,
      keep: 1,
      minHistoryHours: 24,
      clock: systemClock,
      stationName: 'L',
    });
    log.onHealthChange((health) => seen.push(health));
    for (let index = 0; index < 80; index += 1) await log.record(reset(index));
    expect(log.health()).toMatchObject({ ok: true, historyShort: true });
    expect(seen.at(-1)).toMatchObject({ historyShort: true });
    await log.close();
    const names = (await readdir(dir)).sort();
    expect(names).toEqual(['audit.jsonl', 'audit.jsonl.1', 'audit.jsonl.2']);
    const lines = await allLines(dir, 'audit.jsonl');
    expect(lines.some((line) => line.type === 'audit-history-dropped')).toBe(true);
    expect(lines.at(-1)).toMatchObject({ visit: 'v79' });
  });
});
