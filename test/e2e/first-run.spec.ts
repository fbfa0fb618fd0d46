/**
 * First run (issue #11, "Done when"): a person with no terminal takes a fresh station from its
 * first start to a completed visit through the screens alone, in Chromium, against a real
 * `walkup serve --state-dir` process (test/e2e/stack.ts: a policy of switches only, no required
 * key), slapd and the Duo emulator. The setup screens are checked with axe (WCAG 2.x A and AA).
 */
import { expect, test } from '@playwright/test';
import { readStackInfo } from './admin-stations';
import { E2E_PORTS } from './ports';
import { E2E_USERS } from './users';
import { expectAccessible, screenshot } from './page-checks';
import { startSignIn, WELCOME_HEADING } from './welcome';

const firstRunUrl = `http://127.0.0.1:${E2E_PORTS.firstRunPortal}/`;
/** The PIN the person chooses at the first step. */
const NEW_PIN = '918273';

test('a person with no terminal takes a fresh station from first start to a completed visit', async ({
  page,
}) => {
  test.setTimeout(180_000);
  const stack = readStackInfo();
  const alice = E2E_USERS.alice;

  // A fresh station has no configuration: the setup flow opens by itself.
  await page.goto(firstRunUrl);
  await expect(page.getByRole('heading', { name: 'Set up this station' })).toBeVisible();
  await expect(page.getByText('Step 1 of 5')).toBeVisible();
  await expectAccessible(page, 'setup: PIN');
  await screenshot(page, 'first-run-1-pin');

  // 1. The admin PIN.
  await page.getByLabel('New PIN').fill(NEW_PIN);
  await page.getByLabel('Confirm PIN').fill(NEW_PIN);
  await page.getByRole('button', { name: 'Create PIN' }).click();

  // 2. Duo (Web SDK v4 by default).
  await expect(page.getByText('Step 2 of 5')).toBeVisible();
  await expect(page.getByLabel('Web SDK v4 (Universal Prompt, recommended)')).toBeChecked();
  await page.getByLabel('API hostname').fill(stack.duo.apiHost);
  await page.getByLabel('Client ID').fill(stack.duo.clientId);
  await page.getByLabel('Client secret').fill(stack.duo.clientSecret);
  await expectAccessible(page, 'setup: Duo');
  await screenshot(page, 'first-run-2-duo');
  await page.getByRole('button', { name: 'Next' }).click();

  // 3. The directory.
  await expect(page.getByText('Step 3 of 5')).toBeVisible();
  await page.getByLabel('OpenLDAP').check();
  await page.getByLabel('Server URLs, one per line').fill(stack.directory.url);
  await page.getByLabel('Base DN').fill(stack.directory.baseDN);
  await page.getByLabel('Service account DN').fill(stack.directory.bindDN);
  await page.getByLabel('Service account password').fill(stack.directory.bindPassword);
  await expectAccessible(page, 'setup: directory');
  await screenshot(page, 'first-run-3-directory');
  await page.getByRole('button', { name: 'Next' }).click();

  // 4. Test both, as `walkup status` would: every check green.
  await expect(page.getByText('Step 4 of 5')).toBeVisible();
  await page.getByRole('button', { name: 'Run the checks' }).click();
  await expect(page.getByText('All checks passed.')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText('Service account sign-in: Yes')).toBeVisible();
  await expect(page.getByText('Credentials accepted: Yes')).toBeVisible();
  await expectAccessible(page, 'setup: test');
  await screenshot(page, 'first-run-4-test');
  await page.getByRole('button', { name: 'Next' }).click();

  // 5. Save, then restart.
  await expect(page.getByText('Step 5 of 5')).toBeVisible();
  await page.getByRole('button', { name: 'Save configuration' }).click();
  await expect(page.getByText('Saved. Restart the station to start taking visits.')).toBeVisible();
  await expectAccessible(page, 'setup: saved');
  await screenshot(page, 'first-run-5-saved');
  // Nothing typed as a secret is on the page any more.
  const saved = await page.content();
  expect(saved).not.toContain(stack.duo.clientSecret);
  expect(saved).not.toContain(stack.directory.bindPassword);
  await page.getByRole('button', { name: 'Restart station' }).click();

  // The station restarts on the same address and takes visits. The page asks again until the
  // restarted station answers (a browser's reload, as a person would press it).
  await expect(async () => {
    await page.goto(firstRunUrl);
    await expect(page.getByRole('heading', { name: WELCOME_HEADING })).toBeVisible({ timeout: 5_000 });
  }).toPass({ timeout: 60_000 });
  await screenshot(page, 'first-run-6-in-service');

  // A normal visit: the welcome, sign-in, Duo's Universal Prompt, Done.
  await startSignIn(page);
  await page.getByLabel('Username').fill(alice.username);
  await page.getByLabel('Password', { exact: true }).fill(alice.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/oauth\/v1\/authorize|\/frame\//);
  await expect(page.getByRole('heading', { name: new RegExp(alice.username) })).toBeVisible();
  await page.getByRole('button', { name: 'Add a device' }).click();
  await page.getByRole('button', { name: 'Finish' }).click();
  await page.waitForURL(firstRunUrl);
  await expect(page.getByRole('heading', { name: 'All done' })).toBeVisible();
  await screenshot(page, 'first-run-7-done');
});
