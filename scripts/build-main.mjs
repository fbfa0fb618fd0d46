#!/usr/bin/env node
// Bundles the Node side with esbuild:
//   main/index.ts         -> out/main/index.cjs    (Electron main, CommonJS)
//   main/preload/index.ts -> out/preload/index.cjs (sandboxed preload: one file, CommonJS)
//   main/cli.ts           -> out/cli/cli.mjs       (command line, ESM with a node shebang)
//   renderer/duo/kiosk-v2-host.ts -> out/main/duo-v2-host.js (the kiosk's v2 host page script:
//                            browser IIFE, served only in a visit's Duo v2 partition; browser
//                            code, so it is type-checked with the renderer, DOM types and all)
// `electron` stays external (the runtime provides it); everything else is bundled, so the
// packaged app needs no node_modules at run time.
import { chmodSync, existsSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { buildInfoDefines } from './build-info.mjs';
import { settingsStoreWithoutUnusedParts } from './esbuild-settings-store.mjs';

const root = path.resolve(import.meta.dirname, '..');
const at = (file) => path.join(root, file);

const common = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  sourcemap: 'linked',
  logLevel: 'warning',
  legalComments: 'none',
  absWorkingDir: root,
  // Version, commit and build date for `walkup --version` and the admin screen (main/build-info.ts).
  define: buildInfoDefines({ root }),
};

const entries = [
  {
    name: 'main',
    entry: 'main/index.ts',
    options: {
      format: 'cjs',
      outfile: at('out/main/index.cjs'),
      external: ['electron'],
      // electron-store without the JSON-schema validator and migrations Walkup never uses.
      plugins: [settingsStoreWithoutUnusedParts()],
    },
  },
  {
    name: 'preload',
    entry: 'main/preload/index.ts',
    // Sandboxed preloads can require only `electron` (and a few Node shims): bundle the rest.
    options: { format: 'cjs', outfile: at('out/preload/index.cjs'), external: ['electron'] },
  },
  {
    name: 'duo-v2-host',
    entry: 'renderer/duo/kiosk-v2-host.ts',
    options: {
      format: 'iife',
      platform: 'browser',
      target: 'chrome120',
      outfile: at('out/main/duo-v2-host.js'),
    },
  },
  {
    name: 'cli',
    entry: 'main/cli.ts',
    options: {
      format: 'esm',
      outfile: at('out/cli/cli.mjs'),
      external: ['electron'],
      banner: {
        // A node shebang, plus `require` for bundled CommonJS dependencies inside an ES module.
        js: "#!/usr/bin/env node\nimport { createRequire as __walkupCreateRequire } from 'node:module';\nconst require = __walkupCreateRequire(import.meta.url);",
      },
    },
  },
];

let failed = false;
for (const { name, entry, options } of entries) {
  if (!existsSync(at(entry))) {
    console.log(`build-main: skipped ${name}: ${entry} does not exist yet`);
    continue;
  }
  try {
    await build({ ...common, entryPoints: [at(entry)], ...options });
    // The CLI is run directly (`./out/cli/cli.mjs`, the package's bin): make it executable.
    if (name === 'cli') chmodSync(options.outfile, 0o755);
    console.log(`build-main: ${entry} -> ${path.relative(root, options.outfile)}`);
  } catch {
    // esbuild has already printed the errors.
    failed = true;
  }
}
process.exit(failed ? 1 : 0);
