import { useTranslation } from 'react-i18next';
import type { DuoFailureReason } from '../../main/contract';
import { HelpdeskContact } from '../components/helpdesk-contact';
import { ScreenHeading } from '../components/screen-heading';

/** Props of {@link Failed}. */
export interface FailedProps {
  reason: DuoFailureReason;
  /** Support reference matching the audit log entry. */
  reference: string;
  /**
   * "Try again": ends this visit now and returns straight to an empty sign-in form (not the
   * welcome), in the language the person picked.
   */
  onTryAgain(): void;
  /** Whom to ask (`branding.helpdesk`); undefined: the station names no one. */
  helpdesk?: string | undefined;
}

/**
 * Main refused the Duo result: say so plainly, what to do next, and the reference the helpdesk
 * can look up. Every Duo failure reason is one a new sign-in can get past (a cancelled or expired
 * Duo prompt, a visit that had ended), so "Try again" is always offered. How long this screen
 * stays is the screen's bound in the app state (main's resetAt, at least `failedSeconds` so the
 * reference can be noted); the reference stays in view for all of it. A cancel in Duo is the
 * person's own choice, so it gets a heading of its own ("You cancelled Duo"), not the error one.
 */
export function Failed({ reason, reference, onTryAgain, helpdesk }: FailedProps) {
  const { t } = useTranslation();
  return (
    <div className="screen failed">
      <ScreenHeading>
        {t(reason === 'cancelled' ? 'failed.cancelledHeading' : 'failed.heading')}
      </ScreenHeading>
      <p className="lead">{t(`failed.reasons.${reason}`)}</p>
      <p>{t('failed.helpdesk')}</p>
      <p className="reference">{t('signIn.reference', { reference })}</p>
      <HelpdeskContact helpdesk={helpdesk} />
      <button type="button" className="button primary" onClick={onTryAgain}>
        {t('failed.tryAgain')}
      </button>
    </div>
  );
}
