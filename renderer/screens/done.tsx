import { useTranslation } from 'react-i18next';
import { ScreenHeading } from '../components/screen-heading';
import { VisitProgress } from '../components/visit-progress';
import { useSecondsLeft } from '../state/use-seconds-left';

/** Props of {@link Done}. */
export interface DoneProps {
  displayName?: string;
  /** When this screen gives way to the next person (epoch ms): the screen's bound, if known. */
  deadline?: number;
}

/**
 * The visit ended well: thanks, what happened, and a countdown to when the station is ready for
 * the next person. How long this screen stays is the screen's bound in the app state (main's
 * resetAt, at most doneSeconds); the countdown shows that bound and never ends the screen itself.
 */
export function Done({ displayName, deadline }: DoneProps) {
  const { t } = useTranslation();
  const secondsLeft = useSecondsLeft(deadline);
  return (
    <div className="screen done">
      <VisitProgress current="done" />
      <ScreenHeading>{t('done.heading')}</ScreenHeading>
      <p className="lead">
        {displayName ? t('done.thanks', { name: displayName }) : t('done.thanksAnonymous')}
      </p>
      <p>{t('done.walkAway')}</p>
      {secondsLeft !== undefined ? (
        <p className="done-countdown" role="timer">
          {t('done.countdown', { count: secondsLeft })}
        </p>
      ) : null}
    </div>
  );
}
