/**
 * WCAG 2.1 contrast (main/core/branding/contrast.ts) and the `branding` section of the
 * configuration schema that uses it: an accent colour people cannot read is refused with the
 * ratio it has, and the defaults match the renderer's stylesheet.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ACCENT_BACKGROUNDS,
  accentContrastProblem,
  contrastRatio,
  DEFAULT_ACCENT_COLOR,
  relativeLuminance,
} from '../../../../main/core/branding/contrast';
import { brandingSchema, parseConfig } from '../../../../main/core/config/schema';

const demo = {
  directory: { type: 'demo' },
  duo: { apiHost: 'api-1.duosecurity.com', clientId: 'D'.repeat(20), clientSecret: 'x' },
};

describe('WCAG 2.1 contrast', () => {
  it('gives the luminance of black and white and 21:1 between them', () => {
    expect(relativeLuminance('#000000')).toBe(0);
    expect(relativeLuminance('#FFFFFF')).toBeCloseTo(1, 10);
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 10);
    expect(contrastRatio('#ffffff', '#000000')).toBeCloseTo(21, 10);
  });

  it('gives the well-known ratios of grey on white (#767676 passes AA, #777777 does not)', () => {
    expect(contrastRatio('#767676', '#ffffff')).toBeCloseTo(4.54, 2);
    expect(contrastRatio('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
  });

  it('refuses anything but #rrggbb as a bug', () => {
    expect(() => relativeLuminance('red')).toThrow(/#rrggbb/);
    expect(accentContrastProblem('#fff')).toBe('must be a colour in the form #rrggbb, e.g. #0b4a8b');
  });

  it('names the ratio (rounded down) and the background an accent fails against', () => {
    expect(accentContrastProblem('#777777')).toBe(
      'has a contrast of 4.47:1 with white text (#ffffff); WCAG 2.1 AA needs at least 4.5:1, so choose a darker colour',
    );
    // Passes against white (4.54:1) but not against the slightly darker page.
    expect(accentContrastProblem('#767676')).toBe(
      'has a contrast of 4.23:1 with the page background (#f6f7f9); WCAG 2.1 AA needs at least 4.5:1, so choose a darker colour',
    );
    expect(accentContrastProblem('#6b6b6b')).toBeUndefined();
    expect(accentContrastProblem(DEFAULT_ACCENT_COLOR)).toBeUndefined();
  });

  it('uses the same default accent and backgrounds as renderer/styles.css', () => {
    const css = readFileSync(path.join(__dirname, '../../../../renderer/styles.css'), 'utf8');
    const variable = (name: string) => new RegExp(`--${name}:\\s*(#[0-9a-f]{6});`, 'i').exec(css)?.[1];
    expect(variable('accent')).toBe(DEFAULT_ACCENT_COLOR);
    expect(variable('paper')).toBe(ACCENT_BACKGROUNDS.page);
    expect(variable('surface')).toBe(ACCENT_BACKGROUNDS.white);
    expect(variable('accent-ink')).toBe(ACCENT_BACKGROUNDS.white);
  });
});

describe('the branding section of the configuration', () => {
  it('has good defaults when absent', () => {
    const parsed = parseConfig(demo);
    expect(parsed.ok && parsed.config.branding).toEqual({ organisation: 'Walkup', accentColor: '#0b4a8b' });
  });

  it('takes every key, trimmed, with the accent in lower case', () => {
    expect(
      brandingSchema.parse({
        organisation: ' Example University ',
        logoFile: '/etc/walkup/logo.svg',
        accentColor: '#5C2D91',
        welcomeText: 'Set up Duo before your first day.',
        helpdesk: 'IT helpdesk, room 1.04',
      }),
    ).toEqual({
      organisation: 'Example University',
      logoFile: '/etc/walkup/logo.svg',
      accentColor: '#5c2d91',
      welcomeText: 'Set up Duo before your first day.',
      helpdesk: 'IT helpdesk, room 1.04',
    });
  });

  it('refuses an accent below 4.5:1 with the ratio in a line naming the key', () => {
    const parsed = parseConfig({ ...demo, branding: { accentColor: '#ffbf1f' } });
    expect(parsed).toEqual({
      ok: false,
      errors: [
        'branding.accentColor: has a contrast of 1.65:1 with white text (#ffffff); WCAG 2.1 AA needs at least 4.5:1, so choose a darker colour',
      ],
    });
  });

  it('refuses texts that are too long or empty, and unknown keys, each naming its key', () => {
    const parsed = parseConfig({
      ...demo,
      branding: {
        organisation: 'x'.repeat(81),
        welcomeText: 'x'.repeat(501),
        helpdesk: '   ',
        accentColor: 'navy',
        logoFile: '',
        colour: '#000000',
      },
    });
    expect(parsed.ok).toBe(false);
    const errors = parsed.ok ? [] : parsed.errors;
    for (const key of ['organisation', 'welcomeText', 'helpdesk', 'accentColor', 'logoFile']) {
      expect(errors.some((line) => line.startsWith(`branding.${key}: `))).toBe(true);
    }
    expect(errors).toContain('branding.accentColor: must be a colour in the form #rrggbb, e.g. #0b4a8b');
    expect(errors.some((line) => line.startsWith('branding: ') && line.includes('colour'))).toBe(true);
  });
});
