import { useEffect, useId, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useSecondsLeft } from '../state/use-seconds-left';

/** Props of {@link IdleWarningDialog}. */
export interface IdleWarningDialogProps {
  /** When the countdown reaches zero (epoch ms). */
  deadline: number;
  /**
   * What happens at zero. `idle`: the station resets unless the person is still there, and
   * "I'm still here" extends. `visit-cap`: the visit's hard limit; nothing can extend it, so the
   * dialog says so and offers "Finish now" and a way back to the time that is left.
   */
  ending: 'idle' | 'visit-cap';
  /** What an idle reset clears: the typed form (sign-in) or the visit. */
  subject: 'form' | 'visit';
  onStillHere(): void;
  onFinishNow(): void;
  onDismiss(): void;
}

/**
 * "Are you still there?" with a countdown (WCAG 2.2.1: warn before a time limit and let the
 * person extend it where it can be extended; say so honestly where it cannot). Modal: the app
 * behind it is made inert while it is open, and focus returns where it was when it closes.
 */
export function IdleWarningDialog({
  deadline,
  ending,
  subject,
  onStillHere,
  onFinishNow,
  onDismiss,
}: IdleWarningDialogProps) {
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

  const cap = ending === 'visit-cap';
  const countdown = cap
    ? t('capWarning.countdown', { count: secondsLeft })
    : subject === 'form'
      ? t('idleWarning.formCountdown', { count: secondsLeft })
      : t('idleWarning.countdown', { count: secondsLeft });

  return (
    <div className="dialog-backdrop">
      <div
        className="dialog"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby={`${ids}-heading`}
        aria-describedby={`${ids}-countdown`}
      >
        <h2 id={`${ids}-heading`}>{cap ? t('capWarning.heading') : t('idleWarning.heading')}</h2>
        <p id={`${ids}-countdown`} role="timer">
          {countdown}
        </p>
        {cap ? (
          <div className="dialog-actions">
            <button ref={buttonRef} type="button" className="button primary" onClick={onFinishNow}>
              {t('capWarning.finishNow')}
            </button>
            <button type="button" className="button secondary" onClick={onDismiss}>
              {t('capWarning.useTimeLeft')}
            </button>
          </div>
        ) : (
          <button ref={buttonRef} type="button" className="button primary" onClick={onStillHere}>
            {t('idleWarning.stillHere')}
          </button>
        )}
      </div>
    </div>
  );
}
