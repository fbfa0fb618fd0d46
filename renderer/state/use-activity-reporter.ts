import { useEffect, useRef } from 'react';

/** Input that shows a person is at the station. */
const activityEvents = ['pointerdown', 'keydown', 'input', 'touchstart', 'wheel'] as const;

/** activity() is sent at most this often, however busy the person is. */
export const ACTIVITY_INTERVAL_MS = 5000;

/** Input is noted for the screen's own bound at most this often (a second is its resolution). */
export const INPUT_NOTE_INTERVAL_MS = 1000;

/**
 * Reports user input in this document: to main (which owns the visit's idle timer), throttled to
 * one call per {@link ACTIVITY_INTERVAL_MS}, and to the screen's own bound (`noteInput`, once per
 * {@link INPUT_NOTE_INTERVAL_MS}). Input inside the cross-origin Duo frame is invisible to the
 * page; the long Duo idle time and the "Are you still there?" warning cover that.
 */
export function useActivityReporter(enabled: boolean, report: () => void, noteInput?: () => void): void {
  const lastSentAt = useRef<number | undefined>(undefined);
  const lastNotedAt = useRef<number | undefined>(undefined);
  const reportRef = useRef(report);
  const noteRef = useRef(noteInput);
  useEffect(() => {
    reportRef.current = report;
    noteRef.current = noteInput;
  }, [report, noteInput]);

  useEffect(() => {
    if (!enabled) return undefined;
    const onInput = () => {
      const now = Date.now();
      if (lastNotedAt.current === undefined || now - lastNotedAt.current >= INPUT_NOTE_INTERVAL_MS) {
        lastNotedAt.current = now;
        noteRef.current?.();
      }
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
