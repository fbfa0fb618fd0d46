import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { MAX_PASSWORD_LENGTH, MAX_USERNAME_LENGTH } from '../../main/contract';
import type { AdminCheckReport, AdminTestSignInResult } from '../../main/contract/admin';
import { CheckReport } from './check-report';
import { MAX_PIN_DIGITS, pinDigits } from './pin-pad';
import type { AdminSession } from './use-admin';

/** Props of {@link ToolsSection}. */
export interface ToolsSectionProps {
  session: AdminSession;
  report: AdminCheckReport | undefined;
  checking: boolean;
  onRunChecks(): Promise<void>;
  onLock(): void;
  onLeave(): void;
}

/** Test a directory sign-in, run the Duo check, change the PIN, restart, exit, lock. */
export function ToolsSection({ session, report, checking, onRunChecks, onLock, onLeave }: ToolsSectionProps) {
  const { t } = useTranslation();
  const [duoRun, setDuoRun] = useState(false);

  const leaveWith = async (method: 'restart' | 'exit') => {
    const done = await session.request((token) => session.api[method]({ token }));
    if (done) onLeave();
  };

  return (
    <section className="admin-section" aria-labelledby="admin-tools">
      <h2 id="admin-tools">{t('admin.tools.heading')}</h2>
      <TestSignIn session={session} />
      <h3>{t('admin.tools.duoCheck')}</h3>
      <div aria-live="polite">
        {duoRun && checking ? <p>{t('admin.check.running')}</p> : null}
        {duoRun && !checking && report ? (
          <CheckReport report={{ ...report, directory: undefined }} headingLevel={4} />
        ) : null}
      </div>
      <button
        type="button"
        className="button secondary"
        disabled={checking}
        onClick={() => {
          setDuoRun(true);
          void onRunChecks();
        }}
      >
        {t('admin.tools.runDuoCheck')}
      </button>
      <ChangePin session={session} />
      <h3>{t('admin.tools.station')}</h3>
      <div className="admin-actions">
        <button type="button" className="button secondary" onClick={() => void leaveWith('restart')}>
          {t('admin.tools.restart')}
        </button>
        <button type="button" className="button secondary" onClick={() => void leaveWith('exit')}>
          {t('admin.tools.exit')}
        </button>
        <button type="button" className="button primary" onClick={onLock}>
          {t('admin.tools.lock')}
        </button>
      </div>
    </section>
  );
}

function TestSignIn({ session }: { session: AdminSession }) {
  const { t } = useTranslation();
  const ids = useId();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [result, setResult] = useState<AdminTestSignInResult>();
  const [running, setRunning] = useState(false);

  const run = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const request = { username, password };
    // The password is not kept once sent.
    setPassword('');
    setRunning(true);
    const answer = await session.request((token) => session.api.testSignIn({ token, ...request }));
    setRunning(false);
    if (answer) setResult(answer);
  };

  return (
    <form className="admin-form" onSubmit={(event) => void run(event)} noValidate>
      <h3>{t('admin.tools.testSignIn')}</h3>
      <div className="field">
        <label htmlFor={`${ids}-user`}>{t('admin.tools.username')}</label>
        <input
          id={`${ids}-user`}
          type="text"
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          maxLength={MAX_USERNAME_LENGTH}
          value={username}
          onChange={(event) => setUsername(event.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor={`${ids}-password`}>{t('admin.tools.password')}</label>
        <input
          id={`${ids}-password`}
          type="password"
          autoComplete="off"
          maxLength={MAX_PASSWORD_LENGTH}
          value={password}
          onChange={(event) => setPassword(event.target.value)}
        />
      </div>
      <button type="submit" className="button secondary" disabled={running}>
        {t('admin.tools.runTestSignIn')}
      </button>
      <div aria-live="polite" className="tool-result">
        {result ? (
          <p>
            {result.displayName
              ? t('admin.tools.resultNamed', { result: result.result, name: result.displayName })
              : t('admin.tools.result', { result: result.result })}
          </p>
        ) : null}
      </div>
    </form>
  );
}

function ChangePin({ session }: { session: AdminSession }) {
  const { t } = useTranslation();
  const ids = useId();
  const [pin, setPin] = useState('');
  const [confirm, setConfirm] = useState('');
  const [message, setMessage] = useState<'pinChanged' | 'pinMismatch' | 'pin-format' | 'unavailable'>();

  const change = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (pin === '') return;
    const next = pin;
    const same = pin === confirm;
    setPin('');
    setConfirm('');
    if (!same) {
      setMessage('pinMismatch');
      return;
    }
    const result = await session.request((token) => session.api.changePin({ token, pin: next }));
    if (!result) return;
    setMessage(result.ok ? 'pinChanged' : result.reason);
  };

  const text =
    message === 'pinChanged' || message === 'pinMismatch'
      ? t(`admin.tools.${message}`)
      : message
        ? t(`admin.pin.failures.${message}`)
        : undefined;

  return (
    <form className="admin-form" onSubmit={(event) => void change(event)} noValidate>
      <h3>{t('admin.tools.changePin')}</h3>
      <div className="field">
        <label htmlFor={`${ids}-pin`}>{t('admin.tools.newPin')}</label>
        <input
          id={`${ids}-pin`}
          type="password"
          inputMode="numeric"
          pattern="[0-9]*"
          autoComplete="off"
          maxLength={MAX_PIN_DIGITS}
          value={pin}
          onChange={(event) => setPin(pinDigits(event.target.value))}
        />
      </div>
      <div className="field">
        <label htmlFor={`${ids}-confirm`}>{t('admin.tools.confirmPin')}</label>
        <input
          id={`${ids}-confirm`}
          type="password"
          inputMode="numeric"
          pattern="[0-9]*"
          autoComplete="off"
          maxLength={MAX_PIN_DIGITS}
          value={confirm}
          onChange={(event) => setConfirm(pinDigits(event.target.value))}
        />
      </div>
      <button type="submit" className="button secondary">
        {t('admin.tools.changePin')}
      </button>
      <div aria-live="polite">{text ? <p className="notice">{text}</p> : null}</div>
    </form>
  );
}
