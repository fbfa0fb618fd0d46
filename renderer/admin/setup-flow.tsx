import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { AdminCheckReport, AdminSaveResult } from '../../main/contract/admin';
import { ScreenHeading } from '../components/screen-heading';
import { CheckReport } from './check-report';
import { MAX_PIN_DIGITS, pinDigits } from './pin-pad';
import {
  emptySetupForm,
  fieldOfPath,
  missingDirectoryFields,
  missingDuoFields,
  setupDraft,
  type SetupField,
  type SetupForm,
} from './setup-draft';
import type { AdminSession } from './use-admin';

const stepNames = ['pin', 'duo', 'directory', 'test', 'save'] as const;
type StepName = (typeof stepNames)[number];

/** Props of {@link SetupFlow}. */
export interface SetupFlowProps {
  /** Undefined until a PIN exists (first run, step 1). */
  session: AdminSession | undefined;
  /** First run: creates the first PIN; resolves the refusal reason when refused. */
  onCreatePin(pin: string): Promise<string | undefined>;
  onLock(): void;
  /** The station restarts: the overlay closes. */
  onLeave(): void;
}

/**
 * First-run setup: 1 create the admin PIN, 2 Duo, 3 directory, 4 test (the checks of
 * `walkup status` against the draft), 5 save, then restart. A visible step indicator; each new
 * step's heading takes focus. Secrets typed here stay in this component until saved, and are
 * dropped once the save has gone through.
 */
export function SetupFlow({ session, onCreatePin, onLock, onLeave }: SetupFlowProps) {
  const { t } = useTranslation();
  const [step, setStep] = useState<StepName>(session ? 'duo' : 'pin');
  const [form, setForm] = useState<SetupForm>(emptySetupForm);
  const index = stepNames.indexOf(step);

  const go = (name: StepName) => setStep(name);

  let body: ReactNode;
  switch (step) {
    case 'pin':
      body = (
        <PinStep
          onCreatePin={async (pin) => {
            const refused = await onCreatePin(pin);
            if (!refused) go('duo');
            return refused;
          }}
        />
      );
      break;
    case 'duo':
      body = (
        <DuoStep
          duo={form.duo}
          onChange={(duo) => setForm((current) => ({ ...current, duo }))}
          onNext={() => go('directory')}
        />
      );
      break;
    case 'directory':
      body = (
        <DirectoryStep
          directory={form.directory}
          onChange={(directory) => setForm((current) => ({ ...current, directory }))}
          onBack={() => go('duo')}
          onNext={() => go('test')}
        />
      );
      break;
    case 'test':
      body = session ? (
        <TestStep session={session} form={form} onBack={() => go('directory')} onNext={() => go('save')} />
      ) : null;
      break;
    case 'save':
      body = session ? (
        <SaveStep
          session={session}
          form={form}
          onSaved={() => setForm(emptySetupForm)}
          onBack={() => go('test')}
          onLeave={onLeave}
        />
      ) : null;
      break;
  }

  return (
    <div className="screen setup-flow">
      <ScreenHeading focusOnMount={false}>{t('setup.heading')}</ScreenHeading>
      <ol className="setup-steps" aria-label={t('setup.progress')}>
        {stepNames.map((name, position) => (
          <li
            key={name}
            className={position < index ? 'done' : position === index ? 'current' : undefined}
            aria-current={position === index ? 'step' : undefined}
          >
            {t(`setup.steps.${name}`)}
          </li>
        ))}
      </ol>
      <p className="setup-step-count">{t('setup.stepOf', { step: index + 1, count: stepNames.length })}</p>
      <div key={step} className="setup-step">
        <StepHeading>{t(`setup.steps.${step}`)}</StepHeading>
        {body}
      </div>
      {session ? (
        <div className="admin-actions">
          <button type="button" className="button secondary" onClick={onLock}>
            {t('setup.lock')}
          </button>
        </div>
      ) : null}
    </div>
  );
}

/** A step's h2: takes focus when the step appears, so keyboard and screen-reader users start there. */
function StepHeading({ children }: { children: ReactNode }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <h2 ref={ref} tabIndex={-1} className="screen-heading step-heading">
      {children}
    </h2>
  );
}

/** A labelled text (or password) field of the setup form. */
function TextField(props: {
  label: string;
  value: string;
  onChange(value: string): void;
  secret?: boolean;
  invalid?: boolean;
  hint?: string;
  multiline?: boolean;
}) {
  const id = useId();
  const hintId = `${id}-hint`;
  const shared = {
    id,
    value: props.value,
    spellCheck: false,
    // Never offer to save a Duo or directory secret in the browser's password manager.
    autoComplete: 'off',
    'aria-invalid': props.invalid ? true : undefined,
    'aria-describedby': props.hint ? hintId : undefined,
  } as const;
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      {props.multiline ? (
        <textarea {...shared} rows={3} onChange={(event) => props.onChange(event.target.value)} />
      ) : (
        <input
          {...shared}
          type={props.secret ? 'password' : 'text'}
          autoCapitalize="none"
          onChange={(event) => props.onChange(event.target.value)}
        />
      )}
      {props.hint ? (
        <p id={hintId} className="setting-note">
          {props.hint}
        </p>
      ) : null}
    </div>
  );
}

/** "Please fill in: …" for the required fields left empty. */
function MissingFields({ fields }: { fields: readonly SetupField[] }) {
  const { t } = useTranslation();
  return (
    <div role="alert" className="form-error-slot">
      {fields.length > 0 ? (
        <ul className="form-error">
          {fields.map((field) => (
            <li key={field}>{t('setup.required', { field: t(`setup.${field}`) })}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

function StepButtons({ onBack, next }: { onBack?: () => void; next?: ReactNode }) {
  const { t } = useTranslation();
  return (
    <div className="admin-actions">
      {onBack ? (
        <button type="button" className="button secondary" onClick={onBack}>
          {t('setup.back')}
        </button>
      ) : null}
      {next}
    </div>
  );
}

function PinStep({ onCreatePin }: { onCreatePin(pin: string): Promise<string | undefined> }) {
  const { t } = useTranslation();
  const ids = useId();
  const [pin, setPin] = useState('');
  const [confirm, setConfirm] = useState('');
  const [problem, setProblem] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (busy || pin === '') return;
    const chosen = pin;
    const same = pin === confirm;
    setPin('');
    setConfirm('');
    if (!same) {
      setProblem(t('setup.pin.mismatch'));
      return;
    }
    setBusy(true);
    const refused = await onCreatePin(chosen);
    setBusy(false);
    if (refused) setProblem(t(`admin.pin.failures.${refused as 'pin-format'}`));
  };

  return (
    <form className="admin-form" onSubmit={(event) => void submit(event)} noValidate>
      <p>{t('setup.pin.intro')}</p>
      {(['pin', 'confirm'] as const).map((field) => (
        <div className="field" key={field}>
          <label htmlFor={`${ids}-${field}`}>{t(`setup.pin.${field}`)}</label>
          <input
            id={`${ids}-${field}`}
            type="password"
            inputMode="numeric"
            pattern="[0-9]*"
            autoComplete="off"
            maxLength={MAX_PIN_DIGITS}
            value={field === 'pin' ? pin : confirm}
            aria-invalid={problem ? true : undefined}
            onChange={(event) => (field === 'pin' ? setPin : setConfirm)(pinDigits(event.target.value))}
          />
        </div>
      ))}
      <div role="alert" className="form-error-slot">
        {problem ? <p className="form-error">{problem}</p> : null}
      </div>
      <StepButtons
        next={
          <button type="submit" className="button primary" disabled={busy}>
            {t('setup.pin.create')}
          </button>
        }
      />
    </form>
  );
}

function DuoStep(props: { duo: SetupForm['duo']; onChange(duo: SetupForm['duo']): void; onNext(): void }) {
  const { t } = useTranslation();
  const { duo, onChange } = props;
  const [missing, setMissing] = useState<SetupField[]>([]);
  const set = (field: keyof SetupForm['duo']) => (value: string) => onChange({ ...duo, [field]: value });

  const next = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const empty = missingDuoFields(duo);
    setMissing(empty);
    if (empty.length === 0) props.onNext();
  };

  return (
    <form className="admin-form" onSubmit={next} noValidate>
      <p>{t('setup.duo.intro')}</p>
      <fieldset className="choices">
        <legend>{t('setup.duo.sdk')}</legend>
        {(['v4', 'v2'] as const).map((sdk) => (
          <label key={sdk} className="choice">
            <input
              type="radio"
              name="duo-sdk"
              value={sdk}
              checked={duo.sdk === sdk}
              onChange={() => onChange({ ...duo, sdk })}
            />
            {t(`setup.duo.${sdk}`)}
          </label>
        ))}
      </fieldset>
      <TextField
        label={t('setup.duo.apiHost')}
        value={duo.apiHost}
        onChange={set('apiHost')}
        invalid={missing.includes('duo.apiHost')}
      />
      {duo.sdk === 'v4' ? (
        <>
          <TextField
            label={t('setup.duo.clientId')}
            value={duo.clientId}
            onChange={set('clientId')}
            invalid={missing.includes('duo.clientId')}
          />
          <TextField
            label={t('setup.duo.clientSecret')}
            value={duo.clientSecret}
            onChange={set('clientSecret')}
            secret
            invalid={missing.includes('duo.clientSecret')}
          />
        </>
      ) : (
        <>
          <TextField
            label={t('setup.duo.ikey')}
            value={duo.ikey}
            onChange={set('ikey')}
            invalid={missing.includes('duo.ikey')}
          />
          <TextField
            label={t('setup.duo.skey')}
            value={duo.skey}
            onChange={set('skey')}
            secret
            invalid={missing.includes('duo.skey')}
          />
          <p className="notice">{t('setup.duo.akeyNote')}</p>
        </>
      )}
      <MissingFields fields={missing} />
      <StepButtons
        next={
          <button type="submit" className="button primary">
            {t('setup.next')}
          </button>
        }
      />
    </form>
  );
}

function DirectoryStep(props: {
  directory: SetupForm['directory'];
  onChange(directory: SetupForm['directory']): void;
  onBack(): void;
  onNext(): void;
}) {
  const { t } = useTranslation();
  const { directory, onChange } = props;
  const [missing, setMissing] = useState<SetupField[]>([]);
  const set = (field: 'servers' | 'baseDN' | 'bindDN' | 'bindPassword') => (value: string) =>
    onChange({ ...directory, [field]: value });
  const startTlsId = useId();

  const next = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const empty = missingDirectoryFields(directory);
    setMissing(empty);
    if (empty.length === 0) props.onNext();
  };

  return (
    <form className="admin-form" onSubmit={next} noValidate>
      <p>{t('setup.directory.intro')}</p>
      <fieldset className="choices">
        <legend>{t('setup.directory.type')}</legend>
        {(['ad', 'openldap'] as const).map((type) => (
          <label key={type} className="choice">
            <input
              type="radio"
              name="directory-type"
              value={type}
              checked={directory.type === type}
              onChange={() => onChange({ ...directory, type })}
            />
            {t(`setup.directory.${type}`)}
          </label>
        ))}
      </fieldset>
      <TextField
        label={t('setup.directory.servers')}
        value={directory.servers}
        onChange={set('servers')}
        hint={t('setup.directory.serversHint')}
        multiline
        invalid={missing.includes('directory.servers')}
      />
      <div className="field checkbox-field">
        <input
          id={startTlsId}
          type="checkbox"
          checked={directory.startTLS}
          onChange={(event) => onChange({ ...directory, startTLS: event.target.checked })}
        />
        <label htmlFor={startTlsId}>{t('setup.directory.startTLS')}</label>
      </div>
      <TextField
        label={t('setup.directory.baseDN')}
        value={directory.baseDN}
        onChange={set('baseDN')}
        invalid={missing.includes('directory.baseDN')}
      />
      <TextField label={t('setup.directory.bindDN')} value={directory.bindDN} onChange={set('bindDN')} />
      <TextField
        label={t('setup.directory.bindPassword')}
        value={directory.bindPassword}
        onChange={set('bindPassword')}
        secret
        invalid={missing.includes('directory.bindPassword')}
      />
      <MissingFields fields={missing} />
      <StepButtons
        onBack={props.onBack}
        next={
          <button type="submit" className="button primary">
            {t('setup.next')}
          </button>
        }
      />
    </form>
  );
}

function TestStep(props: { session: AdminSession; form: SetupForm; onBack(): void; onNext(): void }) {
  const { t } = useTranslation();
  const { session, form } = props;
  const [report, setReport] = useState<AdminCheckReport>();
  const [running, setRunning] = useState(false);

  const run = async () => {
    setRunning(true);
    const draft = setupDraft(form);
    const answer = await session.request((token) => session.api.check({ token, draft }));
    setRunning(false);
    if (answer) setReport(answer);
  };

  return (
    <div className="admin-form">
      <p>{t('setup.test.intro')}</p>
      <button type="button" className="button secondary" onClick={() => void run()} disabled={running}>
        {t('setup.test.run')}
      </button>
      <div aria-live="polite" className="tool-result">
        {running ? <p>{t('admin.check.running')}</p> : null}
        {report && !running ? <CheckReport report={report} headingLevel={3} /> : null}
      </div>
      <StepButtons
        onBack={props.onBack}
        next={
          <button type="button" className="button primary" onClick={props.onNext}>
            {t('setup.next')}
          </button>
        }
      />
    </div>
  );
}

function SaveStep(props: {
  session: AdminSession;
  form: SetupForm;
  onSaved(): void;
  onBack(): void;
  onLeave(): void;
}) {
  const { t } = useTranslation();
  const { session } = props;
  const [result, setResult] = useState<AdminSaveResult>();
  const [busy, setBusy] = useState(false);

  const save = async () => {
    setBusy(true);
    const draft = setupDraft(props.form);
    const answer = await session.request((token) => session.api.save({ token, ...draft }));
    setBusy(false);
    if (!answer) return;
    setResult(answer);
    if (answer.ok) props.onSaved();
  };

  const restart = async () => {
    const done = await session.request((token) => session.api.restart({ token }));
    if (done) props.onLeave();
  };

  const labelOf = (path: string) => {
    const field = fieldOfPath(path);
    return field ? t(`setup.${field}`) : path || t('setup.save.general');
  };

  return (
    <div className="admin-form">
      <p>{t('setup.save.intro')}</p>
      <div aria-live="polite" className="tool-result">
        {result?.ok ? <p className="notice">{t('setup.save.saved')}</p> : null}
        {result && !result.ok ? (
          <div role="alert" className="form-error">
            <p>{t(`admin.settings.refused.${result.reason}`)}</p>
            <ul>
              {result.errors.map((error) => (
                <li key={`${error.path} ${error.message}`}>
                  <span className="setting-label">{labelOf(error.path)}</span> {error.message}
                </li>
              ))}
            </ul>
          </div>
        ) : null}
      </div>
      {result?.ok ? (
        <button type="button" className="button primary" onClick={() => void restart()}>
          {t('setup.save.restart')}
        </button>
      ) : (
        <StepButtons
          onBack={props.onBack}
          next={
            <button type="button" className="button primary" onClick={() => void save()} disabled={busy}>
              {t('setup.save.save')}
            </button>
          }
        />
      )}
    </div>
  );
}
