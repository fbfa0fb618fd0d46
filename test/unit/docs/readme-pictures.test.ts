/**
 * The README's "What people see" pictures (issue #12): every image it links exists, is a PNG at
 * the sweep's picture size, and the welcome, sign-in, Duo and Done screens are all shown. The
 * pictures are copies of test-results/screens/pictures/ from test/e2e/screens-all.spec.ts.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../../..');
const readme = readFileSync(path.join(root, 'README.md'), 'utf8');

/** Markdown images `![alt](target)` in the README, with their alt text. */
const images = [...readme.matchAll(/!\[([^\]]*)\]\(([^)\s]+)\)/g)].map(([, alt = '', target = '']) => ({
  alt,
  target,
}));

/** Width and height of a PNG from its IHDR chunk (PNG specification, ISO/IEC 15948, 11.2.2). */
function pngSize(file: string): { width: number; height: number } {
  const bytes = readFileSync(file);
  expect(bytes.subarray(0, 8).toString('hex'), `${file} is a PNG`).toBe('89504e470d0a1a0a');
  expect(bytes.subarray(12, 16).toString('latin1')).toBe('IHDR');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe('README pictures', () => {
  it('shows the welcome, sign-in, Duo and Done screens', () => {
    expect(images.map((image) => image.target)).toEqual(
      expect.arrayContaining(['welcome', 'sign-in', 'duo', 'done'].map((name) => `docs/images/${name}.png`)),
    );
  });

  it('links only pictures that exist, as 1280x800 PNGs with a description', () => {
    const local = images.filter((image) => !/^https?:/.test(image.target));
    expect(local.length).toBeGreaterThan(0);
    for (const image of local) {
      expect(image.alt.length, `alt text of ${image.target}`).toBeGreaterThan(20);
      expect(pngSize(path.join(root, image.target)), image.target).toEqual({ width: 1280, height: 800 });
    }
  });

  it('keeps no picture in docs/images that the README does not show', () => {
    const shown = new Set(images.map((image) => image.target));
    const kept = readdirSync(path.join(root, 'docs/images')).map((file) => `docs/images/${file}`);
    expect(kept.filter((file) => !shown.has(file))).toEqual([]);
  });
});
