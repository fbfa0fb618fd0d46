/**
 * Where the PIN gate keeps its attempt count and lockout across restarts: one small JSON file in
 * the station's state folder (mode 0600, replaced atomically), so switching the kiosk off and on
 * again neither ends a lockout nor gives a fresh set of guesses. Written synchronously, at the
 * moment an attempt is reserved (before the scrypt check runs), so a process killed during the
 * check has already counted it. An unreadable or malformed file counts as a lockout that just
 * began: a broken record never grants guesses.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/** The gate's durable state: wrong PINs counted, and the end of a lockout (epoch ms; 0: none). */
export interface PinGateRecord {
  failures: number;
  lockedUntil: number;
}

/** Reads and writes the record; `save` never throws (a write that fails is reported). */
export interface PinGateMemory {
  load(): PinGateRecord;
  save(record: PinGateRecord): void;
}

/** The file name in the state folder. */
export const PIN_GATE_FILE = 'admin-pin-gate.json';

const recordSchema = z
  .object({ failures: z.number().int().min(0).max(1000), lockedUntil: z.number().int().min(0) })
  .strict();

/**
 * The record in `<stateDir>/admin-pin-gate.json`. `now` and `lockoutMs` decide what a damaged
 * record means (a lockout from now); `onError` hears write failures (the name only).
 */
export function pinGateFile(
  stateDir: string,
  options: { now: () => number; lockoutMs: number; onError(error: string): void },
): PinGateMemory {
  const file = path.join(stateDir, PIN_GATE_FILE);
  return {
    load() {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { failures: 0, lockedUntil: 0 };
        options.onError(`unreadable (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
        return { failures: 0, lockedUntil: options.now() + options.lockoutMs };
      }
      try {
        const parsed = recordSchema.safeParse(JSON.parse(text));
        if (parsed.success) return parsed.data;
      } catch {
        // Not JSON: treated as damaged below.
      }
      options.onError('damaged');
      return { failures: 0, lockedUntil: options.now() + options.lockoutMs };
    },
    save(record) {
      const temporary = `${file}.${process.pid}.tmp`;
      try {
        mkdirSync(stateDir, { recursive: true, mode: 0o700 });
        writeFileSync(temporary, JSON.stringify(record), { mode: 0o600 });
        renameSync(temporary, file);
      } catch (error) {
        options.onError(`not written (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
      }
    },
  };
}

/** Keeps the record in memory only (tests, and shells without a state folder). */
export function pinGateInMemory(initial: PinGateRecord = { failures: 0, lockedUntil: 0 }): PinGateMemory {
  let record = { ...initial };
  return {
    load: () => ({ ...record }),
    save: (next) => {
      record = { ...next };
    },
  };
}

/**
 * The shells' record: `<stateDir>/admin-pin-gate.json` with the gate's own lockout as what a
 * damaged record means, and write problems in the operational log.
 */
export function stationPinGateMemory(options: {
  stateDir: string;
  clock: { now(): number };
  settings: { lockoutSeconds: number };
  logger: { error(event: string, fields?: Record<string, unknown>): void };
}): PinGateMemory {
  return pinGateFile(options.stateDir, {
    now: () => options.clock.now(),
    lockoutMs: options.settings.lockoutSeconds * 1000,
    onError: (problem) => options.logger.error('admin-pin-gate-record', { problem }),
  });
}
