import { useId } from 'react';
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
 * APG, Button: toggle button), in a group labelled by its visible label: a globe icon (drawn,
 * hidden from screen readers) and "Language" in the current language, so that someone who cannot
 * read the current language still recognises the picker by its icon. Buttons are reached with Tab
 * and pressed with Enter or Space, and are at least 48 px high (the `.button` style). Picking the
 * current language again changes nothing but still counts as input.
 */
export function LanguagePicker({ current, onPick }: LanguagePickerProps) {
  const { t } = useTranslation();
  const labelId = useId();
  return (
    <div className="language-picker" role="group" aria-labelledby={labelId}>
      <p className="language-picker-label">
        <GlobeIcon />
        <span id={labelId}>{t('languagePicker.label')}</span>
      </p>
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

/** A globe, the common sign for "language", drawn in the text colour (forced colours too). */
function GlobeIcon() {
  return (
    <svg
      className="language-picker-icon"
      viewBox="0 0 24 24"
      width="24"
      height="24"
      aria-hidden="true"
      focusable="false"
    >
      <circle cx="12" cy="12" r="10" />
      <ellipse cx="12" cy="12" rx="4.5" ry="10" />
      <path d="M2 12h20M4 6.5h16M4 17.5h16" />
    </svg>
  );
}
