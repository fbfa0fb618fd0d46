/**
 * The audit log on disk: one JSON object per line, rotated by size (`walkup-audit.jsonl` -> `.1`
 * … `.keep`).
 *
 * Group commit: lines recorded while a write + fsync is in flight wait in memory and go to disk
 * together in the next write, followed by one fsync (fdatasync: the data and the size that finds
 * it), so the writer keeps up with any number of visits at the cost of one fsync per batch. One file handle stays open; it is closed and reopened
 * only when the file is rotated. Written by hand: it is the heart of the station's accountability
 * and needs exactly these guarantees (order, durability before `record` resolves, a bounded queue,
 * retention by age), which no kept logging library states together.
 *
 * Bounds and the policy when full:
 * - Up to `softLimit` lines may wait. Beyond it (or while the disk refuses writes) `health()` says
 *   the log is not ok; the engine then refuses new visits ("out of service: audit unavailable"),
 *   while visits already under way finish and are still recorded.
 * - Up to `hardLimit` lines wait at most. A line beyond that is dropped and counted; the count is
 *   shown by `health()`, logged, and written to the file as an `audit-lines-dropped` line as soon
 *   as the disk takes writes again. No line is ever dropped without that count.
 * - A failing write (disk full, permissions, the folder replaced) is retried every `retryMs`; it is
 *   reported through `onError`, the logger and `health()`, never thrown.
 *
 * Retention: rotation keeps `keep` old files, and never deletes a file whose newest line is younger
 * than `minHistoryHours` while fewer than `2 × keep` old files exist. When even that ceiling is
 * reached (someone writes faster than the retention allows), the youngest history goes anyway, the
 * file gets an `audit-history-dropped` line, and `health().historyShort` stays true until the
 * minimum age has passed since.
 */
import { mkdir, open, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Clock, Logger } from '../ports';
import { guardAuditLog } from './audit-guard';
import { redactSecrets } from './redact';
import type { AuditEvent, AuditHealth, AuditLog, AuditRecord } from './types';

export interface FileAuditLogOptions {
  /** Path of the current file, e.g. `/var/log/walkup/walkup-audit.jsonl`. */
  file: string;
  /** The file is rotated before a line would make it larger than this (bytes). */
  maxBytes: number;
  /** Rotated files kept (`.1` is the newest). */
  keep: number;
  /** Rotation keeps old files younger than this (hours, 0 = off, default 24); see the module docs. */
  minHistoryHours?: number | undefined;
  clock: Clock;
  stationName: string;
  /** Lines waiting beyond which the log is reported not ok (default 10,000). */
  softLimit?: number;
  /** Lines waiting at most; more are dropped and counted (default 4 × softLimit). */
  hardLimit?: number;
  /** Pause before retrying a failed write (ms, default 1000). */
  retryMs?: number;
  /** Events written per client and minute at most (`audit-guard.ts`, default 120). */
  perClientPerMinute?: number | undefined;
  /** Period of the summary line of counted events (seconds, default 60). */
  summaryIntervalSeconds?: number | undefined;
  /** Told when a write failed (disk full, permissions); the lines stay queued and are retried. */
  onError?: (error: Error) => void;
  logger?: Logger;
}

/** What `close` could not do before its deadline. */
export interface AuditCloseResult {
  /** Whether every line recorded before `close` is on disk. */
  flushed: boolean;
  /** The lines not on disk (JSON lines without the newline), oldest first. */
  unwritten: string[];
  /** Lines dropped over the log's life because the queue was full. */
  dropped: number;
}

/** The file audit log. */
export interface FileAuditLog extends AuditLog {
  /** Resolves once every line recorded so far is on disk (or the log is closed). */
  flush(): Promise<void>;
  health(): AuditHealth;
  onHealthChange(listener: (health: AuditHealth) => void): () => void;
  /**
   * Stops taking lines, writes what is queued within `deadlineMs` (default 3000), closes the file
   * and says what could not be written. Later `record` calls count as dropped.
   */
  close(deadlineMs?: number): Promise<AuditCloseResult>;
}

/** Builds the record for an event: adds time and station, and runs the redaction guard. */
export function toAuditRecord(event: AuditEvent, clock: Clock, stationName: string): AuditRecord {
  const { value, redacted } = redactSecrets(event);
  const record = {
    time: new Date(clock.now()).toISOString(),
    station: stationName,
    ...(value as AuditEvent),
  } as AuditRecord;
  if (redacted.length > 0) record.redacted = redacted;
  return record;
}

/** Largest batch written at once (bytes): bounds the buffer built per write. */
const MAX_BATCH_BYTES = 4 * 1024 * 1024;

interface Pending {
  line: string;
  bytes: number;
  /** False for the log's own notices, which no `record` call waits for. */
  counted: boolean;
}

interface Waiter {
  seq: number;
  resolve: () => void;
}

function errorOf(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

async function mtimeOf(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).mtimeMs;
  } catch {
    return undefined;
  }
}

/**
 * Creates the station's audit log: the writer below behind the guard of `audit-guard.ts`
 * (unattributed events summarised, a rate bound per client). The directory is created (mode
 * 0700) if missing.
 */
export function createAuditLog(options: FileAuditLogOptions): FileAuditLog {
  const writer = createAuditWriter(options);
  const guarded = guardAuditLog(writer, {
    now: () => options.clock.now(),
    perClientPerMinute: options.perClientPerMinute,
    summaryIntervalSeconds: options.summaryIntervalSeconds,
  });
  guarded.close = async (deadlineMs?: number) => {
    await guarded.stopGuard();
    return writer.close(deadlineMs);
  };
  return guarded;
}

/** The JSON-lines writer alone (group commit, bounded queue, rotation); see the module docs. */
export function createAuditWriter(options: FileAuditLogOptions): FileAuditLog {
  const { file, maxBytes, keep, clock, stationName } = options;
  const softLimit = options.softLimit ?? 10_000;
  const hardLimit = Math.max(softLimit, options.hardLimit ?? softLimit * 4);
  const retryMs = options.retryMs ?? 1000;
  const minHistoryMs = (options.minHistoryHours ?? 24) * 3_600_000;
  const maxOldFiles = minHistoryMs > 0 ? keep * 2 : keep;

  let queue: Pending[] = [];
  /** Sequence number of the newest line recorded, and of the newest line on disk. */
  let recordedSeq = 0;
  let durableSeq = 0;
  const waiters: Waiter[] = [];
  let handle: FileHandle | undefined;
  /** `dev:ino` of the open file, to notice the path being moved or replaced from outside. */
  let handleId = '';
  let size = 0;
  let writing: Promise<void> | undefined;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let wakeRetry: (() => void) | undefined;
  let closing = false;
  let closed = false;
  let dropped = 0;
  let droppedUnreported = 0;
  let lastError: string | undefined;
  let historyDroppedAt: number | undefined;
  let historyTimer: ReturnType<typeof setTimeout> | undefined;
  let reportedOk = true;
  let reportedShort = false;
  const listeners = new Set<(health: AuditHealth) => void>();

  function health(): AuditHealth {
    const historyShort = historyDroppedAt !== undefined && clock.now() - historyDroppedAt < minHistoryMs;
    const backlogged = queue.length >= (reportedOk ? softLimit : Math.floor(softLimit / 2));
    const ok = !closed && lastError === undefined && !backlogged;
    const result: AuditHealth = { ok, backlog: queue.length, dropped, historyShort };
    if (lastError !== undefined) result.detail = `audit file cannot be written: ${lastError}`;
    else if (backlogged) result.detail = `audit backlog of ${queue.length} lines`;
    else if (closed) result.detail = 'audit log closed';
    return result;
  }

  /** Tells listeners when `ok` or `historyShort` changed (with hysteresis on the backlog). */
  function noteHealth(): void {
    const current = health();
    if (current.ok === reportedOk && current.historyShort === reportedShort) return;
    reportedOk = current.ok;
    reportedShort = current.historyShort;
    for (const listener of [...listeners]) {
      try {
        listener(current);
      } catch (error) {
        options.logger?.error('audit-health-listener-failed', { error: errorOf(error).message });
      }
    }
  }

  function reportError(error: unknown): void {
    const err = errorOf(error);
    const first = lastError === undefined;
    lastError = (err as NodeJS.ErrnoException).code ?? err.message;
    if (first) options.logger?.error('audit-write-failed', { file, error: err.message });
    options.onError?.(err);
  }

  function lineOf(event: AuditEvent, counted = true): Pending {
    const line = `${JSON.stringify(toAuditRecord(event, clock, stationName))}\n`;
    return { line, bytes: Buffer.byteLength(line, 'utf8'), counted };
  }

  async function openCurrent(): Promise<FileHandle> {
    if (handle) return handle;
    await mkdir(dirname(file), { recursive: true, mode: 0o700 });
    const opened = await open(file, 'a', 0o600);
    try {
      const stats = await opened.stat();
      size = stats.size;
      handleId = `${stats.dev}:${stats.ino}`;
    } catch (error) {
      await opened.close().catch(() => undefined);
      throw error;
    }
    handle = opened;
    return opened;
  }

  async function closeHandle(): Promise<void> {
    const current = handle;
    handle = undefined;
    await current?.close().catch(() => undefined);
  }

  /** Renames `.n` -> `.n+1` and the file -> `.1`, deleting the oldest as retention allows. */
  async function rotate(): Promise<string | undefined> {
    await closeHandle();
    const now = clock.now();
    let forcedDrop: number | undefined;
    const existing: number[] = [];
    for (let index = 1; index <= maxOldFiles; index += 1) existing.push(index);
    const mtimes = await Promise.all(existing.map((index) => mtimeOf(`${file}.${index}`)));
    // Oldest first: a file moving past `keep` goes if it is old enough, past the ceiling always.
    for (let index = maxOldFiles; index >= keep; index -= 1) {
      const mtime = mtimes[index - 1];
      if (mtime === undefined) continue;
      const young = minHistoryMs > 0 && now - mtime < minHistoryMs;
      if (index === maxOldFiles || !young) {
        await rm(`${file}.${index}`, { force: true });
        mtimes[index - 1] = undefined;
        if (young) forcedDrop = Math.max(forcedDrop ?? 0, mtime);
      }
    }
    for (let index = maxOldFiles - 1; index >= 1; index -= 1) {
      if (mtimes[index - 1] === undefined) continue;
      await rename(`${file}.${index}`, `${file}.${index + 1}`);
    }
    await rename(file, `${file}.1`).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
    if (forcedDrop === undefined) return undefined;
    historyDroppedAt = now;
    if (historyTimer) clearTimeout(historyTimer);
    historyTimer = setTimeout(() => {
      historyTimer = undefined;
      noteHealth();
    }, minHistoryMs + 1000);
    historyTimer.unref?.();
    options.logger?.warn('audit-history-dropped', { newestDropped: new Date(forcedDrop).toISOString() });
    return lineOf(
      {
        type: 'audit-history-dropped',
        newestDropped: new Date(forcedDrop).toISOString(),
        minHistoryHours: minHistoryMs / 3_600_000,
      },
      false,
    ).line;
  }

  /** Writes `lines` with one fsync per segment (a segment ends at a rotation). */
  async function writeLines(lines: readonly Pending[], onDurable: (count: number) => void): Promise<void> {
    let start = 0;
    while (start < lines.length) {
      const current = await openCurrent();
      const openedId = handleId;
      // Lines must not go only to a file that was moved or deleted from outside. The path is
      // checked alongside the write (no extra wait); when it names another file by then, the same
      // lines are written again to the file now at the path.
      const stillThere = stat(file).then(
        (stats) => `${stats.dev}:${stats.ino}` === openedId,
        () => false,
      );
      const chunks: string[] = [];
      let bytes = 0;
      let end = start;
      while (end < lines.length) {
        const next = lines[end]!;
        if ((size > 0 || bytes > 0) && size + bytes + next.bytes > maxBytes) break;
        chunks.push(next.line);
        bytes += next.bytes;
        end += 1;
      }
      if (end > start) {
        await current.write(chunks.join(''));
        // Data and the size that finds it (POSIX fdatasync); the mtime may lag.
        await current.datasync();
        if (!(await stillThere)) {
          options.logger?.warn('audit-file-replaced', { file });
          await closeHandle();
          continue;
        }
        size += bytes;
        onDurable(end - start);
        start = end;
      }
      if (start < lines.length) {
        const notice = await rotate();
        if (notice !== undefined) {
          const opened = await openCurrent();
          await opened.write(notice);
          await opened.datasync();
          size += Buffer.byteLength(notice, 'utf8');
        }
      }
    }
  }

  function settle(): void {
    while (waiters.length > 0 && waiters[0]!.seq <= durableSeq) waiters.shift()!.resolve();
  }

  function pause(): Promise<void> {
    return new Promise<void>((resolve) => {
      wakeRetry = () => resolve();
      retryTimer = setTimeout(() => resolve(), retryMs);
    }).then(() => {
      if (retryTimer) clearTimeout(retryTimer);
      retryTimer = undefined;
      wakeRetry = undefined;
    });
  }

  async function drain(): Promise<void> {
    while (queue.length > 0 && !closed) {
      if (droppedUnreported > 0) {
        const count = droppedUnreported;
        droppedUnreported = 0;
        queue.unshift(lineOf({ type: 'audit-lines-dropped', count, total: dropped }, false));
      }
      // Take what is there (up to a bound); lines arriving meanwhile form the next batch.
      let take = 0;
      let bytes = 0;
      while (take < queue.length && (take === 0 || bytes + queue[take]!.bytes <= MAX_BATCH_BYTES)) {
        bytes += queue[take]!.bytes;
        take += 1;
      }
      const batch = queue.slice(0, take);
      let done = 0;
      try {
        await writeLines(batch, (count) => {
          done += count;
        });
        if (lastError !== undefined) {
          options.logger?.info('audit-write-recovered', { file });
          lastError = undefined;
        }
      } catch (error) {
        await closeHandle();
        reportError(error);
      }
      for (let index = 0; index < done; index += 1) if (batch[index]!.counted) durableSeq += 1;
      queue = queue.slice(done);
      settle();
      noteHealth();
      if (done < batch.length && !closing) await pause();
      if (done < batch.length && closing) return;
    }
  }

  function kick(): void {
    if (writing) return;
    writing = drain().finally(() => {
      writing = undefined;
      if (queue.length > 0 && !closed && !closing) kick();
    });
  }

  function whenDurable(seq: number): Promise<void> {
    if (seq <= durableSeq || closed) return Promise.resolve();
    return new Promise((resolve) => waiters.push({ seq, resolve }));
  }

  return {
    record(event: AuditEvent): Promise<void> {
      if (closing || closed || queue.length >= hardLimit) {
        dropped += 1;
        if (!closing && !closed) droppedUnreported += 1;
        if (dropped === 1 || dropped % 1000 === 0) {
          options.logger?.error('audit-line-dropped', {
            dropped,
            reason: closing || closed ? 'closed' : 'queue-full',
          });
        }
        noteHealth();
        return Promise.resolve();
      }
      queue.push(lineOf(event));
      recordedSeq += 1;
      const seq = recordedSeq;
      noteHealth();
      kick();
      return whenDurable(seq);
    },
    flush() {
      return whenDurable(recordedSeq);
    },
    health,
    onHealthChange(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    async close(deadlineMs = 3000) {
      if (!closing) {
        closing = true;
        wakeRetry?.();
        if (queue.length > 0) kick();
      }
      let timer: ReturnType<typeof setTimeout> | undefined;
      const deadline = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, deadlineMs);
      });
      // One more attempt after a failure is part of `close`: the disk may be back.
      await Promise.race([
        (async () => {
          while (writing) await writing;
          if (queue.length > 0 && !closed) {
            kick();
            while (writing) await writing;
          }
        })(),
        deadline,
      ]);
      clearTimeout(timer);
      closed = true;
      if (historyTimer) clearTimeout(historyTimer);
      wakeRetry?.();
      const unwritten = queue
        .filter((pending) => pending.counted)
        .map((pending) => pending.line.slice(0, -1));
      // A write still in flight after the deadline finishes on its own; its handle closes after.
      if (!writing) await closeHandle();
      else void writing.finally(closeHandle);
      for (const waiter of waiters.splice(0)) waiter.resolve();
      listeners.clear();
      return { flushed: unwritten.length === 0, unwritten, dropped };
    },
  };
}
