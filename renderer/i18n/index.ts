import i18next, { type i18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { de } from './de';
import { en } from './en';

/** Languages with a complete translation; anything else falls back to English. */
export const supportedLanguages = ['en', 'de'] as const;

/**
 * Creates the UI's i18next instance, synchronously ready (the messages are bundled: no loading
 * from the network, which the CSP would refuse anyway). The station's locale is applied later
 * with {@link applyStationLocale}.
 */
export function createWalkupI18n(locale = 'en'): i18n {
  const instance = i18next.createInstance();
  void instance.use(initReactI18next).init({
    resources: { en: { translation: en }, de: { translation: de } },
    lng: locale,
    fallbackLng: 'en',
    supportedLngs: [...supportedLanguages],
    // 'de-CH' uses 'de'.
    nonExplicitSupportedLngs: true,
    load: 'languageOnly',
    initAsync: false,
    // React escapes text itself.
    interpolation: { escapeValue: false },
    react: { useSuspense: false },
    returnNull: false,
  });
  return instance;
}

/**
 * Switches the UI to the station's BCP 47 locale (unknown languages fall back to English) and
 * keeps the document's `lang` attribute true for screen readers.
 */
export function applyStationLocale(instance: i18n, locale: string): void {
  if (instance.language !== locale) void instance.changeLanguage(locale);
  document.documentElement.lang = instance.resolvedLanguage ?? 'en';
}
