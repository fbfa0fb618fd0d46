/**
 * The Failed screen keeps its support reference (issue #12), in Chromium on the branded v4
 * station (`E2E_PORTS.brandedPortal`), which keeps the default `station.idle.failedSeconds` (60 s):
 * a visit cancelled in Duo's Universal Prompt (the emulator's Cancel) shows Failed with its
 * reference, still there after Done's 8 s would have ended it; "Try again" ends it at once, in the
 * page and in main, and a new sign-in goes through.
 */
import { expect, test, type Page } from '@playwright/test';
import type { VisitView } from '../../main/contract';
import { E2E_PORTS } from './ports';
import { E2E_USERS } from './users';
import { expectAccessible, screenshot } from './page-checks';

const brandedUrl = `http://127.0.0.1:${E2E_PORTS.brandedPortal}/`;
const signInHeading = 'Sign in to manage your Duo devices';
/** A cancel in Duo is the person's own choice: Failed's heading for it, not the error one. */
const failedHeading = 'You cancelled Duo';

/** Signs in from the first screen (the welcome's Start first, where the station shows one). */
async function signIn(page: Page, username: string, password: string): Promise<void> {
  const heading = page.getByRole('heading', { name: signInHeading });
  const start = page.getByRole('button', { name: 'Start', exact: true });
  await expect(heading.or(start)).toBeVisible();
  if (await start.isVisible()) await start.click();
  await expect(heading).toBeVisible();
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Main's view of this browser's visit, read as the page would (same origin, its cookie). */
function visitOf(page: Page): Promise<VisitView> {
  return page.evaluate(async () => (await fetch('/api/visit', { credentials: 'same-origin' })).json());
}

test('a failed visit keeps its support reference past the old 8 s, and Try again clears it at once', async ({
  page,
}) => {
  test.setTimeout(90_000);
  const alice = E2E_USERS.alice;
  await page.goto(brandedUrl);
  await signIn(page, alice.username, alice.password);

  // Duo's Universal Prompt (the emulator's page); the person presses Cancel.
  await page.waitForURL(/\/oauth\/v1\/authorize|\/frame\//);
  await page.getByRole('button', { name: 'Cancel' }).click();
  await page.waitForURL(brandedUrl);

  await expect(page.getByRole('heading', { name: failedHeading })).toBeVisible();
  await expect(page.getByText('Duo was cancelled before your devices were confirmed')).toBeVisible();
  const reference = /Support reference: (\S+)/.exec(await page.locator('.reference').innerText())?.[1];
  expect(reference).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
  const visit = await visitOf(page);
  expect(visit).toMatchObject({ phase: 'failed', reason: 'cancelled', reference });
  // Main holds it for failedSeconds (60 s), not doneSeconds.
  const resetAt = visit.phase === 'failed' ? Date.parse(visit.resetAt) : Number.NaN;
  expect(resetAt - Date.now()).toBeGreaterThan(40_000);
  await screenshot(page, 'failed-reference-kept');
  await expectAccessible(page, 'failed with its reference');

  // Longer than Done's 8 s (the Failed screen's old bound): still Failed, same reference.
  await page.waitForTimeout(10_000);
  await expect(page.getByRole('heading', { name: failedHeading })).toBeVisible();
  await expect(page.locator('.reference')).toHaveText(`Support reference: ${reference}`);

  // "Try again": the reference goes at once (main's timer is still ~50 s away), main's visit too.
  await page.getByRole('button', { name: 'Try again' }).click();
  await expect(page.getByRole('heading', { name: signInHeading })).toBeVisible({ timeout: 5_000 });
  await expect(page.getByText(reference ?? 'no reference')).toHaveCount(0);
  expect(await visitOf(page)).toEqual({ phase: 'idle' });

  // The next sign-in is not held up by the ended visit.
  await page.getByLabel('Username').fill(alice.username);
  await page.getByLabel('Password', { exact: true }).fill(alice.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/oauth\/v1\/authorize|\/frame\//);
  await expect(page.getByRole('heading', { name: new RegExp(alice.username) })).toBeVisible();
});
