import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../../..');
const configFile = path.join(root, 'electron-builder.yml');
/** electron-builder's own JSON schema for its configuration (draft-07). */
const schemaFile = path.join(root, 'node_modules/app-builder-lib/scheme.json');

/** The parts of the configuration these tests read (the schema test covers the whole). */
interface PlatformConfig {
  target: { target: string }[];
  hardenedRuntime?: boolean;
  entitlements?: string;
}
interface BuilderConfig {
  electronFuses: Record<string, boolean>;
  nsis: Record<string, unknown>;
  win: PlatformConfig;
  mac: PlatformConfig;
  linux: PlatformConfig;
  files: string[];
  asar: boolean;
  directories: Record<string, string>;
}

// electron-builder parses its YAML with js-yaml too, so this is the object it will see.
const config = load(readFileSync(configFile, 'utf8'), { filename: configFile }) as BuilderConfig;
const ajv = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true });
const validate = ajv.compile(JSON.parse(readFileSync(schemaFile, 'utf8')) as object);

function targets(platform: PlatformConfig): string[] {
  return platform.target.map((entry) => entry.target);
}

describe('electron-builder.yml', () => {
  it("is valid against electron-builder's own schema", () => {
    const valid = validate(config);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('would catch a misspelt key (the schema check is real)', () => {
    const broken = { ...config, nsis: { ...config.nsis, perMachin: true } };
    expect(validate(broken)).toBe(false);
  });

  it('flips the fuses a kiosk needs', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
      loadBrowserProcessSpecificV8Snapshot: false,
    });
  });

  it('installs per machine with an assisted installer whose directory cannot be changed', () => {
    expect(config.nsis).toMatchObject({
      oneClick: false,
      perMachine: true,
      allowToChangeInstallationDirectory: false,
    });
    expect(targets(config.win)).toEqual(['nsis']);
  });

  it('packs the bundled app into an asar without node_modules or source maps', () => {
    expect(config.asar).toBe(true);
    expect(config.files).toEqual(
      expect.arrayContaining(['out/**', 'package.json', '!node_modules/**', '!out/**/*.map']),
    );
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { main: string };
    expect(pkg.main).toBe('out/main/index.cjs');
  });

  it('builds dmg, zip and pkg for macOS with the hardened runtime and shipped entitlements', () => {
    expect(targets(config.mac)).toEqual(['dmg', 'zip', 'pkg']);
    expect(config.mac.hardenedRuntime).toBe(true);
    const entitlements = path.join(root, config.mac.entitlements ?? '');
    expect(existsSync(entitlements)).toBe(true);
    expect(readFileSync(entitlements, 'utf8')).toContain('com.apple.security.cs.allow-jit');
  });

  it('builds AppImage and deb for Linux', () => {
    expect(targets(config.linux)).toEqual(['AppImage', 'deb']);
  });

  it('writes installers to release/ and takes build resources (the icon) from assets/', () => {
    expect(config.directories).toEqual({ output: 'release', buildResources: 'assets' });
    expect(existsSync(path.join(root, 'assets', 'icon.png'))).toBe(true);
  });
});
