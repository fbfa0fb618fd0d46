import { useEffect, useRef } from 'react';

/** Input that shows a person is at the station. */
const activityEvents = ['pointerdown', 'keydown', 'input', 'touchstart', 'wheel'] as const;

/** activity() is sent at most this often, however busy the person is. */
export const ACTIVITY_INTERVAL_MS = 5000;

/**
 * Reports user input in this document to main (which owns the idle timer), throttled to one
 * call per {@link ACTIVITY_INTERVAL_MS}. Input inside the cross-origin Duo frame is invisible to
 * the page; the long Duo idle time and the "Are you still there?" warning cover that.
 */
export function useActivityReporter(enabled: boolean, report: () => void): void {
  const lastSentAt = useRef<number | undefined>(undefined);
  const reportRef = useRef(report);
  useEffect(() => {
    reportRef.current = report;
  }, [report]);

  useEffect(() => {
    if (!enabled) return undefined;
    const onInput = () => {
      const now = Date.now();
      if (lastSentAt.current !== undefined && now - lastSentAt.current < ACTIVITY_INTERVAL_MS) return;
      lastSentAt.current = now;
      reportRef.current();
    };
    // Bubble phase, on purpose: in the capture phase this runs before React has seen the input,
    // and the re-render its state update causes puts the controlled field back to its old value
    // (the first characters typed were lost in Chromium).
    for (const type of activityEvents) document.addEventListener(type, onInput, { passive: true });
    return () => {
      for (const type of activityEvents) document.removeEventListener(type, onInput);
    };
  }, [enabled]);
}
