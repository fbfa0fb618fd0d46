import { useEffect, useId, useRef, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import {
  MAX_PASSWORD_LENGTH,
  MAX_USERNAME_LENGTH,
  type SignInRequest,
  type StationInfo,
} from '../../main/contract';
import { DemoAccounts } from '../components/demo-accounts';
import { ScreenHeading } from '../components/screen-heading';
import { signInFailureMessages, signInNoticeMessage } from '../i18n/messages';
import type { SignInFailure, SignInNotice } from '../state/app-state';

/** Props of {@link SignIn}. */
export interface SignInProps {
  station: StationInfo;
  /** The fields, owned by the app state so they survive the Checking screen. */
  values: SignInRequest;
  failure?: SignInFailure;
  /** Why the previous visit ended (or the last attempt did not count), as a quiet notice. */
  resetNotice?: SignInNotice;
  /** The "Show password" toggle, owned by the app state so that every reset hides it again. */
  passwordShown: boolean;
  onChange(field: keyof SignInRequest, value: string): void;
  onTogglePassword(): void;
  onSubmit(): void;
}

/**
 * The welcome and sign-in screen. Values go to main byte-exact: nothing is trimmed, paste works,
 * and the password can be shown. Which fields keep their value after a refusal is decided in
 * the app state: the password is cleared (and hidden) after every refusal, whatever the reason;
 * the username stays until the refused screen's bound (`refusedSeconds`).
 */
export function SignIn({
  station,
  values,
  failure,
  resetNotice,
  passwordShown,
  onChange,
  onTogglePassword,
  onSubmit,
}: SignInProps) {
  const { t } = useTranslation();
  const notice = resetNotice ? signInNoticeMessage(t, resetNotice) : undefined;
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
      {notice ? (
        <p className="notice" role="status">
          {notice}
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
            // The limit main enforces (the contract's), so over-long input cannot be typed or pasted.
            maxLength={MAX_USERNAME_LENGTH}
            inputMode="text"
            enterKeyHint="next"
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
              type={passwordShown ? 'text' : 'password'}
              value={values.password}
              onChange={(event) => onChange('password', event.target.value)}
              maxLength={MAX_PASSWORD_LENGTH}
              enterKeyHint="go"
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
              aria-pressed={passwordShown}
              aria-controls={passwordId}
              onClick={onTogglePassword}
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
