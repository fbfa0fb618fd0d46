/**
 * `walkup policy-template` prints the complete commented example policy generated from the one
 * schema: the same text as the committed `assets/policy/policy.example.jsonc`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../../main/cli/io';
import { runCli } from '../../../main/cli/run-cli';
import { parseConfig } from '../../../main/core/config/schema';

const repoRoot = path.resolve(import.meta.dirname, '../../..');

function recordingIo(): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    stdout,
    stderr,
    out: (line) => stdout.push(line),
    err: (line) => stderr.push(line),
    env: {},
    cwd: repoRoot,
    stdin: new PassThrough(),
    waitForStop: () => new Promise(() => {}),
  };
}

/** JSON with `//` comments to JSON (the example has no `//` inside strings). */
function stripLineComments(text: string): string {
  return text
    .split('\n')
    .map((line) => line.replace(/^\s*\/\/.*$/, ''))
    .join('\n');
}

describe('walkup policy-template', () => {
  it('prints the committed example policy, which the schema accepts once its comments are gone', async () => {
    const io = recordingIo();
    expect(await runCli(['policy-template'], io)).toBe(0);
    expect(io.stderr).toEqual([]);
    const printed = `${io.stdout.join('\n')}\n`;
    const committed = readFileSync(path.join(repoRoot, 'assets/policy/policy.example.jsonc'), 'utf8').replace(
      /\r\n/g,
      '\n',
    );
    expect(printed).toBe(committed);
    expect(printed).toContain('"clientSecret"');
    expect(parseConfig(JSON.parse(stripLineComments(printed)))).toMatchObject({ ok: true });
  });

  it('has --help, is listed in the usage, and refuses options', async () => {
    const help = recordingIo();
    expect(await runCli(['policy-template', '--help'], help)).toBe(0);
    expect(help.stdout.join('\n')).toMatch(
      /^Usage: walkup policy-template\n\nPrint a complete example policy/,
    );
    const usage = recordingIo();
    expect(await runCli(['--help'], usage)).toBe(0);
    expect(usage.stdout.join('\n')).toContain('  policy-template\n');
    const wrong = recordingIo();
    expect(await runCli(['policy-template', '--format', 'xml'], wrong)).toBe(2);
    expect(wrong.stderr.join('\n')).toMatch(/^walkup policy-template: .*--format/);
    expect(wrong.stdout).toEqual([]);
  });
});
