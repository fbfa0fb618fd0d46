/**
 * Remembers a successful Duo health result for a while, so a busy station does not call Duo
 * before every visit. A failure is never remembered: the next visit asks again.
 */
import type { Clock } from '../ports';
import type { DuoHealth } from './types';

/** Wraps `check` so a success is reused for `seconds` (by `checkedAt`) unless `fresh` is asked. */
export function cacheHealthyResult(
  clock: Clock,
  seconds: number,
  check: () => Promise<DuoHealth>,
): (options?: { fresh?: boolean }) => Promise<DuoHealth> {
  let cached: DuoHealth | undefined;
  return async (options) => {
    if (!options?.fresh && cached?.ok && clock.now() - cached.checkedAt < seconds * 1000) return cached;
    const health = await check();
    cached = health.ok ? health : undefined;
    return health;
  };
}
