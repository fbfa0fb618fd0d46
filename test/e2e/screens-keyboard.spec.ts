/**
 * A whole v4 visit with the keyboard only (issue #12): from the welcome screen to Done with Tab,
 * Shift+Tab, Enter, Space and typing, never a click, in Chromium through portal mode against slapd
 * and the Duo emulator. Every control that takes focus shows it (an outline or a ring, read from
 * its computed style), and after each screen change focus is where the app puts it today: the new
 * screen's heading (renderer/components/screen-heading.tsx) or its first field.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { E2E_PORTS } from './ports';
import { E2E_USERS } from './users';

const url = `http://127.0.0.1:${E2E_PORTS.sweepV4Portal}/`;

/** How the focused element shows its focus: its outline, else its box shadow ('' when neither). */
async function focusIndicator(page: Page): Promise<string> {
  return page.evaluate(() => {
    const element = document.activeElement;
    if (!element || element === document.body) return '';
    const style = getComputedStyle(element);
    if (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0)
      return `outline ${style.outlineStyle} ${style.outlineWidth}`;
    if (style.boxShadow !== 'none') return `box-shadow ${style.boxShadow}`;
    return '';
  });
}

/** A short, readable name of the focused element, for failure messages. */
async function focusedName(page: Page): Promise<string> {
  return page.evaluate(() => {
    const element = document.activeElement;
    if (!element || element === document.body) return 'nothing';
    return `${element.tagName.toLowerCase()} "${(element.getAttribute('aria-label') ?? element.textContent ?? '').trim().slice(0, 40)}"`;
  });
}

/**
 * Presses Tab (or Shift+Tab) until `target` has focus, at most `max` times, and checks that each
 * control passed on the way shows its focus.
 */
async function tabTo(
  page: Page,
  target: Locator,
  options: { back?: boolean; max?: number } = {},
): Promise<void> {
  const key = options.back ? 'Shift+Tab' : 'Tab';
  for (let press = 0; press < (options.max ?? 15); press += 1) {
    await page.keyboard.press(key);
    expect(await focusIndicator(page), `focus shown on ${await focusedName(page)}`).not.toBe('');
    if (await target.evaluate((element) => element === document.activeElement)) return;
  }
  throw new Error(`${key} never reached the target; focus is on ${await focusedName(page)}`);
}

test('a v4 visit from the welcome to Done with the keyboard only, focus always shown', async ({
  browser,
}) => {
  const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const alice = E2E_USERS.alice;
  // The page reads the visit on load and again when its event stream opens; keys are pressed
  // after both, as a person who has just walked up would.
  let visitReads = 0;
  page.on('response', (response) => {
    if (new URL(response.url()).pathname === '/api/visit') visitReads += 1;
  });
  await page.goto(url);
  await expect.poll(() => visitReads).toBeGreaterThanOrEqual(2);

  // Welcome: focus on its heading; Tab reaches Start, Enter presses it.
  const heading = page.getByRole('heading', { level: 1 });
  await expect(heading).toBeFocused();
  const start = page.locator('.app-welcome .button.primary');
  await tabTo(page, start);
  // Tab on past Start to the language picker and back with Shift+Tab; Space keeps English.
  const english = page.locator('.language-picker button[lang="en"]');
  await tabTo(page, english);
  // Key presses on a button are clicks at (0, 0), yet never taps in the admin corner.
  for (let press = 0; press < 6; press += 1) await page.keyboard.press('Space');
  await expect(english).toHaveAttribute('aria-pressed', 'true');
  await expect(english).toBeFocused();
  await expect(page.locator('.admin-pin')).toHaveCount(0);
  await tabTo(page, start, { back: true });
  await page.keyboard.press('Enter');

  // Sign-in: focus on the first field.
  const username = page.locator('form.sign-in-form input[type="text"]');
  await expect(username).toBeFocused();
  expect(await focusIndicator(page)).not.toBe('');
  await page.keyboard.type(alice.username);
  const password = page.locator('form.sign-in-form .password-row input');
  await tabTo(page, password);
  await page.keyboard.type('not-the-password');
  await page.keyboard.press('Enter');

  // A refusal: the username is kept, the password cleared and focused for the next try.
  await expect(page.locator('form.sign-in-form [role="alert"]')).not.toBeEmpty();
  await expect(password).toBeFocused();
  await expect(password).toHaveValue('');
  await expect(username).toHaveValue(alice.username);
  await page.keyboard.type(alice.password);
  // "Show password" with Space, and back to hidden.
  const toggle = page.locator('form.sign-in-form .password-row button');
  await tabTo(page, toggle);
  await page.keyboard.press('Space');
  await expect(password).toHaveAttribute('type', 'text');
  await expect(toggle, 'focus stays on the toggle').toBeFocused();
  await page.keyboard.press('Space');
  await expect(password).toHaveAttribute('type', 'password');
  await expect(toggle, 'focus stays on the toggle').toBeFocused();
  const signIn = page.locator('form.sign-in-form button[type="submit"]');
  await tabTo(page, signIn);
  await page.keyboard.press('Enter');

  // Duo's page (the emulator's): its buttons are plain form buttons, reached with Tab.
  await page.waitForURL(/\/frame\//);
  const finish = page.getByRole('button', { name: 'Finish' });
  await tabTo(page, finish);
  await page.keyboard.press('Enter');

  // Done: focus on its heading.
  await page.waitForURL(url);
  await expect(page.locator('.app-done')).toBeVisible();
  await expect(page.getByRole('heading', { level: 1 })).toBeFocused();
  await context.close();
});

test('in forced colours every control of the welcome and sign-in screens shows its focus with an outline', async ({
  browser,
}) => {
  const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.emulateMedia({ forcedColors: 'active' });
  await page.goto(url);
  await expect(page.locator('.app-welcome')).toBeVisible();
  /** Tabs through every control of the screen once; names those whose focus has no outline. */
  const withoutOutline = async (): Promise<string[]> => {
    const missing: string[] = [];
    const seen = new Set<string>();
    for (let press = 0; press < 20; press += 1) {
      await page.keyboard.press('Tab');
      const name = await focusedName(page);
      // Past the last control focus leaves the page, then comes back to the first.
      if (name === 'nothing' || seen.has(name)) break;
      seen.add(name);
      // Forced colours drop box shadows: the outline alone must show focus.
      const outline = await page.evaluate(() => {
        const style = getComputedStyle(document.activeElement ?? document.body);
        return style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
      });
      if (!outline) missing.push(name);
    }
    expect(seen.size, 'controls reached').toBeGreaterThan(2);
    return missing;
  };
  expect(await withoutOutline(), 'welcome').toEqual([]);
  await page.locator('.app-welcome .button.primary').focus();
  await page.keyboard.press('Enter');
  await expect(page.locator('form.sign-in-form input[type="text"]')).toBeFocused();
  expect(await withoutOutline(), 'sign-in').toEqual([]);
  await context.close();
});
