/**
 * The admin screen in Chromium (issue #11), against real `walkup serve --state-dir` processes
 * configured by policy with an admin PIN provisioned (test/e2e/stack.ts), slapd and the Duo
 * emulator: the PIN pad, the status, settings and secrets, the recent audit events, the tools,
 * and the PIN pad's lockout. Every screen is checked with axe (WCAG 2.x A and AA).
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { E2E_ADMIN_PIN, E2E_MAX_PIN_ATTEMPTS, readStackInfo } from './admin-stations';
import { E2E_PORTS } from './ports';
import { E2E_USERS } from './users';
import { expectAccessible, screenshot } from './page-checks';
import { WELCOME_HEADING } from './welcome';

const adminUrl = `http://127.0.0.1:${E2E_PORTS.adminPortal}/`;
const lockoutUrl = `http://127.0.0.1:${E2E_PORTS.lockoutPortal}/`;
const WRONG_PIN = '000000';

/** The hidden trigger: five taps in the top-left corner. */
async function openPinPad(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await expect(page.getByRole('heading', { name: WELCOME_HEADING })).toBeVisible();
  for (let tap = 0; tap < 5; tap += 1) await page.mouse.click(8, 8);
  await expect(page.getByRole('heading', { name: 'Administrator PIN' })).toBeVisible();
}

async function enterPin(page: Page, pin: string): Promise<void> {
  await page.getByLabel('PIN', { exact: true }).fill(pin);
  await page.getByRole('button', { name: 'Unlock' }).click();
}

/** The row of one setting (its field, source and messages), by the setting's key path. */
function settingRow(page: Page, settings: Locator, path: string): Locator {
  return settings.locator('.setting').filter({ has: page.getByLabel(path, { exact: true }) });
}

/** "Set" / "Not set" of one secret, by its key path. */
function secretState(secrets: Locator, path: string): Locator {
  return secrets.locator('.secret-row', { hasText: path }).locator('.secret-state');
}

function section(page: Page, heading: string): Locator {
  return page.locator('section', {
    has: page.getByRole('heading', { name: heading, exact: true, level: 2 }),
  });
}

test('the admin unlocks with the PIN and reads, edits and tests the station without a terminal', async ({
  page,
}) => {
  test.setTimeout(180_000);
  const stack = readStackInfo();
  const alice = E2E_USERS.alice;

  await openPinPad(page, adminUrl);
  await expect(
    page.getByText(`${E2E_MAX_PIN_ATTEMPTS} attempts left before the PIN pad locks.`),
  ).toBeVisible();
  await expectAccessible(page, 'PIN pad');
  await screenshot(page, 'admin-1-pin-pad');

  // A wrong PIN: refused, with the attempts left.
  await enterPin(page, WRONG_PIN);
  await expect(page.getByText('That PIN is not correct.')).toBeVisible();
  await expect(page.getByText('1 attempt left before the PIN pad locks.')).toBeVisible();

  // The right one opens the admin screen.
  await enterPin(page, E2E_ADMIN_PIN);
  await expect(page.getByRole('heading', { name: 'Station administration' })).toBeVisible();

  // Status: in service, the directory and Duo checked, the secret store of portal mode.
  const status = section(page, 'Status');
  await expect(status.getByText('In service', { exact: true })).toBeVisible();
  await expect(status.getByText('Directory (openldap)')).toBeVisible({ timeout: 30_000 });
  await expect(status.getByText(`Server ${stack.directory.url}`)).toBeVisible();
  await expect(status.getByText('Service account sign-in: Yes')).toBeVisible();
  await expect(status.getByText(`Duo (v4, ${stack.duo.apiHost})`)).toBeVisible();
  await expect(status.getByText('Credentials accepted: Yes')).toBeVisible();
  await expect(status.getByText('Secret store: files (not protected by the operating system)')).toBeVisible();
  await expectAccessible(page, 'admin screen');
  await screenshot(page, 'admin-2-screen');

  // A setting the policy sets is shown locked.
  const settings = section(page, 'Settings');
  const baseDn = settings.getByLabel('directory.baseDN', { exact: true });
  await expect(baseDn).toHaveValue(stack.directory.baseDN);
  await expect(baseDn).toBeDisabled();
  await expect(settingRow(page, settings, 'directory.baseDN').getByText('Set by policy')).toBeVisible();

  // An unlocked one (station.name): a bad value gets the schema's message, a good one is saved.
  const name = settings.getByLabel('station.name', { exact: true });
  await expect(name).toBeEnabled();
  await name.fill('x'.repeat(101));
  await settings.getByRole('button', { name: 'Save settings' }).click();
  await expect(
    settings.getByText('Some values were not accepted. See the messages next to them.'),
  ).toBeVisible();
  await expect(settingRow(page, settings, 'station.name').locator('.setting-errors')).toContainText('100');
  await name.fill('Front desk, building 4');
  await settings.getByRole('button', { name: 'Save settings' }).click();
  await expect(settings.getByText('Saved. Restart the station to apply the changes.')).toBeVisible();

  // Secrets are write-only: shown as set or not, their fields never pre-filled.
  const secrets = section(page, 'Secrets');
  const secretFields = secrets.locator('input[type="password"]');
  expect(await secretFields.count()).toBeGreaterThan(0);
  for (const field of await secretFields.all()) await expect(field).toHaveValue('');
  await expect(secretState(secrets, 'duo.clientSecret')).toHaveText('Set');
  await expect(secretState(secrets, 'audit.usernameHashKey')).toHaveText('Not set');
  const hashKey = 'e2e-username-hash-key-7f3a9c2e51d8';
  await secrets.getByLabel('New value for audit.usernameHashKey').fill(hashKey);
  await secrets.getByRole('button', { name: 'Replace audit.usernameHashKey' }).click();
  await expect(secrets.getByText('Replaced. Restart the station to apply.')).toBeVisible();
  await expect(secrets.getByLabel('New value for audit.usernameHashKey')).toHaveValue('');

  // The last audit events are listed (this unlock and the wrong PIN before it among them).
  const audit = section(page, 'Recent events');
  await expect(audit.getByRole('cell', { name: 'admin-unlocked', exact: true }).first()).toBeVisible();
  await expect(audit.getByRole('cell', { name: 'admin-unlock-failed', exact: true }).first()).toBeVisible();

  // Tools: a test sign-in (ok, then a wrong password with its reason code) and the Duo check.
  const tools = section(page, 'Tools');
  await tools.getByLabel('Username').fill(alice.username);
  await tools.getByLabel('Password').fill(alice.password);
  await tools.getByRole('button', { name: 'Test sign-in' }).click();
  await expect(tools.getByText(/^Result: ok/)).toBeVisible({ timeout: 30_000 });
  await tools.getByLabel('Username').fill(alice.username);
  await tools.getByLabel('Password').fill('not-alices-password');
  await tools.getByRole('button', { name: 'Test sign-in' }).click();
  await expect(tools.getByText('Result: invalid-credentials')).toBeVisible({ timeout: 30_000 });
  await tools.getByRole('button', { name: 'Run Duo check' }).click();
  await expect(tools.getByText('Credentials accepted: Yes')).toBeVisible({ timeout: 30_000 });
  await expectAccessible(page, 'admin screen after the tools');
  await screenshot(page, 'admin-3-tools');

  // No secret, password or PIN is anywhere on the page.
  const html = await page.content();
  for (const secret of [
    hashKey,
    stack.duo.clientSecret,
    stack.directory.bindPassword,
    alice.password,
    'not-alices-password',
    E2E_ADMIN_PIN,
  ]) {
    expect(html, 'a secret on the page').not.toContain(secret);
  }

  // Lock: back to visits.
  await page.getByRole('button', { name: 'Lock' }).first().click();
  await expect(page.getByRole('heading', { name: WELCOME_HEADING })).toBeVisible();

  // Unlock again and restart: the station comes back on the same address with the saved name.
  await openPinPad(page, adminUrl);
  await enterPin(page, E2E_ADMIN_PIN);
  await section(page, 'Tools').getByRole('button', { name: 'Restart station' }).click();
  await expect(async () => {
    await page.goto(adminUrl);
    await expect(page.getByRole('heading', { name: WELCOME_HEADING })).toBeVisible({ timeout: 5_000 });
    await expect(page).toHaveTitle('Front desk, building 4', { timeout: 1_000 });
  }).toPass({ timeout: 60_000 });
  await openPinPad(page, adminUrl);
  await enterPin(page, E2E_ADMIN_PIN);
  const restarted = section(page, 'Settings');
  await expect(restarted.getByLabel('station.name', { exact: true })).toHaveValue('Front desk, building 4');
  await expect(settingRow(page, restarted, 'station.name')).toContainText('Source: local');
  // The replaced secret is in force now (its value still never shown).
  await expect(secretState(section(page, 'Secrets'), 'audit.usernameHashKey')).toHaveText('Set');
  await page.getByRole('button', { name: 'Lock' }).first().click();
  await expect(page.getByRole('heading', { name: WELCOME_HEADING })).toBeVisible();
});

test("the PIN pad locks after the policy's number of wrong PINs", async ({ page }) => {
  await openPinPad(page, lockoutUrl);
  for (let attempt = 1; attempt <= E2E_MAX_PIN_ATTEMPTS; attempt += 1) await enterPin(page, WRONG_PIN);
  await expect(page.getByText(/^Too many wrong PINs\. Try again in \d+ seconds?\.$/)).toBeVisible();
  await expect(page.getByLabel('PIN', { exact: true })).toHaveCount(0);
  await expectAccessible(page, 'PIN pad locked');
  await screenshot(page, 'admin-4-locked');
});
