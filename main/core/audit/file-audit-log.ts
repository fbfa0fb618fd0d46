/**
 * The audit log on disk: one JSON object per line, appended and fsynced, rotated by size
 * (`walkup-audit.jsonl` -> `.1` … `.keep`). Writes are queued so lines never interleave and
 * rotation never races an append.
 */
import { open, rename, rm, stat, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Clock, Logger } from '../ports';
import { redactSecrets } from './redact';
import type { AuditEvent, AuditLog, AuditRecord } from './types';

export interface FileAuditLogOptions {
  /** Path of the current file, e.g. `/var/log/walkup/walkup-audit.jsonl`. */
  file: string;
  /** The file is rotated before a line would make it larger than this. */
  maxBytes: number;
  /** Rotated files kept (`.1` is the newest). */
  keep: number;
  clock: Clock;
  stationName: string;
  /** Told when a line could not be written (disk full, permissions); the event is lost. */
  onError?: (error: Error) => void;
  logger?: Logger;
}

/** The file audit log; `flush` resolves once every line recorded so far is on disk. */
export interface FileAuditLog extends AuditLog {
  flush(): Promise<void>;
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

async function sizeOf(file: string): Promise<number> {
  try {
    return (await stat(file)).size;
  } catch {
    return 0;
  }
}

async function rotate(file: string, keep: number): Promise<void> {
  await rm(`${file}.${keep}`, { force: true });
  for (let index = keep - 1; index >= 1; index -= 1) {
    await rename(`${file}.${index}`, `${file}.${index + 1}`).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
  }
  await rename(file, `${file}.1`).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
  });
}

async function appendDurably(file: string, line: string): Promise<void> {
  // Open per line: rotation renames the file, and an fd kept open would follow the old name.
  const handle = await open(file, 'a', 0o600);
  try {
    await handle.appendFile(line, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Creates the JSON-lines audit log. The directory is created (mode 0700) if missing. */
export function createAuditLog(options: FileAuditLogOptions): FileAuditLog {
  const { file, maxBytes, keep, clock, stationName } = options;
  let queue: Promise<void> = mkdir(dirname(file), { recursive: true, mode: 0o700 }).then(
    () => undefined,
    () => undefined,
  );

  const reportError = (error: unknown): void => {
    const err = error instanceof Error ? error : new Error(String(error));
    options.logger?.error('audit-write-failed', { file, error: err.message });
    options.onError?.(err);
  };

  return {
    record(event) {
      const line = `${JSON.stringify(toAuditRecord(event, clock, stationName))}\n`;
      const bytes = Buffer.byteLength(line, 'utf8');
      queue = queue.then(async () => {
        try {
          const size = await sizeOf(file);
          if (size > 0 && size + bytes > maxBytes) await rotate(file, keep);
          await appendDurably(file, line);
        } catch (error) {
          reportError(error);
        }
      });
      return queue;
    },
    flush() {
      return queue;
    },
  };
}
