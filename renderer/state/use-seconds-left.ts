import { useEffect, useState } from 'react';

/**
 * Whole seconds until `deadline` (epoch ms), re-rendering once a second; undefined without a
 * deadline. Never negative.
 */
export function useSecondsLeft(deadline: number | undefined): number | undefined {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (deadline === undefined) return undefined;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [deadline]);
  if (deadline === undefined) return undefined;
  return Math.max(0, Math.ceil((deadline - now) / 1000));
}
