import { useTranslation } from 'react-i18next';
import type { AdminCheckReport } from '../../main/contract/admin';
import { useFormat } from '../i18n/format';

/** Props of {@link CheckReport}. */
export interface CheckReportProps {
  report: AdminCheckReport;
  /** Level of the headings inside (the report sits under an h2 or h3). */
  headingLevel: 3 | 4;
}

/**
 * The checks of `walkup status` as the admin screen and the setup flow show them: the verdict,
 * each directory server (reachable, TLS, service account bind), Duo (reachable, credentials,
 * clock skew) and the problem lines that kept a check from running.
 */
export function CheckReport({ report, headingLevel }: CheckReportProps) {
  const { t } = useTranslation();
  const { formatNumber } = useFormat();
  const Heading = headingLevel === 3 ? 'h3' : 'h4';
  const yesNo = (value: boolean) => (value ? t('admin.check.yes') : t('admin.check.no'));
  const passed =
    report.problems.length === 0 &&
    (report.directory?.servers.every((server) => server.reachable && server.tlsOk && server.serviceBindOk) ??
      false) &&
    (report.duo?.ok ?? false);

  return (
    <div className="check-report">
      <p className={passed ? 'check-verdict ok' : 'check-verdict bad'}>
        {passed ? t('admin.check.passed') : t('admin.check.failed')}
      </p>
      {report.problems.length > 0 ? (
        <>
          <Heading>{t('admin.check.problems')}</Heading>
          <ul className="check-problems">
            {report.problems.map((problem) => (
              <li key={problem}>{problem}</li>
            ))}
          </ul>
        </>
      ) : null}
      {report.directory ? (
        <>
          <Heading>{t('admin.check.directory', { type: report.directory.type })}</Heading>
          <ul className="check-list">
            {report.directory.servers.map((server) => (
              <li key={server.url}>
                <span className="check-name">{t('admin.check.server', { url: server.url })}</span>
                <ul>
                  <li>{t('admin.check.reachable', { value: yesNo(server.reachable) })}</li>
                  <li>{t('admin.check.tls', { value: yesNo(server.tlsOk) })}</li>
                  <li>{t('admin.check.serviceBind', { value: yesNo(server.serviceBindOk) })}</li>
                  {server.latencyMs !== undefined ? (
                    <li>{t('admin.check.latency', { ms: formatNumber(server.latencyMs) })}</li>
                  ) : null}
                  {server.insecure ? <li className="check-bad">{t('admin.check.insecure')}</li> : null}
                  {server.error ? <li>{t('admin.check.error', { error: server.error })}</li> : null}
                </ul>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {report.duo ? (
        <>
          <Heading>{t('admin.check.duo', { sdk: report.duo.sdk, host: report.duo.apiHost })}</Heading>
          <ul className="check-list">
            <li>{t('admin.check.duoReachable', { value: yesNo(report.duo.code !== 'unreachable') })}</li>
            <li>{t('admin.check.duoCredentials', { value: yesNo(report.duo.ok) })}</li>
            {report.duo.skewSeconds !== undefined ? (
              <li>{t('admin.check.skew', { seconds: formatNumber(report.duo.skewSeconds) })}</li>
            ) : null}
          </ul>
        </>
      ) : null}
    </div>
  );
}
