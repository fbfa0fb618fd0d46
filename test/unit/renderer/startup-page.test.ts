// @vitest-environment jsdom
/**
 * The start-up page (renderer/index.html, startup.css, startup-language.ts): "Starting…" in every
 * supported language, equal to the translations, picked from the browser's languages by a module
 * script and CSS `:lang()`, with nothing inline that the renderer's CSP would refuse. Real
 * Chromium shows it in test/e2e/startup-language.spec.ts.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { supportedLanguages, type SupportedLanguage } from '../../../renderer/i18n';
import { de } from '../../../renderer/i18n/de';
import { en, type Messages } from '../../../renderer/i18n/en';
import { es } from '../../../renderer/i18n/es';
import { fr } from '../../../renderer/i18n/fr';
import { readSourceFile } from './support/read-source-file';

const translations: Record<SupportedLanguage, Messages> = { en, de, es, fr };
const page = new DOMParser().parseFromString(readSourceFile('renderer/index.html'), 'text/html');
const blocks = [...page.querySelectorAll<HTMLElement>('.startup-text')];

describe('start-up text of index.html', () => {
  it('has one block per supported language, in the order of supportedLanguages', () => {
    expect(blocks.map((block) => block.lang)).toEqual([...supportedLanguages]);
  });

  it.each(supportedLanguages)('says what the %s translation says while starting', (language) => {
    const block = blocks.find((element) => element.lang === language);
    expect(block?.querySelector('h1')?.textContent).toBe(translations[language].app.starting);
    expect(block?.querySelector('p')?.textContent?.replace(/\s+/g, ' ')).toBe(
      translations[language].app.startingDetail,
    );
  });

  it('sits in #root (React replaces it) with the look of the Starting screen', () => {
    const screen = page.querySelector('#root .app-main .screen.starting');
    expect(screen?.getAttribute('aria-busy')).toBe('true');
    expect(blocks.every((block) => block.parentElement === screen)).toBe(true);
  });

  it('has nothing inline that the CSP refuses (no inline script or style, no handler)', () => {
    const scripts = [...page.querySelectorAll('script')];
    expect(scripts.map((script) => script.getAttribute('src'))).toEqual([
      './startup-language.ts',
      './main.tsx',
    ]);
    expect(scripts.every((script) => script.type === 'module' && script.textContent === '')).toBe(true);
    expect(page.querySelectorAll('style, [style]')).toHaveLength(0);
    const handlers = [...page.querySelectorAll('*')].flatMap((element) =>
      element.getAttributeNames().filter((name) => name.startsWith('on')),
    );
    expect(handlers).toEqual([]);
  });

  it('shows a block only for the language chosen by the script, for each language', () => {
    const css = readSourceFile('renderer/startup.css');
    expect(page.querySelector('link[rel="stylesheet"]')?.getAttribute('href')).toBe('./startup.css');
    expect(css).toMatch(/\.startup-text\s*\{\s*display:\s*none;\s*\}/);
    for (const language of supportedLanguages) {
      expect(css).toContain(`html[data-startup-language]:lang(${language}) .startup-text:lang(${language})`);
    }
  });
});

describe('start-up language script', () => {
  const original = Object.getOwnPropertyDescriptor(window.navigator, 'languages');

  beforeEach(() => {
    vi.resetModules();
    document.documentElement.lang = 'en';
    delete document.documentElement.dataset.startupLanguage;
  });
  afterEach(() => {
    if (original) Object.defineProperty(window.navigator, 'languages', original);
    else Reflect.deleteProperty(window.navigator, 'languages');
  });

  function browserLanguages(languages: string[]): void {
    Object.defineProperty(window.navigator, 'languages', { value: languages, configurable: true });
  }

  it.each([
    [['fr-CA', 'en-US'], 'fr'],
    [['it-IT', 'es-419', 'de'], 'es'],
    [['de-AT'], 'de'],
    [['nl-NL', 'pt'], 'en'],
  ])("sets <html lang> from the browser's languages %j: %s", async (languages, expected) => {
    browserLanguages(languages);
    await import('../../../renderer/startup-language');
    expect(document.documentElement.lang).toBe(expected);
    expect(document.documentElement.dataset.startupLanguage).toBe(expected);
  });
});
