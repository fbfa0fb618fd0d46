// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { afterEach, describe, expect, it } from 'vitest';
import {
  accountConditions,
  duoFailureReasons,
  DUO_VIEW_BAR_HEIGHT_PX,
  inputProblems,
  outOfServiceReasons,
  resetReasons,
  signInFailureReasons,
} from '../../../main/contract';
import { formatAuditTime } from '../../../renderer/admin/audit-section';
import { CheckReport } from '../../../renderer/admin/check-report';
import {
  applyStationLocale,
  createWalkupI18n,
  defaultLocale,
  languageOf,
  preferredLanguage,
  supportedLanguages,
  type SupportedLanguage,
} from '../../../renderer/i18n';
import { de } from '../../../renderer/i18n/de';
import { en, type Messages } from '../../../renderer/i18n/en';
import { es } from '../../../renderer/i18n/es';
import { formatDate, formatNumber, formattingLocale } from '../../../renderer/i18n/format';
import { fr } from '../../../renderer/i18n/fr';
import { createFakeWalkupApi, testStation } from './support/fake-walkup-api';
import { readSourceFile } from './support/read-source-file';
import { findScreen, renderApp, startSignIn, WELCOME_HEADING } from './support/render-app';

afterEach(cleanup);

/** Every key path of a message tree with its text, e.g. `['signIn.errors.throttled', 'Too many…']`. */
function entries(tree: object, prefix = ''): [string, string][] {
  return Object.entries(tree).flatMap(([key, value]): [string, string][] =>
    typeof value === 'object' && value !== null
      ? entries(value, `${prefix}${key}.`)
      : [[`${prefix}${key}`, String(value)]],
  );
}

/** Every key path of a message tree, e.g. `signIn.errors.throttled`. */
const keyPaths = (tree: object): string[] => entries(tree).map(([key]) => key);

/** The `{{placeholders}}` of a message, sorted (`{{count, number}}` counts as `count`). */
const placeholders = (text: string): string[] =>
  [...text.matchAll(/\{\{\s*([^}\s,]+)[^}]*\}\}/g)].map((match) => match[1]!).sort();

/** i18next's plural suffixes (Intl.PluralRules categories), as in `countdown_one`. */
const pluralSuffix = /_(zero|one|two|few|many|other)$/;

/** Every translation, by language; the test below checks that none is forgotten here. */
const translations: Record<SupportedLanguage, Messages> = { en, de, es, fr };
const otherLanguages = supportedLanguages.filter((language) => language !== 'en');

describe('translations', () => {
  const reasonKeys = [
    ...signInFailureReasons.map((reason) => `signIn.errors.${reason}`),
    ...accountConditions.map((condition) => `conditions.${condition}`),
    ...inputProblems.map((problem) => `inputProblems.${problem}`),
    ...outOfServiceReasons.map((reason) => `outOfService.reasons.${reason}`),
    ...duoFailureReasons.map((reason) => `failed.reasons.${reason}`),
    ...resetReasons.map((reason) => `resetNotices.${reason}`),
  ];

  it.each(supportedLanguages)(
    'has a message for every reason code of the contract in %s',
    async (language) => {
      const i18n = createWalkupI18n(language);
      await applyStationLocale(i18n, language);
      for (const key of reasonKeys) {
        expect(i18n.exists(key, { lng: language, fallbackLng: [] }), `${language}: ${key}`).toBe(true);
      }
    },
  );

  it('starts in English and loads another language only when a station asks for it', async () => {
    const i18n = createWalkupI18n('en');
    for (const language of otherLanguages) {
      expect(i18n.hasResourceBundle(language, 'translation'), language).toBe(false);
    }
    await applyStationLocale(i18n, 'de-AT');
    expect(i18n.hasResourceBundle('de', 'translation')).toBe(true);
    expect(i18n.hasResourceBundle('fr', 'translation')).toBe(false);
    expect(i18n.t('outOfService.heading')).toBe(de.outOfService.heading);
    await applyStationLocale(i18n, 'fr-CA');
    expect(i18n.t('outOfService.heading')).toBe(fr.outOfService.heading);
    expect(document.documentElement.lang).toBe('fr');
    await applyStationLocale(i18n, 'es');
    expect(i18n.t('outOfService.heading')).toBe(es.outOfService.heading);
    await applyStationLocale(i18n, 'it');
    expect(i18n.t('outOfService.heading')).toBe(en.outOfService.heading);
    expect(document.documentElement.lang).toBe('en');
  });

  it('speaks English, German, Spanish and French, each with its translation here', () => {
    expect([...supportedLanguages].sort()).toEqual(['de', 'en', 'es', 'fr']);
    expect(Object.keys(translations).sort()).toEqual([...supportedLanguages].sort());
  });

  it.each(otherLanguages)('has exactly the keys of English in %s', (language) => {
    const keys = new Set(keyPaths(translations[language]));
    const english = new Set(keyPaths(en));
    expect(
      [...english].filter((key) => !keys.has(key)),
      `keys of en missing in ${language}`,
    ).toEqual([]);
    expect(
      [...keys].filter((key) => !english.has(key)),
      `keys of ${language} that en lacks`,
    ).toEqual([]);
  });

  it.each(otherLanguages)('has the placeholders of English in every %s message', (language) => {
    const texts = new Map(entries(translations[language]));
    const differing = entries(en)
      .filter(
        ([key, text]) => texts.has(key) && placeholders(texts.get(key)!).join() !== placeholders(text).join(),
      )
      .map(
        ([key, text]) => `${key}: en ${placeholders(text).join()} / ${placeholders(texts.get(key)!).join()}`,
      );
    expect(differing).toEqual([]);
  });

  it.each(supportedLanguages)('has every plural form %s uses for counts from 0 to 1000', (language) => {
    const keys = new Set(keyPaths(translations[language]));
    const bases = new Set(
      keyPaths(en)
        .filter((key) => pluralSuffix.test(key))
        .map((key) => key.replace(pluralSuffix, '')),
    );
    const rules = new Intl.PluralRules(language);
    const missing = new Set<string>();
    for (const base of bases) {
      for (let count = 0; count <= 1000; count += 1) {
        const key = `${base}_${rules.select(count)}`;
        if (!keys.has(key)) missing.add(key);
      }
    }
    expect([...missing]).toEqual([]);
  });

  it('says a count in the plural form of each language (French: 0 and 1 are singular)', async () => {
    const i18n = createWalkupI18n('en');
    const wait = (count: number) => i18n.t('signIn.throttledWait.seconds', { count });
    expect([wait(0), wait(1), wait(2)]).toEqual([
      'Please wait 0 seconds, then try again.',
      'Please wait 1 second, then try again.',
      'Please wait 2 seconds, then try again.',
    ]);
    await applyStationLocale(i18n, 'fr');
    expect([wait(0), wait(1), wait(2)]).toEqual([
      'Veuillez patienter 0 seconde, puis réessayer.',
      'Veuillez patienter 1 seconde, puis réessayer.',
      'Veuillez patienter 2 secondes, puis réessayer.',
    ]);
    await applyStationLocale(i18n, 'es');
    expect([wait(1), wait(5)]).toEqual([
      'Espere 1 segundo y vuelva a intentarlo.',
      'Espere 5 segundos y vuelva a intentarlo.',
    ]);
  });

  /** Product names and words a language shares with English: a same text there is no oversight. */
  const names = [
    'admin.check.duo',
    'setup.steps.duo',
    'setup.duo.sdk',
    'setup.directory.ad',
    'setup.directory.openldap',
  ];
  const sameAsEnglish: Record<(typeof otherLanguages)[number], string[]> = {
    de: [
      ...names,
      'admin.pin.label',
      'admin.check.tls',
      'admin.status.heading',
      'admin.status.detail',
      'admin.check.server',
      'admin.audit.details',
      'admin.tools.station',
      // "Helpdesk", as every other German text of the station says it.
      'helpdeskContact.label',
    ],
    es: [...names, 'admin.pin.label', 'admin.check.tls', 'admin.check.error', 'admin.check.no'],
    fr: [
      ...names,
      'admin.status.version',
      'admin.secrets.heading',
      'admin.tools.station',
      'setup.steps.test',
      'setup.save.general',
    ],
  };

  it.each(otherLanguages)('translates %s: no message is left in English', (language) => {
    const texts = new Map(entries(translations[language]));
    const untranslated = entries(en)
      .filter(([key, text]) => texts.get(key) === text && !sameAsEnglish[language].includes(key))
      .map(([key]) => key);
    expect(untranslated).toEqual([]);
  });

  it('uses the station locale, falling back from a region to its language and to English', async () => {
    renderApp(createFakeWalkupApi({ station: { ...testStation, locale: 'de-CH' } }));
    await startSignIn(
      'Duo-Telefon oder Sicherheitsschlüssel hinzufügen oder ersetzen',
      'Starten',
      'Melden Sie sich an, um Ihre Duo-Geräte zu verwalten',
    );
    expect(screen.getByLabelText('Benutzername')).toBeTruthy();
    expect(document.documentElement.lang).toBe('de');
    cleanup();

    renderApp(createFakeWalkupApi({ station: { ...testStation, locale: 'fr-FR' } }));
    await startSignIn(
      'Ajoutez ou remplacez votre téléphone ou votre clé de sécurité Duo',
      'Commencer',
      'Connectez-vous pour gérer vos appareils Duo',
    );
    expect(screen.getByLabelText('Nom d’utilisateur')).toBeTruthy();
    expect(document.documentElement.lang).toBe('fr');
    cleanup();

    renderApp(createFakeWalkupApi({ station: { ...testStation, locale: 'es-MX' } }));
    expect(
      await screen.findByRole('heading', {
        level: 1,
        name: 'Añada o sustituya su teléfono o llave de seguridad de Duo',
      }),
    ).toBeTruthy();
    expect(document.documentElement.lang).toBe('es');
    cleanup();

    renderApp(createFakeWalkupApi({ station: { ...testStation, locale: 'it-IT' } }));
    expect(await findScreen(WELCOME_HEADING)).toBeTruthy();
    expect(document.documentElement.lang).toBe('en');
  });
});

describe('languages', () => {
  it('maps a station locale to its supported language, English otherwise', () => {
    expect(['de-CH', 'es_MX', 'FR', 'fr-CA', 'en-GB', 'it', 'pt-BR', ''].map(languageOf)).toEqual([
      'de',
      'es',
      'fr',
      'fr',
      'en',
      'en',
      'en',
      'en',
    ]);
  });

  it("picks the browser's first supported language (navigator.languages order)", () => {
    expect(preferredLanguage(['fr-CA', 'en-US'])).toBe('fr');
    expect(preferredLanguage(['it-IT', 'it', 'es-419', 'de'])).toBe('es');
    expect(preferredLanguage(['en-GB', 'de-DE'])).toBe('en');
    expect(preferredLanguage(['nl', 'pt'])).toBe('en');
    expect(preferredLanguage([])).toBe('en');
  });

  it("starts from the browser's first supported language in portal mode, else the station's locale", () => {
    expect(defaultLocale('de-DE', ['it-IT', 'fr-CA', 'de'])).toBe('fr');
    expect(defaultLocale('de-DE', ['en-GB'])).toBe('en');
    // No supported browser language, or the kiosk (no browser languages): the station's locale.
    expect(defaultLocale('de-DE', ['it-IT', 'pt'])).toBe('de-DE');
    expect(defaultLocale('de-DE', [])).toBe('de-DE');
    expect(defaultLocale('es-MX', undefined)).toBe('es-MX');
  });

  it("never says a paused station is not the person's doing (a per-address pause may be), in any language", () => {
    for (const messages of [en, de, es, fr]) {
      expect(messages.signIn.errors['station-paused']).not.toMatch(
        /anything you did|nicht an Ihnen|nada que usted|pour rien/i,
      );
    }
  });

  it('uses one kind of apostrophe in English: the straight one', () => {
    expect(entries(en).filter(([, text]) => text.includes('’'))).toEqual([]);
  });
});

describe('dates and numbers per locale', () => {
  // 2026-12-03 16:05:09 in UTC, shown in UTC so the test does not depend on the machine's zone.
  const time = '2026-12-03T16:05:09.000Z';
  const utc: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'medium', timeZone: 'UTC' };

  it.each([
    ['en', '1,234.5', 'Dec 3, 2026, 4:05:09 PM'],
    ['de', '1.234,5', '03.12.2026, 16:05:09'],
    ['es', '1234,5', '3 dic 2026, 16:05:09'],
    ['fr', '1\u202f234,5', '3 déc. 2026, 16:05:09'],
  ])('formats in %s', (locale, number, date) => {
    expect(formatNumber(1234.5, locale)).toBe(number);
    // Intl puts a narrow no-break space before AM/PM in English; compared with plain spaces.
    expect(formatDate(time, locale, utc)?.replace(/\u202f/g, ' ')).toBe(date);
    expect(formatDate(new Date(time), locale, utc)).toBe(formatDate(Date.parse(time), locale, utc));
  });

  it('follows the digit grouping of a region (de-CH) and keeps options', () => {
    // The Swiss group separator is ’ or ' depending on the CLDR version of the runtime's ICU.
    expect(formatNumber(1234567, 'de-CH')).toMatch(/^1['’]234['’]567$/);
    expect(formatNumber(0.25, 'fr', { style: 'percent' })).toMatch(/^25[\u00a0\u202f]%$/);
  });

  it('gives no date for something that is not a time', () => {
    expect(formatDate('not a time', 'en')).toBeUndefined();
    expect(formatDate(Number.NaN, 'de')).toBeUndefined();
  });

  it("formats in the station's locale when it is the language on screen, else in that language", () => {
    expect(formattingLocale({ language: 'de-CH', resolvedLanguage: 'de' })).toBe('de-CH');
    expect(formattingLocale({ language: 'fr_CA', resolvedLanguage: 'fr' })).toBe('fr-CA');
    expect(formattingLocale({ language: 'it-IT', resolvedLanguage: 'en' })).toBe('en');
    // A locale that is not BCP 47 falls back to the language on screen instead of throwing.
    expect(formattingLocale({ language: 'de-!!', resolvedLanguage: 'de' })).toBe('de');
    expect(formattingLocale({ language: 'de', resolvedLanguage: undefined })).toBe('en');
  });

  it("formats in the station's regional locale once its language is loaded", async () => {
    const i18n = createWalkupI18n('en');
    await applyStationLocale(i18n, 'de-CH');
    expect(formattingLocale(i18n)).toBe('de-CH');
    expect(formatNumber(1234, formattingLocale(i18n))).toMatch(/^1['’]234$/);
  });

  it('shows the admin check report and recent events in the locale', async () => {
    const i18n = createWalkupI18n('en');
    await applyStationLocale(i18n, 'de');
    render(
      <I18nextProvider i18n={i18n}>
        <CheckReport
          headingLevel={3}
          report={{
            ok: true,
            inService: true,
            outOfService: null,
            warnings: [],
            problems: [],
            directory: {
              type: 'ad',
              servers: [
                {
                  url: 'ldaps://dc1.example.com',
                  reachable: true,
                  tlsOk: true,
                  serviceBindOk: true,
                  insecure: false,
                  latencyMs: 1234.5,
                },
              ],
            },
            duo: { sdk: 'v4', apiHost: 'api-1.duosecurity.com', ok: true, skewSeconds: -1.5 },
          }}
        />
      </I18nextProvider>,
    );
    expect(screen.getByText('Antwortzeit: 1.234,5 ms')).toBeTruthy();
    expect(screen.getByText('Zeitabweichung: -1,5 s')).toBeTruthy();
    // Recent events: medium date and time in the locale (the browser's time zone), or as given.
    expect(formatAuditTime(time, 'de')).toMatch(/^\d\d\.\d\d\.2026, \d\d:\d\d:09$/);
    expect(formatAuditTime('yesterday', 'de')).toBe('yesterday');
  });
});

describe('styles', () => {
  const styles = readSourceFile('renderer/styles.css');

  it('keeps the Walkup bar of the v4 view exactly as high as main reserves', () => {
    expect(styles).toContain(`--duo-view-bar-height: ${DUO_VIEW_BAR_HEIGHT_PX}px;`);
  });

  it('uses no remote resources (the CSP allows only the app itself)', () => {
    expect(styles).not.toMatch(/url\(|@import/);
  });
});
