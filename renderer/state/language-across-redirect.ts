/**
 * The person's language pick across Duo's v4 redirect in portal mode. The browser leaves the page
 * for Duo's Universal Prompt and comes back to a page loaded afresh, whose app state starts empty;
 * without this, Done (or Failed) would show in the station's language although the person picked
 * another. The pick is kept in the tab's `sessionStorage` (HTML Living Standard, Web storage: one
 * tab, gone with it) just before the redirect, and taken (read once, then removed) by the next
 * load, which applies it only to a visit that is still the person's (Duo, Done, Failed): an idle
 * visit goes to the welcome in the station's language. A language names nobody. Storage that
 * cannot be used (disabled, full) just leaves the station's language.
 */
import { supportedLanguages, type SupportedLanguage } from '../../main/contract/languages';

const KEY = 'walkup.visit-language';

const isSupported = (value: string | null): value is SupportedLanguage =>
  (supportedLanguages as readonly (string | null)[]).includes(value);

/** Before a redirect to Duo: keeps `language` (the person's pick) or, without one, nothing. */
export function keepLanguageForRedirect(language: SupportedLanguage | undefined): void {
  try {
    if (language === undefined) sessionStorage.removeItem(KEY);
    else sessionStorage.setItem(KEY, language);
  } catch {
    // No storage: the page after Duo shows the station's language.
  }
}

/** On load: the language kept before a redirect, if any, removed from storage as it is read. */
export function takeLanguageAfterRedirect(): SupportedLanguage | undefined {
  try {
    const value = sessionStorage.getItem(KEY);
    sessionStorage.removeItem(KEY);
    return isSupported(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
