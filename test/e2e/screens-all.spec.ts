/**
 * The screen sweep (issue #12): every screen a person or an admin sees, in English, German,
 * Spanish and French, in light and forced colours, in real Chromium through portal mode against
 * slapd and the Duo emulator. On each: axe (WCAG 2.x A/AA) with a screenshot per colour mode
 * (test-results/screens/sweep/), then at 320x640, 800x1280, 1080x1920 and 1920x1080 no sideways
 * overflow, nothing cut off, the main action visible, and at 800x1280 and 1920x1080 every
 * target at least 48 css px (screen-sweep.ts). One visit per language walks its screens in order.
 */
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { E2E_PORTS } from './ports';
import { screenshot } from './page-checks';
import { layoutProblems, PICTURE_VIEWPORT, smallTargets, sweepScreen } from './screen-sweep';
import { E2E_USERS } from './users';

type Language = 'en' | 'de' | 'es' | 'fr';

/** Each language with the browser locale its visit runs in. */
const LANGUAGES: [Language, string][] = [
  ['en', 'en-GB'],
  ['de', 'de-DE'],
  ['es', 'es-ES'],
  ['fr', 'fr-FR'],
];

const url = (port: number) => `http://127.0.0.1:${port}/`;

/**
 * A fresh browser (own cookies: own visit) in `locale`, showing the station in `language`:
 * - 'picker': as a person does, with the welcome screen's language picker; leaves the welcome shown;
 * - 'station': the station's own locale is `language` (for screens without the picker: out of
 *   service, the admin PIN pad), as a station configured in that language answers.
 */
async function openStation(
  browser: Browser,
  port: number,
  language: Language,
  locale: string,
  how: 'picker' | 'station',
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ locale, viewport: PICTURE_VIEWPORT });
  const page = await context.newPage();
  if (how === 'station') await answerInLanguage(page, language);
  await page.goto(url(port));
  if (how === 'picker') await pickLanguage(page, language);
  await expect(page.locator('html')).toHaveAttribute('lang', language);
  return { context, page };
}

/** Makes the station's answers (`/api/station`) name `language` as its locale. */
async function answerInLanguage(page: Page, language: Language): Promise<void> {
  await page.route('**/api/station', async (route) => {
    const response = await route.fetch();
    const station = (await response.json()) as Record<string, unknown>;
    await route.fulfill({ response, json: { ...station, locale: language } });
  });
}

/** Picks `language` on the welcome screen. */
async function pickLanguage(page: Page, language: Language): Promise<void> {
  await expect(screen(page, 'welcome')).toBeVisible();
  const choice = page.locator(`.language-picker button[lang="${language}"]`);
  await choice.click();
  await expect(choice).toHaveAttribute('aria-pressed', 'true');
}

/** "Start" on the welcome screen, on to the sign-in form. */
async function start(page: Page): Promise<void> {
  await startButton(page).click();
  await expect(screen(page, 'sign-in')).toBeVisible();
}

const signInForm = (page: Page) => page.locator('form.sign-in-form');
const username = (page: Page) => signInForm(page).locator('input[type="text"]');
const password = (page: Page) => signInForm(page).locator('.password-row input');
const submit = (page: Page) => signInForm(page).locator('button[type="submit"]');
const screen = (page: Page, name: string) => page.locator(`.app.app-${name}`);
const startButton = (page: Page) => screen(page, 'welcome').locator('.button.primary');

for (const [language, locale] of LANGUAGES) {
  test(`every screen in ${language}: axe in light and forced colours, targets, layouts`, async ({
    browser,
  }) => {
    test.setTimeout(150_000);
    const name = (screenName: string) => `${language}/${screenName}`;
    /** The README's pictures (docs/images/) come from the English sweep. */
    const picture = (file: string) => (language === 'en' ? file : undefined);

    await test.step('v4 visit: welcome, sign-in, refused, checking, Duo, Done', async () => {
      const { context, page } = await openStation(
        browser,
        E2E_PORTS.sweepV4Portal,
        language,
        locale,
        'picker',
      );
      await sweepScreen(page, name('00-welcome'), {
        lang: language,
        primary: startButton(page),
        picture: picture('welcome'),
      });
      await start(page);
      await sweepScreen(page, name('01-sign-in'), {
        lang: language,
        primary: submit(page),
        picture: picture('sign-in'),
      });

      await username(page).fill(E2E_USERS.alice.username);
      await password(page).fill('not-the-password');
      await submit(page).click();
      await expect(signInForm(page).getByRole('alert')).not.toBeEmpty();
      await sweepScreen(page, name('02-sign-in-refused'), { lang: language, primary: submit(page) });

      // The directory answers only once the checking screen has been looked at.
      let release: () => void = () => undefined;
      const held = new Promise<void>((resolve) => (release = resolve));
      await page.route('**/api/sign-in', async (route) => {
        await held;
        await route.continue();
      });
      await password(page).fill(E2E_USERS.alice.password);
      await submit(page).click();
      await expect(screen(page, 'checking')).toBeVisible();
      await sweepScreen(page, name('03-checking'), { lang: language });
      release();

      // Duo's own page (the emulator's): pictured, not ours to check.
      await page.waitForURL(/\/frame\//);
      await screenshot(page, `sweep/${name('04-duo-universal-prompt')}`);
      // Back on the station's page mid-visit: the v4 Duo screen, "Continue to Duo" first.
      await page.goBack();
      await expect(screen(page, 'duo')).toBeVisible();
      const continueToDuo = page.locator('.duo-message .button.primary');
      await sweepScreen(page, name('05-duo-v4'), { lang: language, primary: continueToDuo });
      await continueToDuo.click();
      await page.waitForURL(/\/frame\//);
      await page.getByRole('button', { name: 'Finish' }).click();
      await expect(screen(page, 'done')).toBeVisible();
      await sweepScreen(page, name('06-done'), { lang: language, picture: picture('done') });
      await context.close();
    });

    await test.step('v2 visit: the Duo frame, Failed with its reference', async () => {
      const { context, page } = await openStation(
        browser,
        E2E_PORTS.sweepV2Portal,
        language,
        locale,
        'picker',
      );
      await start(page);
      const bob = E2E_USERS.bob;
      await username(page).fill(bob.username);
      await password(page).fill(bob.password);
      await submit(page).click();
      const frameElement = page.locator('iframe.duo-frame');
      await expect(frameElement).toBeVisible();
      const frame = await (await frameElement.elementHandle())?.contentFrame();
      if (!frame) throw new Error('the Duo frame did not load');
      await expect(frame.getByRole('button', { name: 'Finish' })).toBeVisible();
      await sweepScreen(page, name('07-duo-v2'), {
        lang: language,
        primary: page.locator('.walkup-bar .button'),
        picture: picture('duo'),
      });

      // A well-formed answer whose signature is not Duo's: main refuses it, the visit fails.
      await frame.evaluate((user) => {
        const payload = btoa(`${user}|DIWALKUPEMULATOR0002|${Math.floor(Date.now() / 1000) + 300}`);
        window.parent.postMessage(`AUTH|${payload}|${'0'.repeat(40)}`, '*');
      }, bob.username);
      await expect(screen(page, 'failed')).toBeVisible();
      await expect(page.locator('.reference')).not.toBeEmpty();
      await sweepScreen(page, name('08-failed'), {
        lang: language,
        primary: page.locator('.app-failed .button.primary'),
      });
      await context.close();
    });

    await test.step('the idle warning over a sign-in form left alone', async () => {
      const context = await browser.newContext({ locale, viewport: PICTURE_VIEWPORT });
      const page = await context.newPage();
      // The page's own clock, moved on to the warning instead of waiting for it.
      await page.clock.install();
      await page.goto(url(E2E_PORTS.sweepV4Portal));
      await pickLanguage(page, language);
      await start(page);
      await username(page).fill(E2E_USERS.alice.username);
      // signInSeconds 60 with a 20 s warning (the schema's defaults): the warning is due at 40 s.
      await page.clock.fastForward(41_000);
      const dialog = page.getByRole('alertdialog');
      await expect(dialog).toBeVisible();
      await sweepScreen(page, name('09-idle-warning'), {
        lang: language,
        primary: dialog.locator('.button.primary'),
      });
      await context.close();
    });

    await test.step('out of service', async () => {
      const { context, page } = await openStation(
        browser,
        E2E_PORTS.duoDownPortal,
        language,
        locale,
        'station',
      );
      await expect(screen(page, 'out-of-service')).toBeVisible({ timeout: 20_000 });
      await sweepScreen(page, name('10-out-of-service'), { lang: language });
      await context.close();
    });

    await test.step('unavailable: the station stops answering mid-visit', async () => {
      const { context, page } = await openStation(
        browser,
        E2E_PORTS.sweepV4Portal,
        language,
        locale,
        'station',
      );
      await start(page);
      // From now on nothing reaches the station (the last route added is the one used).
      await page.route('**/api/**', (route) => route.abort('connectionrefused'));
      await username(page).fill(E2E_USERS.alice.username);
      await password(page).fill(E2E_USERS.alice.password);
      await submit(page).click();
      await expect(screen(page, 'unavailable')).toBeVisible({ timeout: 20_000 });
      await sweepScreen(page, name('10b-unavailable'), { lang: language });
      await context.close();
    });

    await test.step('the admin PIN pad', async () => {
      const { context, page } = await openStation(browser, E2E_PORTS.adminPortal, language, locale, 'picker');
      // The hidden trigger: five taps in the top-left corner.
      for (let tap = 0; tap < 5; tap += 1) await page.mouse.click(8, 8);
      await expect(page.locator('.pin-form')).toBeVisible();
      await sweepScreen(page, name('11-admin-pin-pad'), {
        lang: language,
        primary: page.locator('.pin-form .button.primary'),
      });
      await context.close();
    });
  });
}

test("the sweep's own checks find a small target, a field too low and a page too wide", async ({ page }) => {
  await page.setViewportSize({ width: 320, height: 640 });
  await page.setContent(
    '<main><button style="width:120px;height:30px">Small</button><input aria-label="Low" style="height:20px">' +
      '<button style="width:60px;height:60px">Big</button><h1 tabindex="-1">Heading</h1>' +
      '<div class="wide" style="width:400px">Wide</div></main>',
  );
  expect(await smallTargets(page)).toEqual([
    'button "Small" 120x30',
    'input "Low" ' + (await lowInputSize(page)),
  ]);
  expect(await layoutProblems(page)).toEqual(
    expect.arrayContaining([
      expect.stringMatching(/^page 4\d\d px wide in 320$/),
      expect.stringMatching(/^div\.wide spans /),
    ]),
  );
});

/** The test field's drawn size, as smallTargets prints it. */
async function lowInputSize(page: Page): Promise<string> {
  const box = await page.getByLabel('Low').boundingBox();
  return `${Math.round((box?.width ?? 0) * 10) / 10}x${Math.round((box?.height ?? 0) * 10) / 10}`;
}
