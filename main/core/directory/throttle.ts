/**
 * Failure throttling per username and per station. The per-user limit stays below typical AD
 * lockout thresholds so the kiosk cannot be used to lock people out (ASVS 2.2.1); the
 * per-station limit slows down password spraying across many usernames.
 *
 * The window slides and a cool-down never clears it: in any `windowSeconds` at most
 * `maxFailures` failed attempts reach the directory. That is the guarantee an admin can check
 * against AD's policy: with `windowSeconds` >= AD's "reset account lockout counter after" and
 * `maxFailures` below AD's lockout threshold, the kiosk alone cannot lock an account. (Clearing
 * the count when a cool-down started would allow a second burst as soon as it ended, inside AD's
 * observation window.) `lockoutSeconds` is the least a cool-down lasts.
 *
 * Time comes from the injected Clock, so tests run with a fake clock.
 */
import type { DirectoryConfig } from '../config/schema';
import type { Clock } from '../ports';

type ThrottleWindow = DirectoryConfig['throttling']['perUser'];

/** Outcome of a throttle check. */
export type ThrottleDecision =
  { allowed: true } | { allowed: false; scope: 'user' | 'station'; retryAfterSeconds: number };

/** In-memory failure counters for one station. */
export interface Throttle {
  /** Whether an attempt for this user may go ahead now. Touches no counters. */
  check(userKey: string): ThrottleDecision;
  /** Counts a failed attempt (wrong password, unknown user) for the user and the station. */
  recordFailure(userKey: string): void;
  /** A successful sign-in clears the user's counter (not the station's). */
  recordSuccess(userKey: string): void;
}

interface Counter {
  /** Failure times (ms) inside the sliding window, oldest first. */
  failures: number[];
  /** Cool-down end (ms), 0 when not cooling down. */
  lockedUntil: number;
}

/** Users remembered at most; older, idle entries are dropped first. */
const MAX_TRACKED_USERS = 10_000;

/** Creates the throttle for one directory. */
export function createThrottle(
  windows: { perUser: ThrottleWindow; perStation: ThrottleWindow },
  clock: Clock,
): Throttle {
  const users = new Map<string, Counter>();
  const station: Counter = { failures: [], lockedUntil: 0 };

  const retryAfter = (blockedUntil: number, now: number) =>
    Math.max(1, Math.ceil((blockedUntil - now) / 1000));

  const pruneWindow = (counter: Counter, window: ThrottleWindow, now: number) => {
    counter.failures = counter.failures.filter((at) => now - at < window.windowSeconds * 1000);
  };

  /**
   * When this counter lets the next attempt through: the end of the cool-down, or the moment
   * the window drops below `maxFailures` failures, whichever is later. 0 = now.
   */
  const blockedUntil = (counter: Counter, window: ThrottleWindow, now: number): number => {
    pruneWindow(counter, window, now);
    const { failures } = counter;
    const windowFull =
      failures.length >= window.maxFailures
        ? (failures[failures.length - window.maxFailures] ?? now) + window.windowSeconds * 1000
        : 0;
    const until = Math.max(counter.lockedUntil, windowFull);
    return until > now ? until : 0;
  };

  const fail = (counter: Counter, window: ThrottleWindow, now: number) => {
    pruneWindow(counter, window, now);
    counter.failures.push(now);
    if (counter.failures.length >= window.maxFailures) {
      counter.lockedUntil = now + window.lockoutSeconds * 1000;
    }
  };

  const prune = (now: number) => {
    if (users.size < MAX_TRACKED_USERS) return;
    const horizon = windows.perUser.windowSeconds * 1000;
    for (const [key, counter] of users) {
      const last = counter.failures.at(-1) ?? 0;
      if (counter.lockedUntil <= now && now - last >= horizon) users.delete(key);
    }
    // Still full (a spray of distinct names): forget the oldest entries, Map keeps insertion order.
    for (const key of users.keys()) {
      if (users.size < MAX_TRACKED_USERS) break;
      users.delete(key);
    }
  };

  return {
    check(userKey) {
      const now = clock.now();
      const stationBlock = blockedUntil(station, windows.perStation, now);
      if (stationBlock > 0) {
        return { allowed: false, scope: 'station', retryAfterSeconds: retryAfter(stationBlock, now) };
      }
      const user = users.get(userKey);
      const userBlock = user ? blockedUntil(user, windows.perUser, now) : 0;
      if (userBlock > 0) {
        return { allowed: false, scope: 'user', retryAfterSeconds: retryAfter(userBlock, now) };
      }
      return { allowed: true };
    },
    recordFailure(userKey) {
      const now = clock.now();
      let user = users.get(userKey);
      if (!user) {
        prune(now);
        user = { failures: [], lockedUntil: 0 };
        users.set(userKey, user);
      }
      fail(user, windows.perUser, now);
      fail(station, windows.perStation, now);
    },
    recordSuccess(userKey) {
      users.delete(userKey);
    },
  };
}
