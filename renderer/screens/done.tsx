import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { ScreenHeading } from '../components/screen-heading';

/** Props of {@link Done}. */
export interface DoneProps {
  displayName?: string;
  /** How long this screen stays (station.idle.doneSeconds). */
  seconds: number;
  /** Back to an empty sign-in form; main resets the visit on its own schedule too. */
  onTimeout(): void;
}

/** The visit ended well: thanks, then the station gets ready for the next person. */
export function Done({ displayName, seconds, onTimeout }: DoneProps) {
  const { t } = useTranslation();
  useEffect(() => {
    const timer = setTimeout(onTimeout, Math.max(0, seconds) * 1000);
    return () => clearTimeout(timer);
  }, [seconds, onTimeout]);
  return (
    <div className="screen done">
      <ScreenHeading>{t('done.heading')}</ScreenHeading>
      <p className="lead">
        {displayName ? t('done.thanks', { name: displayName }) : t('done.thanksAnonymous')}
      </p>
      <p>{t('done.walkAway')}</p>
    </div>
  );
}
