/**
 * Where throttle counters live, behind a small interface with an atomic check-and-reserve, so a
 * shared store (Redis, planned) can implement the same contract later. This module holds the
 * in-memory store; `throttle-store-file.ts` persists it to the station's state folder.
 *
 * The rules are Walkup's core promise (the kiosk alone can never lock an account), so they are
 * written here rather than taken from a rate-limiting library: a library with fixed windows
 * (rate-limiter-flexible counts per fixed `duration`) lets a burst straddling two windows pass
 * 2 × maxFailures inside one of AD's observation windows, and none of them counts attempts that
 * are still in flight.
 *
 * Semantics of one counter (see throttle.ts for the policy). A window counts in one of two ways:
 * - `after-quiet` (the per-person counters): the model of AD's badPwdCount and its "reset account
 *   lockout counter after". Failures accumulate, and the count goes back to zero only when more
 *   than `windowSeconds` have passed since the LAST failure. A refused attempt never reached the
 *   directory, so it does not extend the quiet period.
 * - `sliding` (station and client windows): at most maxFailures failures in any `windowSeconds`.
 * For both:
 * - `reserve` looks at every limit and, only when all have room, takes one pending slot in each,
 *   in the same synchronous step: an attempt in flight counts like a failure until it is settled,
 *   so twenty simultaneous attempts cannot all pass a check made before any of them failed.
 * - `settle(…, 'failure')` turns the slots into failures (at settle time); `'release'` gives them
 *   back (success, or a failure that does not count).
 * - A counter is full while failures + pending >= maxFailures, and for at least `lockoutSeconds`
 *   after its failures reached maxFailures. A cool-down never clears the window.
 *
 * Keys are kept only as salted SHA-256 digests: a typed username (sometimes a password typed
 * into the wrong field) is never held in the store or written to disk in clear text.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '../ports';

/**
 * One window: `maxFailures` failures, counted over `windowSeconds` as `reset` says, and a
 * cool-down.
 */
export interface ThrottleWindow {
  maxFailures: number;
  windowSeconds: number;
  /**
   * `after-quiet`: the count resets only after `windowSeconds` without a failure (AD's model).
   * `sliding` (the default): failures older than `windowSeconds` drop out one by one.
   */
  reset?: 'after-quiet' | 'sliding';
  /** Least length of the cool-down that starts when the window is full. */
  lockoutSeconds: number;
}

/** One counter an attempt must find room in. */
export interface ThrottleLimit {
  /** Any string; the store keeps only a salted digest of it. */
  key: string;
  window: ThrottleWindow;
}

/** Slots held by one attempt, until `settle`. Opaque to callers. */
export interface Reservation {
  readonly id: number;
  /** Digests of the counters, with their windows. */
  readonly slots: readonly { readonly digest: string; readonly window: ThrottleWindow }[];
  /** When the slots were taken (ms). */
  readonly at: number;
}

/** What `reserve` decided. `refused` is the index in `limits` of the first full counter. */
/** `storeFull`: refused because a new counter was needed and every held counter is live. */
export type ReserveResult =
  | { ok: true; reservation: Reservation }
  | { ok: false; refused: number; retryAfterMs: number; storeFull?: true };

/**
 * The counters of one station. Every method is atomic with respect to every other: the in-memory
 * store does each one synchronously (the Promise only lets a remote store share the contract).
 * No method rejects: a store that cannot persist logs it and keeps counting in memory.
 */
export interface ThrottleStore {
  /** Check-and-reserve: a slot in every limit, or none and the first limit that is full. */
  reserve(limits: readonly ThrottleLimit[]): Promise<ReserveResult>;
  /** Ends a reservation: its slots become failures, or are given back. Idempotent. */
  settle(reservation: Reservation, outcome: 'failure' | 'release'): Promise<void>;
  /** Forgets the failures of these keys (a successful sign-in); slots in flight stay. */
  clear(keys: readonly string[]): Promise<void>;
  /**
   * How many more slots the counter of `key` would give now (`window.maxFailures` less its
   * failures and the slots in flight; 0 while it is full or cooling down). Reads only: a counter
   * that does not exist has the whole window, and none is created.
   */
  room(key: string, window: ThrottleWindow): Promise<number>;
  /** Resolves once everything counted so far is persisted (at once for the memory store). */
  flush(): Promise<void>;
}

/** One counter. Times in ms since the epoch. */
export interface CounterState {
  /** Failure times inside the window, oldest first; at most the window's maxFailures. */
  failures: number[];
  /** Start times of the slots in flight. */
  pending: number[];
  /** End of the cool-down, 0 when none. */
  lockedUntil: number;
  /** The window the counter was last used with (to know when it may be forgotten). */
  window: ThrottleWindow;
}

/** The state a file store saves and loads. */
export interface StoreSnapshot {
  salt: string;
  counters: [digest: string, counter: CounterState][];
}

/** Retry advice (ms) when a counter is full only because of attempts in flight. */
export const IN_FLIGHT_RETRY_MS = 5000;

/**
 * Counters held at most. A counter is dropped only once it holds nothing that still matters
 * (`forgettableAt`), never to make room: forgetting a live counter would hand an attacker a fresh
 * count for the victim. When every counter is live, `reserve` refuses attempts that would need a
 * new counter (`storeFull`), while attempts whose counters exist go on. Memory: a counter is a
 * map entry with a 22-character digest and at most maxFailures times, well under 1 KB, so the
 * bound is under 50 MB. With the default limits the all-clients ceiling (1,000 failures per
 * 5 min, each creating at most a name, an account and a client counter) keeps the live counters
 * near 3 × 1,000 × 30 min / 5 min = 18,000, well under the bound.
 */
export const MAX_COUNTERS = 50_000;

/** Retry advice (ms) when the store is full of live counters and refuses a new one. */
export const STORE_FULL_RETRY_MS = 60_000;

/** True when a window counts AD's way (reset after a quiet period). */
const resetsAfterQuiet = (window: ThrottleWindow): boolean => window.reset === 'after-quiet';

/** When a counter holds nothing that still matters (ms); Infinity while a slot is in flight. */
export function forgettableAt(counter: CounterState): number {
  if (counter.pending.length > 0) return Infinity;
  const last = counter.failures.at(-1) ?? 0;
  return Math.max(counter.lockedUntil, last + counter.window.windowSeconds * 1000);
}

/** Loaded state with times from the future (a clock set back) clamped, so counters can empty. */
function clampLoaded(counter: CounterState, now: number): CounterState {
  const lockoutMs = counter.window.lockoutSeconds * 1000;
  return {
    ...counter,
    failures: counter.failures.map((at) => Math.min(at, now)).sort((a, b) => a - b),
    pending: [],
    lockedUntil: Math.min(counter.lockedUntil, now + lockoutMs),
  };
}

/**
 * The memory store. `onChange` is called (synchronously, cheaply) after every change, for a
 * persisting wrapper to schedule a write; `initial` is state loaded from disk.
 */
export function createMemoryThrottleStore(
  clock: Clock,
  options: { initial?: StoreSnapshot; onChange?: () => void } = {},
): ThrottleStore & { snapshot(): StoreSnapshot } {
  const salt = options.initial?.salt ?? randomBytes(16).toString('base64url');
  const loadedAt = clock.now();
  // Map order = least recently used first (a touched counter is moved to the end).
  const counters = new Map<string, CounterState>(
    (options.initial?.counters ?? []).map(([digest, counter]) => [digest, clampLoaded(counter, loadedAt)]),
  );
  const live = new Set<number>();
  let nextId = 1;
  const changed = options.onChange ?? (() => undefined);

  const digestOf = (key: string): string =>
    createHash('sha256').update(salt).update('\0').update(key).digest('base64url').slice(0, 22);

  /**
   * Drops failures that no longer count at time `now`. For `after-quiet`, a slot in flight may be
   * a bad password the directory is counting at this very moment, so no quiet period runs while
   * any slot is in flight.
   */
  const prune = (counter: CounterState, now: number): void => {
    const { windowSeconds, maxFailures } = counter.window;
    const horizon = now - windowSeconds * 1000;
    let drop = 0;
    if (resetsAfterQuiet(counter.window)) {
      // AD's model: the whole count goes once the last failure is more than the window ago.
      const last = counter.pending.length > 0 ? now : (counter.failures.at(-1) ?? now);
      // AD keeps the count while badPasswordTime + window >= now. Walkup records a failure when
      // the answer arrives, strictly after the directory stamped it, so resetting at exactly
      // `window` after Walkup's time is still strictly after the directory's own reset.
      if (counter.failures.length > 0 && last <= horizon) drop = counter.failures.length;
    } else {
      while (drop < counter.failures.length && (counter.failures[drop] ?? 0) <= horizon) drop += 1;
    }
    // Only the newest maxFailures failures ever decide anything.
    drop = Math.max(drop, counter.failures.length - maxFailures);
    if (drop > 0) counter.failures.splice(0, drop);
  };

  /** Until when the counter refuses another slot (0 = it has room now). */
  const fullUntil = (counter: CounterState, window: ThrottleWindow, now: number): number => {
    counter.window = window;
    prune(counter, now);
    const used = counter.failures.length + counter.pending.length;
    let until = counter.lockedUntil > now ? counter.lockedUntil : 0;
    if (counter.failures.length >= window.maxFailures && resetsAfterQuiet(window)) {
      // Room comes back when the count resets, the window after the last failure.
      const last = counter.failures.at(-1) ?? now;
      until = Math.max(until, last + window.windowSeconds * 1000);
    } else if (counter.failures.length >= window.maxFailures) {
      // Room comes back when the oldest of the newest maxFailures failures leaves the window.
      const oldest = counter.failures[counter.failures.length - window.maxFailures] ?? now;
      until = Math.max(until, oldest + window.windowSeconds * 1000);
    } else if (used >= window.maxFailures) {
      // Full only with attempts still in flight: their answers come within a few seconds, and
      // may give the slots back. Advice to retry soon; the reservation is what protects.
      until = Math.max(until, now + IN_FLIGHT_RETRY_MS);
    }
    return until;
  };

  /** Room for `needed` new counters, dropping only counters that no longer matter. */
  const makeRoom = (needed: number, now: number): boolean => {
    if (counters.size + needed <= MAX_COUNTERS) return true;
    for (const [digest, counter] of counters) {
      if (forgettableAt(counter) <= now) counters.delete(digest);
    }
    return counters.size + needed <= MAX_COUNTERS;
  };

  const touch = (digest: string, counter: CounterState): void => {
    counters.delete(digest);
    counters.set(digest, counter);
  };

  const removePending = (counter: CounterState, at: number): void => {
    const index = counter.pending.indexOf(at);
    if (index >= 0) counter.pending.splice(index, 1);
  };

  const store = {
    reserve(limits: readonly ThrottleLimit[]): Promise<ReserveResult> {
      const now = clock.now();
      const slots = limits.map((limit) => ({ digest: digestOf(limit.key), window: limit.window }));
      // Check every limit, then take every slot: no await in between, so this is one step.
      for (const [index, slot] of slots.entries()) {
        const counter = counters.get(slot.digest);
        const until = counter ? fullUntil(counter, slot.window, now) : 0;
        if (until > now) return Promise.resolve({ ok: false, refused: index, retryAfterMs: until - now });
      }
      const missing = new Set(slots.filter((slot) => !counters.has(slot.digest)).map((slot) => slot.digest));
      if (missing.size > 0 && !makeRoom(missing.size, now)) {
        // Every counter still matters: refuse the new name rather than forget a live count.
        const refused = slots.findIndex((slot) => missing.has(slot.digest));
        return Promise.resolve({ ok: false, refused, retryAfterMs: STORE_FULL_RETRY_MS, storeFull: true });
      }
      for (const slot of slots) {
        const counter = counters.get(slot.digest) ?? {
          failures: [],
          pending: [],
          lockedUntil: 0,
          window: slot.window,
        };
        counter.pending.push(now);
        touch(slot.digest, counter);
      }
      const reservation: Reservation = { id: nextId, slots, at: now };
      nextId += 1;
      live.add(reservation.id);
      changed();
      return Promise.resolve({ ok: true, reservation });
    },

    settle(reservation: Reservation, outcome: 'failure' | 'release'): Promise<void> {
      if (!live.delete(reservation.id)) return Promise.resolve();
      const now = clock.now();
      for (const { digest, window } of reservation.slots) {
        const counter = counters.get(digest);
        if (!counter) continue;
        removePending(counter, reservation.at);
        if (outcome === 'failure') {
          counter.window = window;
          // The directory saw this password at some time after `reservation.at`: whether the
          // count had already reset is judged then (never later, which could reset too early).
          if (resetsAfterQuiet(window)) prune(counter, reservation.at);
          // Recorded at the answer, never earlier than the directory's own time for it.
          counter.failures.push(now);
          prune(counter, now);
          if (counter.failures.length >= window.maxFailures) {
            counter.lockedUntil = Math.max(counter.lockedUntil, now + window.lockoutSeconds * 1000);
          }
        }
        if (forgettableAt(counter) <= now) counters.delete(digest);
      }
      changed();
      return Promise.resolve();
    },

    clear(keys: readonly string[]): Promise<void> {
      for (const key of keys) {
        const digest = digestOf(key);
        const counter = counters.get(digest);
        if (!counter) continue;
        if (counter.pending.length === 0) counters.delete(digest);
        else Object.assign(counter, { failures: [], lockedUntil: 0 });
      }
      changed();
      return Promise.resolve();
    },

    room(key: string, window: ThrottleWindow): Promise<number> {
      const now = clock.now();
      const counter = counters.get(digestOf(key));
      if (!counter) return Promise.resolve(window.maxFailures);
      if (fullUntil(counter, window, now) > now) return Promise.resolve(0);
      const used = counter.failures.length + counter.pending.length;
      return Promise.resolve(Math.max(0, window.maxFailures - used));
    },

    flush: () => Promise.resolve(),

    /**
     * The state to persist. Slots in flight are written as failures: if the station stops before
     * the answer comes, the directory may well have counted that password.
     */
    snapshot(): StoreSnapshot {
      const now = clock.now();
      const saved: StoreSnapshot['counters'] = [];
      for (const [digest, counter] of counters) {
        const failures = [...counter.failures, ...counter.pending]
          .sort((a, b) => a - b)
          .slice(-counter.window.maxFailures);
        const state: CounterState = { ...counter, failures, pending: [] };
        if (forgettableAt(state) > now) saved.push([digest, state]);
      }
      return { salt, counters: saved };
    },
  };
  return store;
}
