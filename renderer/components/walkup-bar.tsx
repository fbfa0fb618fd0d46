import { useTranslation } from 'react-i18next';
import { useSecondsLeft } from '../state/use-seconds-left';
import { ScreenHeading } from './screen-heading';

/** Props of {@link WalkupBar}. */
export interface WalkupBarProps {
  displayName: string;
  /** When the visit ends without activity (epoch ms), if known. */
  deadline?: number;
  /** Keep the bar at exactly DUO_VIEW_BAR_HEIGHT_PX (Electron draws Duo's view below it). */
  fixedHeight?: boolean;
  /**
   * How strongly "I'm done" is drawn: `primary` (the default) where Duo is on screen below the
   * bar; `secondary` where the screen's main action is another (v4's "Continue to Duo").
   */
  doneEmphasis?: 'primary' | 'secondary';
  onDone(): void;
}

/** m:ss, the way a countdown is read aloud and at a glance. */
export function formatCountdown(totalSeconds: number): string {
  const minutes = Math.floor(totalSeconds / 60);
  const seconds = totalSeconds % 60;
  return `${minutes}:${String(seconds).padStart(2, '0')}`;
}

/**
 * Always visible while Duo is shown: whose session this is, how long it has left, and the way out.
 * Duo's portal may never report back, so "I'm done" is the normal end of a visit.
 */
export function WalkupBar({
  displayName,
  deadline,
  fixedHeight = false,
  doneEmphasis = 'primary',
  onDone,
}: WalkupBarProps) {
  const { t } = useTranslation();
  const secondsLeft = useSecondsLeft(deadline);
  return (
    <header className={fixedHeight ? 'walkup-bar fixed-height' : 'walkup-bar'}>
      <div className="walkup-bar-text">
        <ScreenHeading>{t('duo.heading')}</ScreenHeading>
        <p className="walkup-bar-person">{t('duo.signedInAs', { name: displayName })}</p>
      </div>
      {secondsLeft !== undefined ? (
        <p className="walkup-bar-timer" role="timer">
          {t('duo.timeLeft', { time: formatCountdown(secondsLeft) })}
        </p>
      ) : null}
      <button type="button" className={`button ${doneEmphasis}`} onClick={onDone}>
        {t('duo.done')}
      </button>
    </header>
  );
}
