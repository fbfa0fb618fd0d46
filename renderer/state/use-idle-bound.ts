import { useEffect, useRef, useState } from 'react';
import type { IdleBound } from './app-state';

/**
 * Runs the timers of the screen's {@link IdleBound}: one at `warnAt` (the returned clock moves, so
 * the warning appears) and one at `endsAt` (calls `onReached`). Both are cleared whenever the
 * bound changes and when the component unmounts, so a reset never fires for a screen that is gone.
 *
 * @returns the time (epoch ms) of the last tick, to pass to `selectIdleWarning`.
 */
export function useIdleBound(bound: IdleBound | undefined, onReached: () => void): number {
  const [now, setNow] = useState(() => Date.now());
  const onReachedRef = useRef(onReached);
  useEffect(() => {
    onReachedRef.current = onReached;
  }, [onReached]);

  const warnAt = bound?.warnAt;
  const endsAt = bound?.endsAt;
  useEffect(() => {
    if (endsAt === undefined) return undefined;
    const start = Date.now();
    const timers: ReturnType<typeof setTimeout>[] = [];
    // A warning already due (e.g. a visit read late) shows on the next tick.
    if (warnAt !== undefined) timers.push(setTimeout(() => setNow(Date.now()), Math.max(0, warnAt - start)));
    timers.push(
      setTimeout(
        () => {
          setNow(Date.now());
          onReachedRef.current();
        },
        Math.max(0, endsAt - start),
      ),
    );
    return () => {
      for (const timer of timers) clearTimeout(timer);
    };
  }, [warnAt, endsAt]);
  return now;
}
