/**
 * Colour contrast per WCAG 2.1: relative luminance and contrast ratio (WCAG 2.1 definitions of
 * "relative luminance" and "contrast ratio"; Success Criterion 1.4.3 Contrast (Minimum) asks
 * 4.5:1 for normal text, level AA). Used to refuse a `branding.accentColor` people could not read.
 *
 * Written by hand rather than taken from a colour library: the rule is the spec's two short
 * formulas over one `#rrggbb` form, smaller than any dependency, and pure so the renderer could
 * share it.
 */

import { HEX_COLOR } from '../../contract';

/** WCAG 2.1 SC 1.4.3 (AA): the least contrast ratio for normal-size text. */
export const AA_TEXT_CONTRAST = 4.5;

/**
 * The backgrounds the accent colour must read against: white (`--accent-ink`, the text on
 * primary buttons, and `--surface`) and the page (`--paper`). Must equal renderer/styles.css,
 * which a unit test checks.
 */
export const ACCENT_BACKGROUNDS = { white: '#ffffff', page: '#f6f7f9' } as const;

/** The default accent (`--accent` in renderer/styles.css): 8.9:1 against white. */
export const DEFAULT_ACCENT_COLOR = '#0b4a8b';

/**
 * Relative luminance (0 = black … 1 = white) of a `#rrggbb` colour in sRGB, per the WCAG 2.1
 * definition (channel threshold 0.04045, as in the sRGB standard; for 8-bit channels the result
 * is the same as with the 0.03928 printed in WCAG 2.0). Throws on any other form (a bug: callers
 * check `HEX_COLOR` first).
 */
export function relativeLuminance(hex: string): number {
  if (!HEX_COLOR.test(hex)) throw new Error(`not a #rrggbb colour: ${hex}`);
  const [r, g, b] = [1, 3, 5].map((start) => {
    const channel = Number.parseInt(hex.slice(start, start + 2), 16) / 255;
    return channel <= 0.04045 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** Contrast ratio (1 … 21) of two `#rrggbb` colours: (L1 + 0.05) / (L2 + 0.05), L1 the lighter. */
export function contrastRatio(first: string, second: string): number {
  const [lighter, darker] = [relativeLuminance(first), relativeLuminance(second)].sort((a, b) => b - a) as [
    number,
    number,
  ];
  return (lighter + 0.05) / (darker + 0.05);
}

/**
 * Why an accent colour cannot be used, or undefined when it can: it must reach
 * `AA_TEXT_CONTRAST` against white text and against the page background. The message states
 * the ratio found, rounded down to two decimals (so 4.499 never reads as 4.50).
 */
export function accentContrastProblem(hex: string): string | undefined {
  if (!HEX_COLOR.test(hex)) return 'must be a colour in the form #rrggbb, e.g. #0b4a8b';
  for (const [name, background] of [
    ['white text', ACCENT_BACKGROUNDS.white],
    ['the page background', ACCENT_BACKGROUNDS.page],
  ] as const) {
    const ratio = contrastRatio(hex, background);
    if (ratio < AA_TEXT_CONTRAST) {
      const shown = (Math.floor(ratio * 100) / 100).toFixed(2);
      return `has a contrast of ${shown}:1 with ${name} (${background}); WCAG 2.1 AA needs at least ${AA_TEXT_CONTRAST}:1, so choose a darker colour`;
    }
  }
  return undefined;
}
