import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { currentBuildInfo, formatVersionLine } from '../../../main/build-info';
import type { CliIo } from '../../../main/cli/io';
import { runCli } from '../../../main/cli/run-cli';
// @ts-expect-error: a plain ES module script without type declarations (scripts/ is not typed)
import { buildInfoDefines } from '../../../scripts/build-info.mjs';

const root = path.resolve(import.meta.dirname, '../../..');
const packageVersion = (
  JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }
).version;
const defines = buildInfoDefines as (options: {
  root: string;
  env?: Record<string, string | undefined>;
  now?: Date;
}) => Record<string, string>;

function captureIo(env: NodeJS.ProcessEnv): { io: CliIo; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    env,
    cwd: root,
    stdin: new PassThrough(),
    waitForStop: () => new Promise(() => undefined),
  };
  return { io, out, err };
}

function gitHead(): string | undefined {
  const result = spawnSync('git', ['rev-parse', '--short=12', 'HEAD'], { cwd: root, encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

const tempDirs: string[] = [];
afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

describe('walkup --version', () => {
  it('run from source, prints the npm package version and says there is no build information', async () => {
    const { io, out, err } = captureIo({ npm_package_version: '9.8.7' });
    expect(await runCli(['--version'], io)).toBe(0);
    expect(out).toEqual(['walkup 9.8.7 (run from source: no build information)']);
    expect(err).toEqual([]);
  });

  it('accepts -v and `version` too, and the usage text mentions it', async () => {
    for (const flag of ['-v', 'version']) {
      const { io, out } = captureIo({});
      expect(await runCli([flag], io)).toBe(0);
      expect(out[0]).toMatch(/^walkup unknown \(run from source/);
    }
    const { io, out } = captureIo({});
    await runCli(['--help'], io);
    expect(out.join('\n')).toContain('walkup --version');
  });

  it('formats a build with its commit and date, and names what is unknown', () => {
    expect(
      formatVersionLine({
        version: '1.2.3',
        commit: '0123456789ab',
        builtAt: '2026-12-03T07:50:00Z',
        isBuild: true,
      }),
    ).toBe('walkup 1.2.3 (commit 0123456789ab, built 2026-12-03T07:50:00Z)');
    expect(
      formatVersionLine({ version: '1.2.3', commit: undefined, builtAt: undefined, isBuild: true }),
    ).toBe('walkup 1.2.3 (commit unknown, built unknown)');
    expect(currentBuildInfo({}).isBuild).toBe(false);
  });
});

describe('build information injected by scripts/build-main.mjs', () => {
  it('takes the version from package.json, the commit from git and the date from SOURCE_DATE_EPOCH', () => {
    const values = defines({ root, env: { SOURCE_DATE_EPOCH: '1796284800' } });
    expect(JSON.parse(values.__WALKUP_VERSION__ ?? '')).toBe(packageVersion);
    expect(JSON.parse(values.__WALKUP_BUILD_DATE__ ?? '')).toBe('2026-12-03T08:00:00Z');
    const head = gitHead();
    expect(JSON.parse(values.__WALKUP_COMMIT__ ?? '')).toBe(head ?? '');
  });

  it('uses the build time when SOURCE_DATE_EPOCH is unset, and refuses one that is not whole seconds', () => {
    const values = defines({ root, env: {}, now: new Date('2026-12-03T07:50:12.345Z') });
    expect(JSON.parse(values.__WALKUP_BUILD_DATE__ ?? '')).toBe('2026-12-03T07:50:12Z');
    expect(() => defines({ root, env: { SOURCE_DATE_EPOCH: '17e8' } })).toThrow(
      'SOURCE_DATE_EPOCH must be whole seconds, got "17e8"',
    );
  });

  it('falls back to GITHUB_SHA outside a git checkout', () => {
    const notACheckout = mkdtempSync(path.join(tmpdir(), 'walkup-build-info-'));
    tempDirs.push(notACheckout);
    writeFileSync(path.join(notACheckout, 'package.json'), JSON.stringify({ version: '2.0.0' }));
    const sha = 'abcdef0123456789abcdef0123456789abcdef01';
    const values = defines({ root: notACheckout, env: { GITHUB_SHA: sha, SOURCE_DATE_EPOCH: '0' } });
    expect(values).toEqual({
      __WALKUP_VERSION__: '"2.0.0"',
      __WALKUP_COMMIT__: '"abcdef012345"',
      __WALKUP_BUILD_DATE__: '"1970-01-01T00:00:00Z"',
    });
  });

  it('a bundle built with those defines reports its version, commit and date', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'walkup-build-info-'));
    tempDirs.push(dir);
    const entry = path.join(dir, 'entry.ts');
    writeFileSync(
      entry,
      `import { currentBuildInfo, formatVersionLine } from ${JSON.stringify(path.join(root, 'main', 'build-info.ts'))};\n` +
        'console.log(formatVersionLine(currentBuildInfo({})));\n',
    );
    const outfile = path.join(dir, 'entry.mjs');
    await build({
      entryPoints: [entry],
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile,
      logLevel: 'silent',
      define: defines({ root, env: { SOURCE_DATE_EPOCH: '1796284800' } }),
    });
    const run = spawnSync(process.execPath, [outfile], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(run.stdout.trim()).toBe(
      `walkup ${packageVersion} (commit ${gitHead() ?? 'unknown'}, built 2026-12-03T08:00:00Z)`,
    );
  });
});
