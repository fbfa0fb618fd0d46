import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Logger } from '../../../../main/core/ports';
import {
  IN_FLIGHT_RETRY_MS,
  MAX_COUNTERS,
  createMemoryThrottleStore,
  type Reservation,
  type ReserveResult,
  type ThrottleLimit,
  type ThrottleWindow,
} from '../../../../main/core/directory/throttle-store';
import {
  MAX_STATE_FILE_BYTES,
  THROTTLE_STATE_FILE,
  createFileThrottleStore,
  type PersistentThrottleStore,
} from '../../../../main/core/directory/throttle-store-file';
import { createFakeClock } from '../../../support/directory-fixtures/fake-clock';

const window: ThrottleWindow = { maxFailures: 3, windowSeconds: 600, lockoutSeconds: 120 };
const limit = (key: string, w: ThrottleWindow = window): ThrottleLimit => ({ key, window: w });

function reserved(result: ReserveResult): Reservation {
  if (!result.ok) throw new Error(`refused by limit ${result.refused}`);
  return result.reservation;
}

/** A logger that keeps what it is told. */
function recordingLogger(): Logger & { lines: { event: string; fields?: Record<string, unknown> }[] } {
  const lines: { event: string; fields?: Record<string, unknown> }[] = [];
  const push = (event: string, fields?: Record<string, unknown>) => void lines.push({ event, fields });
  return { lines, info: push, warn: push, error: push };
}

describe('memory throttle store', () => {
  it('counts slots in flight: a fourth reservation is refused while three are pending', async () => {
    const store = createMemoryThrottleStore(createFakeClock());
    const held = await Promise.all([1, 2, 3].map(() => store.reserve([limit('alice')])));
    expect(held.every((result) => result.ok)).toBe(true);
    expect(await store.reserve([limit('alice')])).toMatchObject({ ok: false, refused: 0 });
  });

  it('gives released slots back and keeps failed ones', async () => {
    const clock = createFakeClock();
    const store = createMemoryThrottleStore(clock);
    const [a, b, c] = await Promise.all(
      [1, 2, 3].map(async () => reserved(await store.reserve([limit('k')]))),
    );
    await store.settle(a!, 'release');
    await store.settle(b!, 'failure');
    expect((await store.reserve([limit('k')])).ok).toBe(true); // c pending + b failed + this one
    expect((await store.reserve([limit('k')])).ok).toBe(false);
    await store.settle(c!, 'failure');
    // Settling twice changes nothing.
    await store.settle(c!, 'release');
    await store.settle(b!, 'release');
    expect((await store.reserve([limit('k')])).ok).toBe(false);
  });

  it('takes a slot in every limit or in none (the first full limit is named)', async () => {
    const store = createMemoryThrottleStore(createFakeClock());
    const small: ThrottleWindow = { ...window, maxFailures: 1 };
    reserved(await store.reserve([limit('station', small)]));
    expect(await store.reserve([limit('bob'), limit('station', small)])).toMatchObject({
      ok: false,
      refused: 1,
    });
    // bob got no slot from the refused attempt: three are still free.
    for (let i = 0; i < 3; i += 1) reserved(await store.reserve([limit('bob')]));
    expect(await store.reserve([limit('bob')])).toMatchObject({ ok: false, refused: 0 });
  });

  it('keeps a full window closed for its whole length, past the cool-down', async () => {
    const clock = createFakeClock();
    const store = createMemoryThrottleStore(clock);
    for (let i = 0; i < 3; i += 1) await store.settle(reserved(await store.reserve([limit('k')])), 'failure');
    expect(await store.reserve([limit('k')])).toMatchObject({ ok: false, retryAfterMs: 600_000 });
    clock.advance(300_000); // cool-down (120 s) over, window not
    expect(await store.reserve([limit('k')])).toMatchObject({ ok: false, retryAfterMs: 300_000 });
    clock.advance(300_000);
    expect((await store.reserve([limit('k')])).ok).toBe(true);
  });

  it('holds the cool-down even when the window has room again', async () => {
    const clock = createFakeClock();
    const store = createMemoryThrottleStore(clock);
    const short: ThrottleWindow = { maxFailures: 2, windowSeconds: 10, lockoutSeconds: 60 };
    for (let i = 0; i < 2; i += 1)
      await store.settle(reserved(await store.reserve([limit('k', short)])), 'failure');
    clock.advance(20_000);
    expect(await store.reserve([limit('k', short)])).toMatchObject({ ok: false, retryAfterMs: 40_000 });
  });

  it('advises a short wait when the window is full only with attempts in flight', async () => {
    const clock = createFakeClock();
    const store = createMemoryThrottleStore(clock);
    await store.settle(reserved(await store.reserve([limit('k')])), 'failure');
    for (let i = 0; i < 2; i += 1) reserved(await store.reserve([limit('k')]));
    expect(await store.reserve([limit('k')])).toMatchObject({ ok: false, retryAfterMs: IN_FLIGHT_RETRY_MS });
  });

  it('clears failures on success but keeps slots in flight', async () => {
    const store = createMemoryThrottleStore(createFakeClock());
    await store.settle(reserved(await store.reserve([limit('k')])), 'failure');
    await store.settle(reserved(await store.reserve([limit('k')])), 'failure');
    const inFlight = reserved(await store.reserve([limit('k')]));
    await store.clear(['k']);
    reserved(await store.reserve([limit('k')]));
    reserved(await store.reserve([limit('k')]));
    expect((await store.reserve([limit('k')])).ok).toBe(false);
    await store.settle(inFlight, 'release');
    expect((await store.reserve([limit('k')])).ok).toBe(true);
  });

  it('never holds a key in clear text', async () => {
    const store = createMemoryThrottleStore(createFakeClock());
    await store.settle(reserved(await store.reserve([limit('name:secret-looking-name')])), 'failure');
    expect(JSON.stringify(store.snapshot())).not.toContain('secret-looking-name');
  });

  it(`remembers at most ${MAX_COUNTERS} counters, forgetting idle ones first`, async () => {
    const clock = createFakeClock();
    const store = createMemoryThrottleStore(clock);
    const first = reserved(await store.reserve([limit('in-flight')]));
    for (let i = 0; i < MAX_COUNTERS + 50; i += 1) {
      await store.settle(reserved(await store.reserve([limit(`spray-${i}`)])), 'failure');
    }
    expect(store.snapshot().counters.length).toBeLessThanOrEqual(MAX_COUNTERS);
    // The counter with a slot in flight was not dropped.
    reserved(await store.reserve([limit('in-flight')]));
    reserved(await store.reserve([limit('in-flight')]));
    expect((await store.reserve([limit('in-flight')])).ok).toBe(false);
    await store.settle(first, 'release');
  });
});

describe('file throttle store', () => {
  let dir: string;
  let file: string;
  const opened: PersistentThrottleStore[] = [];
  /** A file store on `file`, flushed after the test (no write outlives it). */
  const openStore = (deps: Parameters<typeof createFileThrottleStore>[1]) => {
    const store = createFileThrottleStore(file, deps);
    opened.push(store);
    return store;
  };
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'walkup-throttle-'));
    file = path.join(dir, 'state', THROTTLE_STATE_FILE);
  });
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.flush();
    await chmod(dir, 0o700).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps counting across a restart (a new store on the same file)', async () => {
    const clock = createFakeClock();
    const logger = recordingLogger();
    const before = openStore({ clock, logger });
    for (let i = 0; i < 3; i += 1)
      await before.settle(reserved(await before.reserve([limit('name:alice')])), 'failure');
    await before.flush();

    clock.advance(60_000);
    const after = openStore({ clock, logger });
    expect(await after.reserve([limit('name:alice')])).toMatchObject({ ok: false, retryAfterMs: 540_000 });
    expect((await after.reserve([limit('name:bob')])).ok).toBe(true);
    expect(logger.lines).toEqual([]);
  });

  it('writes slots still in flight as failures (the directory may have counted them)', async () => {
    const clock = createFakeClock();
    const before = openStore({ clock, logger: recordingLogger() });
    for (let i = 0; i < 3; i += 1) reserved(await before.reserve([limit('k')]));
    await before.flush();
    const after = openStore({ clock, logger: recordingLogger() });
    expect((await after.reserve([limit('k')])).ok).toBe(false);
  });

  it('writes the file with mode 0600 in a 0700 folder, atomically (no temp file left)', async () => {
    const store = openStore({ clock: createFakeClock(), logger: recordingLogger() });
    await store.settle(reserved(await store.reserve([limit('k')])), 'failure');
    await store.flush();
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(path.dirname(file))).mode & 0o777).toBe(0o700);
    expect(await readdir(path.dirname(file))).toEqual([THROTTLE_STATE_FILE]);
    expect(await readFile(file, 'utf8')).not.toContain('"k"');
  });

  it('coalesces the changes of one moment into few writes and ends with the latest state', async () => {
    const clock = createFakeClock();
    const store = openStore({ clock, logger: recordingLogger() });
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => store.reserve([limit(`u${i}`)])));
    await Promise.all(results.map((result) => store.settle(reserved(result), 'failure')));
    await store.flush();
    const saved = JSON.parse(await readFile(file, 'utf8')) as { counters: unknown[] };
    expect(saved.counters).toHaveLength(50);
  });

  it.each([
    ['not JSON', '{"version":1,'],
    ['JSON of another shape', '{"version":1,"salt":"x","counters":"many"}'],
    ['a future format', '{"version":99}'],
  ])('starts empty, with a log line, when the file holds %s', async (_what, text) => {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, text);
    const logger = recordingLogger();
    const store = openStore({ clock: createFakeClock(), logger });
    expect((await store.reserve([limit('k')])).ok).toBe(true);
    expect(logger.lines).toEqual([
      { event: 'directory.throttle-state-ignored', fields: expect.objectContaining({ file }) },
    ]);
    // The next write replaces the bad file with a good one.
    await store.flush();
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ version: 1 });
  });

  it('does not read a file larger than the bound', async () => {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, ' '.repeat(MAX_STATE_FILE_BYTES + 1));
    const logger = recordingLogger();
    openStore({ clock: createFakeClock(), logger });
    expect(logger.lines[0]?.fields?.why).toMatch(/larger than/);
  });

  it('keeps counting in memory and logs once when the folder cannot be written', async () => {
    if (process.getuid?.() === 0) {
      // root ignores folder permissions; a file where the folder should be fails for everyone.
      await writeFile(path.dirname(file), 'not a folder');
    } else {
      await mkdir(path.dirname(file), { recursive: true });
      await chmod(path.dirname(file), 0o500);
    }
    const logger = recordingLogger();
    const store = openStore({ clock: createFakeClock(), logger });
    for (let i = 0; i < 3; i += 1) {
      await store.settle(reserved(await store.reserve([limit('k')])), 'failure');
      await store.flush();
    }
    expect((await store.reserve([limit('k')])).ok).toBe(false);
    const writeFailures = logger.lines.filter(
      (line) => line.event === 'directory.throttle-state-write-failed',
    );
    expect(writeFailures).toHaveLength(1);
  });
});
