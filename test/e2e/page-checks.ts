/**
 * Checks every end-to-end spec makes of a page: one picture of each screen for the record, and
 * no WCAG 2.x level A or AA violation found by axe-core (`@axe-core/playwright`).
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

/** Writes the whole page to `test-results/screens/<name>.png`. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `test-results/screens/${name}.png`, fullPage: true });
}

/** One axe violation: its rule and the CSS paths of the nodes that break it. */
export interface AxeViolation {
  id: string;
  nodes: string[];
}

/** The WCAG 2.0/2.1 level A and AA violations axe finds on the page as it is now. */
export async function accessibilityViolations(page: Page): Promise<AxeViolation[]> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  return results.violations.map((violation) => ({
    id: violation.id,
    nodes: violation.nodes.map((node) => node.target.join(' ')),
  }));
}

/** No WCAG 2.0/2.1 level A or AA violation on the page as it is now; `screen` names it in a failure. */
export async function expectAccessible(page: Page, screen: string): Promise<void> {
  expect(await accessibilityViolations(page), `axe on ${screen}`).toEqual([]);
}
