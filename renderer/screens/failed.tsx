import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { DuoFailureReason } from '../../main/contract';
import { ScreenHeading } from '../components/screen-heading';

/** Props of {@link Failed}. */
export interface FailedProps {
  reason: DuoFailureReason;
  /** Support reference matching the audit log entry. */
  reference: string;
  /** Main's reset time (ISO); the form returns then. */
  resetAt: string;
  /** The screen stays at least this long, so the reference can be noted even if clocks disagree. */
  minimumSeconds: number;
  onTimeout(): void;
}

/** Main refused the Duo result: say so plainly, with the reference the helpdesk can look up. */
export function Failed({ reason, reference, resetAt, minimumSeconds, onTimeout }: FailedProps) {
  const { t } = useTranslation();
  useEffect(() => {
    const untilReset = Date.parse(resetAt) - Date.now();
    const stayMs = Math.max(minimumSeconds * 1000, Number.isNaN(untilReset) ? 0 : untilReset);
    const timer = setTimeout(onTimeout, stayMs);
    return () => clearTimeout(timer);
  }, [resetAt, minimumSeconds, onTimeout]);
  return (
    <div className="screen failed">
      <ScreenHeading>{t('failed.heading')}</ScreenHeading>
      <p className="lead">{t(`failed.reasons.${reason}`)}</p>
      <p>{t('failed.helpdesk')}</p>
      <p className="reference">{t('signIn.reference', { reference })}</p>
    </div>
  );
}
