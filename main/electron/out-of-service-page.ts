/**
 * The page shown when the renderer keeps crashing, or when there is no renderer build. It is
 * served by main itself (not from the renderer build, which may be what is broken), has no script
 * and needs no styles. It speaks the station's language (`station.locale`) when Walkup has a
 * translation for it, English otherwise; its texts are kept here because main cannot load the
 * renderer's translations, and they say what the renderer's out-of-service screen says.
 */
import { languageOf, type SupportedLanguage } from '../contract/languages';

/** Path of the built-in page under `app://walkup`. */
export const OUT_OF_SERVICE_PATH = '/__walkup/out-of-service.html';

/** The page's texts in one language: the document title, the heading and what to do. */
interface OutOfServiceTexts {
  title: string;
  heading: string;
  helpdesk: string;
}

/** One entry per supported language (a missing one is a compile error). */
export const outOfServiceTexts: Record<SupportedLanguage, OutOfServiceTexts> = {
  en: {
    title: 'Walkup: out of service',
    heading: 'This station is out of service',
    helpdesk: 'Please ask the help desk for assistance.',
  },
  de: {
    title: 'Walkup: außer Betrieb',
    heading: 'Diese Station ist außer Betrieb',
    helpdesk: 'Bitte wenden Sie sich an den Helpdesk.',
  },
  es: {
    title: 'Walkup: fuera de servicio',
    heading: 'Esta estación está fuera de servicio',
    helpdesk: 'Diríjase al servicio de asistencia para obtener ayuda.',
  },
  fr: {
    // French typography: a no-break space before the colon.
    title: 'Walkup\u00a0: hors service',
    heading: 'Cette station est hors service',
    helpdesk: 'Veuillez vous adresser au service d’assistance.',
  },
};

/**
 * The page in the language of `locale` (a BCP 47 tag such as the station's `de-CH`; English
 * when unset or unsupported): plain HTML with its `lang`, readable at kiosk distance without CSS.
 * The texts are Walkup's own, so nothing is escaped.
 */
export function outOfServiceHtml(locale: string | undefined): string {
  const language = languageOf(locale ?? 'en');
  const { title, heading, helpdesk } = outOfServiceTexts[language];
  return `<!doctype html>
<html lang="${language}">
<head><meta charset="utf-8"><title>${title}</title></head>
<body>
<h1>${heading}</h1>
<p>${helpdesk}</p>
</body>
</html>
`;
}
