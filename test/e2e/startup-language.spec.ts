/**
 * The start-up page in real Chromium, before the station answers: "Starting…" in the browser's
 * language (navigator.languages, set by the context's locale) among English, German, Spanish
 * and French, English for any other; no CSP violation; no axe violation. Once the station
 * answers, the welcome stays in the browser's language (portal mode starts from the browser's
 * own languages); a browser in a language Walkup lacks gets the station's (English here).
 */
import { expect, test, type Route } from '@playwright/test';
import { E2E_PORTS } from './ports';
import { expectAccessible, screenshot } from './page-checks';
import { WELCOME_HEADING } from './welcome';

const welcomeHeadings: Record<string, string> = {
  de: 'Duo-Telefon oder Sicherheitsschlüssel hinzufügen oder ersetzen',
  es: 'Añada o sustituya su teléfono o llave de seguridad de Duo',
  fr: 'Ajoutez ou remplacez votre téléphone ou votre clé de sécurité Duo',
  en: WELCOME_HEADING,
};

const v4Url = `http://127.0.0.1:${E2E_PORTS.v4Portal}/`;

const cases: [locale: string, lang: string, heading: string][] = [
  ['de-DE', 'de', 'Wird gestartet…'],
  ['es-ES', 'es', 'Iniciando…'],
  ['fr-FR', 'fr', 'Démarrage…'],
  ['it-IT', 'en', 'Starting…'],
];

for (const [locale, lang, heading] of cases) {
  test(`says "${heading}" while starting in a ${locale} browser, then welcomes in the browser's language`, async ({
    browser,
  }) => {
    const context = await browser.newContext({ locale });
    const page = await context.newPage();
    const cspViolations: string[] = [];
    page.on('console', (message) => {
      if (/Content[- ]Security[- ]Policy/i.test(message.text())) cspViolations.push(message.text());
    });
    // The station does not answer until the test lets it.
    let held: Route | undefined;
    await page.route('**/api/station', (route) => {
      held = route;
    });

    await page.goto(v4Url);
    const headings = page.getByRole('heading', { level: 1 });
    await expect(headings).toHaveText([heading]);
    await expect(page.locator('html')).toHaveAttribute('lang', lang);
    await screenshot(page, `starting-${lang}-${locale}`);
    await expectAccessible(page, `start-up page (${locale})`);

    await expect.poll(() => held !== undefined).toBe(true);
    await held!.continue();
    await page.unroute('**/api/station');
    await expect(page.getByRole('heading', { level: 1, name: welcomeHeadings[lang] })).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('lang', lang);
    expect(cspViolations).toEqual([]);
    await context.close();
  });
}
