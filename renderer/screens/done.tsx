import { useTranslation } from 'react-i18next';
import { ScreenHeading } from '../components/screen-heading';
import { VisitProgress } from '../components/visit-progress';

/** Props of {@link Done}. */
export interface DoneProps {
  displayName?: string;
}

/**
 * The visit ended well: thanks, then the station gets ready for the next person. How long this
 * screen stays is the screen's bound in the app state (main's resetAt, at most doneSeconds).
 */
export function Done({ displayName }: DoneProps) {
  const { t } = useTranslation();
  return (
    <div className="screen done">
      <VisitProgress current="done" />
      <ScreenHeading>{t('done.heading')}</ScreenHeading>
      <p className="lead">
        {displayName ? t('done.thanks', { name: displayName }) : t('done.thanksAnonymous')}
      </p>
      <p>{t('done.walkAway')}</p>
    </div>
  );
}
