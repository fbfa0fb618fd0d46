/**
 * The first screen's weight: builds the renderer (Vite, into a temp folder, then the build's
 * compression step) and reads the gzip size of the JavaScript the page loads before it can show
 * the sign-in form: the module scripts and module preloads of index.html, measured by
 * `test/support/renderer-weight.ts`, the same module `npm run bench` reports the weight with. A
 * size bound, not a timing; `npm run bench` measures the time to an interactive form.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from 'vite';
import {
  INITIAL_JS_GZIP_BUDGET_BYTES,
  initialFiles,
  measureRendererWeight,
  weightTable,
} from '../support/renderer-weight';

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

  it(`loads at most ${INITIAL_JS_GZIP_BUDGET_BYTES / 1024} KiB of gzip JavaScript before the first screen`, () => {
    const weight = measureRendererWeight(dir);
    expect(weight.initial.length).toBeGreaterThan(0);
    for (const chunk of weight.initial) {
      expect(existsSync(path.join(dir, `${chunk.file}.gz`)), `${chunk.file}.gz`).toBe(true);
    }
    console.info(weightTable(weight).join('\n'));
    expect(weight.initialGzipBytes).toBeLessThanOrEqual(INITIAL_JS_GZIP_BUDGET_BYTES);
  });

  it('weighs each language other than English as a lazy chunk of its own, outside the initial JavaScript', () => {
    const weight = measureRendererWeight(dir);
    const languages = weight.lazy.filter((chunk) => chunk.kind === 'language').map((chunk) => chunk.label);
    expect(languages).toEqual(['language de', 'language es', 'language fr']);
    expect(weight.lazy.every((chunk) => chunk.gzip > 0 && chunk.gzip < chunk.raw)).toBe(true);
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
