import { useTranslation } from 'react-i18next';
import { ScreenHeading } from '../components/screen-heading';

/** Shown until the station has answered for the first time. */
export function Starting() {
  const { t } = useTranslation();
  return (
    <div className="screen starting" aria-busy="true">
      <ScreenHeading>{t('app.starting')}</ScreenHeading>
      <p>{t('app.startingDetail')}</p>
    </div>
  );
}
