import { useTranslation } from 'react-i18next';

/** Props of {@link HelpdeskContact}. */
export interface HelpdeskContactProps {
  /** Whom to ask (`StationInfo.branding.helpdesk`); undefined: see `fallback`. */
  helpdesk: string | undefined;
  /**
   * When the station names no one: true shows the built-in, translated line ("Need help? Ask
   * your IT helpdesk."), for screens that say nothing else about whom to ask (the welcome); false
   * (the default) shows nothing, for screens whose own text already says "see the helpdesk".
   */
  fallback?: boolean;
}

/**
 * Whom to ask, as the station's configuration says (`branding.helpdesk`, e.g. a room and phone
 * number), on the welcome and on screens where the person cannot go on alone (Failed, out of
 * service). When the station names no one, the welcome still says whom to ask (`fallback`); Failed
 * and out of service say "see the helpdesk" in their own text. Its styles are in
 * station-header.css, with the branding.
 */
export function HelpdeskContact({ helpdesk, fallback = false }: HelpdeskContactProps) {
  const { t } = useTranslation();
  if (!helpdesk) {
    return fallback ? <p className="helpdesk-contact">{t('helpdeskContact.fallback')}</p> : null;
  }
  return (
    <p className="helpdesk-contact">
      <span className="helpdesk-contact-label">{t('helpdeskContact.label')}</span> {helpdesk}
    </p>
  );
}
