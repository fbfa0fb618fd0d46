#!/usr/bin/env node
// Precompresses the built renderer for portal mode: writes `<file>.br` (brotli, quality 11) and
// `<file>.gz` (gzip, level 9) next to each text file of out/renderer (or the folder given as the
// first argument), so the server sends compressed bytes without compressing per request
// (@fastify/static `preCompressed`). Node's own zlib does the work; a file whose compressed form
// would not be smaller gets none. Run after `vite build` by `npm run build:renderer`.
import { readdirSync, readFileSync, statSync, writeFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const root = path.resolve(process.argv[2] ?? path.join(import.meta.dirname, '..', 'out', 'renderer'));
const COMPRESSIBLE = /\.(js|mjs|css|html|svg|json|txt|webmanifest)$/;

/** Every file under `dir`, recursively. */
function filesOf(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? filesOf(full) : [full];
  });
}

let written = 0;
let before = 0;
let after = 0;
for (const file of filesOf(root)) {
  if (!COMPRESSIBLE.test(file)) continue;
  const source = readFileSync(file);
  const encodings = [
    [
      '.br',
      brotliCompressSync(source, {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
          [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
          [constants.BROTLI_PARAM_SIZE_HINT]: source.length,
        },
      }),
    ],
    ['.gz', gzipSync(source, { level: 9 })],
  ];
  for (const [extension, compressed] of encodings) {
    const target = file + extension;
    if (compressed.length < source.length) {
      writeFileSync(target, compressed);
      written += 1;
    } else {
      // A stale compressed copy of an older build must not be served for this file.
      rmSync(target, { force: true });
    }
  }
  before += source.length;
  after += statSync(file + '.br', { throwIfNoEntry: false })?.size ?? source.length;
}
console.log(
  `compress-renderer: ${written} files written in ${path.relative(process.cwd(), root) || '.'} ` +
    `(${(before / 1024).toFixed(1)} KiB -> ${(after / 1024).toFixed(1)} KiB brotli)`,
);
