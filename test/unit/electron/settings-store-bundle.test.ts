/**
 * electron-store as it is bundled into the kiosk (scripts/esbuild-settings-store.mjs): without
 * conf's JSON-schema validator (ajv) and migrations (semver), `main/electron/settings-store.ts`
 * still writes and reads its settings, and the bundle holds no ajv. Built in memory with the same
 * plugin as scripts/build-main.mjs; `electron` is a small stand-in module with the two `app`
 * calls electron-store makes, so the bundle runs here as it would in the kiosk's main process.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settingsStoreWithoutUnusedParts } from '../../../scripts/esbuild-settings-store.mjs';
import type { Logger, SettingsStore } from '../../../main/core/ports';

const root = path.resolve(import.meta.dirname, '../../..');

/** `electron` as electron-store sees it in the main process: `app.getPath`, `app.getVersion`, `ipcMain.on`. */
function electronStandIn(userData: string): Plugin {
  return {
    name: 'electron-stand-in',
    setup(setup) {
      setup.onResolve({ filter: /^electron$/ }, () => ({ path: 'electron', namespace: 'stand-in' }));
      setup.onLoad({ filter: /.*/, namespace: 'stand-in' }, () => ({
        contents: `export default {
          app: { getPath: () => ${JSON.stringify(userData)}, getVersion: () => '0.1.0' },
          ipcMain: { on() {} },
        };`,
        loader: 'js',
      }));
    },
  };
}

async function bundleSettingsStore(options: { stubbed: boolean; userData: string }) {
  const result = await build({
    entryPoints: [path.join(root, 'main/electron/settings-store.ts')],
    absWorkingDir: root,
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    logLevel: 'silent',
    plugins: [
      electronStandIn(options.userData),
      ...(options.stubbed ? [settingsStoreWithoutUnusedParts()] : []),
    ],
  });
  const output = Object.values(result.metafile.outputs)[0];
  const inputs = Object.entries(output?.inputs ?? {})
    .filter(([, input]) => input.bytesInOutput > 0)
    .map(([file]) => file);
  return { text: result.outputFiles[0]?.text ?? '', bytes: output?.bytes ?? 0, inputs };
}

const silent: Logger = { info() {}, warn() {}, error() {} };

describe('electron-store as bundled for the kiosk', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'walkup-settings-bundle-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('holds no ajv, ajv-formats or semver, and is much smaller without them', async () => {
    const userData = path.join(dir, 'sizes');
    const full = await bundleSettingsStore({ stubbed: false, userData });
    const stubbed = await bundleSettingsStore({ stubbed: true, userData });
    // The unstubbed build proves the check would see them.
    expect(full.inputs.some((file) => file.includes('node_modules/ajv/'))).toBe(true);
    expect(full.text).toMatch(/strictSchema/);
    const packages = stubbed.inputs.filter((file) =>
      /node_modules\/(ajv|ajv-formats|semver|fast-uri)\//.test(file),
    );
    expect(packages).toEqual([]);
    expect(stubbed.text).not.toMatch(/strictSchema|ajv-validator|SemVer/);
    expect(full.bytes - stubbed.bytes).toBeGreaterThan(300_000);
  });

  it('still writes and reads the settings through settings-store.ts, without a schema', async () => {
    const userData = path.join(dir, 'user-data');
    const { text } = await bundleSettingsStore({ stubbed: true, userData });
    const file = path.join(dir, 'settings-store.bundle.mjs');
    await writeFile(file, text);
    const { createElectronSettingsStore } = (await import(pathToFileURL(file).href)) as {
      createElectronSettingsStore(logger: Logger, options?: { cwd?: string }): SettingsStore;
    };

    // The signed envelope the admin service writes (core/admin/signed-settings.ts).
    const settings = {
      version: 1,
      settings: { station: { name: 'Desk 4' }, directory: { bindPassword: { env: 'LDAP_PW' } } },
      tag: 'ab'.repeat(32),
    };
    await createElectronSettingsStore(silent).write(settings);
    expect(JSON.parse(await readFile(path.join(userData, 'settings.json'), 'utf8'))).toEqual(settings);
    expect(await createElectronSettingsStore(silent).read()).toEqual(settings);
    // The settings policy still refuses what it refused before.
    await expect(
      createElectronSettingsStore(silent).write({ ...settings, settings: { plugins: {} } }),
    ).rejects.toThrow('settings refused: unknown-section at settings.plugins');
  });

  it('fails loudly, naming the plugin, if a store is ever given a JSON schema', async () => {
    const { text } = await build({
      stdin: {
        contents: `import Conf from 'conf'; export const make = (cwd) => new Conf({ cwd, projectName: 'x', schema: { a: { type: 'string' } } });`,
        resolveDir: root,
        loader: 'js',
      },
      absWorkingDir: root,
      bundle: true,
      write: false,
      platform: 'node',
      target: 'node22',
      format: 'esm',
      logLevel: 'silent',
      plugins: [settingsStoreWithoutUnusedParts()],
    }).then((result) => ({ text: result.outputFiles[0]?.text ?? '' }));
    const file = path.join(dir, 'conf-with-schema.bundle.mjs');
    await writeFile(file, text);
    const { make } = (await import(pathToFileURL(file).href)) as { make(cwd: string): unknown };
    expect(() => make(path.join(dir, 'schema'))).toThrow(/esbuild-settings-store\.mjs/);
  });
});
