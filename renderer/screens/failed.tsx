import { useTranslation } from 'react-i18next';
import type { DuoFailureReason } from '../../main/contract';
import { ScreenHeading } from '../components/screen-heading';

/** Props of {@link Failed}. */
export interface FailedProps {
  reason: DuoFailureReason;
  /** Support reference matching the audit log entry. */
  reference: string;
}

/**
 * Main refused the Duo result: say so plainly, with the reference the helpdesk can look up. How
 * long this screen stays is the screen's bound in the app state (main's resetAt, at least
 * doneSeconds so the reference can be noted).
 */
export function Failed({ reason, reference }: FailedProps) {
  const { t } = useTranslation();
  return (
    <div className="screen failed">
      <ScreenHeading>{t('failed.heading')}</ScreenHeading>
      <p className="lead">{t(`failed.reasons.${reason}`)}</p>
      <p>{t('failed.helpdesk')}</p>
      <p className="reference">{t('signIn.reference', { reference })}</p>
    </div>
  );
}
