import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AdminCheckReport, AdminStatus } from '../../main/contract/admin';
import { ScreenHeading } from '../components/screen-heading';
import { AuditSection } from './audit-section';
import { CheckReport } from './check-report';
import { SecretsSection, SettingsSection } from './settings-section';
import { ToolsSection } from './tools-section';
import type { AdminSession } from './use-admin';

/** Props of {@link AdminScreen}. */
export interface AdminScreenProps {
  session: AdminSession;
  /** Lock: ends the session and goes back to visits. */
  onLock(): void;
  /** The station restarts or the kiosk exits: the overlay closes (the session ends with it). */
  onLeave(): void;
}

/**
 * The admin screen: Status, Settings, Secrets, Recent events and Tools, one section each under
 * its h2. Reads the status and runs the checks when it opens.
 */
export function AdminScreen({ session, onLock, onLeave }: AdminScreenProps) {
  const { t } = useTranslation();
  const [status, setStatus] = useState<AdminStatus>();
  const [report, setReport] = useState<AdminCheckReport>();
  // The checks run as the screen opens.
  const [checking, setChecking] = useState(true);

  const loadStatus = useCallback(async () => {
    const next = await session.request((token) => session.api.status({ token }));
    if (next) setStatus(next);
  }, [session]);

  const runChecks = useCallback(async () => {
    setChecking(true);
    const next = await session.request((token) => session.api.check({ token }));
    setChecking(false);
    if (next) setReport(next);
  }, [session]);

  useEffect(() => {
    let current = true;
    void session
      .request((token) => session.api.status({ token }))
      .then((next) => {
        if (current && next) setStatus(next);
      });
    void session
      .request((token) => session.api.check({ token }))
      .then((next) => {
        if (!current) return;
        setChecking(false);
        if (next) setReport(next);
      });
    return () => {
      current = false;
    };
  }, [session]);

  return (
    <div className="screen admin-screen">
      <ScreenHeading>{t('admin.screen.heading')}</ScreenHeading>
      {status ? (
        <>
          <StatusSection status={status} report={report} checking={checking} onRunChecks={runChecks} />
          <SettingsSection session={session} status={status} onSaved={loadStatus} />
          <SecretsSection session={session} status={status} onSaved={loadStatus} />
          <AuditSection events={status.audit} />
          <ToolsSection
            session={session}
            report={report}
            checking={checking}
            onRunChecks={runChecks}
            onLock={onLock}
            onLeave={onLeave}
          />
        </>
      ) : (
        <p role="status">{t('admin.screen.loading')}</p>
      )}
    </div>
  );
}

interface StatusSectionProps {
  status: AdminStatus;
  report: AdminCheckReport | undefined;
  checking: boolean;
  onRunChecks(): void;
}

function StatusSection({ status, report, checking, onRunChecks }: StatusSectionProps) {
  const { t } = useTranslation();
  const { station } = status;
  return (
    <section className="admin-section" aria-labelledby="admin-status">
      <h2 id="admin-status">{t('admin.status.heading')}</h2>
      <p className={station.inService ? 'check-verdict ok' : 'check-verdict bad'}>
        {station.inService || !station.outOfService
          ? t('admin.status.inService')
          : t('admin.status.outOfService', {
              reason: t(`outOfService.reasons.${station.outOfService.reason}`),
            })}
      </p>
      {station.outOfService?.detail ? (
        <p>{t('admin.status.detail', { detail: station.outOfService.detail })}</p>
      ) : null}
      {station.warnings.length > 0 ? (
        <>
          <h3>{t('admin.status.warnings')}</h3>
          <ul>
            {station.warnings.map((warning) => (
              <li key={warning}>{warning}</li>
            ))}
          </ul>
        </>
      ) : null}
      <p>{t('admin.status.version', { version: status.version.version, build: status.version.build })}</p>
      <p>
        {t('admin.status.secretStore', {
          backend: status.secretStore.backend,
          protection: status.secretStore.secure ? t('admin.status.secure') : t('admin.status.insecure'),
        })}
      </p>
      {status.secretStore.problem ? <p className="check-bad">{status.secretStore.problem}</p> : null}
      <h3>{t('admin.status.policySources')}</h3>
      {status.policySources.length > 0 ? (
        <ul>
          {status.policySources.map((source) => (
            <li key={source}>{source}</li>
          ))}
        </ul>
      ) : (
        <p>{t('admin.status.noPolicy')}</p>
      )}
      {status.settingsProblems.length > 0 ? (
        <>
          <h3>{t('admin.status.settingsProblems')}</h3>
          <ul>
            {status.settingsProblems.map((problem) => (
              <li key={problem} className="check-bad">
                {problem}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <h3>{t('admin.status.checksHeading')}</h3>
      <div aria-live="polite">
        {checking ? <p>{t('admin.check.running')}</p> : null}
        {report && !checking ? <CheckReport report={report} headingLevel={4} /> : null}
      </div>
      <button type="button" className="button secondary" onClick={onRunChecks} disabled={checking}>
        {t('admin.status.runChecks')}
      </button>
    </section>
  );
}
