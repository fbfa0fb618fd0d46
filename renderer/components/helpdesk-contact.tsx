import { useTranslation } from 'react-i18next';

/** Props of {@link HelpdeskContact}. */
export interface HelpdeskContactProps {
  /** Whom to ask (`StationInfo.branding.helpdesk`); undefined: nothing is shown. */
  helpdesk: string | undefined;
}

/**
 * Whom to ask, as the station's configuration says (`branding.helpdesk`, e.g. a room and phone
 * number), for screens where the person cannot go on alone (Failed, out of service). Renders
 * nothing when the station names no one. Its styles are in station-header.css, with the branding.
 */
export function HelpdeskContact({ helpdesk }: HelpdeskContactProps) {
  const { t } = useTranslation();
  if (!helpdesk) return null;
  return (
    <p className="helpdesk-contact">
      <span className="helpdesk-contact-label">{t('helpdeskContact.label')}</span> {helpdesk}
    </p>
  );
}
