import { useTranslation } from 'react-i18next';
import { formatDate, formattingLocale } from '../i18n/format';

/** Fields shown in their own column, not among the details. */
const ownColumns = new Set(['time', 'type', 'station']);

/** The details of an audit event: its other fields as `name=value` (strings as they are, others as JSON). */
export function auditDetails(event: Record<string, unknown>): string[] {
  return Object.entries(event)
    .filter(([name]) => !ownColumns.has(name))
    .map(([name, value]) => `${name}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
}

/** An ISO 8601 time in the UI's locale (date and time, medium style); as given when it does not parse. */
export function formatAuditTime(time: unknown, locale: string): string {
  if (typeof time !== 'string') return '';
  return formatDate(time, locale) ?? time;
}

/**
 * The last audit events (newest first, at most 50 from main): time in the UI's locale, type,
 * and the event's other fields. Main's audit lines carry no secret, and no password ever.
 */
export function AuditSection({ events }: { events: readonly Record<string, unknown>[] }) {
  const { t, i18n } = useTranslation();
  const locale = formattingLocale(i18n);
  return (
    <section className="admin-section" aria-labelledby="admin-audit">
      <h2 id="admin-audit">{t('admin.audit.heading')}</h2>
      {events.length === 0 ? (
        <p>{t('admin.audit.empty')}</p>
      ) : (
        <div className="table-scroll">
          <table className="audit-table">
            <thead>
              <tr>
                <th scope="col">{t('admin.audit.time')}</th>
                <th scope="col">{t('admin.audit.type')}</th>
                <th scope="col">{t('admin.audit.details')}</th>
              </tr>
            </thead>
            <tbody>
              {events.map((event, index) => (
                // Audit lines have no id of their own; the list is replaced as a whole.
                <tr key={index}>
                  <td>{formatAuditTime(event.time, locale)}</td>
                  <td>{typeof event.type === 'string' ? event.type : ''}</td>
                  <td>
                    {auditDetails(event).map((detail) => (
                      <span key={detail} className="audit-detail">
                        {detail}
                      </span>
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
