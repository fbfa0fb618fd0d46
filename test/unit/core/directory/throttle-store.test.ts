import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Logger } from '../../../../main/core/ports';
import {
  IN_FLIGHT_RETRY_MS,
  MAX_COUNTERS,
  STORE_FULL_RETRY_MS,
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

  it(`never forgets a live counter to make room: with ${MAX_COUNTERS} live counters a new name is refused`, async () => {
    const clock = createFakeClock();
    const store = createMemoryThrottleStore(clock);
    // The victim's counter is full, and stays full for the window.
    for (let i = 0; i < 3; i += 1)
      await store.settle(reserved(await store.reserve([limit('victim')])), 'failure');
    for (let i = 0; i < MAX_COUNTERS - 1; i += 1) {
      await store.settle(reserved(await store.reserve([limit(`spray-${i}`)])), 'failure');
    }
    // The store is full of counters inside their window: a new name is refused (the station's
    // state, `storeFull`) and the victim is still refused by its own counter.
    expect(await store.reserve([limit('one-more')])).toMatchObject({
      ok: false,
      refused: 0,
      storeFull: true,
      retryAfterMs: STORE_FULL_RETRY_MS,
    });
    expect(await store.reserve([limit('victim')])).toMatchObject({ ok: false, refused: 0 });
    expect(store.snapshot().counters).toHaveLength(MAX_COUNTERS);
    // A name that already has a counter goes on.
    expect((await store.reserve([limit('spray-7')])).ok).toBe(true);
    // Once the window has passed, the counters may go and new names have room again.
    clock.advance(window.windowSeconds * 1000);
    expect((await store.reserve([limit('one-more')])).ok).toBe(true);
  });
});

describe('state loaded after the clock was set back', () => {
  it('clamps failure times and cool-downs from the future to now, so counters still empty', async () => {
    const setBack = 3_600_000;
    const before = createFakeClock(Date.UTC(2026, 0, 1) + setBack);
    const first = createMemoryThrottleStore(before);
    for (let i = 0; i < 3; i += 1) await first.settle(reserved(await first.reserve([limit('k')])), 'failure');
    // The station restarts with its clock an hour earlier (e.g. reset to a wrong time).
    const after = createFakeClock(Date.UTC(2026, 0, 1));
    const second = createMemoryThrottleStore(after, { initial: first.snapshot() });
    // Full for one window from now, not for the hour in the future plus the window.
    expect(await second.reserve([limit('k')])).toMatchObject({
      ok: false,
      retryAfterMs: window.windowSeconds * 1000,
    });
    after.advance(window.windowSeconds * 1000);
    expect((await second.reserve([limit('k')])).ok).toBe(true);
  });
});

describe('after-quiet windows (the model of AD badPwdCount)', () => {
  const quiet: ThrottleWindow = {
    maxFailures: 2,
    windowSeconds: 60,
    lockoutSeconds: 1,
    reset: 'after-quiet',
  };
  const fail = async (store: ReturnType<typeof createMemoryThrottleStore>, key = 'lee') =>
    store.settle(reserved(await store.reserve([limit(key, quiet)])), 'failure');

  it('keeps counting slow failures: 0 s, 40 s, and at 61 s the count has not reset', async () => {
    const clock = createFakeClock();
    const store = createMemoryThrottleStore(clock);
    await fail(store);
    clock.advance(40_000);
    await fail(store);
    clock.advance(21_000);
    // A sliding window would have room at 61 s (the failure at 0 s left it); AD's count is 2
    // until 60 s after the LAST failure.
    expect(await store.reserve([limit('lee', quiet)])).toMatchObject({ ok: false, retryAfterMs: 39_000 });
    clock.advance(39_000);
    expect((await store.reserve([limit('lee', quiet)])).ok).toBe(true);
  });

  it('does not let refused attempts extend the quiet period', async () => {
    const clock = createFakeClock();
    const store = createMemoryThrottleStore(clock);
    await fail(store);
    await fail(store);
    for (let i = 0; i < 5; i += 1) {
      clock.advance(10_000);
      expect((await store.reserve([limit('lee', quiet)])).ok).toBe(false);
    }
    clock.advance(10_000);
    expect((await store.reserve([limit('lee', quiet)])).ok).toBe(true);
  });

  it('never resets while a slot is in flight (the directory may be counting it now)', async () => {
    const clock = createFakeClock();
    const store = createMemoryThrottleStore(clock);
    await fail(store);
    clock.advance(10_000);
    const inFlight = reserved(await store.reserve([limit('lee', quiet)]));
    clock.advance(55_000); // 65 s after the failure, 55 s after the slot was taken
    expect((await store.reserve([limit('lee', quiet)])).ok).toBe(false);
    await store.settle(inFlight, 'failure');
    // Both failures count: the first had not reset when the slot was taken.
    expect(await store.reserve([limit('lee', quiet)])).toMatchObject({ ok: false, retryAfterMs: 60_000 });
  });

  /** A tiny deterministic PRNG (mulberry32), so a failing schedule can be replayed by seed. */
  const prng = (seed: number) => () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };

  it('never lets the directory count reach the threshold, over 2,000 adversarial schedules', async () => {
    // Model of AD / Samba: badPwdCount resets to 0 when more than `resetMs` passed since
    // badPasswordTime, then each bad password adds one; locked at `threshold`.
    for (let seed = 1; seed <= 2000; seed += 1) {
      const random = prng(seed);
      const maxFailures = 1 + Math.floor(random() * 4);
      const threshold = maxFailures + 1;
      const resetMs = (1 + Math.floor(random() * 120)) * 1000;
      const windowSeconds = resetMs / 1000 + Math.floor(random() * 3) * Math.floor(random() * 60);
      const w: ThrottleWindow = { maxFailures, windowSeconds, lockoutSeconds: 1, reset: 'after-quiet' };
      const clock = createFakeClock();
      const store = createMemoryThrottleStore(clock);
      let adCount = 0;
      let adLast = -Infinity;
      const pending: { reservation: Reservation; adAt: number; answerAt: number }[] = [];
      const schedule: string[] = [];
      for (let step = 0; step < 60; step += 1) {
        // Pacing from bursts to just-after-the-window gaps, the attacker's best guesses.
        const gaps = [0, 1, 500, resetMs - 1, resetMs, resetMs + 1, resetMs / 2, random() * 2 * resetMs];
        clock.advance(Math.floor(gaps[Math.floor(random() * gaps.length)] ?? 0));
        // Answers due by now arrive first (the directory stamped them earlier, at adAt).
        for (const item of pending.filter((p) => p.answerAt <= clock.now())) {
          pending.splice(pending.indexOf(item), 1);
          await store.settle(item.reservation, 'failure');
        }
        const result = await store.reserve([limit('victim', w)]);
        schedule.push(`${clock.now()}:${result.ok ? 'sent' : 'refused'}`);
        if (!result.ok) continue;
        // The directory sees the password some time after the slot was taken, before the answer.
        const latency = Math.floor(random() * 3000);
        const adAt = clock.now() + Math.floor(latency / 2);
        if (adAt - adLast > resetMs) adCount = 0;
        adCount += 1;
        adLast = adAt;
        expect(adCount, `seed ${seed}: ${schedule.join(' ')}`).toBeLessThan(threshold);
        pending.push({ reservation: result.reservation, adAt, answerAt: clock.now() + latency });
      }
    }
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

  it(`reloads a store holding ${MAX_COUNTERS} live counters (within the file bound)`, async () => {
    const clock = createFakeClock();
    const before = openStore({ clock, logger: recordingLogger() });
    const quiet: ThrottleWindow = { ...window, reset: 'after-quiet' };
    for (let i = 0; i < 3; i += 1)
      await before.settle(reserved(await before.reserve([limit('victim', quiet)])), 'failure');
    for (let i = 0; i < MAX_COUNTERS - 1; i += 1) {
      await before.settle(reserved(await before.reserve([limit(`spray-${i}`)])), 'failure');
    }
    await before.flush();
    expect((await stat(file)).size).toBeLessThan(MAX_STATE_FILE_BYTES);
    const logger = recordingLogger();
    const after = openStore({ clock, logger });
    expect(logger.lines).toEqual([]);
    expect(await after.reserve([limit('victim', quiet)])).toMatchObject({ ok: false, refused: 0 });
    expect(await after.reserve([limit('someone-new')])).toMatchObject({ ok: false, storeFull: true });
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
