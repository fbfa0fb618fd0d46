/**
 * The first screen of every visit is the welcome (issue #12): what the station is for, the
 * language picker and "Start". Every spec that signs in goes through it with {@link startSignIn}.
 */
import { expect, type Page } from '@playwright/test';

/** The welcome screen's heading on an English station. */
export const WELCOME_HEADING = 'Add or replace your Duo phone or security key';
/** The sign-in screen's heading on an English station. */
export const SIGN_IN_HEADING = 'Sign in to manage your Duo devices';

/**
 * Waits for the welcome screen, presses Start and waits for the sign-in form with the focus in
 * the username field, as a person would. `timeout` (ms) is for the welcome to appear, for
 * example after a reset.
 */
export async function startSignIn(page: Page, options: { timeout?: number } = {}): Promise<void> {
  await expect(page.getByRole('heading', { level: 1, name: WELCOME_HEADING })).toBeVisible(
    options.timeout === undefined ? {} : { timeout: options.timeout },
  );
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: SIGN_IN_HEADING })).toBeVisible();
  await expect(page.getByLabel('Username')).toBeFocused();
}
