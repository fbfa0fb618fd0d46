import {
  Suspense,
  lazy,
  useEffect,
  useId,
  useRef,
  useState,
  type FormEvent,
  type KeyboardEvent,
} from 'react';
import { useTranslation } from 'react-i18next';
import {
  MAX_PASSWORD_LENGTH,
  MAX_USERNAME_LENGTH,
  type SignInFields,
  type StationInfo,
} from '../../main/contract';
import type { SupportedLanguage } from '../../main/contract/languages';
import { DemoAccounts } from '../components/demo-accounts';
import { LanguagePicker } from '../components/language-picker';
import { ScreenHeading } from '../components/screen-heading';
import { VisitProgress } from '../components/visit-progress';
import { signInFailureMessages, signInNoticeMessage } from '../i18n/messages';
import type { SignInFailure, SignInNotice } from '../state/app-state';
import { readTouchEnvironment, useOnScreenKeyboard } from '../touch/use-on-screen-keyboard';

// The on-screen keyboard (and simple-keyboard with it) loads only when it is to be shown, so the
// first screen's JavaScript stays small (test/integration/renderer-size.test.ts).
const OnScreenKeyboard = lazy(() => import('../components/on-screen-keyboard'));

type EmptyField = keyof SignInFields;

/** Whether a field holds nothing but white space (main refuses such a value as empty). */
function isBlank(value: string): boolean {
  return value.trim() === '';
}

/**
 * The fields left empty, in the form's order. A courtesy check before anything is sent, so that
 * an empty form costs no round trip and no support reference; main's own input checks stay the
 * authority for everything else (length, control characters).
 */
export function emptySignInFields(values: SignInFields): EmptyField[] {
  return (['username', 'password'] as const).filter((field) => isBlank(values[field]));
}

/** Props of {@link SignIn}. */
export interface SignInProps {
  station: StationInfo;
  /** The fields, owned by the app state so they survive the Checking screen. */
  values: SignInFields;
  failure?: SignInFailure;
  /** Why the previous visit ended (or the last attempt did not count), as a quiet notice. */
  resetNotice?: SignInNotice;
  /** The "Show password" toggle, owned by the app state so that every reset hides it again. */
  passwordShown: boolean;
  onChange(field: keyof SignInFields, value: string): void;
  onTogglePassword(): void;
  onSubmit(): void;
  /** The language the screens are in now; with `onPickLanguage`, the language picker shows. */
  language?: SupportedLanguage;
  onPickLanguage?(language: SupportedLanguage): void;
}

/**
 * The sign-in screen, after the welcome's "Start" (or Failed's "Try again"), with the language
 * picker. Values go to main byte-exact: nothing is trimmed, paste works, and the password can be
 * shown. Which fields keep their value after a refusal is decided in
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
  language,
  onPickLanguage,
}: SignInProps) {
  const { t } = useTranslation();
  const notice = resetNotice ? signInNoticeMessage(t, resetNotice) : undefined;
  const usernameRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  const ids = useId();
  const usernameId = `${ids}-username`;
  const passwordId = `${ids}-password`;
  const errorId = `${ids}-error`;
  const capsLockId = `${ids}-caps-lock`;

  // Fields left empty at the last press of "Sign in": named here, nothing is sent.
  const [emptyFields, setEmptyFields] = useState<readonly EmptyField[]>([]);
  const [capsLock, setCapsLock] = useState(false);

  // The on-screen keyboard (issue #12): whether it shows (renderer/touch), and the field its keys
  // type into: the one focused last. While it shows, the system's own touch keyboard stays
  // closed (inputmode="none").
  const formRef = useRef<HTMLFormElement>(null);
  const [touch] = useState(readTouchEnvironment);
  const keyboard = useOnScreenKeyboard(station.onScreenKeyboard, touch);
  const [keyboardField, setKeyboardField] = useState<EmptyField>('username');
  const inputMode = keyboard.shown ? 'none' : 'text';
  const toggleKeyboard = () => {
    keyboard.toggle();
    // Back to the field, with its caret, when the keyboard comes up.
    if (!keyboard.shown) (keyboardField === 'username' ? usernameRef : passwordRef).current?.focus();
  };

  const usernameAtFault =
    emptyFields.includes('username') ||
    (failure?.reason === 'invalid-input' && failure.detail?.startsWith('username') === true);
  // Only a refusal that is about what was typed marks a field: a throttled, paused or
  // helpdesk refusal says nothing about the password, which may well have been right.
  const passwordAtFault =
    emptyFields.includes('password') ||
    failure?.reason === 'invalid-credentials' ||
    (failure?.reason === 'invalid-input' && failure.detail?.startsWith('password') === true);

  // On arrival, focus the field to fill in: the password after a refusal (the username is
  // kept, the password cleared), otherwise the username.
  const focusPasswordFirst =
    failure !== undefined && !usernameAtFault && values.username !== '' && emptyFields.length === 0;
  useEffect(() => {
    (focusPasswordFirst ? passwordRef : usernameRef).current?.focus();
  }, [focusPasswordFirst]);

  const change = (field: keyof SignInFields, value: string) => {
    if (emptyFields.includes(field) && !isBlank(value)) {
      setEmptyFields(emptyFields.filter((name) => name !== field));
    }
    onChange(field, value);
  };

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const empty = emptySignInFields(values);
    setEmptyFields(empty);
    if (empty.length > 0) {
      (empty[0] === 'username' ? usernameRef : passwordRef).current?.focus();
      return;
    }
    onSubmit();
  };

  // Caps Lock as the last key event on the password field reports it (UI Events,
  // KeyboardEvent.getModifierState); the warning goes when the field is left.
  const noteCapsLock = (event: KeyboardEvent<HTMLInputElement>) => {
    setCapsLock(event.getModifierState('CapsLock'));
  };

  return (
    <div className="screen sign-in">
      <VisitProgress current="sign-in" />
      <ScreenHeading focusOnMount={false}>{t('signIn.heading')}</ScreenHeading>
      <p className="lead">{t('signIn.intro')}</p>
      {notice ? (
        <p className="notice" role="status">
          {notice}
        </p>
      ) : null}
      <form ref={formRef} className="sign-in-form" onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor={usernameId}>{t('signIn.username')}</label>
          <input
            ref={usernameRef}
            id={usernameId}
            name="username"
            type="text"
            value={values.username}
            onChange={(event) => change('username', event.target.value)}
            // The limit main enforces (the contract's), so over-long input cannot be typed or pasted.
            maxLength={MAX_USERNAME_LENGTH}
            inputMode={inputMode}
            onFocus={() => setKeyboardField('username')}
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
              onChange={(event) => change('password', event.target.value)}
              maxLength={MAX_PASSWORD_LENGTH}
              inputMode={inputMode}
              onFocus={() => setKeyboardField('password')}
              enterKeyHint="go"
              autoComplete="off"
              autoCapitalize="none"
              autoCorrect="off"
              spellCheck={false}
              aria-invalid={passwordAtFault ? true : undefined}
              aria-describedby={
                [passwordAtFault ? errorId : '', capsLock ? capsLockId : ''].join(' ').trim() || undefined
              }
              onKeyDown={noteCapsLock}
              onKeyUp={noteCapsLock}
              onBlur={() => setCapsLock(false)}
            />
            {/* The name says what a press does (WAI-ARIA APG, Button: a toggle whose label
                changes has no aria-pressed); the outline marks the shown state without colour. */}
            <button
              type="button"
              className={
                passwordShown ? 'button secondary password-toggle shown' : 'button secondary password-toggle'
              }
              aria-controls={passwordId}
              onClick={onTogglePassword}
            >
              {passwordShown ? t('signIn.hidePassword') : t('signIn.showPassword')}
            </button>
          </div>
          <div id={capsLockId} className="caps-lock" aria-live="polite">
            {capsLock ? <p>{t('signIn.capsLock')}</p> : null}
          </div>
        </div>
        <div id={errorId} className="sign-in-error" role="alert">
          {emptyFields.length > 0 ? (
            emptyFields.map((field) => <p key={field}>{t(`inputProblems.${field}-empty`)}</p>)
          ) : failure ? (
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
      {keyboard.offered ? (
        <div className="keyboard-toggle-row">
          <button type="button" className="button secondary keyboard-toggle" onClick={toggleKeyboard}>
            {keyboard.shown ? t('keyboard.hide') : t('keyboard.show')}
          </button>
        </div>
      ) : null}
      {keyboard.shown ? (
        <Suspense fallback={null}>
          <OnScreenKeyboard
            target={keyboardField}
            values={values}
            onChange={change}
            onEnter={() => formRef.current?.requestSubmit()}
            rootRef={keyboard.rootRef}
          />
        </Suspense>
      ) : null}
      {language && onPickLanguage ? <LanguagePicker current={language} onPick={onPickLanguage} /> : null}
      {station.demo && station.demo.users.length > 0 ? <DemoAccounts users={station.demo.users} /> : null}
    </div>
  );
}
