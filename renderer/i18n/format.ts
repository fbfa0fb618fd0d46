/**
 * Dates, times and numbers in the UI's locale: the one place the renderer formats them, over the
 * ECMAScript Internationalization API (ECMA-402: `Intl.DateTimeFormat`, `Intl.NumberFormat`), so
 * a German station shows `1.234,5`, a French one `1 234,5` and a Spanish one `1234,5`.
 *
 * Small whole counts (seconds, attempts, steps) read the same in every supported language and go
 * into messages as they are, where i18next also picks the plural form from them.
 */
import type { i18n } from 'i18next';
import { useTranslation } from 'react-i18next';
import { primaryLanguage } from '../../main/contract/languages';

/** The medium date and time, e.g. `3 déc. 2026, 16:05:09` in French. */
const dateTimeMedium: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'medium' };

/**
 * The BCP 47 locale to format in: the UI's locale as the station gave it (`de-CH`, so Swiss
 * digit grouping) when it is a well-formed tag (RFC 5646) of the language on screen; otherwise
 * the language on screen (`de`; English for a station whose language Walkup does not speak), so
 * numbers never follow another language than the words around them.
 */
export function formattingLocale(instance: Pick<i18n, 'language' | 'resolvedLanguage'>): string {
  const shown = instance.resolvedLanguage ?? 'en';
  const asked = instance.language ?? '';
  if (primaryLanguage(asked) !== shown) return shown;
  try {
    // `de_CH` is not BCP 47; Intl would throw on it later. Canonical form: `de-CH`.
    return Intl.getCanonicalLocales(asked.replace(/_/g, '-'))[0] ?? shown;
  } catch {
    return shown;
  }
}

/**
 * A number in `locale` (BCP 47), with `options` as `Intl.NumberFormat` takes them (e.g.
 * `{ maximumFractionDigits: 1 }`). `formatNumber(1234.5, 'de')` -> `1.234,5`.
 */
export function formatNumber(value: number, locale: string, options?: Intl.NumberFormatOptions): string {
  return new Intl.NumberFormat(locale, options).format(value);
}

/**
 * A point in time in `locale` (BCP 47): a `Date`, epoch milliseconds or an ISO 8601 string; by
 * default the medium date and time in the browser's time zone. Undefined when the value is no
 * valid time, so the caller decides what to show instead.
 */
export function formatDate(
  value: Date | number | string,
  locale: string,
  options: Intl.DateTimeFormatOptions = dateTimeMedium,
): string | undefined {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) return undefined;
  return new Intl.DateTimeFormat(locale, options).format(date);
}

/** {@link formatNumber} and {@link formatDate} in the UI's current locale, for components. */
export function useFormat(): {
  locale: string;
  formatNumber(value: number, options?: Intl.NumberFormatOptions): string;
  formatDate(value: Date | number | string, options?: Intl.DateTimeFormatOptions): string | undefined;
} {
  const { i18n } = useTranslation();
  const locale = formattingLocale(i18n);
  return {
    locale,
    formatNumber: (value, options) => formatNumber(value, locale, options),
    formatDate: (value, options) => formatDate(value, locale, options),
  };
}
