/**
 * `walkup check-config --managed` checks this machine's managed policy as the kiosk reads it
 * (injected readers on the captured samples in test/fixtures/policy/): valid, broken source,
 * waiting for configuration, and the usage errors of the two ways to name a configuration.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runCheckConfig } from '../../../main/cli/check-config';
import type { CliIo } from '../../../main/cli/io';
import type { PolicyFileResult } from '../../../main/core/config/load';
import { registryPolicyFromRegQuery } from '../../../main/core/config/policy-sources/windows-registry';

const fixtures = path.resolve(import.meta.dirname, '../../fixtures/policy');
const regSample = readFileSync(path.join(fixtures, 'reg-query-walkup.txt'), 'utf8');
const registry = 'HKLM\\Software\\Policies\\Walkup';
const noFile = async (file: string): Promise<PolicyFileResult> => ({
  ok: false,
  code: 'missing',
  error: `${file} does not exist`,
});

function recordingIo(): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    stdout,
    stderr,
    out: (line) => stdout.push(line),
    err: (line) => stderr.push(line),
    env: { ProgramData: 'C:\\ProgramData' },
    cwd: fixtures,
    stdin: new PassThrough(),
    waitForStop: () => new Promise(() => {}),
  };
}

const windowsRegistry = (text: string) => ({
  platform: 'win32' as const,
  readers: {
    readRegistry: async () => registryPolicyFromRegQuery(text, { ProgramData: 'C:\\ProgramData' }),
    readJson: noFile,
  },
});

describe('walkup check-config --managed', () => {
  it('validates the registry policy and names its source', async () => {
    const io = recordingIo();
    expect(await runCheckConfig(['--managed', '--skip-secrets'], io, windowsRegistry(regSample))).toBe(0);
    expect(io.stdout).toEqual([
      `managed policy (${registry}): valid (directory ad, Duo Web SDK v4 at api-1234abcd.duosecurity.com)`,
    ]);
  });

  it('fails with the errors of a broken source and of conflicting sources', async () => {
    const broken = recordingIo();
    const code = await runCheckConfig(['--managed', '--skip-secrets'], broken, {
      platform: 'win32',
      readers: {
        readRegistry: async () => ({
          ok: false,
          code: 'timeout',
          errors: ['reg.exe did not answer within 10000 ms'],
        }),
        readJson: noFile,
      },
    });
    expect(code).toBe(2);
    expect(broken.stdout).toEqual([
      'reg.exe did not answer within 10000 ms',
      'managed policy (none deployed): 1 problem',
    ]);

    const conflict = recordingIo();
    expect(
      await runCheckConfig(['--managed', '--skip-secrets'], conflict, {
        platform: 'win32',
        readers: {
          readRegistry: windowsRegistry(regSample).readers.readRegistry,
          readJson: async () => ({ ok: true, value: { station: { name: 'Another name' } } }),
        },
      }),
    ).toBe(2);
    expect(conflict.stdout[0]).toMatch(
      /^station\.name: set differently by HKLM\\Software\\Policies\\Walkup and C:\\ProgramData\\Walkup\\policy\.json/,
    );
    expect(conflict.stdout.join('\n')).not.toContain('Another name');
  });

  it('says a policy without its Duo keys is waiting for configuration, listing them', async () => {
    const io = recordingIo();
    const withoutDuo = regSample
      .split(/\r?\n\r?\n/)
      .filter((block) => !block.startsWith(`HKEY_LOCAL_MACHINE\\Software\\Policies\\Walkup\\duo`))
      .join('\r\n\r\n');
    expect(await runCheckConfig(['--managed'], io, windowsRegistry(withoutDuo))).toBe(2);
    expect(io.stdout[0]).toBe(
      'waiting for configuration: the managed policy does not set duo.apiHost, duo.clientId, duo.clientSecret',
    );
    expect(io.stdout.at(-1)).toBe(`managed policy (${registry}): 1 problem`);
  });

  it('takes --config or --managed, exactly one', async () => {
    const both = recordingIo();
    expect(await runCheckConfig(['--managed', '--config', 'policy.json'], both)).toBe(2);
    expect(both.stderr).toEqual(['walkup check-config: give --config <file> or --managed, not both']);
    const neither = recordingIo();
    expect(await runCheckConfig([], neither)).toBe(2);
    expect(neither.stderr).toEqual(['walkup check-config: missing --config <file> (or --managed)']);
  });
});
