/**
 * The sign-in, Duo and Failed screens' aids (issue #12) in Chromium, through portal mode against
 * slapd and the Duo emulator: nothing wider than a 320 px screen, an empty form that never leaves
 * the page, "Hide password" visible in forced colours, the progress steps, the v2 aside, "Try
 * again" on Failed; axe on each. Screenshots go to test-results/screens/.
 */
import { expect, test, type Frame, type Page } from '@playwright/test';
import { E2E_PORTS } from './ports';
import { E2E_USERS } from './users';
import { expectAccessible, screenshot } from './page-checks';
import { SIGN_IN_HEADING, startSignIn, WELCOME_HEADING } from './welcome';

const v2Url = `http://127.0.0.1:${E2E_PORTS.v2Portal}/`;

/** How far the page is wider than the viewport (0 when nothing overflows sideways). */
async function sidewaysOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

async function duoFrame(page: Page): Promise<Frame> {
  const handle = await page.locator('iframe[title="Duo device management"]').elementHandle();
  const frame = await handle?.contentFrame();
  if (!frame) throw new Error('the Duo frame did not load');
  return frame;
}

test('at 320 px the sign-in screen fits, with the password shown and a message', async ({ page }) => {
  await page.setViewportSize({ width: 320, height: 640 });
  await page.goto(v2Url);
  await expect(page.getByRole('heading', { name: WELCOME_HEADING })).toBeVisible();
  expect(await sidewaysOverflow(page)).toBe(0);
  await startSignIn(page);
  expect(await sidewaysOverflow(page)).toBe(0);

  await page.getByLabel('Password', { exact: true }).fill('Some-Password-1');
  await page.getByRole('button', { name: 'Show password' }).click();
  await expect(page.getByRole('button', { name: 'Hide password' })).toBeVisible();
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toContainText('Please enter your username.');
  expect(await sidewaysOverflow(page)).toBe(0);
  await screenshot(page, '20-sign-in-320px');
  await expectAccessible(page, 'sign-in at 320 px');
});

test('an empty form names both fields and sends nothing', async ({ page }) => {
  const sent: string[] = [];
  page.on('request', (request) => {
    if (request.url().endsWith('/api/sign-in')) sent.push(request.url());
  });
  await page.goto(v2Url);
  await startSignIn(page);
  await expect(page.getByRole('list', { name: 'Your progress' }).locator('[aria-current="step"]')).toHaveText(
    /Sign in/,
  );
  await page.getByRole('button', { name: 'Sign in' }).click();
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('Please enter your username.');
  await expect(alert).toContainText('Please enter your password.');
  await expect(alert).not.toContainText('Support reference');
  await expect(page.getByLabel('Username')).toBeFocused();
  await expect(page.getByLabel('Username')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByLabel('Password', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  expect(sent).toEqual([]);
  await screenshot(page, '21-sign-in-empty');
  await expectAccessible(page, 'sign-in, empty form');
});

test('in forced colours the shown password state stays visible', async ({ page }) => {
  await page.emulateMedia({ forcedColors: 'active' });
  await page.goto(v2Url);
  await startSignIn(page);
  const outline = (name: string) =>
    page.getByRole('button', { name }).evaluate((button) => {
      const style = getComputedStyle(button);
      return `${style.outlineStyle} ${style.borderTopWidth}`;
    });
  const hidden = await outline('Show password');
  await page.getByRole('button', { name: 'Show password' }).click();
  // Move focus away, so the focus ring does not stand in for the state.
  await page.getByLabel('Username').focus();
  const shown = await outline('Hide password');
  expect(shown).not.toEqual(hidden);
  expect(shown).toMatch(/^solid /);
  await screenshot(page, '22-sign-in-password-shown-forced-colours');
  await expectAccessible(page, 'sign-in, forced colours, password shown');
});

test('the Duo screen says what one can do there; Failed offers Try again, back to sign-in', async ({
  page,
}) => {
  const bob = E2E_USERS.bob;
  await page.goto(v2Url);
  await startSignIn(page);
  await page.getByLabel('Username').fill(bob.username);
  await page.getByLabel('Password', { exact: true }).fill(bob.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  const aside = page.getByRole('complementary', { name: 'What you can do here' });
  await expect(aside).toBeVisible();
  await expect(page.getByRole('list', { name: 'Your progress' }).locator('[aria-current="step"]')).toHaveText(
    /Manage your devices/,
  );
  const frame = await duoFrame(page);
  await expect(frame.getByRole('button', { name: 'Finish' })).toBeVisible();
  await screenshot(page, '23-duo-v2-with-aside');
  await expectAccessible(page, 'Duo v2 with the aside');

  // A well-formed answer whose signature is not Duo's: main refuses it.
  await frame.evaluate((user) => {
    const payload = btoa(`${user}|DIWALKUPEMULATOR0002|${Math.floor(Date.now() / 1000) + 300}`);
    window.parent.postMessage(`AUTH|${payload}|${'0'.repeat(40)}`, '*');
  }, bob.username);
  await expect(page.getByRole('heading', { name: "We couldn't confirm your Duo session" })).toBeVisible();
  await expect(page.getByText('Please try again.')).toBeVisible();
  await expect(page.locator('.reference')).toContainText('Support reference:');
  await screenshot(page, '24-failed-try-again');
  await expectAccessible(page, 'Failed');
  await page.getByRole('button', { name: 'Try again' }).click();
  // Straight back to the form (not the welcome), with nothing of the failed visit.
  await expect(page.getByRole('heading', { name: SIGN_IN_HEADING })).toBeVisible();
  await expect(page.getByText('Support reference:')).toHaveCount(0);
  await expect(page.getByLabel('Username')).toHaveValue('');
});
