/**
 * The security scan (scripts/security-scan.mjs) really reads what it is given: over a bundle
 * built like main's (esbuild CommonJS with ES2022 private fields, which Electronegativity alone
 * cannot parse), it reports the planted finding at its TypeScript source line, honours a
 * reasoned inline suppression, refuses one without a reason, and fails.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../../..');
const fixture = 'test/unit/electron/fixtures/scan-planted.ts';

describe('scripts/security-scan.mjs', () => {
  let dir: string;
  let output = '';
  let exitCode = 0;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'walkup-scan-fixture-'));
    await build({
      entryPoints: [path.join(root, fixture)],
      outfile: path.join(dir, 'bundle', 'index.cjs'),
      bundle: true,
      platform: 'node',
      target: 'node22',
      format: 'cjs',
      sourcemap: 'linked',
      external: ['electron'],
      absWorkingDir: root,
      logLevel: 'error',
    });
    try {
      const result = await run(
        process.execPath,
        ['scripts/security-scan.mjs', '--input', path.join(dir, 'bundle')],
        {
          cwd: root,
        },
      );
      output = result.stdout;
    } catch (error) {
      const failed = error as { stdout?: string; stderr?: string; code?: number };
      output = `${failed.stdout ?? ''}${failed.stderr ?? ''}`;
      exitCode = failed.code ?? -1;
    }
  }, 180_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('says how many files and lines it read', () => {
    expect(output).toMatch(/security-scan: read 1 files, \d+ lines/);
  });
  it('reports the planted finding at its source line, and fails', () => {
    expect(output).toMatch(new RegExp(`FAIL: \\w+ OPEN_EXTERNAL_JS_CHECK at ${fixture}:12:`));
    expect(output).toContain('security-scan: FAILED');
    expect(exitCode).toBe(1);
  });
  it('honours an inline suppression that gives its reason', () => {
    expect(output).toContain(
      `suppressed: OPEN_EXTERNAL_JS_CHECK at ${fixture}:16: fixture: proves that a reasoned inline suppression is honoured`,
    );
  });
  it('sees the whole bundle: global checks miss the navigation and permission handlers it lacks', () => {
    expect(output).toContain('FAIL: HIGH LIMIT_NAVIGATION_GLOBAL_CHECK (global)');
    expect(output).toContain('FAIL: MEDIUM PERMISSION_REQUEST_HANDLER_GLOBAL_CHECK (global)');
  });
  it('does not honour a suppression without a reason', () => {
    expect(output).toMatch(new RegExp(`FAIL: \\w+ OPEN_EXTERNAL_JS_CHECK at ${fixture}:20:`));
  });
});
