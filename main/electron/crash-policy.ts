/**
 * The crash-loop breaker for the renderer (`render-process-gone`): reload after a crash, but if
 * the renderer keeps dying (3 times in 60 s by default) stop reloading and show the
 * out-of-service page, so a broken build does not spin forever.
 */

export interface CrashLoopBreakerOptions {
  maxCrashes: number;
  windowMs: number;
  now: () => number;
}

export type CrashDecision = 'reload' | 'out-of-service';

export interface CrashLoopBreaker {
  /** Records one crash and says what to do about it. */
  recordCrash(): CrashDecision;
  /** Crashes still inside the window. */
  recentCrashes(): number;
}

/** Renderer exits that are not crashes (the station closed the window itself). */
export function isRendererCrash(reason: string): boolean {
  return reason !== 'clean-exit';
}

/** Creates a breaker; defaults to 3 crashes in 60 seconds. */
export function createCrashLoopBreaker(options: Partial<CrashLoopBreakerOptions> = {}): CrashLoopBreaker {
  const maxCrashes = options.maxCrashes ?? 3;
  const windowMs = options.windowMs ?? 60_000;
  const now = options.now ?? Date.now;
  let crashes: number[] = [];
  const prune = (): void => {
    const cutoff = now() - windowMs;
    crashes = crashes.filter((at) => at > cutoff);
  };
  return {
    recordCrash() {
      crashes.push(now());
      prune();
      return crashes.length >= maxCrashes ? 'out-of-service' : 'reload';
    },
    recentCrashes() {
      prune();
      return crashes.length;
    },
  };
}
