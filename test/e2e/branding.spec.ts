/**
 * Branding in real Chromium (issue #12): a station with a `branding` section shows its
 * organisation and configured logo in the header and paints primary buttons in its accent,
 * with no axe violation and no CSP violation (the accent is set through the CSSOM, the logo is a
 * `data:` URL); a station without one keeps the default logo and accent.
 */
import { expect, test, type Page } from '@playwright/test';
import { E2E_BRANDING } from './branding';
import { E2E_PORTS } from './ports';
import { expectAccessible, screenshot } from './page-checks';
import { startSignIn } from './welcome';

function watchCsp(page: Page): string[] {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content[- ]Security[- ]Policy/i.test(message.text())) violations.push(message.text());
  });
  return violations;
}

test('a branded station shows its organisation, logo and accent, with no axe or CSP violation', async ({
  page,
}) => {
  const csp = watchCsp(page);
  await page.goto(`http://127.0.0.1:${E2E_PORTS.brandedPortal}/`);
  await startSignIn(page);
  const header = page.getByRole('banner');
  await expect(header).toContainText(E2E_BRANDING.organisation);
  await expect(header.locator('img')).toHaveAttribute('src', /^data:image\/svg\+xml;base64,/);
  await expect(header.locator('img')).toHaveAttribute('alt', '');
  await expect
    .poll(() => header.locator('img').evaluate((image: HTMLImageElement) => image.naturalWidth))
    .toBeGreaterThan(0);
  // #5c2d91
  await expect(page.getByRole('button', { name: 'Sign in' })).toHaveCSS(
    'background-color',
    'rgb(92, 45, 145)',
  );
  await screenshot(page, 'branding-sign-in');
  await expectAccessible(page, 'branded sign-in');
  expect(csp).toEqual([]);
});

test('a station without branding keeps the default logo and accent', async ({ page }) => {
  await page.goto(`http://127.0.0.1:${E2E_PORTS.v4Portal}/`);
  await startSignIn(page);
  // The default logo as the build bundles it (a file of the renderer's own origin), shown.
  const logo = page.getByRole('banner').locator('img');
  await expect(logo).toHaveAttribute('src', /\/assets\/logo-[\w-]+\.svg$/);
  await expect.poll(() => logo.evaluate((image: HTMLImageElement) => image.naturalWidth)).toBeGreaterThan(0);
  // #0b4a8b
  await expect(page.getByRole('button', { name: 'Sign in' })).toHaveCSS(
    'background-color',
    'rgb(11, 74, 139)',
  );
});
