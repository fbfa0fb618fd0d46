/**
 * The renderer weight measure (`test/support/renderer-weight.ts`) on a small build folder written
 * here the way Vite and `scripts/compress-renderer.mjs` write one: which files count as initial,
 * how lazy chunks are named, the sums and the table. The real build is weighed by
 * test/integration/renderer-size.test.ts.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  INITIAL_JS_GZIP_BUDGET_BYTES,
  initialFiles,
  measureRendererWeight,
  weightTable,
} from '../../support/renderer-weight';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'walkup-weight-'));
  mkdirSync(path.join(dir, 'assets'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Writes `assets/<name>` with `bytes` of JavaScript and its .gz and .br copies; returns the gzip size. */
function chunk(name: string, bytes: number): number {
  const source = `export const x = "${'a'.repeat(bytes)}";`;
  const gzip = gzipSync(source);
  writeFileSync(path.join(dir, 'assets', name), source);
  writeFileSync(path.join(dir, 'assets', `${name}.gz`), gzip);
  writeFileSync(path.join(dir, 'assets', `${name}.br`), gzip.subarray(0, 10));
  return gzip.length;
}

const INDEX = `<!doctype html><html><head>
<script type="module" crossorigin src="./assets/index-BCaew7Tk.js"></script>
<link rel="modulepreload" crossorigin href="./assets/vendor-Ab12Cd34.js">
<link rel="stylesheet" crossorigin href="./assets/index-C0TA9HSo.css">
<link rel="icon" href="./favicon.svg">
</head><body></body></html>`;

describe('initialFiles', () => {
  it('takes module scripts and module preloads as scripts, style sheets as styles, nothing else', () => {
    expect(initialFiles(INDEX)).toEqual({
      scripts: ['./assets/index-BCaew7Tk.js', './assets/vendor-Ab12Cd34.js'],
      styles: ['./assets/index-C0TA9HSo.css'],
    });
  });
});

describe('measureRendererWeight', () => {
  it('sums the entry and its static imports, and names each lazy chunk', () => {
    writeFileSync(path.join(dir, 'index.html'), INDEX);
    writeFileSync(path.join(dir, 'assets', 'index-C0TA9HSo.css'), 'body{}');
    const entry = chunk('index-BCaew7Tk.js', 4000);
    const vendor = chunk('vendor-Ab12Cd34.js', 2000);
    chunk('fr-g51trCt0.js', 300);
    chunk('de-BDbehaSi.js', 300);
    chunk('on-screen-keyboard-Zz9_Yy8-.js', 500);
    chunk('qr-Qq1Ww2Ee.js', 100);
    writeFileSync(path.join(dir, 'assets', 'on-screen-keyboard-B7c8D9e0.css'), '.k{}');

    const weight = measureRendererWeight(dir);
    expect(weight.initial.map((c) => [c.file, c.label])).toEqual([
      ['assets/index-BCaew7Tk.js', 'entry'],
      ['assets/vendor-Ab12Cd34.js', 'static import'],
    ]);
    expect(weight.initialGzipBytes).toBe(entry + vendor);
    expect(weight.lazy.map((c) => [c.kind, c.label, c.file])).toEqual([
      ['language', 'language de', 'assets/de-BDbehaSi.js'],
      ['language', 'language fr', 'assets/fr-g51trCt0.js'],
      ['keyboard', 'keyboard', 'assets/on-screen-keyboard-Zz9_Yy8-.js'],
      ['keyboard', 'keyboard (style sheet)', 'assets/on-screen-keyboard-B7c8D9e0.css'],
      ['other', 'other (qr)', 'assets/qr-Qq1Ww2Ee.js'],
    ]);
    // A style sheet without compressed copies is weighed raw only.
    expect(weight.styles).toEqual([
      expect.objectContaining({ file: 'assets/index-C0TA9HSo.css', raw: 6, gzip: Number.NaN }),
    ]);

    const table = weightTable(weight);
    expect(table[0]).toMatch(/^loaded\s+what\s+file\s+gzip\s+brotli\s+raw$/);
    expect(table.find((line) => line.includes('initial JavaScript') && line.includes('2 file(s)'))).toContain(
      `${((entry + vendor) / 1024).toFixed(1)} KiB`,
    );
    expect(table.filter((line) => line.startsWith('lazily'))).toHaveLength(5);
    expect(table.at(-1)).toMatch(/of the 150\.0 KiB budget \(\d+%\): within$/);
  });

  it('says OVER when the initial JavaScript exceeds the budget', () => {
    writeFileSync(path.join(dir, 'index.html'), INDEX);
    chunk('index-BCaew7Tk.js', 10);
    chunk('vendor-Ab12Cd34.js', 10);
    const weight = measureRendererWeight(dir);
    const over = { ...weight, initialGzipBytes: INITIAL_JS_GZIP_BUDGET_BYTES + 1 };
    expect(weightTable(over).at(-1)).toMatch(/: OVER$/);
  });

  it('fails with the missing file named when the folder holds no build', () => {
    expect(() => measureRendererWeight(dir)).toThrow(/index\.html/);
  });
});
