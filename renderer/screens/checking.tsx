import { useTranslation } from 'react-i18next';
import { ScreenHeading } from '../components/screen-heading';
import { VisitProgress } from '../components/visit-progress';

/** Shown while main checks the directory and prepares Duo. */
export function Checking() {
  const { t } = useTranslation();
  return (
    <div className="screen checking" aria-busy="true">
      <VisitProgress current="sign-in" />
      <ScreenHeading>{t('checking.heading')}</ScreenHeading>
      <div className="spinner" aria-hidden="true" />
      <p>{t('checking.detail')}</p>
    </div>
  );
}
