#!/usr/bin/env node
// Packaging steps of the release workflow (.github/workflows), in Node so they behave the same on
// Windows, macOS and Linux runners:
//
//   node scripts/packaging.mjs test-config <out.json>
//       electron-builder.yml with the Node inspector fuse on and output in release-e2e/: the test
//       build Playwright's _electron can drive (it starts Electron with --inspect).
//   node scripts/packaging.mjs find-app <dir> executable|asar
//       prints the packaged app's executable (or its app.asar) under an electron-builder output dir.
//   node scripts/packaging.mjs verify --app <executable> --asar <app.asar> [--inspect-fuse on|off]
//       the fuses in the binary are exactly electron-builder.yml's (read with @electron/fuses), and
//       the asar holds only the bundled app: out/main, out/preload, out/renderer, out/cli and
//       package.json; no source, test, source map or node_modules.
//   node scripts/packaging.mjs checksums <dir> <out-file>
//       SHA-256 of every installer in <dir>, in `sha256sum -c` format.
//
// Reading fuses and asar archives is done by Electron's own packages (@electron/fuses,
// @electron/asar); this file only compares what they read with what the project promises.
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import asar from '@electron/asar';
import fuses from '@electron/fuses';
// The state bytes ('0', '1', 'r') are not re-exported by the package's index.
import fuseConstants from '@electron/fuses/dist/constants.js';
import { load } from 'js-yaml';

const root = path.resolve(import.meta.dirname, '..');

/** electron-builder.yml as electron-builder itself parses it (js-yaml). */
export function readBuilderConfig(file = path.join(root, 'electron-builder.yml')) {
  return load(readFileSync(file, 'utf8'), { filename: file });
}

/**
 * The test build's configuration: the production one with `enableNodeCliInspectArguments` on (so
 * Playwright can attach), written to release-e2e/ and never notarised, and marked in its packed
 * package.json (`walkupTestBuild: true`, inside the integrity-checked asar) so the packaged shell
 * can tell a test build from a station. Everything else, other fuses included, stays as shipped.
 */
export function testBuildConfig(config = readBuilderConfig()) {
  return {
    ...config,
    extraMetadata: { ...config.extraMetadata, walkupTestBuild: true },
    directories: { ...config.directories, output: 'release-e2e' },
    electronFuses: { ...config.electronFuses, enableNodeCliInspectArguments: true },
    mac: { ...config.mac, notarize: false },
  };
}

/** electron-builder's fuse names (camelCase) by their index in the V1 fuse wire. */
function fuseNamesByIndex() {
  const names = new Map();
  for (const [name, index] of Object.entries(fuses.FuseV1Options)) {
    if (typeof index === 'number') names.set(index, name.charAt(0).toLowerCase() + name.slice(1));
  }
  return names;
}

/**
 * Compares the fuse wire read from a packaged binary with the expected fuses. `wire` is what
 * `getCurrentFuseWire` returns: index -> state byte ('0' off, '1' on, 'r' removed).
 * @returns {string[]} one line per problem
 */
export function compareFuses(wire, expected) {
  const problems = [];
  if (wire.version !== '1') return [`fuse wire version ${wire.version}: this check knows version 1`];
  const names = fuseNamesByIndex();
  const seen = new Set();
  for (const [key, state] of Object.entries(wire)) {
    if (key === 'version') continue;
    const name = names.get(Number(key));
    if (name === undefined) continue; // a fuse newer than @electron/fuses knows: not configured here
    seen.add(name);
    if (!(name in expected)) continue;
    const want = expected[name] ? fuseConstants.FuseState.ENABLE : fuseConstants.FuseState.DISABLE;
    if (state !== want) {
      const got =
        state === fuseConstants.FuseState.ENABLE
          ? 'on'
          : state === fuseConstants.FuseState.DISABLE
            ? 'off'
            : `state ${state}`;
      problems.push(`fuse ${name} is ${got}, expected ${expected[name] ? 'on' : 'off'}`);
    }
  }
  for (const name of Object.keys(expected)) {
    if (name !== 'resetAdHocDarwinSignature' && !seen.has(name))
      problems.push(`fuse ${name} is not in the binary`);
  }
  return problems;
}

/** Folders of the bundled app that may ship (scripts/build-main.mjs and the renderer build). */
const shippedFolders = ['/out/main/', '/out/preload/', '/out/renderer/', '/out/cli/'];

/**
 * Checks the asar's file list (as `asar list` prints it: `/out/main/index.cjs`, folders too).
 * @returns {string[]} one line per entry that must not ship
 */
export function checkAsarEntries(entries) {
  const problems = [];
  for (const raw of entries) {
    const entry = raw.replaceAll('\\', '/');
    if (entry === '/package.json' || entry === '/out') continue;
    if (shippedFolders.some((folder) => entry === folder.slice(0, -1))) continue;
    const inShippedFolder = shippedFolders.some((folder) => entry.startsWith(folder));
    if (!inShippedFolder)
      problems.push(`${entry}: outside the bundled app (out/main, out/preload, out/renderer, out/cli)`);
    else if (/\.map$/i.test(entry)) problems.push(`${entry}: source map`);
    else if (/\.(ts|tsx|mts|cts)$/i.test(entry)) problems.push(`${entry}: TypeScript source`);
    else if (/(^|\/)node_modules(\/|$)/.test(entry)) problems.push(`${entry}: node_modules`);
    else if (/\.(test|spec)\.[cm]?[jt]sx?$/i.test(entry)) problems.push(`${entry}: test`);
  }
  return problems;
}

/** Installer files electron-builder writes (top level of the output dir). */
const installerPattern = /\.(exe|msi|dmg|zip|pkg|AppImage|deb|rpm|snap)$/;

/** `sha256sum` lines for the installers in `dir`, sorted by name. */
export async function checksumLines(dir) {
  const names = readdirSync(dir)
    .filter((name) => installerPattern.test(name) && statSync(path.join(dir, name)).isFile())
    .sort();
  const lines = [];
  for (const name of names) {
    const hash = createHash('sha256');
    for await (const chunk of createReadStream(path.join(dir, name))) hash.update(chunk);
    lines.push(`${hash.digest('hex')}  ${name}`);
  }
  return lines;
}

/** The packaged app under an electron-builder output dir: `{ executable, asar }`, or undefined. */
export function findPackagedApp(dir, productName = 'Walkup', executableName = 'walkup') {
  if (!existsSync(dir)) return undefined;
  for (const entry of readdirSync(dir).sort()) {
    const folder = path.join(dir, entry);
    if (!statSync(folder).isDirectory()) continue;
    const app = path.join(folder, `${productName}.app`);
    if (existsSync(app)) {
      return {
        executable: path.join(app, 'Contents', 'MacOS', productName),
        asar: path.join(app, 'Contents', 'Resources', 'app.asar'),
      };
    }
    if (!entry.endsWith('-unpacked')) continue;
    for (const name of [`${productName}.exe`, executableName, productName]) {
      const executable = path.join(folder, name);
      if (existsSync(executable)) return { executable, asar: path.join(folder, 'resources', 'app.asar') };
    }
  }
  return undefined;
}

function option(args, name) {
  const index = args.indexOf(name);
  return index === -1 ? undefined : args[index + 1];
}

/** Runs one subcommand; resolves with the exit code. */
export async function main(args, print = console.log, printError = console.error) {
  const [command, ...rest] = args;
  if (command === 'test-config' && rest[0]) {
    writeFileSync(rest[0], `${JSON.stringify(testBuildConfig(), null, 2)}\n`);
    print(`packaging: test build configuration (inspector fuse on) -> ${rest[0]}`);
    return 0;
  }
  if (command === 'find-app' && rest[0] && (rest[1] === 'executable' || rest[1] === 'asar')) {
    const found = findPackagedApp(rest[0]);
    if (!found) {
      printError(`packaging: no packaged app under ${rest[0]}`);
      return 1;
    }
    print(found[rest[1]]);
    return 0;
  }
  if (command === 'verify') {
    const app = option(rest, '--app');
    const archive = option(rest, '--asar');
    const inspect = option(rest, '--inspect-fuse') ?? 'off';
    if (!app || !archive || !['on', 'off'].includes(inspect)) {
      printError('usage: packaging.mjs verify --app <executable> --asar <app.asar> [--inspect-fuse on|off]');
      return 2;
    }
    const expected = {
      ...readBuilderConfig().electronFuses,
      enableNodeCliInspectArguments: inspect === 'on',
    };
    const problems = [
      ...compareFuses(await fuses.getCurrentFuseWire(app), expected),
      ...checkAsarEntries(asar.listPackage(archive, { isPack: false })),
    ];
    for (const problem of problems) printError(`packaging: ${problem}`);
    print(
      problems.length === 0
        ? `packaging: ${path.basename(app)}: fuses as configured (inspector ${inspect}); asar holds only the bundled app`
        : `packaging: ${problems.length} problem(s)`,
    );
    return problems.length === 0 ? 0 : 1;
  }
  if (command === 'checksums' && rest[0] && rest[1]) {
    const lines = await checksumLines(rest[0]);
    if (lines.length === 0) {
      printError(`packaging: no installers in ${rest[0]}`);
      return 1;
    }
    writeFileSync(rest[1], `${lines.join('\n')}\n`);
    for (const line of lines) print(line);
    return 0;
  }
  printError(
    'usage: packaging.mjs test-config <out.json> | find-app <dir> executable|asar | verify --app <exe> --asar <asar> [--inspect-fuse on|off] | checksums <dir> <out-file>',
  );
  return 2;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = await main(process.argv.slice(2));
}
