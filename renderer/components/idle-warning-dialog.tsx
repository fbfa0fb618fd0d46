import { useEffect, useId, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useSecondsLeft } from '../state/use-seconds-left';

/** Props of {@link IdleWarningDialog}. */
export interface IdleWarningDialogProps {
  /** When main will reset the station (epoch ms). */
  deadline: number;
  onStillHere(): void;
}

/**
 * "Are you still there?" with a countdown (WCAG 2.2.1: warn before a time limit and let the
 * person extend it). Modal: the app behind it is made inert while it is open, and focus returns
 * where it was when it closes.
 */
export function IdleWarningDialog({ deadline, onStillHere }: IdleWarningDialogProps) {
  const { t } = useTranslation();
  const secondsLeft = useSecondsLeft(deadline) ?? 0;
  const buttonRef = useRef<HTMLButtonElement>(null);
  const ids = useId();

  useEffect(() => {
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    buttonRef.current?.focus();
    return () => {
      if (previous?.isConnected) previous.focus();
    };
  }, []);

  return (
    <div className="dialog-backdrop">
      <div
        className="dialog"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby={`${ids}-heading`}
        aria-describedby={`${ids}-countdown`}
      >
        <h2 id={`${ids}-heading`}>{t('idleWarning.heading')}</h2>
        <p id={`${ids}-countdown`} role="timer">
          {t('idleWarning.countdown', { count: secondsLeft })}
        </p>
        <button ref={buttonRef} type="button" className="button primary" onClick={onStillHere}>
          {t('idleWarning.stillHere')}
        </button>
      </div>
    </div>
  );
}
