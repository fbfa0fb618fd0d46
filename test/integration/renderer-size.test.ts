/**
 * The first screen's weight: builds the renderer (Vite, into a temp folder, then the build's
 * compression step) and reads the gzip size of the JavaScript the page loads before it can show
 * the sign-in form: the module scripts and module preloads of index.html. A size bound, not a
 * timing; `npm run bench` measures the time to an interactive form.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from 'vite';

/** Initial JavaScript, gzip, at most (issue #14: a fast first screen). */
const INITIAL_JS_GZIP_BYTES = 150 * 1024;

/** Files index.html loads at once: module scripts, module preloads and style sheets. */
function initialFiles(indexHtml: string): { scripts: string[]; styles: string[] } {
  const attr = (tag: string, name: string): string | undefined =>
    new RegExp(`\\s${name}="([^"]+)"`).exec(tag)?.[1];
  const tags = indexHtml.match(/<(script|link)\b[^>]*>/g) ?? [];
  const scripts: string[] = [];
  const styles: string[] = [];
  for (const tag of tags) {
    if (tag.startsWith('<script') && attr(tag, 'src')) scripts.push(attr(tag, 'src')!);
    if (tag.startsWith('<link') && attr(tag, 'rel') === 'modulepreload') scripts.push(attr(tag, 'href')!);
    if (tag.startsWith('<link') && attr(tag, 'rel') === 'stylesheet') styles.push(attr(tag, 'href')!);
  }
  return { scripts, styles };
}

describe('renderer build size', () => {
  let dir: string;
  let index: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'walkup-renderer-build-'));
    // Vitest sets NODE_ENV=test, which Vite would honour with React's development build.
    const nodeEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await build({
        configFile: path.resolve('renderer/vite.config.ts'),
        mode: 'production',
        logLevel: 'warn',
        build: { outDir: dir, emptyOutDir: true },
      });
    } finally {
      process.env.NODE_ENV = nodeEnv;
    }
    execFileSync(process.execPath, [path.resolve('scripts/compress-renderer.mjs'), dir], { stdio: 'pipe' });
    index = readFileSync(path.join(dir, 'index.html'), 'utf8');
  }, 120_000);
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it(`loads at most ${INITIAL_JS_GZIP_BYTES / 1024} KiB of gzip JavaScript before the first screen`, () => {
    const { scripts } = initialFiles(index);
    expect(scripts.length).toBeGreaterThan(0);
    const gzipBytes = scripts
      .map((src) => path.join(dir, src))
      .map((file) => {
        expect(existsSync(`${file}.gz`), `${file}.gz`).toBe(true);
        return statSync(`${file}.gz`).size;
      })
      .reduce((sum, size) => sum + size, 0);
    console.info(
      `renderer initial JS: ${(gzipBytes / 1024).toFixed(1)} KiB gzip in ${scripts.length} file(s)`,
    );
    expect(gzipBytes).toBeLessThanOrEqual(INITIAL_JS_GZIP_BYTES);
  });

  // A word of the sign-in screen in each language other than English: only in its own chunk.
  it.each([
    ['German', 'Benutzername'],
    ['Spanish', 'Nombre de usuario'],
    ['French', 'Afficher le mot de passe'],
  ])('keeps %s out of the first screen, in a chunk of its own', (_language, word) => {
    const { scripts } = initialFiles(index);
    const initial = scripts.map((src) => readFileSync(path.join(dir, src), 'utf8')).join('\n');
    expect(initial).not.toContain(word);
    const chunks = readdirSync(path.join(dir, 'assets')).filter(
      (name) => name.endsWith('.js') && readFileSync(path.join(dir, 'assets', name), 'utf8').includes(word),
    );
    expect(chunks).toHaveLength(1);
    expect(scripts.some((src) => src.endsWith(chunks[0]!))).toBe(false);
  });

  it('has a brotli and a gzip copy of every script and style sheet', () => {
    const assets = readdirSync(path.join(dir, 'assets')).filter((name) => /\.(js|css)$/.test(name));
    for (const name of assets) {
      expect(existsSync(path.join(dir, 'assets', `${name}.br`)), name).toBe(true);
      expect(existsSync(path.join(dir, 'assets', `${name}.gz`)), name).toBe(true);
    }
  });
});
