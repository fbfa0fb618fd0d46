// @ts-check
/**
 * An esbuild plugin that keeps out of the main bundle the parts of electron-store's `conf` that
 * Walkup never runs: JSON-schema validation (`ajv`, `ajv-formats`, with `fast-uri` and
 * `json-schema-traverse`) and store migrations (`semver`). `conf` loads them only when a store is
 * given a `schema`, `rootSchema`, `ajvOptions` or `migrations` option, and
 * main/electron/settings-store.ts passes none: Walkup checks settings itself with the one
 * configuration schema (zod, settings-policy.ts). About 380 KB of the unminified main bundle.
 *
 * Each replaced module throws, naming this file, the moment any of it is used, so a future
 * store with a schema or migrations fails loudly at its first construction instead of silently
 * skipping validation. Only imports made by `conf` are replaced; anything else that imports
 * these packages gets the real ones. test/unit/electron/settings-store-bundle.test.ts builds
 * settings-store.ts with this plugin and checks that it still reads and writes, and that no ajv
 * is left in the output.
 */
import path from 'node:path';

const NAMESPACE = 'walkup-conf-unused';

const refusal = (what) =>
  `throw new Error(${JSON.stringify(
    `${what} is not bundled into Walkup (scripts/esbuild-settings-store.mjs): electron-store is used without a schema or migrations`,
  )});`;

/** Replacement source for each module `conf` imports and Walkup never runs. */
const stubs = {
  // `import { Ajv2020 as Ajv } from 'ajv/dist/2020.js'`: constructed only for a schema.
  ajv: `export class Ajv2020 { constructor() { ${refusal('JSON schema validation (ajv)')} } }
export default Ajv2020;`,
  // `import ajvFormatsModule from 'ajv-formats'`, then `ajvFormatsModule.default(ajv)`.
  'ajv-formats': `function formats() { ${refusal('JSON schema formats (ajv-formats)')} }
formats.default = formats;
export default formats;`,
  // `import semver from 'semver'`: used only by the `migrations` option.
  semver: `const refuse = () => { ${refusal('store migrations (semver)')} };
class Range { constructor() { refuse(); } }
export default { valid: refuse, gt: refuse, lte: refuse, satisfies: refuse, minVersion: refuse, compare: refuse, Range };`,
};

/** `ajv/dist/2020.js` -> `ajv`; `ajv-formats` -> `ajv-formats`. */
const packageOf = (specifier) => specifier.split('/')[0] ?? specifier;

/** @returns {import('esbuild').Plugin} */
export function settingsStoreWithoutUnusedParts() {
  return {
    name: 'walkup-settings-store-without-unused-parts',
    setup(build) {
      build.onResolve({ filter: /^(ajv|ajv-formats|semver)(\/.*)?$/ }, (args) => {
        const fromConf = args.importer.split(path.sep).join('/').includes('/node_modules/conf/');
        if (!fromConf) return undefined;
        return { path: packageOf(args.path), namespace: NAMESPACE };
      });
      build.onLoad({ filter: /.*/, namespace: NAMESPACE }, (args) => ({
        contents: stubs[/** @type {keyof typeof stubs} */ (args.path)],
        loader: 'js',
      }));
    },
  };
}
