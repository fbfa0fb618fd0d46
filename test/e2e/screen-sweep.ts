/**
 * The screen sweep's checks of one screen (issue #12), shared by screens-all.spec.ts and
 * screens-keyboard.spec.ts: axe in light and forced colours with a screenshot of each, touch
 * targets, and the layout at phone, tablet, portrait kiosk and desktop sizes. Failures are soft
 * (`expect.soft`): one run lists every screen and element that fails, by name.
 */
import { expect, type Locator, type Page } from '@playwright/test';
import { accessibilityViolations, screenshot } from './page-checks';

/** The sizes every screen must hold at (css px). */
export const SWEEP_VIEWPORTS = [
  { width: 320, height: 640 },
  { width: 800, height: 1280 },
  { width: 1080, height: 1920 },
  { width: 1920, height: 1080 },
] as const;

/** Where targets are measured: the portrait tablet and the desktop/landscape kiosk. */
const TARGET_VIEWPORTS = new Set(['800x1280', '1920x1080']);

/** WCAG 2.2 SC 2.5.5 (Target Size, Enhanced) asks 44 css px; the station's own bar is 48. */
export const MIN_TARGET_PX = 48;

/** The size the sweep's pictures are taken at, and where each screen is first checked. */
export const PICTURE_VIEWPORT = { width: 1280, height: 800 } as const;

/** What one interactive element measures, for the failure message. */
interface Target {
  name: string;
  width: number;
  height: number;
  input: boolean;
}

/** Interactive elements, as the issue lists them; a heading's tabindex="-1" is not one. */
const INTERACTIVE =
  'button, a[href], input:not([type="hidden"]), select, textarea, [role="button"], summary, [tabindex]:not([tabindex="-1"])';

/** Every interactive element drawn inside the viewport, with its size and a readable name. */
export async function visibleTargets(page: Page): Promise<Target[]> {
  return page.evaluate((selector) => {
    const describe = (element: Element): string => {
      const label =
        element.getAttribute('aria-label') ??
        (element as HTMLInputElement).labels?.[0]?.textContent ??
        element.textContent ??
        '';
      const tag = element.tagName.toLowerCase();
      const classes =
        typeof element.className === 'string' && element.className
          ? `.${element.className.split(/\s+/).join('.')}`
          : '';
      return `${tag}${classes} "${label.trim().replace(/\s+/g, ' ').slice(0, 40)}"`;
    };
    const targets: { name: string; width: number; height: number; input: boolean }[] = [];
    for (const element of document.querySelectorAll(selector)) {
      const rect = element.getBoundingClientRect();
      if (rect.width === 0 || rect.height === 0) continue;
      const style = getComputedStyle(element);
      if (style.visibility !== 'visible' || Number(style.opacity) === 0) continue;
      // Not drawn inside the viewport (scrolled away, or clipped to nothing: visually hidden).
      if (rect.bottom <= 0 || rect.top >= innerHeight || rect.right <= 0 || rect.left >= innerWidth) continue;
      if (element.closest('[inert], [hidden]')) continue;
      targets.push({
        name: describe(element),
        width: Math.round(rect.width * 10) / 10,
        height: Math.round(rect.height * 10) / 10,
        input: element.tagName === 'INPUT' || element.tagName === 'SELECT' || element.tagName === 'TEXTAREA',
      });
    }
    return targets;
  }, INTERACTIVE);
}

/** Targets smaller than {@link MIN_TARGET_PX} (inputs: only their height counts), named. */
export async function smallTargets(page: Page): Promise<string[]> {
  return (await visibleTargets(page))
    .filter((target) =>
      target.input
        ? target.height < MIN_TARGET_PX
        : target.width < MIN_TARGET_PX || target.height < MIN_TARGET_PX,
    )
    .map((target) => `${target.name} ${target.width}x${target.height}`);
}

/** How the page overflows sideways, and which elements reach past the viewport's width. */
export async function layoutProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const root = document.documentElement;
    if (root.scrollWidth > innerWidth) problems.push(`page ${root.scrollWidth} px wide in ${innerWidth}`);
    for (const element of document.body.querySelectorAll('*')) {
      const rect = element.getBoundingClientRect();
      if (rect.width === 0 || rect.height === 0) continue;
      if (getComputedStyle(element).visibility !== 'visible') continue;
      // The visually-hidden pattern (1 px, clipped) is read by screen readers, never drawn.
      if (rect.width <= 1 && rect.height <= 1) continue;
      if (rect.left < -0.5 || rect.right > innerWidth + 0.5) {
        const tag = element.tagName.toLowerCase();
        const classes =
          typeof element.className === 'string' && element.className
            ? `.${element.className.split(/\s+/).join('.')}`
            : '';
        problems.push(
          `${tag}${classes} spans ${Math.round(rect.left)}..${Math.round(rect.right)} in ${innerWidth}`,
        );
      }
    }
    // Text that runs past the viewport although its box does not (a long word in a narrow box).
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const range = document.createRange();
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      if (!node.textContent?.trim() || !parent || getComputedStyle(parent).visibility !== 'visible') continue;
      range.selectNodeContents(node);
      const rect = range.getBoundingClientRect();
      if (rect.width <= 1 && rect.height <= 1) continue;
      if (rect.left < -0.5 || rect.right > innerWidth + 0.5) {
        const text = node.textContent.trim().replace(/\s+/g, ' ').slice(0, 40);
        problems.push(
          `text "${text}" in ${parent.tagName.toLowerCase()} spans ${Math.round(rect.left)}..${Math.round(rect.right)} in ${innerWidth}`,
        );
      }
    }
    return problems;
  });
}

/** Options of {@link sweepScreen}. */
export interface SweepOptions {
  /** The screen's main action, which must be visible (scrolled into view at the smallest size). */
  primary?: Locator;
  /**
   * Also writes the screen as a README picture, `test-results/screens/pictures/<picture>.png`:
   * light colours, the viewport only, at {@link PICTURE_VIEWPORT} (docs/images/ holds copies).
   */
  picture?: string;
  /** The language the screen must be in (`<html lang>`, set once its translation is applied). */
  lang?: string;
  /** Skip the layout sizes (a screen with a short time bound checks only axe and the picture). */
  quick?: boolean;
}

/**
 * Checks the screen now shown: axe and a screenshot in light and in forced colours, then, at each
 * of {@link SWEEP_VIEWPORTS}, no sideways overflow, nothing cut off, the primary action visible
 * and, at the target sizes, every target at least {@link MIN_TARGET_PX}. Leaves the page in light
 * colours at {@link PICTURE_VIEWPORT}. `name` names the screenshots (`sweep/<name>-light.png`).
 */
export async function sweepScreen(page: Page, name: string, options: SweepOptions = {}): Promise<void> {
  await page.setViewportSize(PICTURE_VIEWPORT);
  if (options.lang)
    await expect.soft(page.locator('html'), `language of ${name}`).toHaveAttribute('lang', options.lang);
  if (options.picture) {
    await page.emulateMedia({ forcedColors: 'none' });
    await page.screenshot({ path: `test-results/screens/pictures/${options.picture}.png` });
  }
  for (const forcedColors of ['none', 'active'] as const) {
    await page.emulateMedia({ forcedColors });
    const mode = forcedColors === 'active' ? 'forced-colours' : 'light';
    await screenshot(page, `sweep/${name}-${mode}`);
    expect.soft(await accessibilityViolations(page), `axe on ${name} (${mode})`).toEqual([]);
  }
  await page.emulateMedia({ forcedColors: 'none' });
  if (options.quick) return;
  for (const viewport of SWEEP_VIEWPORTS) {
    const size = `${viewport.width}x${viewport.height}`;
    await page.setViewportSize(viewport);
    expect.soft(await layoutProblems(page), `layout of ${name} at ${size}`).toEqual([]);
    if (options.primary) {
      await options.primary.scrollIntoViewIfNeeded();
      await expect.soft(options.primary, `primary action of ${name} at ${size}`).toBeInViewport();
    }
    if (TARGET_VIEWPORTS.has(size)) {
      expect
        .soft(await smallTargets(page), `targets under ${MIN_TARGET_PX} px on ${name} at ${size}`)
        .toEqual([]);
    }
  }
  await page.setViewportSize(PICTURE_VIEWPORT);
}
