// @vitest-environment jsdom
import { cleanup, screen } from '@testing-library/react';
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
import { applyStationLocale, createWalkupI18n, supportedLanguages } from '../../../renderer/i18n';
import { de } from '../../../renderer/i18n/de';
import { en } from '../../../renderer/i18n/en';
import { createFakeWalkupApi, testStation } from './support/fake-walkup-api';
import { readSourceFile } from './support/read-source-file';
import { findScreen, renderApp } from './support/render-app';

afterEach(cleanup);

/** Every key path of a message tree, e.g. `signIn.errors.throttled`. */
function keyPaths(tree: object, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([key, value]) =>
    typeof value === 'object' && value !== null ? keyPaths(value, `${prefix}${key}.`) : [`${prefix}${key}`],
  );
}

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
    expect(i18n.hasResourceBundle('de', 'translation')).toBe(false);
    await applyStationLocale(i18n, 'de-AT');
    expect(i18n.hasResourceBundle('de', 'translation')).toBe(true);
    expect(i18n.t('outOfService.heading')).toBe(de.outOfService.heading);
    await applyStationLocale(i18n, 'fr');
    expect(i18n.t('outOfService.heading')).toBe(en.outOfService.heading);
  });

  it('has the same keys in German as in English', () => {
    expect(keyPaths(de).sort()).toEqual(keyPaths(en).sort());
  });

  it('uses the station locale, falling back from a region to its language and to English', async () => {
    renderApp(createFakeWalkupApi({ station: { ...testStation, locale: 'de-CH' } }));
    expect(
      await screen.findByRole('heading', {
        level: 1,
        name: 'Melden Sie sich an, um Ihre Duo-Geräte zu verwalten',
      }),
    ).toBeTruthy();
    expect(screen.getByLabelText('Benutzername')).toBeTruthy();
    expect(document.documentElement.lang).toBe('de');
    cleanup();

    renderApp(createFakeWalkupApi({ station: { ...testStation, locale: 'fr-FR' } }));
    expect(await findScreen('Sign in to manage your Duo devices')).toBeTruthy();
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
