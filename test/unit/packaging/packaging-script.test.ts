/**
 * scripts/packaging.mjs, the release workflow's checks of what it packaged: fuses read from the
 * binary by @electron/fuses, asar contents listed by @electron/asar, SHA-256 sums in
 * `sha256sum -c` format, and the inspector-on test build configuration. Real archives and a
 * binary carrying Electron's fuse sentinel stand in for a packaged app (no Electron here).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createPackage } from '@electron/asar';
import { flipFuses, FuseV1Options, FuseVersion } from '@electron/fuses';
import Ajv from 'ajv';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module script without type declarations (scripts/ is not typed)
import * as packagingScript from '../../../scripts/packaging.mjs';

interface Packaging {
  readBuilderConfig(): {
    electronFuses: Record<string, boolean>;
    directories: Record<string, string>;
    extraMetadata?: object;
  };
  testBuildConfig(): {
    electronFuses: Record<string, boolean>;
    directories: Record<string, string>;
    mac: object;
    extraMetadata: object;
  };
  compareFuses(wire: object, expected: Record<string, boolean>): string[];
  checkAsarEntries(entries: string[]): string[];
  checksumLines(dir: string): Promise<string[]>;
  findPackagedApp(dir: string): { executable: string; asar: string } | undefined;
  main(args: string[], print?: (line: string) => void, printError?: (line: string) => void): Promise<number>;
}
const packaging = packagingScript as unknown as Packaging;

const root = path.resolve(import.meta.dirname, '../../..');
const temp = mkdtempSync(path.join(tmpdir(), 'walkup-packaging-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

/** The sentinel @electron/fuses looks for (Electron's fuse wire marker), then version 1, 8 fuses. */
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';

/** A file shaped like an Electron binary as far as fuses go: every fuse on, as Electron ships. */
function fakeElectronBinary(name: string): string {
  const file = path.join(temp, name);
  const wire = Buffer.concat([Buffer.from(SENTINEL), Buffer.from([1, 8]), Buffer.from('11111111')]);
  writeFileSync(file, Buffer.concat([Buffer.alloc(64, 7), wire, Buffer.alloc(64, 9)]));
  return file;
}

/** Flips the fuses as electron-builder does from electron-builder.yml's `electronFuses`. */
async function flipAsConfigured(file: string, fuses: Record<string, boolean>): Promise<void> {
  const byIndex: Record<number, boolean> = {};
  for (const [name, index] of Object.entries(FuseV1Options)) {
    if (typeof index !== 'number') continue;
    const key = name.charAt(0).toLowerCase() + name.slice(1);
    if (key in fuses) byIndex[index] = fuses[key] as boolean;
  }
  await flipFuses(file, { version: FuseVersion.V1, ...byIndex });
}

function captured(): { print: (line: string) => void; printError: (line: string) => void; lines: string[] } {
  const lines: string[] = [];
  return { print: (line) => lines.push(line), printError: (line) => lines.push(line), lines };
}

async function asarOf(name: string, files: Record<string, string>): Promise<string> {
  const dir = path.join(temp, `${name}-src`);
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), content);
  }
  const archive = path.join(temp, `${name}.asar`);
  await createPackage(dir, archive);
  return archive;
}

const bundledApp = {
  'package.json': '{"name":"walkup","main":"out/main/index.cjs"}',
  'out/main/index.cjs': '"use strict";',
  'out/preload/index.cjs': '"use strict";',
  'out/renderer/index.html': '<!doctype html>',
  'out/renderer/assets/index-abc123.js': 'export {};',
  'out/cli/cli.mjs': '#!/usr/bin/env node',
};

describe('packaged fuses (release workflow: verify)', () => {
  const configured = packaging.readBuilderConfig().electronFuses;

  it('accepts a binary whose fuses were flipped as electron-builder.yml says', async () => {
    const binary = fakeElectronBinary('production');
    await flipAsConfigured(binary, configured);
    expect(
      packaging.compareFuses(
        await import('@electron/fuses').then((m) => m.getCurrentFuseWire(binary)),
        configured,
      ),
    ).toEqual([]);
  });

  it('names each fuse that differs: a stock Electron binary has RunAsNode and the inspector on', async () => {
    const { getCurrentFuseWire } = await import('@electron/fuses');
    const problems = packaging.compareFuses(
      await getCurrentFuseWire(fakeElectronBinary('stock')),
      configured,
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        'fuse runAsNode is on, expected off',
        'fuse enableNodeCliInspectArguments is on, expected off',
        'fuse enableNodeOptionsEnvironmentVariable is on, expected off',
      ]),
    );
  });

  it('verify passes the test build only when told the inspector fuse is on', async () => {
    const binary = fakeElectronBinary('test-build');
    await flipAsConfigured(binary, packaging.testBuildConfig().electronFuses);
    const archive = await asarOf('test-build', bundledApp);
    const asExpected = captured();
    expect(
      await packaging.main(
        ['verify', '--app', binary, '--asar', archive, '--inspect-fuse', 'on'],
        asExpected.print,
        asExpected.printError,
      ),
    ).toBe(0);
    const asProduction = captured();
    expect(
      await packaging.main(
        ['verify', '--app', binary, '--asar', archive],
        asProduction.print,
        asProduction.printError,
      ),
    ).toBe(1);
    expect(asProduction.lines).toContain('packaging: fuse enableNodeCliInspectArguments is on, expected off');
  });

  it('refuses a file without the fuse sentinel', async () => {
    const notElectron = path.join(temp, 'not-electron');
    writeFileSync(notElectron, 'just text');
    const archive = await asarOf('for-sentinel', bundledApp);
    await expect(
      packaging.main(
        ['verify', '--app', notElectron, '--asar', archive],
        () => undefined,
        () => undefined,
      ),
    ).rejects.toThrow(/Could not find sentinel/);
  });
});

describe('asar contents (release workflow: verify)', () => {
  it('accepts exactly the bundled app', async () => {
    const { listPackage } = await import('@electron/asar');
    const archive = await asarOf('clean', bundledApp);
    expect(packaging.checkAsarEntries(listPackage(archive, { isPack: false }))).toEqual([]);
  });

  it('names every source file, test, source map and node_modules entry', async () => {
    const { listPackage } = await import('@electron/asar');
    const archive = await asarOf('dirty', {
      ...bundledApp,
      'out/main/index.cjs.map': '{}',
      'out/main/station.ts': '',
      'out/renderer/app.test.js': '',
      'out/main/node_modules/ldapts/index.js': '',
      'main/index.ts': '',
      'test/unit/x.test.ts': '',
      'node_modules/zod/index.js': '',
    });
    const problems = packaging.checkAsarEntries(listPackage(archive, { isPack: false }));
    expect(problems).toEqual(
      expect.arrayContaining([
        '/out/main/index.cjs.map: source map',
        '/out/main/station.ts: TypeScript source',
        '/out/renderer/app.test.js: test',
        '/out/main/node_modules: node_modules',
        '/main: outside the bundled app (out/main, out/preload, out/renderer, out/cli)',
        '/main/index.ts: outside the bundled app (out/main, out/preload, out/renderer, out/cli)',
        '/test/unit/x.test.ts: outside the bundled app (out/main, out/preload, out/renderer, out/cli)',
        '/node_modules/zod/index.js: outside the bundled app (out/main, out/preload, out/renderer, out/cli)',
      ]),
    );
  });
});

describe('SHA-256 sums of the installers', () => {
  it('lists every installer and nothing else, in a form sha256sum -c accepts', async () => {
    const dir = path.join(temp, 'release');
    mkdirSync(path.join(dir, 'linux-unpacked'), { recursive: true });
    writeFileSync(path.join(dir, 'Walkup-0.1.0.AppImage'), 'appimage bytes');
    writeFileSync(path.join(dir, 'walkup_0.1.0_amd64.deb'), 'deb bytes');
    writeFileSync(path.join(dir, 'Walkup Setup 0.1.0.exe'), 'nsis bytes');
    writeFileSync(path.join(dir, 'latest-linux.yml'), 'not an installer');
    writeFileSync(path.join(dir, 'Walkup-0.1.0.AppImage.blockmap'), 'not an installer');
    const out = path.join(dir, 'SHA256SUMS-linux.txt');
    const run = captured();
    expect(await packaging.main(['checksums', dir, out], run.print, run.printError)).toBe(0);
    const listed = readFileSync(out, 'utf8').trim().split('\n');
    expect(listed.map((line) => line.slice(66))).toEqual([
      'Walkup Setup 0.1.0.exe',
      'Walkup-0.1.0.AppImage',
      'walkup_0.1.0_amd64.deb',
    ]);
    for (const line of listed) {
      const name = line.slice(66);
      const expected = createHash('sha256')
        .update(readFileSync(path.join(dir, name)))
        .digest('hex');
      expect(line).toBe(`${expected}  ${name}`);
    }
    // coreutils' own check, where it exists (every Linux; the macOS and Windows runners may lack it).
    if (process.platform === 'linux') {
      const check = spawnSync('sha256sum', ['--check', '--strict', out], { cwd: dir, encoding: 'utf8' });
      expect(check.stdout).toContain('Walkup-0.1.0.AppImage: OK');
      expect(check.status).toBe(0);
    }
  });

  it('fails when there is no installer to sum', async () => {
    const empty = mkdtempSync(path.join(temp, 'empty-'));
    const run = captured();
    expect(
      await packaging.main(['checksums', empty, path.join(empty, 'sums.txt')], run.print, run.printError),
    ).toBe(1);
    expect(run.lines[0]).toMatch(/^packaging: no installers in /);
  });
});

describe('the test build and finding the packaged app', () => {
  it("differs from the production configuration only in the inspector fuse, a test-build mark, output folder and notarisation, and is valid for electron-builder's schema", () => {
    const production = packaging.readBuilderConfig();
    const test = packaging.testBuildConfig();
    expect(test.electronFuses).toEqual({ ...production.electronFuses, enableNodeCliInspectArguments: true });
    expect(test.directories.output).toBe('release-e2e');
    expect(test.extraMetadata).toEqual({ walkupTestBuild: true });
    expect(production).not.toHaveProperty('extraMetadata');
    expect(test.mac).toMatchObject({ notarize: false, hardenedRuntime: true });
    const schema = JSON.parse(
      readFileSync(path.join(root, 'node_modules/app-builder-lib/scheme.json'), 'utf8'),
    ) as object;
    const validate = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true }).compile(schema);
    expect(validate(test)).toBe(true);
  });

  it('finds the executable and app.asar of each platform layout', () => {
    const layouts: [string, string, string][] = [
      ['win', 'win-unpacked/Walkup.exe', 'win-unpacked/resources/app.asar'],
      ['linux', 'linux-unpacked/walkup', 'linux-unpacked/resources/app.asar'],
      [
        'mac',
        'mac-universal/Walkup.app/Contents/MacOS/Walkup',
        'mac-universal/Walkup.app/Contents/Resources/app.asar',
      ],
    ];
    for (const [name, executable, archive] of layouts) {
      const dir = path.join(temp, `layout-${name}`);
      for (const file of [executable, archive]) {
        mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
        writeFileSync(path.join(dir, file), '');
      }
      expect(packaging.findPackagedApp(dir)).toEqual({
        executable: path.join(dir, executable),
        asar: path.join(dir, archive),
      });
    }
    expect(packaging.findPackagedApp(path.join(temp, 'no-such-dir'))).toBeUndefined();
  });
});
