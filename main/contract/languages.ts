/**
 * Which languages Walkup speaks, and how a BCP 47 locale (RFC 5646) maps onto one: for the
 * renderer (its translations, the start-up script renderer/startup-language.ts) and for the
 * kiosk's own out-of-service page (main/electron/out-of-service-page.ts). Pure and
 * dependency-free, so the start-up script runs it before i18next or React have loaded.
 */

/** Languages with a complete translation; anything else falls back to English. */
export const supportedLanguages = ['en', 'de', 'es', 'fr'] as const;
export type SupportedLanguage = (typeof supportedLanguages)[number];

/** The primary language subtag of a BCP 47 locale, lower-cased (`de-CH` -> `de`, `pt_BR` -> `pt`). */
export function primaryLanguage(locale: string): string {
  return locale.trim().toLowerCase().split(/[-_]/)[0] ?? '';
}

const isSupported = (language: string): language is SupportedLanguage =>
  (supportedLanguages as readonly string[]).includes(language);

/** The supported language of a BCP 47 locale (`de-CH` -> `de`); English when unsupported. */
export function languageOf(locale: string): SupportedLanguage {
  const language = primaryLanguage(locale);
  return isSupported(language) ? language : 'en';
}

/**
 * The first supported language in a list of preferred locales, most preferred first (the
 * browser's `navigator.languages`), matched by primary subtag as RFC 4647's lookup falls back
 * (`fr-CA` -> `fr`); English when none is supported. `['it-IT', 'es']` -> `es`.
 */
export function preferredLanguage(locales: readonly string[]): SupportedLanguage {
  for (const locale of locales) {
    const language = primaryLanguage(locale);
    if (isSupported(language)) return language;
  }
  return 'en';
}
