#!/usr/bin/env node
// Security scan of what ships: Electronegativity (Doyensec; the scanner Electron's security
// checklist names) over the built main and preload bundles (out/main, out/preload).
//
// Electronegativity reads only `.js`/`.ts`/`.html` files and its parsers stop at ES2022 private
// class fields, so over out/ directly it would see nothing of the main bundle. This script
// first copies each shipped `.cjs`/`.js` bundle to a temp folder as plain ES2020 `.js` (esbuild,
// which also chains the bundle's source map back to the TypeScript sources), scans that copy,
// and maps every finding back to its source line.
//
// A HIGH or MEDIUM finding fails the scan unless the source line (or the line above) carries an
// inline, reasoned suppression: `// eng-disable CHECK_ID -- why this is safe` (the reason is
// required). Findings without a location (global checks) are settled only in
// GLOBAL_SUPPRESSIONS below, each with its reason. The scan also fails when it read no file,
// or a file did not parse: a blind scanner must not pass.
//
// The CSP is a response header built at run time (main/core/renderer-csp.ts), which the
// scanner cannot see in a bundle; the scan renders the CSPs the station serves (the renderer's,
// and the v2 host page's) into an HTML page of meta tags, so the scanner's CSP evaluator judges
// the real policies.
//
// It never leaves the machine: the scanner's two network look-ups (translations, Electron's
// release list) are answered locally with a refusal, and the release check is not run.
//
// Usage: node scripts/security-scan.mjs [--input <dir>]... (default: out/main and out/preload)
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire, SourceMap } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(import.meta.dirname, '..');
const require = createRequire(import.meta.url);

/** Severities that fail the scan. */
const FAILING = new Set(['HIGH', 'MEDIUM']);

/**
 * Global checks (no file, no line) settled here, each with why. Empty: the CSP, the one global
 * finding the bundles alone would raise, is handed to the scanner as the pages receive it.
 */
const GLOBAL_SUPPRESSIONS = {};

/** Checks not run: they need the network (Electron's release list). */
const EXCLUDED_CHECKS = ['AvailableSecurityFixesGlobalCheck'];

const SUPPRESSION = /eng-disable\s+([A-Z0-9_ ]+?)\s+--\s+(\S.{9,})/;

function parseArgs(argv) {
  const inputs = [];
  for (let index = 0; index < argv.length; index += 1) {
    if (argv[index] === '--input' && argv[index + 1]) {
      inputs.push(path.resolve(argv[index + 1]));
      index += 1;
    } else {
      throw new Error(`security-scan: unknown argument ${argv[index]}`);
    }
  }
  return inputs.length > 0 ? inputs : [path.join(root, 'out', 'main'), path.join(root, 'out', 'preload')];
}

/** Every `.cjs`/`.js`/`.mjs` bundle in `dirs` (not source maps). */
async function listBundles(dirs) {
  const files = [];
  for (const dir of dirs) {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      throw new Error(
        `security-scan: ${path.relative(root, dir) || dir} does not exist (run npm run build first)`,
      );
    }
    for (const entry of entries) {
      if (entry.isFile() && /\.(c|m)?js$/.test(entry.name)) files.push(path.join(dir, entry.name));
    }
  }
  return files;
}

/** Copies each bundle to `scanDir` as ES2020 `.js` with a source map chained to the sources. */
async function transpile(files, scanDir) {
  const copies = [];
  for (const [index, file] of files.entries()) {
    const outfile = path.join(scanDir, `${index}-${path.basename(file).replace(/\.(c|m)?js$/, '')}.js`);
    await build({
      entryPoints: [file],
      outfile,
      bundle: false,
      format: 'cjs',
      platform: 'node',
      target: 'es2020',
      sourcemap: 'external',
      logLevel: 'error',
      legalComments: 'none',
    });
    copies.push({ shipped: file, copy: outfile });
  }
  return copies;
}

/** Writes the CSPs the station serves, built by main/core/renderer-csp.ts, as meta tags. */
async function writeServedCsps(scanDir) {
  const moduleFile = path.join(scanDir, 'renderer-csp.mjs');
  await build({
    entryPoints: [path.join(root, 'main', 'core', 'renderer-csp.ts')],
    outfile: moduleFile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    logLevel: 'error',
  });
  const { buildRendererCsp } = await import(pathToFileURL(moduleFile).href);
  await rm(moduleFile);
  const served = [
    buildRendererCsp(),
    buildRendererCsp({ frameOrigin: 'https://api-00000000.duosecurity.com' }),
  ];
  const escape = (value) => value.replaceAll('&', '&amp;').replaceAll('"', '&quot;');
  const metas = served.map((csp) => `<meta http-equiv="Content-Security-Policy" content="${escape(csp)}">`);
  await writeFile(
    path.join(scanDir, 'served-csp.html'),
    `<!doctype html>\n<html><head>\n${metas.join('\n')}\n</head></html>\n`,
  );
}

/** Runs Electronegativity on `dir` without any network access. */
async function electronegativity(dir) {
  const runnerPath = require.resolve('@doyensec/electronegativity/dist/runner.js');
  const gotPath = require.resolve('got', { paths: [path.dirname(runnerPath)] });
  require.cache[gotPath] = {
    id: gotPath,
    filename: gotPath,
    loaded: true,
    exports: () => Promise.reject(new Error('security-scan: offline')),
  };
  const run = require(runnerPath);
  const electronVersion = require('electron/package.json').version;
  // The scanner reports progress with console.log; keep this script's output to its summary.
  const log = console.log;
  console.log = () => undefined;
  try {
    return await run({
      input: dir,
      isRelative: false,
      customScan: [],
      excludeFromScan: EXCLUDED_CHECKS,
      electronVersionOverride: electronVersion,
      parserPlugins: [],
    });
  } finally {
    console.log = log;
  }
}

/** The source line a finding in a scanned copy comes from, with the line above it. */
async function sourceOf(copy, line, column, maps) {
  if (!maps.has(copy)) {
    const payload = JSON.parse(await readFile(`${copy}.map`, 'utf8'));
    maps.set(copy, new SourceMap(payload));
  }
  const map = maps.get(copy);
  const entry = map.findEntry(line - 1, column);
  if (!entry || entry.originalSource === undefined) return undefined;
  const index = map.payload.sources.indexOf(entry.originalSource);
  const content = map.payload.sourcesContent?.[index];
  const lines = content ? content.split('\n') : [];
  const file = path.relative(root, path.resolve(path.dirname(copy), entry.originalSource));
  return {
    file,
    line: entry.originalLine + 1,
    text: lines[entry.originalLine] ?? '',
    above: lines[entry.originalLine - 1] ?? '',
  };
}

/** The reason a finding is suppressed inline, or undefined. */
function inlineSuppression(id, source) {
  for (const text of [source.text, source.above]) {
    const match = SUPPRESSION.exec(text);
    if (match && match[1].split(/\s+/).includes(id)) return match[2].trim();
  }
  return undefined;
}

async function main() {
  const started = Date.now();
  const inputs = parseArgs(process.argv.slice(2));
  const files = await listBundles(inputs);
  if (files.length === 0) throw new Error('security-scan: no bundle to scan');
  let lines = 0;
  for (const file of files) lines += (await readFile(file, 'utf8')).split('\n').length;

  const scanDir = await mkdtemp(path.join(tmpdir(), 'walkup-scan-'));
  try {
    const copies = await transpile(files, scanDir);
    await writeServedCsps(scanDir);
    const result = await electronegativity(scanDir);
    const byCopy = new Map(copies.map((entry) => [entry.copy, entry]));
    const maps = new Map();
    const failures = [];
    const suppressed = [];
    const informational = [];

    const parseErrors = result.errors.filter((error) => !error.tolerable);
    for (const error of parseErrors) failures.push(`parse error in ${error.file}: ${error.message}`);

    for (const issue of result.issues) {
      const severity = issue.severity.name;
      if (!FAILING.has(severity)) {
        const where = byCopy.get(issue.file)?.shipped ?? issue.file;
        informational.push(`${severity} ${issue.id} (${path.basename(where)}): ${issue.description}`);
        continue;
      }
      const copy = byCopy.get(issue.file);
      if (!copy) {
        const reason = GLOBAL_SUPPRESSIONS[issue.id];
        if (reason) suppressed.push(`${issue.id} (global): ${reason}`);
        else failures.push(`${severity} ${issue.id} (global): ${issue.description}`);
        continue;
      }
      const source = await sourceOf(issue.file, issue.location.line, issue.location.column, maps);
      const where = source
        ? `${source.file}:${source.line}`
        : `${path.relative(root, copy.shipped)} (no source map entry)`;
      const reason = source ? inlineSuppression(issue.id, source) : undefined;
      if (reason) suppressed.push(`${issue.id} at ${where}: ${reason}`);
      else failures.push(`${severity} ${issue.id} at ${where}: ${issue.description}`);
    }

    const shipped = files.map((file) => path.relative(root, file)).join(', ');
    console.log(`security-scan: read ${files.length} files, ${lines} lines (${shipped})`);
    console.log(
      `security-scan: Electronegativity ${result.atomicChecks} atomic + ${result.globalChecks} global checks; ` +
        `${failures.length} failing, ${suppressed.length} suppressed with a reason, ${informational.length} low/informational`,
    );
    for (const line of informational) console.log(`  note: ${line}`);
    for (const line of suppressed) console.log(`  suppressed: ${line}`);
    for (const line of failures) console.log(`  FAIL: ${line}`);
    console.log(
      `security-scan: ${failures.length === 0 ? 'ok' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)}s`,
    );
    return failures.length === 0 ? 0 : 1;
  } finally {
    await rm(scanDir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  },
);
