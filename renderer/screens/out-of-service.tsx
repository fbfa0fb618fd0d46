import { useTranslation } from 'react-i18next';
import type { OutOfServiceReason } from '../../main/contract';
import { HelpdeskContact } from '../components/helpdesk-contact';
import { ScreenHeading } from '../components/screen-heading';

/** Props of {@link OutOfService}. */
export interface OutOfServiceProps {
  /** Main's reason, or 'unavailable' when this screen cannot reach main at all. */
  reason: OutOfServiceReason | 'unavailable' | undefined;
  /** Whom to ask (`branding.helpdesk`); undefined when the station names no one or is unknown. */
  helpdesk?: string | undefined;
}

/**
 * The station cannot take visits. Plain words for the person at the kiosk; the precise cause is
 * for the admin. Main's station-changed events bring the station back without a reload.
 */
export function OutOfService({ reason, helpdesk }: OutOfServiceProps) {
  const { t } = useTranslation();
  return (
    <div className="screen out-of-service">
      <ScreenHeading>{t('outOfService.heading')}</ScreenHeading>
      {reason ? <p>{t(`outOfService.reasons.${reason}`)}</p> : null}
      <p className="lead">{t('outOfService.helpdesk')}</p>
      <HelpdeskContact helpdesk={helpdesk} />
    </div>
  );
}
