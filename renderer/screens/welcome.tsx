import { useTranslation } from 'react-i18next';
import type { SupportedLanguage } from '../../main/contract/languages';
import { HelpdeskContact } from '../components/helpdesk-contact';
import { LanguagePicker } from '../components/language-picker';
import { ScreenHeading } from '../components/screen-heading';
import { VisitProgress } from '../components/visit-progress';
import { signInNoticeMessage } from '../i18n/messages';
import type { SignInNotice } from '../state/app-state';

/** Props of {@link Welcome}. */
export interface WelcomeProps {
  /**
   * `branding.welcomeText`, given only while the screens are in the station's own language (the
   * text is written in one language); absent: the built-in, translated text.
   */
  welcomeText?: string | undefined;
  /** Whom to ask (`branding.helpdesk`); absent: the built-in line "Need help? Ask your IT helpdesk." */
  helpdesk?: string | undefined;
  /** Why the previous visit ended, for the next person (it never names anyone). */
  resetNotice?: SignInNotice | undefined;
  /** The language the screens are in now. */
  language: SupportedLanguage;
  onPickLanguage(language: SupportedLanguage): void;
  /** "Start": on to the sign-in form. */
  onStart(): void;
}

/**
 * The first screen of every visit and the station's resting screen (issue #12): what the station
 * is for, about how long it takes, "Start", the language picker and whom to ask. It holds nothing
 * of the previous person: only a notice of why the last visit ended (idle, visit cap, an
 * administrator's reset…), which is for whoever comes next.
 */
export function Welcome({
  welcomeText,
  helpdesk,
  resetNotice,
  language,
  onPickLanguage,
  onStart,
}: WelcomeProps) {
  const { t } = useTranslation();
  const notice = resetNotice ? signInNoticeMessage(t, resetNotice) : undefined;
  return (
    <div className="screen welcome">
      <ScreenHeading>{t('welcome.heading')}</ScreenHeading>
      {notice ? (
        <p className="notice" role="status">
          {notice}
        </p>
      ) : null}
      <p className="lead">{welcomeText ?? t('welcome.text')}</p>
      <p>{t('welcome.duration')}</p>
      <VisitProgress />
      <button type="button" className="button primary welcome-start" onClick={onStart}>
        {t('welcome.start')}
      </button>
      <LanguagePicker current={language} onPick={onPickLanguage} />
      <HelpdeskContact helpdesk={helpdesk} fallback />
    </div>
  );
}
