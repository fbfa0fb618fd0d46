import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { AdminSaveResult, AdminSetting, AdminStatus, SettingChange } from '../../main/contract/admin';
import type { AdminSession } from './use-admin';

/** What an input holds while edited: text, a checkbox, or the chosen values of a list. */
export type SettingInput = string | boolean | readonly string[];

/** The value an unedited input starts from. */
export function inputOf(setting: AdminSetting): SettingInput {
  const { kind, value } = setting;
  if (kind === 'boolean') return value === true;
  if (kind === 'enum-list') return Array.isArray(value) ? value.map(String) : [];
  if (kind === 'string-list') return Array.isArray(value) ? value.map(String).join('\n') : '';
  if (value === undefined || value === null) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/**
 * The JSON value to save for an edited input. Empty text means "no local value" (`null`: the
 * policy's or the default applies again). Numbers that do not parse are sent as typed, so the
 * schema's own message names the problem.
 */
export function changeValueOf(setting: AdminSetting, input: SettingInput): unknown {
  switch (setting.kind) {
    case 'boolean':
      return input === true;
    case 'enum-list':
      return Array.isArray(input) ? [...input] : [];
    case 'string-list':
      return String(input)
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line.length > 0);
    case 'integer':
    case 'number': {
      const text = String(input).trim();
      if (text === '') return null;
      const number = Number(text);
      return Number.isFinite(number) ? number : text;
    }
    default: {
      const text = String(input);
      return text === '' ? null : text;
    }
  }
}

/** Whether the admin may edit a key here: not set by policy, and not trust-widening on a managed station. */
export function isEditable(setting: AdminSetting): boolean {
  return setting.editable;
}

/**
 * The save errors by the key they belong to: an error on a part of a key (`directory.servers.1`)
 * goes to that key (`directory.servers`) with the part named (`1: …`); others stay under their
 * own path (`''`: the whole configuration).
 */
export function errorsByPath(
  result: Extract<AdminSaveResult, { ok: false }>,
  keys: readonly string[] = [],
): Map<string, string[]> {
  const byPath = new Map<string, string[]>();
  for (const { path, message } of result.errors) {
    const key = keys.find((candidate) => path.startsWith(`${candidate}.`));
    const [target, text] = key ? [key, `${path.slice(key.length + 1)}: ${message}`] : [path, message];
    byPath.set(target, [...(byPath.get(target) ?? []), text]);
  }
  return byPath;
}

/** Settings grouped by their first path segment (`directory`, `duo`, `station`…), in order. */
function groupsOf(settings: readonly AdminSetting[]): [string, AdminSetting[]][] {
  const groups = new Map<string, AdminSetting[]>();
  for (const setting of settings) {
    const group = setting.path.split('.')[0] ?? setting.path;
    groups.set(group, [...(groups.get(group) ?? []), setting]);
  }
  return [...groups];
}

interface SectionProps {
  session: AdminSession;
  status: AdminStatus;
  /** Called after a save went through, to read the status again. */
  onSaved(): Promise<void>;
}

type SaveOutcome =
  | { kind: 'saved'; restartNeeded: boolean }
  | {
      kind: 'refused';
      reason: Extract<AdminSaveResult, { ok: false }>['reason'];
      errors: Map<string, string[]>;
    }
  | { kind: 'no-changes' };

/**
 * Every non-secret setting, grouped by section, with its value and source. Keys set by policy
 * are read-only ("Set by policy"); keys that widen trust are read-only on a managed station.
 * Save sends only the edited keys; the schema's messages come back next to each key.
 */
export function SettingsSection({ session, status, onSaved }: SectionProps) {
  const { t } = useTranslation();
  const [edits, setEdits] = useState<ReadonlyMap<string, SettingInput>>(new Map());
  const [outcome, setOutcome] = useState<SaveOutcome>();
  const [saving, setSaving] = useState(false);
  const settings = status.settings.filter((setting) => setting.kind !== 'secret');

  const edit = (path: string, input: SettingInput) =>
    setEdits((current) => new Map(current).set(path, input));

  const save = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const changes: SettingChange[] = settings
      .filter((setting) => edits.has(setting.path) && isEditable(setting))
      .map((setting) => ({
        path: setting.path,
        value: changeValueOf(setting, edits.get(setting.path) ?? ''),
      }));
    if (changes.length === 0) {
      setOutcome({ kind: 'no-changes' });
      return;
    }
    setSaving(true);
    const result = await session.request((token) => session.api.save({ token, changes, secrets: {} }));
    setSaving(false);
    if (!result) return;
    if (result.ok) {
      setOutcome({ kind: 'saved', restartNeeded: result.restartNeeded });
      setEdits(new Map());
      await onSaved();
    } else {
      setOutcome({
        kind: 'refused',
        reason: result.reason,
        errors: errorsByPath(
          result,
          settings.map((setting) => setting.path),
        ),
      });
    }
  };

  const errors = outcome?.kind === 'refused' ? outcome.errors : new Map<string, string[]>();
  const known = new Set(settings.map((setting) => setting.path));
  const otherErrors = [...errors]
    .filter(([path]) => !known.has(path))
    .flatMap(([path, messages]) => messages.map((message) => (path ? `${path}: ${message}` : message)));

  return (
    <section className="admin-section" aria-labelledby="admin-settings">
      <h2 id="admin-settings">{t('admin.settings.heading')}</h2>
      <form onSubmit={(event) => void save(event)} noValidate>
        {groupsOf(settings).map(([group, members]) => (
          <fieldset key={group} className="settings-group">
            <legend>{group}</legend>
            {members.map((setting) => (
              <SettingRow
                key={setting.path}
                setting={setting}
                editable={isEditable(setting)}
                input={edits.get(setting.path) ?? inputOf(setting)}
                errors={errors.get(setting.path) ?? []}
                onEdit={(input) => edit(setting.path, input)}
              />
            ))}
          </fieldset>
        ))}
        <div aria-live="polite" className="save-outcome">
          {outcome?.kind === 'saved' ? (
            <p className="notice">
              {outcome.restartNeeded ? t('admin.settings.saved') : t('admin.settings.savedNoRestart')}
            </p>
          ) : null}
          {outcome?.kind === 'no-changes' ? <p className="notice">{t('admin.settings.noChanges')}</p> : null}
          {outcome?.kind === 'refused' ? (
            <div className="form-error" role="alert">
              <p>{t(`admin.settings.refused.${outcome.reason}`)}</p>
              {otherErrors.length > 0 ? (
                <ul>
                  {otherErrors.map((message) => (
                    <li key={message}>{message}</li>
                  ))}
                </ul>
              ) : null}
            </div>
          ) : null}
        </div>
        <button type="submit" className="button primary" disabled={saving}>
          {t('admin.settings.save')}
        </button>
      </form>
    </section>
  );
}

interface SettingRowProps {
  setting: AdminSetting;
  editable: boolean;
  input: SettingInput;
  errors: readonly string[];
  onEdit(input: SettingInput): void;
}

function SettingRow({ setting, editable, input, errors, onEdit }: SettingRowProps) {
  const { t } = useTranslation();
  const id = useId();
  const noteId = `${id}-note`;
  const errorId = `${id}-error`;
  const disabled = !editable;
  const invalid = errors.length > 0;
  const describedBy = [noteId, invalid ? errorId : undefined].filter(Boolean).join(' ');
  const common = {
    id,
    disabled,
    'aria-invalid': invalid ? true : undefined,
    'aria-describedby': describedBy,
  } as const;

  let control;
  switch (setting.kind) {
    case 'boolean':
      control = (
        <input
          {...common}
          type="checkbox"
          checked={input === true}
          onChange={(event) => onEdit(event.target.checked)}
        />
      );
      break;
    case 'enum':
      control = (
        <select {...common} value={String(input)} onChange={(event) => onEdit(event.target.value)}>
          <option value="">{t('admin.settings.notSet')}</option>
          {(setting.values ?? []).map((value) => (
            <option key={value} value={value}>
              {value}
            </option>
          ))}
        </select>
      );
      break;
    case 'enum-list': {
      const chosen = Array.isArray(input) ? input : [];
      control = (
        <div
          className="setting-choices"
          role="group"
          aria-labelledby={`${id}-label`}
          aria-describedby={describedBy}
        >
          {(setting.values ?? []).map((value) => (
            <label key={value} className="choice">
              <input
                type="checkbox"
                disabled={disabled}
                checked={chosen.includes(value)}
                onChange={(event) =>
                  onEdit(event.target.checked ? [...chosen, value] : chosen.filter((item) => item !== value))
                }
              />
              {value}
            </label>
          ))}
        </div>
      );
      break;
    }
    case 'string-list':
      control = (
        <textarea
          {...common}
          rows={3}
          value={String(input)}
          onChange={(event) => onEdit(event.target.value)}
        />
      );
      break;
    default:
      control = (
        <input
          {...common}
          type="text"
          inputMode={setting.kind === 'integer' || setting.kind === 'number' ? 'decimal' : 'text'}
          autoComplete="off"
          spellCheck={false}
          value={String(input)}
          onChange={(event) => onEdit(event.target.value)}
        />
      );
  }

  return (
    <div className={`field setting setting-${setting.kind}`}>
      {setting.kind === 'enum-list' ? (
        <span id={`${id}-label`} className="setting-label">
          {setting.path}
        </span>
      ) : (
        <label htmlFor={id}>{setting.path}</label>
      )}
      {control}
      <p id={noteId} className="setting-note">
        {t(`admin.settings.sources.${setting.source}`)}
        {setting.locked ? <span className="setting-lock">{t('admin.settings.setByPolicy')}</span> : null}
        {!setting.locked && disabled ? (
          <span className="setting-lock">{t('admin.settings.policyOnly')}</span>
        ) : null}
        {setting.kind === 'string-list' ? <span>{t('admin.settings.listHint')}</span> : null}
      </p>
      {invalid ? (
        <ul id={errorId} className="setting-errors">
          {errors.map((message) => (
            <li key={message}>{message}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/**
 * Each secret key: "Set" / "Not set" and a write-only field with Replace. The field is never
 * pre-filled and is cleared once the save has answered, whatever the answer.
 */
export function SecretsSection({ session, status, onSaved }: SectionProps) {
  const { t } = useTranslation();
  const secrets = status.settings.filter((setting) => setting.kind === 'secret');
  return (
    <section className="admin-section" aria-labelledby="admin-secrets">
      <h2 id="admin-secrets">{t('admin.secrets.heading')}</h2>
      <p>{t('admin.secrets.intro')}</p>
      {secrets.map((setting) => (
        <SecretRow
          key={setting.path}
          setting={setting}
          editable={isEditable(setting)}
          session={session}
          onSaved={onSaved}
        />
      ))}
    </section>
  );
}

interface SecretRowProps {
  setting: AdminSetting;
  editable: boolean;
  session: AdminSession;
  onSaved(): Promise<void>;
}

function SecretRow({ setting, editable, session, onSaved }: SecretRowProps) {
  const { t } = useTranslation();
  const id = useId();
  const [value, setValue] = useState('');
  const [outcome, setOutcome] = useState<SaveOutcome>();
  const [saving, setSaving] = useState(false);

  const replace = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (value === '') return;
    const secrets = { [setting.path]: value };
    setSaving(true);
    const result = await session.request((token) => session.api.save({ token, changes: [], secrets }));
    // Write-only: the value leaves the page's state as soon as main has answered.
    setValue('');
    setSaving(false);
    if (!result) return;
    if (result.ok) {
      setOutcome({ kind: 'saved', restartNeeded: result.restartNeeded });
      await onSaved();
    } else {
      setOutcome({ kind: 'refused', reason: result.reason, errors: errorsByPath(result) });
    }
  };

  return (
    <form className="field secret-row" onSubmit={(event) => void replace(event)} noValidate>
      <p className="setting-label">
        {setting.path}
        <span className={setting.set ? 'secret-state set' : 'secret-state'}>
          {setting.set ? t('admin.secrets.set') : t('admin.secrets.notSet')}
        </span>
        {setting.locked ? <span className="setting-lock">{t('admin.settings.setByPolicy')}</span> : null}
        {!setting.locked && !editable ? (
          <span className="setting-lock">{t('admin.settings.policyOnly')}</span>
        ) : null}
      </p>
      <label htmlFor={id}>{t('admin.secrets.newValue', { key: setting.path })}</label>
      <div className="password-row">
        <input
          id={id}
          type="password"
          autoComplete="off"
          spellCheck={false}
          disabled={!editable}
          value={value}
          onChange={(event) => setValue(event.target.value)}
        />
        <button
          type="submit"
          className="button secondary"
          disabled={!editable || saving}
          aria-label={t('admin.secrets.replaceNamed', { key: setting.path })}
        >
          {t('admin.secrets.replace')}
        </button>
      </div>
      <div aria-live="polite">
        {outcome?.kind === 'saved' ? <p className="notice">{t('admin.secrets.replaced')}</p> : null}
        {outcome?.kind === 'refused' ? (
          <div className="form-error" role="alert">
            <p>{t(`admin.settings.refused.${outcome.reason}`)}</p>
            <ul>
              {[...outcome.errors].flatMap(([path, messages]) =>
                messages.map((message) => <li key={`${path} ${message}`}>{message}</li>),
              )}
            </ul>
          </div>
        ) : null}
      </div>
    </form>
  );
}
