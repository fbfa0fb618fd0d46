import { useTranslation } from 'react-i18next';
import './language-picker.css';
import { supportedLanguages, type SupportedLanguage } from '../../main/contract/languages';

/**
 * Each language named in itself (autonyms), never translated: a person looks for the name of
 * their own language. Data, not UI text, so it lives here rather than in the translations.
 */
export const languageAutonyms: Readonly<Record<SupportedLanguage, string>> = {
  en: 'English',
  de: 'Deutsch',
  es: 'Español',
  fr: 'Français',
};

/** Props of {@link LanguagePicker}. */
export interface LanguagePickerProps {
  /** The language the screens are in now (the person's pick or the station's). */
  current: SupportedLanguage;
  onPick(language: SupportedLanguage): void;
}

/**
 * The language picker of the welcome and sign-in screens (issue #12): one toggle button per
 * language, named in that language with its `lang` set so that a screen reader pronounces it
 * right (WCAG 2.1 SC 3.1.2, Language of Parts), the current one `aria-pressed="true"` (WAI-ARIA
 * APG, Button: toggle button), in a group labelled "Language" in the current language. Buttons
 * are reached with Tab and pressed with Enter or Space, and are at least 48 px high (the
 * `.button` style). Picking the current language again changes nothing but still counts as input.
 */
export function LanguagePicker({ current, onPick }: LanguagePickerProps) {
  const { t } = useTranslation();
  return (
    <div className="language-picker" role="group" aria-label={t('languagePicker.label')}>
      {supportedLanguages.map((language) => (
        <button
          key={language}
          type="button"
          className="button secondary"
          lang={language}
          aria-pressed={language === current}
          onClick={() => onPick(language)}
        >
          {languageAutonyms[language]}
        </button>
      ))}
    </div>
  );
}
