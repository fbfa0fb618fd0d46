/**
 * The welcome screen and the language picker (issue #12) in Chromium, through portal mode against
 * slapd and the Duo emulator: a branded station's welcome (its text, helpdesk and accent), axe
 * and a screenshot; a person who picks Français on the welcome signs in and manages their devices
 * in French, the sign-in request says `fr`, and once the visit is over the welcome is back in the
 * station's language with nothing of the person; with Web SDK v4 the pick survives the redirect
 * to Duo's page and back (Done in the picked language). In portal mode a browser's own language
 * is the default one (a French browser starts and ends in French); a branded welcome text shows
 * only in the station's language; no step is current before Start; the picker's visible label.
 */
import { expect, test, type Page } from '@playwright/test';
import { E2E_BRANDING } from './branding';
import { E2E_PORTS } from './ports';
import { E2E_USERS } from './users';
import { expectAccessible, screenshot } from './page-checks';
import { WELCOME_HEADING } from './welcome';

const brandedUrl = `http://127.0.0.1:${E2E_PORTS.brandedPortal}/`;
const v2Url = `http://127.0.0.1:${E2E_PORTS.v2Portal}/`;
const v4Url = `http://127.0.0.1:${E2E_PORTS.v4Portal}/`;

function languageButton(page: Page, name: string) {
  return page.getByRole('group', { name: /^(Language|Langue)$/ }).getByRole('button', { name, exact: true });
}

test('a branded station welcomes with its own text, its helpdesk and its accent, with no axe violation', async ({
  page,
}) => {
  await page.goto(brandedUrl);
  await expect(page.getByRole('heading', { level: 1, name: WELCOME_HEADING })).toBeVisible();
  await expect(page.getByText(E2E_BRANDING.welcomeText)).toBeVisible();
  await expect(page.getByText('It takes a few minutes.')).toBeVisible();
  await expect(page.locator('.helpdesk-contact')).toContainText(E2E_BRANDING.helpdesk);
  // #5c2d91, the station's accent, on the primary action.
  await expect(page.getByRole('button', { name: 'Start', exact: true })).toHaveCSS(
    'background-color',
    'rgb(92, 45, 145)',
  );
  // Each language named in itself, with its lang; the station's (English) pressed.
  const group = page.getByRole('group', { name: 'Language' });
  await expect(group.getByRole('button')).toHaveText(['English', 'Deutsch', 'Español', 'Français']);
  await expect(languageButton(page, 'Français')).toHaveAttribute('lang', 'fr');
  await expect(languageButton(page, 'English')).toHaveAttribute('aria-pressed', 'true');
  await expect(languageButton(page, 'Deutsch')).toHaveAttribute('aria-pressed', 'false');
  // Touch friendly: every button of the welcome at least 48 px high.
  for (const button of await page.locator('main button').all()) {
    expect((await button.boundingBox())?.height ?? 0).toBeGreaterThanOrEqual(48);
  }
  await screenshot(page, 'welcome-branded');
  await expectAccessible(page, 'welcome (branded)');
});

test('a person picks Français with the keyboard, visits in French, and the welcome is back in English after', async ({
  page,
}) => {
  const bob = E2E_USERS.bob;
  const locales: unknown[] = [];
  page.on('request', (request) => {
    if (request.url().endsWith('/api/sign-in')) locales.push(request.postDataJSON()?.locale);
  });
  await page.goto(v2Url);
  await expect(page.getByRole('heading', { level: 1, name: WELCOME_HEADING })).toBeVisible();

  // Keyboard only: focus the picker's Français and press Enter.
  await languageButton(page, 'Français').focus();
  await page.keyboard.press('Enter');
  await expect(
    page.getByRole('heading', {
      level: 1,
      name: 'Ajoutez ou remplacez votre téléphone ou votre clé de sécurité Duo',
    }),
  ).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
  await expect(languageButton(page, 'Français')).toHaveAttribute('aria-pressed', 'true');
  await screenshot(page, 'welcome-fr');
  await expectAccessible(page, 'welcome (French)');

  await page.getByRole('button', { name: 'Commencer', exact: true }).click();
  await expect(
    page.getByRole('heading', { level: 1, name: 'Connectez-vous pour gérer vos appareils Duo' }),
  ).toBeVisible();
  await expect(page.getByLabel('Nom d’utilisateur')).toBeFocused();
  await expect(languageButton(page, 'Français')).toHaveAttribute('aria-pressed', 'true');
  await page.getByLabel('Nom d’utilisateur').fill(bob.username);
  await page.getByLabel('Mot de passe', { exact: true }).fill(bob.password);
  await page.getByRole('button', { name: 'Se connecter' }).click();

  // Walkup's Duo screen in French; main was told the person's language (the kiosk gives it to
  // Duo as the visit's Accept-Language; in portal mode Duo gets the browser's own).
  await expect(page.getByRole('heading', { level: 1, name: 'Gérez vos appareils' })).toBeVisible();
  expect(locales).toEqual(['fr']);
  const frame = page.frameLocator('iframe[title="Gestion des appareils Duo"]');
  await frame.getByRole('button', { name: 'Finish' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'C’est terminé' })).toBeVisible();

  // Done's time is up (3 s on this station): the welcome, in the station's language again.
  await expect(page.getByRole('heading', { level: 1, name: WELCOME_HEADING })).toBeVisible({
    timeout: 15_000,
  });
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(languageButton(page, 'English')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByText('Bob Builder')).toHaveCount(0);
});

test('with Web SDK v4 the pick survives the redirect to Duo and back: Done in German, then the welcome in English', async ({
  page,
}) => {
  const alice = E2E_USERS.alice;
  await page.goto(v4Url);
  await expect(page.getByRole('heading', { level: 1, name: WELCOME_HEADING })).toBeVisible();
  await languageButton(page, 'Deutsch').click();
  await page.getByRole('button', { name: 'Starten', exact: true }).click();
  await expect(
    page.getByRole('heading', { level: 1, name: 'Melden Sie sich an, um Ihre Duo-Geräte zu verwalten' }),
  ).toBeVisible();
  await page.getByLabel('Benutzername').fill(alice.username);
  await page.getByLabel('Passwort', { exact: true }).fill(alice.password);
  await page.getByRole('button', { name: 'Anmelden' }).click();

  // Duo's Universal Prompt is a page of its own; the page that comes back is loaded afresh.
  await page.waitForURL(/\/oauth\/v1\/authorize|\/frame\//);
  await page.getByRole('button', { name: 'Finish' }).click();
  await page.waitForURL(v4Url);
  await expect(page.getByRole('heading', { level: 1, name: 'Alles erledigt' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'de');

  await expect(page.getByRole('heading', { level: 1, name: WELCOME_HEADING })).toBeVisible({
    timeout: 15_000,
  });
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
});

test('in forced colours the picked language still stands out (a thicker border, not a background)', async ({
  page,
}) => {
  await page.emulateMedia({ forcedColors: 'active' });
  await page.goto(v2Url);
  await expect(page.getByRole('heading', { level: 1, name: WELCOME_HEADING })).toBeVisible();
  const border = (name: string) =>
    languageButton(page, name).evaluate((button) => getComputedStyle(button).borderTopWidth);
  expect(await border('English')).toBe('4px');
  expect(await border('Deutsch')).toBe('2px');
  await screenshot(page, 'welcome-forced-colours');
  await expectAccessible(page, 'welcome (forced colours)');
});

test('in portal mode a French browser starts in French on an English station and a reset returns to French', async ({
  browser,
}) => {
  const bob = E2E_USERS.bob;
  const context = await browser.newContext({ locale: 'fr-FR' });
  const page = await context.newPage();
  await page.goto(v2Url);
  const frenchWelcome = page.getByRole('heading', {
    level: 1,
    name: 'Ajoutez ou remplacez votre téléphone ou votre clé de sécurité Duo',
  });
  await expect(frenchWelcome).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
  await expect(languageButton(page, 'Français')).toHaveAttribute('aria-pressed', 'true');
  // No helpdesk on this station: the built-in line says whom to ask.
  await expect(page.locator('.helpdesk-contact')).toHaveText(
    'Besoin d’aide ? Adressez-vous au service d’assistance informatique.',
  );

  // The person picks Deutsch for their visit.
  await languageButton(page, 'Deutsch').click();
  await page.getByRole('button', { name: 'Starten', exact: true }).click();
  await page.getByLabel('Benutzername').fill(bob.username);
  await page.getByLabel('Passwort', { exact: true }).fill(bob.password);
  await page.getByRole('button', { name: 'Anmelden' }).click();
  const frame = page.frameLocator('iframe[title="Duo-Geräteverwaltung"]');
  await frame.getByRole('button', { name: 'Finish' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Alles erledigt' })).toBeVisible();

  // Done's time is up: the welcome in the browser's language again, not the station's.
  await expect(frenchWelcome).toBeVisible({ timeout: 15_000 });
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
  await expectAccessible(page, 'welcome (French browser)');
  await context.close();
});

test("a branded welcome text shows only in the station's language; another pick shows the built-in text", async ({
  page,
}) => {
  await page.goto(brandedUrl);
  await expect(page.getByText(E2E_BRANDING.welcomeText)).toBeVisible();
  await languageButton(page, 'Français').click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
  await expect(page.getByText(E2E_BRANDING.welcomeText)).toHaveCount(0);
  await expect(
    page.getByText('Ici, vous pouvez ajouter un nouveau téléphone', { exact: false }),
  ).toBeVisible();
});

test('before Start no step is current, and the picker has a visible label with a globe', async ({ page }) => {
  await page.goto(v2Url);
  await expect(page.getByRole('heading', { level: 1, name: WELCOME_HEADING })).toBeVisible();
  await expect(page.getByRole('list', { name: 'Your progress' }).locator('[aria-current]')).toHaveCount(0);
  await expect(page.locator('.language-picker-label')).toBeVisible();
  await expect(page.locator('.language-picker-label')).toHaveText('Language');
  await expect(page.locator('.language-picker-label svg')).toBeVisible();
  await expect(page.getByRole('group', { name: 'Language' })).toBeVisible();
});
