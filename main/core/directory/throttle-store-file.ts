/**
 * Throttle counters that survive a restart: the memory store, loaded from a JSON file in the
 * station's state folder at start and written back after every change.
 *
 * - Writes never delay a sign-in: a change schedules a write and returns; changes made while a
 *   write runs are coalesced into the next one. `flush()` waits for the file to catch up.
 * - Each write is atomic: a temp file (mode 0600) in the same folder, fsync, rename over the old
 *   file, then fsync of the folder, so a crash leaves the old file or the new one, never half.
 *   Written by hand (a dozen lines): `atomically`, the usual library, installs process-wide
 *   SIGINT/SIGTERM handlers that re-raise the signal, which would fight the CLI's and Electron's
 *   own shutdown.
 * - The file is bounded: at most MAX_COUNTERS counters, each holding at most maxFailures times;
 *   a file larger than MAX_STATE_FILE_BYTES is not read.
 * - A missing file is a first start. An unreadable, oversized or malformed one is logged and the
 *   station starts with empty counters; it never stops the station.
 */
import { closeSync, fsyncSync, openSync, readFileSync, statSync } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { MAX_WINDOW_SECONDS } from '../config/schema';
import type { Clock, Logger } from '../ports';
import {
  MAX_COUNTERS,
  createMemoryThrottleStore,
  type StoreSnapshot,
  type ThrottleStore,
} from './throttle-store';

/** The file's name inside the station's state folder. */
export const THROTTLE_STATE_FILE = 'throttle-state.json';

/**
 * Largest state file read at start (bytes): room for MAX_COUNTERS counters with per-user limits
 * up to about 30 failures (a counter with 3 is about 150 bytes of JSON), so a store full of live
 * counters still loads after a restart.
 */
export const MAX_STATE_FILE_BYTES = 32 * 1024 * 1024;

const FORMAT_VERSION = 1;

const time = z.number().finite().nonnegative();
const stateFileSchema = z.object({
  version: z.literal(FORMAT_VERSION),
  salt: z.string().min(8).max(64),
  counters: z
    .array(
      z.tuple([
        z.string().min(1).max(64),
        z.object({
          failures: z.array(time).max(1000),
          lockedUntil: time,
          window: z.object({
            maxFailures: z.number().int().min(1).max(1000),
            windowSeconds: z.number().int().min(1).max(MAX_WINDOW_SECONDS),
            lockoutSeconds: z.number().int().min(1).max(86_400),
            reset: z.enum(['after-quiet', 'sliding']).optional(),
          }),
        }),
      ]),
    )
    .max(MAX_COUNTERS),
});

/** A store that persists to `file`. */
export interface PersistentThrottleStore extends ThrottleStore {
  /** The file the counters are kept in. */
  readonly file: string;
}

/** Reads the state file; undefined (and a log line) when it cannot be used. */
function loadState(file: string, logger: Logger): StoreSnapshot | undefined {
  let text: string;
  try {
    const size = statSync(file).size;
    if (size > MAX_STATE_FILE_BYTES) {
      logger.warn('directory.throttle-state-ignored', {
        file,
        why: `larger than ${MAX_STATE_FILE_BYTES} bytes`,
      });
      return undefined;
    }
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT')
      logger.warn('directory.throttle-state-ignored', { file, why: `unreadable (${code})` });
    return undefined;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    logger.warn('directory.throttle-state-ignored', { file, why: 'not JSON' });
    return undefined;
  }
  const parsed = stateFileSchema.safeParse(raw);
  if (!parsed.success) {
    logger.warn('directory.throttle-state-ignored', { file, why: 'not a throttle state file' });
    return undefined;
  }
  return {
    salt: parsed.data.salt,
    counters: parsed.data.counters.map(([digest, counter]) => [digest, { ...counter, pending: [] }]),
  };
}

/** Writes `text` to `file` atomically (temp file, fsync, rename, fsync of the folder). */
async function writeAtomically(file: string, text: string): Promise<void> {
  const dir = path.dirname(file);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const temp = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  try {
    // The rename itself is durable only once the folder is synced (not possible on Windows).
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // best effort
  }
}

/**
 * Opens the counters kept in `file` (created on first change). Reads the file synchronously once,
 * at start, before the station takes its first sign-in.
 */
export function createFileThrottleStore(
  file: string,
  deps: { clock: Clock; logger: Logger },
): PersistentThrottleStore {
  const { logger } = deps;
  const initial = loadState(file, logger);
  let dirty = false;
  let writing: Promise<void> | undefined;
  let failedBefore = false;

  const writeLoop = async (): Promise<void> => {
    // Let the changes of this turn of the event loop gather into one write.
    await new Promise<void>((resolve) => setImmediate(resolve));
    while (dirty) {
      dirty = false;
      try {
        await writeAtomically(file, serialise(memory.snapshot()));
        failedBefore = false;
      } catch (error) {
        // Counting goes on in memory; the next change tries again. Logged once per failure run.
        if (!failedBefore) {
          logger.error('directory.throttle-state-write-failed', {
            file,
            error: (error as NodeJS.ErrnoException).code ?? (error as Error).name,
          });
        }
        failedBefore = true;
      }
    }
  };

  /** The file's text, the least recently used counters left out if it would be too large. */
  const serialise = (snapshot: StoreSnapshot): string => {
    let { counters } = snapshot;
    let text = JSON.stringify({ version: FORMAT_VERSION, salt: snapshot.salt, counters });
    while (text.length > MAX_STATE_FILE_BYTES && counters.length > 0) {
      counters = counters.slice(Math.ceil(counters.length / 4));
      text = JSON.stringify({ version: FORMAT_VERSION, salt: snapshot.salt, counters });
    }
    return text;
  };

  const schedule = (): void => {
    dirty = true;
    if (writing) return;
    writing = writeLoop().finally(() => {
      writing = undefined;
    });
  };

  const memory = createMemoryThrottleStore(deps.clock, {
    ...(initial ? { initial } : {}),
    onChange: schedule,
  });

  return {
    file,
    reserve: (limits) => memory.reserve(limits),
    settle: (reservation, outcome) => memory.settle(reservation, outcome),
    clear: (keys) => memory.clear(keys),
    room: (key, window) => memory.room(key, window),
    async flush() {
      while (writing) await writing;
    },
  };
}
