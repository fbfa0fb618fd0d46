/**
 * A person's whole visit, in Chromium, through portal mode, against a real slapd and the Duo
 * emulator (test/e2e/stack.ts). Each screen a person sees is written to test-results/screens/.
 */
import { expect, test, type Frame, type Page } from '@playwright/test';
import { E2E_PORTS } from './ports';
import { E2E_USERS } from './users';
import { screenshot } from './page-checks';
import { startSignIn, WELCOME_HEADING } from './welcome';

const v4Url = `http://127.0.0.1:${E2E_PORTS.v4Portal}/`;
const v2Url = `http://127.0.0.1:${E2E_PORTS.v2Portal}/`;
const duoDownUrl = `http://127.0.0.1:${E2E_PORTS.duoDownPortal}/`;

async function signIn(page: Page, username: string, password: string): Promise<void> {
  await startSignIn(page);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Calls the portal's own API from the page, as the renderer would (cookie + CSRF header). */
async function postFromPage(page: Page, route: string, body: unknown): Promise<unknown> {
  return page.evaluate(
    async ({ route, body }) => {
      const probe = await fetch('/api/visit', { credentials: 'same-origin' });
      const token = probe.headers.get('x-walkup-csrf') ?? '';
      const response = await fetch(route, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json', 'x-walkup-csrf': token },
        body: JSON.stringify(body),
      });
      return response.json();
    },
    { route, body },
  );
}

async function duoFrame(page: Page): Promise<Frame> {
  const handle = await page.locator('iframe[title="Duo device management"]').elementHandle();
  const frame = await handle?.contentFrame();
  if (!frame) throw new Error('the Duo frame did not load');
  return frame;
}

test.describe('Duo Web SDK v4 (Universal Prompt, redirect)', () => {
  test('a person starts on the welcome, signs in, manages devices at Duo, sees Done and the station returns to the welcome', async ({
    page,
  }) => {
    const alice = E2E_USERS.alice;
    await page.goto(v4Url);
    await expect(page.getByRole('heading', { name: WELCOME_HEADING })).toBeVisible();
    await screenshot(page, '00-welcome');
    await startSignIn(page);
    await screenshot(page, '01-sign-in');
    await page.getByLabel('Username').fill(alice.username);
    await page.getByLabel('Password', { exact: true }).fill(alice.password);
    await page.getByRole('button', { name: 'Sign in' }).click();

    // Duo's page is a top-level page (it may not be framed), showing this person only.
    await page.waitForURL(/\/oauth\/v1\/authorize|\/frame\//);
    await expect(page.getByRole('heading', { name: new RegExp(alice.username) })).toBeVisible();
    await screenshot(page, '02-duo-universal-prompt');
    await page.getByRole('button', { name: 'Add a device' }).click();
    await page.getByRole('button', { name: 'Finish' }).click();

    await page.waitForURL(v4Url);
    await expect(page.getByRole('heading', { name: 'All done' })).toBeVisible();
    await screenshot(page, '03-done');
    await expect(page.getByRole('heading', { name: WELCOME_HEADING })).toBeVisible({ timeout: 15_000 });
    await expect(page.getByText(alice.username)).toHaveCount(0);
  });

  test('a callback replayed after the visit ended does not complete anything', async ({ page }) => {
    const alice = E2E_USERS.alice;
    await page.goto(v4Url);
    await signIn(page, alice.username, alice.password);
    await page.waitForURL(/\/oauth\/v1\/authorize|\/frame\//);

    let callbackUrl = '';
    page.on('request', (request) => {
      if (request.url().includes('/duo/callback')) callbackUrl ||= request.url();
    });
    await page.getByRole('button', { name: 'Finish' }).click();
    await expect(page.getByRole('heading', { name: 'All done' })).toBeVisible();
    expect(callbackUrl).toContain('state=');
    await expect(page.getByRole('heading', { name: WELCOME_HEADING })).toBeVisible({ timeout: 15_000 });

    await page.goto(callbackUrl);
    await page.waitForURL(v4Url);
    await expect(page.getByRole('heading', { name: WELCOME_HEADING })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'All done' })).toHaveCount(0);
  });

  test('a wrong password gives one generic error and never reaches Duo', async ({ page }) => {
    const duoRequests: string[] = [];
    page.on('request', (request) => {
      if (request.url().startsWith('https://')) duoRequests.push(request.url());
    });
    await page.goto(v4Url);
    await signIn(page, E2E_USERS.alice.username, 'not-the-password');
    await expect(page.getByText(/username or password is incorrect/i)).toBeVisible();
    await screenshot(page, '04-wrong-password');
    await page.getByLabel('Username').fill('nobody-by-this-name');
    await page.getByLabel('Password', { exact: true }).fill('whatever');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByText(/username or password is incorrect/i)).toBeVisible();
    expect(duoRequests).toEqual([]);
  });
});

test.describe('Duo Web SDK v2 (iframe)', () => {
  test('a person signs in, finishes in the Duo frame, sees Done and the station resets', async ({ page }) => {
    const bob = E2E_USERS.bob;
    await page.goto(v2Url);
    await signIn(page, bob.username, bob.password);
    await expect(page.getByRole('heading', { name: 'Manage your devices' })).toBeVisible();
    const frame = await duoFrame(page);
    await expect(frame.getByRole('button', { name: 'Finish' })).toBeVisible();
    await screenshot(page, '05-duo-v2-frame');
    await frame.getByRole('button', { name: 'Add a device' }).click();
    await frame.getByRole('button', { name: 'Finish' }).click();
    await expect(page.getByRole('heading', { name: 'All done' })).toBeVisible();
    await expect(page.getByRole('heading', { name: WELCOME_HEADING })).toBeVisible({ timeout: 15_000 });
  });

  test('"I\'m done" ends the visit even though Duo never sends a result', async ({ page }) => {
    const bob = E2E_USERS.bob;
    await page.goto(v2Url);
    await signIn(page, bob.username, bob.password);
    const frame = await duoFrame(page);
    await expect(frame.getByRole('button', { name: 'Finish' })).toBeVisible();
    await page.getByRole('button', { name: "I'm done" }).click();
    await expect(page.getByRole('heading', { name: 'All done' })).toBeVisible();
    await expect(page.locator('iframe')).toHaveCount(0);
    await expect(page.getByRole('heading', { name: WELCOME_HEADING })).toBeVisible({ timeout: 15_000 });
  });

  test('a person in a denied group (through nesting rules) is told to see the helpdesk', async ({ page }) => {
    await page.goto(v2Url);
    await signIn(page, E2E_USERS.mallory.username, E2E_USERS.mallory.password);
    await expect(page.getByText(/cannot manage Duo devices at this station/i)).toBeVisible();
    await expect(page.locator('iframe')).toHaveCount(0);
  });

  test('a wrong password shows no Duo frame', async ({ page }) => {
    await page.goto(v2Url);
    await signIn(page, E2E_USERS.bob.username, `${E2E_USERS.bob.password}x`);
    await expect(page.getByText(/username or password is incorrect/i)).toBeVisible();
    await expect(page.locator('iframe')).toHaveCount(0);
  });

  test('a tampered Duo response from the frame is rejected', async ({ page }) => {
    const bob = E2E_USERS.bob;
    await page.goto(v2Url);
    await signIn(page, bob.username, bob.password);
    const frame = await duoFrame(page);
    await expect(frame.getByRole('button', { name: 'Finish' })).toBeVisible();
    // Posted from the real Duo origin, well-formed, but the signature is not Duo's.
    await frame.evaluate((user) => {
      const payload = btoa(`${user}|DIWALKUPEMULATOR0002|${Math.floor(Date.now() / 1000) + 300}`);
      window.parent.postMessage(`AUTH|${payload}|${'0'.repeat(40)}`, '*');
    }, bob.username);
    await expect(page.getByRole('heading', { name: "We couldn't confirm your Duo session" })).toBeVisible();
    await screenshot(page, '06-duo-rejected');
  });

  test('the same Duo response submitted twice is refused the second time', async ({ page }) => {
    const bob = E2E_USERS.bob;
    await page.goto(v2Url);
    await page.evaluate(() => {
      const captured: string[] = [];
      (window as unknown as { captured: string[] }).captured = captured;
      window.addEventListener('message', (event) => {
        if (typeof event.data === 'string' && event.data.startsWith('AUTH|')) captured.push(event.data);
      });
    });
    await signIn(page, bob.username, bob.password);
    const frame = await duoFrame(page);
    await frame.getByRole('button', { name: 'Finish' }).click();
    await expect(page.getByRole('heading', { name: 'All done' })).toBeVisible();

    const response = await page.evaluate(() => (window as unknown as { captured: string[] }).captured[0]);
    expect(response).toMatch(/^AUTH\|/);
    const replay = await postFromPage(page, '/api/duo-response', { response });
    expect(replay).toMatchObject({ ok: false, reason: 'replayed' });
  });
});

test.describe('Duo in the browser’s own language (portal mode)', () => {
  // Duo's prompt follows the browser's language settings (Duo guide "Duo Universal Prompt"); in
  // portal mode the browser itself opens Duo, so its own Accept-Language is what Duo gets.
  test.use({ locale: 'fr-FR' });

  test('a French browser reaches Duo asking for French', async ({ page }) => {
    const bob = E2E_USERS.bob;
    await page.goto(v4Url);
    // The screens start in the browser's language (French); the person picks English for them,
    // which a page cannot pass on to Duo: Duo still gets the browser's own French.
    await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
    await page.getByRole('button', { name: 'English', exact: true }).click();
    await signIn(page, bob.username, bob.password);
    await page.waitForURL(/\/frame\//);
    await expect(page.getByRole('heading', { name: new RegExp(bob.username) })).toBeVisible();
    // The emulator shows its prompt in the first language the browser asked for, as Duo does.
    await expect(page.locator('html')).toHaveAttribute('lang', 'fr-FR');
    await page.getByRole('button', { name: 'Finish' }).click();
    await page.waitForURL(v4Url);
    await expect(page.getByRole('heading', { name: 'All done' })).toBeVisible();
  });
});

test('when Duo cannot be reached the station says so instead of failing mid-visit', async ({ page }) => {
  await page.goto(duoDownUrl);
  await expect(page.getByRole('heading', { name: 'This station is out of service' })).toBeVisible({
    timeout: 20_000,
  });
  await screenshot(page, '07-out-of-service');
});
