import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { AdminGate } from '../../main/contract/admin';
import { ScreenHeading } from '../components/screen-heading';
import { useSecondsLeft } from '../state/use-seconds-left';
import type { AdminPinFailure } from './admin-state';

/** Longest PIN main accepts (6 to 16 digits). */
export const MAX_PIN_DIGITS = 16;

/** Keeps the digits of what was typed or pasted, at most {@link MAX_PIN_DIGITS}. */
export function pinDigits(text: string): string {
  return text.replace(/\D/g, '').slice(0, MAX_PIN_DIGITS);
}

/** Props of {@link PinPad}. */
export interface PinPadProps {
  gate: Exclude<AdminGate, { kind: 'setup' }>;
  failure?: AdminPinFailure;
  onSubmit(pin: string): void;
  onCancel(): void;
  /** Reads the gate again (after a lockout ran out). */
  onRetry(): void;
}

const keypad = ['1', '2', '3', '4', '5', '6', '7', '8', '9'];

/**
 * The PIN pad: big digit buttons and a masked numeric field (typing works too), the attempts
 * left, the lockout countdown, why the admin screen cannot open, and Cancel back to visits. The
 * PIN lives only in this component's state and is cleared after every submission.
 */
export function PinPad({ gate, failure, onSubmit, onCancel, onRetry }: PinPadProps) {
  const { t } = useTranslation();
  const [pin, setPin] = useState('');
  const [lockedAt] = useState(() => Date.now());
  const fieldId = useId();
  const messageId = useId();
  const deadline = gate.kind === 'locked' ? lockedAt + gate.retryAfterSeconds * 1000 : undefined;
  const secondsLeft = useSecondsLeft(deadline);
  const fieldRef = useRef<HTMLInputElement>(null);
  // The PIN field takes focus (after a wrong PIN too: the pad is new for each gate).
  useEffect(() => fieldRef.current?.focus(), []);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (gate.kind !== 'pin' || pin.length === 0) return;
    const typed = pin;
    setPin('');
    onSubmit(typed);
  };

  const failureText = failure && failure !== 'locked' ? t(`admin.pin.failures.${failure}`) : undefined;

  return (
    <div className="screen admin-pin">
      <ScreenHeading focusOnMount={gate.kind !== 'pin'}>{t('admin.pin.heading')}</ScreenHeading>
      {gate.kind === 'unavailable' ? (
        <p className="notice" role="alert">
          {t(`admin.pin.unavailable.${gate.reason}`)}
        </p>
      ) : null}
      {gate.kind === 'locked' ? (
        <div role="status" aria-live="polite" className="notice">
          {secondsLeft && secondsLeft > 0 ? (
            <p>{t('admin.pin.locked', { count: secondsLeft })}</p>
          ) : (
            <>
              <p>{t('admin.pin.lockedOver')}</p>
              <button type="button" className="button primary" onClick={onRetry}>
                {t('admin.pin.tryAgain')}
              </button>
            </>
          )}
        </div>
      ) : null}
      {gate.kind === 'pin' ? (
        <form className="pin-form" onSubmit={submit} noValidate>
          <div className="field">
            <label htmlFor={fieldId}>{t('admin.pin.label')}</label>
            <input
              ref={fieldRef}
              id={fieldId}
              name="pin"
              type="password"
              inputMode="numeric"
              pattern="[0-9]*"
              autoComplete="off"
              maxLength={MAX_PIN_DIGITS}
              value={pin}
              onChange={(event) => setPin(pinDigits(event.target.value))}
              aria-invalid={failureText ? true : undefined}
              aria-describedby={messageId}
            />
          </div>
          <div id={messageId} role="status" aria-live="polite" className="pin-message">
            {failureText ? <p className="pin-error">{failureText}</p> : null}
            <p>{t('admin.pin.attemptsLeft', { count: gate.attemptsLeft })}</p>
          </div>
          <div className="pin-keypad" role="group" aria-label={t('admin.pin.keypad')}>
            {keypad.map((digit) => (
              <button
                key={digit}
                type="button"
                className="button secondary pin-key"
                onClick={() => setPin((current) => pinDigits(current + digit))}
              >
                {digit}
              </button>
            ))}
            <button
              type="button"
              className="button secondary pin-key"
              aria-label={t('admin.pin.backspace')}
              onClick={() => setPin((current) => current.slice(0, -1))}
            >
              <span aria-hidden="true">⌫</span>
            </button>
            <button
              type="button"
              className="button secondary pin-key"
              onClick={() => setPin((current) => pinDigits(current + '0'))}
            >
              0
            </button>
            <button type="submit" className="button primary pin-key">
              {t('admin.pin.submit')}
            </button>
          </div>
        </form>
      ) : null}
      <div className="admin-actions">
        <button type="button" className="button secondary" onClick={onCancel}>
          {t('admin.pin.cancel')}
        </button>
      </div>
    </div>
  );
}
