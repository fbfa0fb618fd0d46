import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ResetReason, SignInRequest, StationInfo } from '../../main/contract';
import { DemoAccounts } from '../components/demo-accounts';
import { ScreenHeading } from '../components/screen-heading';
import { signInFailureMessages } from '../i18n/messages';
import type { SignInFailure } from '../state/app-state';

/** Props of {@link SignIn}. */
export interface SignInProps {
  station: StationInfo;
  /** The fields, owned by the app state so they survive the Checking screen. */
  values: SignInRequest;
  failure?: SignInFailure;
  /** Why the previous visit ended, shown once as a quiet notice. */
  resetNotice?: ResetReason;
  onChange(field: keyof SignInRequest, value: string): void;
  onSubmit(): void;
}

/** Resets that deserve a word to the next person; the ordinary endings need none. */
const noticeworthyResets: readonly ResetReason[] = ['idle', 'visit-cap', 'admin', 'renderer-crash'];

/**
 * The welcome and sign-in screen. Values go to main byte-exact: nothing is trimmed, paste works,
 * and the password can be shown. Which fields keep their value after a refusal is decided in
 * the app state (the password is cleared unless the refusal was invalid-input).
 */
export function SignIn({ station, values, failure, resetNotice, onChange, onSubmit }: SignInProps) {
  const { t } = useTranslation();
  const [showPassword, setShowPassword] = useState(false);
  const usernameRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  const ids = useId();
  const usernameId = `${ids}-username`;
  const passwordId = `${ids}-password`;
  const errorId = `${ids}-error`;

  const usernameAtFault = failure?.reason === 'invalid-input' && failure.detail?.startsWith('username');
  const passwordAtFault = failure !== undefined && !usernameAtFault;

  // On arrival, focus the field to fill in: the password after a refusal (the username is
  // kept), otherwise the username.
  const focusPasswordFirst = passwordAtFault && values.username !== '';
  useEffect(() => {
    (focusPasswordFirst ? passwordRef : usernameRef).current?.focus();
  }, [focusPasswordFirst]);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    onSubmit();
  };

  return (
    <div className="screen sign-in">
      <ScreenHeading focusOnMount={false}>{t('signIn.heading')}</ScreenHeading>
      <p className="lead">{t('signIn.intro')}</p>
      {resetNotice && noticeworthyResets.includes(resetNotice) ? (
        <p className="notice" role="status">
          {t(`resetNotices.${resetNotice}`)}
        </p>
      ) : null}
      <form className="sign-in-form" onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor={usernameId}>{t('signIn.username')}</label>
          <input
            ref={usernameRef}
            id={usernameId}
            name="username"
            type="text"
            value={values.username}
            onChange={(event) => onChange('username', event.target.value)}
            autoComplete="off"
            autoCapitalize="none"
            autoCorrect="off"
            spellCheck={false}
            aria-invalid={usernameAtFault ? true : undefined}
            aria-describedby={usernameAtFault ? errorId : undefined}
          />
        </div>
        <div className="field">
          <label htmlFor={passwordId}>{t('signIn.password')}</label>
          <div className="password-row">
            <input
              ref={passwordRef}
              id={passwordId}
              name="password"
              type={showPassword ? 'text' : 'password'}
              value={values.password}
              onChange={(event) => onChange('password', event.target.value)}
              autoComplete="off"
              autoCapitalize="none"
              autoCorrect="off"
              spellCheck={false}
              aria-invalid={passwordAtFault ? true : undefined}
              aria-describedby={passwordAtFault ? errorId : undefined}
            />
            <button
              type="button"
              className="button secondary"
              aria-pressed={showPassword}
              aria-controls={passwordId}
              onClick={() => setShowPassword((shown) => !shown)}
            >
              {t('signIn.showPassword')}
            </button>
          </div>
        </div>
        <div id={errorId} className="sign-in-error" role="alert">
          {failure ? (
            <>
              {signInFailureMessages(t, failure).map((message) => (
                <p key={message}>{message}</p>
              ))}
              <p className="reference">{t('signIn.reference', { reference: failure.reference })}</p>
            </>
          ) : null}
        </div>
        <button type="submit" className="button primary">
          {t('signIn.submit')}
        </button>
      </form>
      {station.demo && station.demo.users.length > 0 ? <DemoAccounts users={station.demo.users} /> : null}
    </div>
  );
}
