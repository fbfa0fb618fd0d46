import { useTranslation } from 'react-i18next';
import { ScreenHeading } from '../components/screen-heading';

/** Shown while main checks the directory and prepares Duo. */
export function Checking() {
  const { t } = useTranslation();
  return (
    <div className="screen checking" aria-busy="true">
      <ScreenHeading>{t('checking.heading')}</ScreenHeading>
      <div className="spinner" aria-hidden="true" />
      <p>{t('checking.detail')}</p>
    </div>
  );
}
