/**
 * The built renderer's weight as the browser gets it: the one measure behind the size test
 * (test/integration/renderer-size.test.ts, which holds the budget) and `npm run bench` (section 4,
 * which reports it as a table). A weight in bytes, never a timing.
 *
 * - Initial JavaScript: what index.html loads before the first screen can show, i.e. the entry
 *   chunk and its static imports (Vite writes those as `<script type="module" src>` and
 *   `<link rel="modulepreload">`), summed in gzip bytes of the build's precompressed `.gz` copies
 *   (`scripts/compress-renderer.mjs`, as portal mode serves them).
 * - Lazy chunks: every other `.js` (and `.css`) file of `assets/`, loaded by a dynamic `import()`
 *   when needed. Named by Vite after the module imported: a supported language's code
 *   (`de-<hash>.js`, the translations of `renderer/i18n`) or a name with "keyboard" (the on-screen
 *   keyboard and its style sheet); anything else is listed as `other`, so nothing is left out.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { supportedLanguages } from '../../main/contract/languages';

/** The initial JavaScript's budget, gzip (issue #12: all four languages and the keyboard). */
export const INITIAL_JS_GZIP_BUDGET_BYTES = 150 * 1024;

/** Files index.html loads at once: module scripts, module preloads and style sheets (its paths). */
export function initialFiles(indexHtml: string): { scripts: string[]; styles: string[] } {
  const scripts: string[] = [];
  const styles: string[] = [];
  for (const tag of indexHtml.match(/<(script|link)\b[^>]*>/g) ?? []) {
    const attr = (name: string): string | undefined => new RegExp(`\\s${name}="([^"]+)"`).exec(tag)?.[1];
    const src = attr('src');
    const href = attr('href');
    if (tag.startsWith('<script') && src) scripts.push(src);
    if (tag.startsWith('<link') && attr('rel') === 'modulepreload' && href) scripts.push(href);
    if (tag.startsWith('<link') && attr('rel') === 'stylesheet' && href) styles.push(href);
  }
  return { scripts, styles };
}

/** What a chunk is for. */
export type ChunkKind = 'initial' | 'language' | 'keyboard' | 'other';

/** One built file's weight (bytes; NaN where the build wrote no such compressed copy). */
export interface ChunkWeight {
  /** Path inside the build folder, e.g. `assets/de-BDbehaSi.js`. */
  file: string;
  kind: ChunkKind;
  /** e.g. `language de`, `keyboard`, `entry or static import`. */
  label: string;
  raw: number;
  gzip: number;
  brotli: number;
}

/** The renderer build's weight. */
export interface RendererWeight {
  /** The entry chunk and its static imports, in index.html's order. */
  initial: ChunkWeight[];
  /** Every other script and style sheet of `assets/`: languages, then the keyboard, then the rest. */
  lazy: ChunkWeight[];
  /** Style sheets index.html loads at once. */
  styles: ChunkWeight[];
  /** Sum of `initial`'s gzip bytes: what the budget bounds. */
  initialGzipBytes: number;
}

const sizeOf = (file: string): number => statSync(file, { throwIfNoEntry: false })?.size ?? Number.NaN;

/** `assets/de-BDbehaSi.js` -> `de` (Vite's `[name]-[hash].js`, `.css` alike). */
function chunkName(file: string): string {
  return path
    .basename(file)
    .replace(/\.(js|css)$/, '')
    .replace(/-[A-Za-z0-9_-]{8}$/, '');
}

function lazyKind(file: string): { kind: ChunkKind; label: string } {
  const name = chunkName(file);
  const suffix = file.endsWith('.css') ? ' (style sheet)' : '';
  if ((supportedLanguages as readonly string[]).includes(name))
    return { kind: 'language', label: `language ${name}${suffix}` };
  if (/keyboard/i.test(name)) return { kind: 'keyboard', label: `keyboard${suffix}` };
  return { kind: 'other', label: `other (${name})${suffix}` };
}

function weigh(dir: string, file: string, kind: ChunkKind, label: string): ChunkWeight {
  const full = path.join(dir, file);
  return { file, kind, label, raw: sizeOf(full), gzip: sizeOf(`${full}.gz`), brotli: sizeOf(`${full}.br`) };
}

/** Relative form of an index.html path (`./assets/x.js` -> `assets/x.js`). */
const relative = (src: string): string => path.posix.normalize(src.replace(/^\.?\//, ''));

/** Weighs the built (and precompressed) renderer in `dir` (e.g. out/renderer). */
export function measureRendererWeight(dir: string): RendererWeight {
  const index = readFileSync(path.join(dir, 'index.html'), 'utf8');
  const { scripts, styles } = initialFiles(index);
  const initialPaths = scripts.map(relative);
  const stylePaths = styles.map(relative);
  const initial = initialPaths.map((file, i) =>
    weigh(dir, file, 'initial', i === 0 ? 'entry' : 'static import'),
  );
  const order: ChunkKind[] = ['language', 'keyboard', 'other'];
  const lazy = readdirSync(path.join(dir, 'assets'))
    .filter((name) => name.endsWith('.js') || name.endsWith('.css'))
    .map((name) => `assets/${name}`)
    .filter((file) => !initialPaths.includes(file) && !stylePaths.includes(file))
    .map((file) => {
      const { kind, label } = lazyKind(file);
      return weigh(dir, file, kind, label);
    })
    .sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind) || a.label.localeCompare(b.label));
  return {
    initial,
    lazy,
    styles: stylePaths.map((file) => weigh(dir, file, 'initial', 'style sheet')),
    initialGzipBytes: initial.reduce((sum, chunk) => sum + chunk.gzip, 0),
  };
}

const kib = (bytes: number): string => (Number.isNaN(bytes) ? '-' : `${(bytes / 1024).toFixed(1)} KiB`);

/**
 * The weight as a plain-text table (one line each), the initial total against the budget:
 *
 *     loaded   what             file                   gzip       brotli     raw
 *     at once  entry            assets/index-….js      132.4 KiB  …
 */
export function weightTable(weight: RendererWeight): string[] {
  const rows: string[][] = [['loaded', 'what', 'file', 'gzip', 'brotli', 'raw']];
  const row = (loaded: string, chunk: ChunkWeight) =>
    rows.push([loaded, chunk.label, chunk.file, kib(chunk.gzip), kib(chunk.brotli), kib(chunk.raw)]);
  for (const chunk of weight.initial) row('at once', chunk);
  const sum = (chunks: ChunkWeight[], key: 'gzip' | 'brotli' | 'raw') =>
    chunks.reduce((total, chunk) => total + chunk[key], 0);
  rows.push([
    'at once',
    'initial JavaScript',
    `${weight.initial.length} file(s)`,
    kib(weight.initialGzipBytes),
    kib(sum(weight.initial, 'brotli')),
    kib(sum(weight.initial, 'raw')),
  ]);
  for (const chunk of weight.styles) row('at once', chunk);
  for (const chunk of weight.lazy) row('lazily', chunk);
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((cells) => cells[column]!.length)));
  const lines = rows.map((cells) =>
    cells
      .map((cell, column) => (column >= 3 ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!)))
      .join('  ')
      .trimEnd(),
  );
  const share = (weight.initialGzipBytes / INITIAL_JS_GZIP_BUDGET_BYTES) * 100;
  lines.push(
    `initial JavaScript ${kib(weight.initialGzipBytes)} gzip of the ${kib(INITIAL_JS_GZIP_BUDGET_BYTES)} budget ` +
      `(${share.toFixed(0)}%): ${weight.initialGzipBytes <= INITIAL_JS_GZIP_BUDGET_BYTES ? 'within' : 'OVER'}`,
  );
  return lines;
}
