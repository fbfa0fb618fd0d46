import i18next, { type i18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en, type Messages } from './en';
import {
  languageOf,
  preferredLanguage,
  primaryLanguage,
  supportedLanguages,
  type SupportedLanguage,
} from '../../main/contract/languages';

export {
  languageOf,
  preferredLanguage,
  supportedLanguages,
  type SupportedLanguage,
} from '../../main/contract/languages';

/**
 * Translations other than English, loaded on demand: each is its own chunk of the build, so the
 * first screen of an English station does not parse them. Bundled with the app all the same (no
 * loading from the network, which the CSP would refuse anyway).
 */
const loaders: Record<Exclude<SupportedLanguage, 'en'>, () => Promise<Messages>> = {
  de: () => import('./de').then((module) => module.de),
  es: () => import('./es').then((module) => module.es),
  fr: () => import('./fr').then((module) => module.fr),
};

/** Makes the locale's translation available to `instance` (loads its chunk once). */
export async function loadLanguage(instance: i18n, locale: string): Promise<SupportedLanguage> {
  const language = languageOf(locale);
  if (language !== 'en' && !instance.hasResourceBundle(language, 'translation')) {
    instance.addResourceBundle(language, 'translation', await loaders[language]());
  }
  return language;
}

/** Locale changes of one instance run one after the other, so the last one asked for wins. */
const localeChains = new WeakMap<i18n, Promise<void>>();

/**
 * Creates the UI's i18next instance, synchronously ready in English. Another language (the
 * station's locale, applied with {@link applyStationLocale}) replaces it once its chunk is loaded.
 */
export function createWalkupI18n(locale = 'en'): i18n {
  const instance = i18next.createInstance();
  void instance.use(initReactI18next).init({
    resources: { en: { translation: en } },
    lng: 'en',
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
  if (languageOf(locale) !== 'en') applyStationLocale(instance, locale);
  return instance;
}

/**
 * Switches the UI to the station's BCP 47 locale (unknown languages fall back to English) once
 * its translation is loaded, and keeps the document's `lang` attribute true for screen readers.
 * Resolves when done; a translation that cannot be loaded leaves the UI in English.
 */
export function applyStationLocale(instance: i18n, locale: string): Promise<void> {
  const previous = localeChains.get(instance) ?? Promise.resolve();
  const next = previous
    .then(async () => {
      await loadLanguage(instance, locale);
      if (instance.language !== locale) await instance.changeLanguage(locale);
    })
    .catch(() => undefined)
    .then(() => {
      if (typeof document !== 'undefined') document.documentElement.lang = instance.resolvedLanguage ?? 'en';
    });
  localeChains.set(instance, next);
  return next;
}

/**
 * The locale every visit starts in and every reset returns to: in portal mode the first of the
 * browser's languages (`navigator.languages`) that Walkup supports, so a person's browser speaks
 * for them; otherwise (the kiosk, or no supported browser language) the station's `locale`.
 */
export function defaultLocale(
  stationLocale: string,
  browserLanguages: readonly string[] | undefined,
): string {
  const supported = (browserLanguages ?? []).some((locale) =>
    (supportedLanguages as readonly string[]).includes(primaryLanguage(locale)),
  );
  return supported && browserLanguages ? preferredLanguage(browserLanguages) : stationLocale;
}
