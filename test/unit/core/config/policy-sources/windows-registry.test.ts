import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../../../main/core/config/schema';
import {
  execFileRunner,
  parseRegQueryOutput,
  systemRegExe,
  readRegistryPolicy,
  registryPolicyFromRegQuery,
  WALKUP_POLICY_KEY,
  type RegQueryRun,
  type RegQueryRunner,
} from '../../../../../main/core/config/policy-sources/windows-registry';

const fixtures = path.resolve(import.meta.dirname, '../../../../fixtures/policy');
const sample = readFileSync(path.join(fixtures, 'reg-query-walkup.txt'), 'utf8');
const env = { ProgramData: 'C:\\ProgramData' };

/** reg query output for the values given, under the Walkup key (CRLF, as reg.exe writes). */
function regQuery(keys: Record<string, string[]>): string {
  const blocks = Object.entries(keys).map(([subkey, values]) =>
    [
      subkey ? `${WALKUP_POLICY_KEY}\\${subkey}` : WALKUP_POLICY_KEY,
      ...values.map((value) => `    ${value}`),
      '',
    ].join('\r\n'),
  );
  return `\r\n${blocks.join('\r\n')}\r\n`;
}

function errorsOf(text: string): string[] {
  const result = registryPolicyFromRegQuery(text, env);
  if (result.ok) throw new Error('expected errors');
  return result.errors;
}

const SECRET = 'Tr0ub4dor&3-registry-secret';

describe('the reg query parser and the registry mapping', () => {
  it('maps the captured sample to the policy object the schema validates', () => {
    const result = registryPolicyFromRegQuery(sample, env);
    expect(result).toEqual({
      ok: true,
      value: {
        audit: {
          maxBytes: 10_485_760,
          minHistoryHours: 12.5,
          file: 'C:\\ProgramData\\Walkup\\logs\\audit.jsonl',
        },
        directory: {
          type: 'ad',
          servers: ['ldaps://dc1.corp.example.com', 'ldaps://dc2.corp.example.com:636'],
          baseDN: 'OU=People,DC=corp,DC=example,DC=com',
          bindDN: 'CN=svc-walkup,OU=Service Accounts,DC=corp,DC=example,DC=com',
          allowInsecure: false,
          allowedGroups: ['CN=Duo Users,OU=Groups,DC=corp,DC=example,DC=com'],
          deniedGroups: [],
          upnSuffixes: ['corp.example.com', 'example.com'],
          netbiosDomains: ['CORP'],
          bindPassword: { file: 'C:\\ProgramData\\Walkup\\ldap-password' },
          throttling: { perUser: { maxFailures: 3, windowSeconds: 1800, lockoutSeconds: 900 } },
          tls: {
            caFile: 'C:\\ProgramData\\Walkup\\corp-root-ca.pem',
            useSystemCA: true,
            minVersion: 'TLSv1.3',
          },
        },
        duo: {
          sdk: 'v4',
          apiHost: 'api-1234abcd.duosecurity.com',
          clientId: 'DIXXXXXXXXXXXXXXXXXX',
          clientSecret: { file: 'C:\\ProgramData\\Walkup\\duo-client-secret' },
        },
        kiosk: { allowSecurityKeys: true },
        station: { name: 'IT Helpdesk - Building 4', idle: { signInSeconds: 90, duoSeconds: 600 } },
      },
    });
    expect(result.ok && parseConfig(result.value).ok).toBe(true);
  });

  it('reads LF output, a byte order mark and the HKLM spelling of the root alike', () => {
    const lf = `\uFEFF${sample.replaceAll('\r\n', '\n').replaceAll('HKEY_LOCAL_MACHINE\\Software', 'HKEY_LOCAL_MACHINE\\SOFTWARE')}`;
    expect(registryPolicyFromRegQuery(lf, env)).toEqual(registryPolicyFromRegQuery(sample, env));
  });

  it('matches key and value names case-insensitively, as the registry does, and keeps the schema spelling', () => {
    const result = registryPolicyFromRegQuery(
      regQuery({ 'DIRECTORY\\TLS': ['CAFILE    REG_SZ    C:\\ca.pem', 'usesystemca    REG_DWORD    0x0'] }),
    );
    expect(result).toEqual({
      ok: true,
      value: { directory: { tls: { caFile: 'C:\\ca.pem', useSystemCA: false } } },
    });
  });

  it('keeps spaces inside text data and reads an empty REG_SZ as empty text', () => {
    const result = registryPolicyFromRegQuery(
      regQuery({ station: ['name    REG_SZ    Front  desk    kiosk', 'locale    REG_SZ    '] }),
    );
    expect(result).toEqual({ ok: true, value: { station: { name: 'Front  desk    kiosk', locale: '' } } });
  });

  it('ignores keys without values and an empty root', () => {
    expect(registryPolicyFromRegQuery(regQuery({ '': [], directory: [], 'directory\\tls': [] }))).toEqual({
      ok: true,
      value: {},
    });
  });

  it('reads whole numbers from REG_DWORD, REG_QWORD and decimal REG_SZ text', () => {
    const result = registryPolicyFromRegQuery(
      regQuery({
        audit: [
          'keep    REG_DWORD    0xa',
          'maxBytes    REG_QWORD    0x100000000',
          'perClientPerMinute    REG_SZ    300',
        ],
      }),
    );
    expect(result).toEqual({
      ok: true,
      value: { audit: { keep: 10, maxBytes: 4_294_967_296, perClientPerMinute: 300 } },
    });
  });

  it('expands REG_EXPAND_SZ from the environment, names compared case-insensitively', () => {
    const result = registryPolicyFromRegQuery(
      regQuery({ station: ['stateDirectory    REG_EXPAND_SZ    %PROGRAMDATA%\\Walkup\\%Station%'] }),
      { ProgramData: 'D:\\Data', STATION: 'kiosk-7' },
    );
    expect(result).toEqual({ ok: true, value: { station: { stateDirectory: 'D:\\Data\\Walkup\\kiosk-7' } } });
  });

  it('accepts a secret reference by environment variable', () => {
    const result = registryPolicyFromRegQuery(
      regQuery({ 'audit\\usernameHashKey': ['env    REG_SZ    WALKUP_AUDIT_KEY'] }),
    );
    expect(result).toEqual({ ok: true, value: { audit: { usernameHashKey: { env: 'WALKUP_AUDIT_KEY' } } } });
  });
});

describe('registry errors (each names the key and the registry place, never the value)', () => {
  it('refuses a value name Walkup does not know', () => {
    expect(errorsOf(regQuery({ directory: ['server    REG_SZ    ldaps://dc1'] }))).toEqual([
      'HKLM\\Software\\Policies\\Walkup\\directory, value server: unknown policy key',
    ]);
  });

  it('refuses an unknown subkey, and a value at the root that is not a key', () => {
    expect(
      errorsOf(regQuery({ '': ['station    REG_SZ    x'], ldap: ['servers    REG_MULTI_SZ    a'] })),
    ).toEqual([
      'HKLM\\Software\\Policies\\Walkup, value station: station is a section: make it a subkey',
      'HKLM\\Software\\Policies\\Walkup\\ldap: not a Walkup policy section (unknown subkey)',
    ]);
  });

  it('refuses a prototype-reaching name as unknown', () => {
    expect(errorsOf(regQuery({ '': ['__proto__    REG_SZ    x'] }))).toEqual([
      'HKLM\\Software\\Policies\\Walkup, value __proto__: unknown policy key',
    ]);
  });

  it('refuses wrong types with the type the key needs', () => {
    expect(
      errorsOf(
        regQuery({
          directory: [
            'allowInsecure    REG_SZ    yes',
            'servers    REG_SZ    ldaps://dc1.corp.example.com',
            'baseDN    REG_MULTI_SZ    a\\0b',
            'failoverCooldownSeconds    REG_SZ    thirty',
          ],
          kiosk: ['allowSecurityKeys    REG_DWORD    0x2'],
          'directory\\timeouts': ['connectMs    REG_SZ    1.5'],
        }),
      ),
    ).toEqual([
      'directory.allowInsecure (HKLM\\Software\\Policies\\Walkup\\directory, value allowInsecure): must be REG_DWORD 0 (false) or 1 (true)',
      'directory.servers (HKLM\\Software\\Policies\\Walkup\\directory, value servers): must be REG_MULTI_SZ, not REG_SZ',
      'directory.baseDN (HKLM\\Software\\Policies\\Walkup\\directory, value baseDN): must be REG_SZ or REG_EXPAND_SZ, not REG_MULTI_SZ',
      'directory.failoverCooldownSeconds (HKLM\\Software\\Policies\\Walkup\\directory, value failoverCooldownSeconds): must be a whole number (REG_DWORD, REG_QWORD or REG_SZ decimal text)',
      'kiosk.allowSecurityKeys (HKLM\\Software\\Policies\\Walkup\\kiosk, value allowSecurityKeys): must be REG_DWORD 0 (false) or 1 (true)',
      'directory.timeouts.connectMs (HKLM\\Software\\Policies\\Walkup\\directory\\timeouts, value connectMs): must be a whole number (REG_DWORD, REG_QWORD or REG_SZ decimal text)',
    ]);
  });

  it('refuses a REG_QWORD beyond what a JavaScript number holds exactly', () => {
    expect(errorsOf(regQuery({ audit: ['maxBytes    REG_QWORD    0x20000000000001'] }))[0]).toMatch(
      /^audit\.maxBytes .*must be a whole number/,
    );
  });

  it('refuses value types Walkup does not use', () => {
    expect(errorsOf(regQuery({ station: ['name    REG_BINARY    4142'] }))).toEqual([
      'HKLM\\Software\\Policies\\Walkup\\station, value name: type REG_BINARY is not used by Walkup policy',
    ]);
  });

  it("refuses a key's default value", () => {
    expect(errorsOf(regQuery({ station: ['(Default)    REG_SZ    x'] }))).toEqual([
      "HKLM\\Software\\Policies\\Walkup\\station: the key's default value is not a Walkup policy; remove it",
    ]);
  });

  it('maps a vault entry reference (the kiosk vault, filled by walkup import-secrets or the admin screen)', () => {
    const result = registryPolicyFromRegQuery(
      regQuery({ 'duo\\clientSecret': ['vault    REG_SZ    duo.clientSecret'] }),
      env,
    );
    expect(result).toEqual({ ok: true, value: { duo: { clientSecret: { vault: 'duo.clientSecret' } } } });
  });

  it('refuses a secret value in the registry and never repeats it', () => {
    const errors = errorsOf(
      regQuery({
        duo: [`clientSecret    REG_SZ    ${SECRET}`],
        directory: [`bindPassword    REG_EXPAND_SZ    ${SECRET}`],
        'audit\\usernameHashKey': [`value    REG_SZ    ${SECRET}`],
      }),
    );
    expect(errors).toEqual([
      expect.stringMatching(
        /^duo\.clientSecret \(HKLM\\Software\\Policies\\Walkup\\duo, value clientSecret\) is a secret: .*readable by every local account.*\{ vault \}, \{ file \} or \{ env \}/,
      ),
      expect.stringMatching(/^directory\.bindPassword \(.*\) is a secret: /),
      'HKLM\\Software\\Policies\\Walkup\\audit\\usernameHashKey, value value: audit.usernameHashKey takes only a value named vault, file or env',
    ]);
    expect(errors.join('\n')).not.toContain(SECRET);
  });

  it('refuses an unset variable in REG_EXPAND_SZ, naming it', () => {
    expect(errorsOf(regQuery({ audit: ['file    REG_EXPAND_SZ    %WALKUP_LOGS%\\audit.jsonl'] }))).toEqual([
      "audit.file (HKLM\\Software\\Policies\\Walkup\\audit, value file): refers to %WALKUP_LOGS%, which is not set in the station's environment",
    ]);
  });

  it('refuses text reg.exe could not print in the console code page', () => {
    expect(errorsOf(regQuery({ station: ['name    REG_SZ    Geb\uFFFDude 4'] }))).toEqual([
      "station.name (HKLM\\Software\\Policies\\Walkup\\station, value name): holds characters reg.exe could not print in the console's code page; set this key in policy.json instead",
    ]);
  });

  it('refuses malformed output, naming lines but not their text', () => {
    const result = registryPolicyFromRegQuery(
      `${WALKUP_POLICY_KEY}\r\n    name REG_SZ ${SECRET}\r\nHKEY_CURRENT_USER\\Software\\Walkup\r\n    name    REG_SZ    x\r\n`,
    );
    expect(result).toEqual({
      ok: false,
      code: 'malformed',
      errors: [
        'reg query output line 2: neither a key nor a value line',
        `reg query output line 3: a key outside ${WALKUP_POLICY_KEY}`,
        `reg query output line 4: a value outside ${WALKUP_POLICY_KEY}`,
      ],
    });
    expect(JSON.stringify(result)).not.toContain(SECRET);
  });

  it('refuses a value line before any key line', () => {
    expect(parseRegQueryOutput('    name    REG_SZ    x\r\n')).toEqual({
      ok: false,
      errors: [`reg query output line 1: a value outside ${WALKUP_POLICY_KEY}`],
    });
  });
});

describe('running reg.exe', () => {
  const calls: { command: string; args: readonly string[]; timeoutMs: number }[] = [];
  const runner =
    (answer: RegQueryRun): RegQueryRunner =>
    async (command, args, options) => {
      calls.push({ command, args, timeoutMs: options.timeoutMs });
      return answer;
    };
  afterEach(() => {
    calls.length = 0;
  });

  it('queries the 64-bit view of the Walkup key with /s and maps the output', async () => {
    const result = await readRegistryPolicy({
      run: runner({ kind: 'exited', exitCode: 0, stdout: sample, stderr: '' }),
      env: { ...env, SystemRoot: 'D:\\WINDOWS' },
    });
    expect(calls).toEqual([
      {
        command: 'D:\\WINDOWS\\System32\\reg.exe',
        args: ['query', 'HKEY_LOCAL_MACHINE\\Software\\Policies\\Walkup', '/s', '/reg:64'],
        timeoutMs: 10_000,
      },
    ]);
    expect(result).toEqual(registryPolicyFromRegQuery(sample, env));
  });

  it('runs reg.exe by its absolute System32 path, never a bare name looked up in other folders', () => {
    expect(systemRegExe({ SystemRoot: 'C:\\Windows' })).toBe('C:\\Windows\\System32\\reg.exe');
    expect(systemRegExe({ SYSTEMROOT: 'E:\\Win' })).toBe('E:\\Win\\System32\\reg.exe');
    expect(systemRegExe({})).toBe('C:\\Windows\\System32\\reg.exe');
  });

  it('reports a missing key as missing, keeping reg.exe’s message for the log', async () => {
    const result = await readRegistryPolicy({
      run: runner({
        kind: 'exited',
        exitCode: 1,
        stdout: '',
        stderr: 'ERROR: The system was unable to find the specified registry key or value.\r\n',
      }),
    });
    expect(result).toEqual({
      ok: false,
      code: 'missing',
      errors: [
        `${WALKUP_POLICY_KEY} not found (ERROR: The system was unable to find the specified registry key or value.)`,
      ],
    });
  });

  it('reports another exit as unreadable', async () => {
    const result = await readRegistryPolicy({
      run: runner({ kind: 'exited', exitCode: 5, stdout: '', stderr: 'ERROR: Access is denied.' }),
      env: {},
    });
    expect(result).toEqual({
      ok: false,
      code: 'unreadable',
      errors: [
        `C:\\Windows\\System32\\reg.exe query ${WALKUP_POLICY_KEY} exited with 5: ERROR: Access is denied.`,
      ],
    });
  });

  it('reports a reg.exe that did not answer in time as a timeout', async () => {
    const result = await readRegistryPolicy({ run: runner({ kind: 'timeout' }), timeoutMs: 250, env: {} });
    expect(calls[0]?.timeoutMs).toBe(250);
    expect(result).toEqual({
      ok: false,
      code: 'timeout',
      errors: [`C:\\Windows\\System32\\reg.exe query ${WALKUP_POLICY_KEY} did not answer within 250 ms`],
    });
  });

  it('reports malformed output from a successful run as malformed', async () => {
    const result = await readRegistryPolicy({
      run: runner({ kind: 'exited', exitCode: 0, stdout: 'Syntax: REG QUERY KeyName\r\n', stderr: '' }),
    });
    expect(result).toMatchObject({ ok: false, code: 'malformed' });
  });
});

// These run a POSIX shell script in reg.exe's place; a Windows runner has no /bin/sh.
const noShellReason =
  process.platform === 'win32' ? 'no /bin/sh on Windows; the Linux CI runs them' : undefined;
if (noShellReason) console.log(`skipped: execFileRunner tests with a stand-in reg.exe (${noShellReason})`);

describe.skipIf(noShellReason !== undefined)(
  'execFileRunner (a real child process standing in for reg.exe)',
  () => {
    let folder: string | undefined;
    afterEach(() => {
      if (folder) rmSync(folder, { recursive: true, force: true });
      folder = undefined;
    });

    function script(body: string): string {
      folder = mkdtempSync(path.join(tmpdir(), 'walkup-reg-'));
      const file = path.join(folder, 'reg.sh');
      writeFileSync(file, `#!/bin/sh\n${body}\n`);
      chmodSync(file, 0o755);
      return file;
    }

    it('passes the arguments without a shell and returns the output', async () => {
      const command = script('printf "%s|" "$@"; printf "to stderr" >&2; exit 0');
      const result = await readRegistryPolicy({
        command,
        run: async (file, args, options) => {
          const run = await execFileRunner(file, args, options);
          expect(run).toEqual({
            kind: 'exited',
            exitCode: 0,
            stdout: 'query|HKEY_LOCAL_MACHINE\\Software\\Policies\\Walkup|/s|/reg:64|',
            stderr: 'to stderr',
          });
          return { kind: 'exited', exitCode: 0, stdout: '', stderr: '' };
        },
      });
      expect(result).toEqual({ ok: true, value: {} });
    });

    it('kills a hung reg.exe at the timeout: the process is gone when the answer comes', async () => {
      const command = script(`echo $$ > "$(dirname "$0")/pid"; exec sleep 30`);
      const result = await readRegistryPolicy({ command, timeoutMs: 300 });
      expect(result).toMatchObject({ ok: false, code: 'timeout' });
      const pidFile = path.join(path.dirname(command), 'pid');
      expect(existsSync(pidFile)).toBe(true);
      const pid = Number(readFileSync(pidFile, 'utf8').trim());
      expect(() => process.kill(pid, 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }));
    });

    it('reports an exit code with its output', async () => {
      const command = script(
        'echo "ERROR: The system was unable to find the specified registry key or value." >&2; exit 1',
      );
      expect(await readRegistryPolicy({ command })).toMatchObject({ ok: false, code: 'missing' });
    });

    it('reports a command that cannot be started', async () => {
      folder = mkdtempSync(path.join(tmpdir(), 'walkup-reg-'));
      const result = await readRegistryPolicy({ command: path.join(folder, 'no-such-reg.exe') });
      expect(result).toEqual({
        ok: false,
        code: 'unreadable',
        errors: [`${path.join(folder, 'no-such-reg.exe')} query ${WALKUP_POLICY_KEY}: ENOENT`],
      });
    });

    it('stops reading output past the size bound', async () => {
      const command = script('head -c 2000000 /dev/zero');
      const result = await readRegistryPolicy({ command });
      expect(result).toEqual({
        ok: false,
        code: 'unreadable',
        errors: [`${command} query ${WALKUP_POLICY_KEY}: printed more than 1048576 bytes`],
      });
    });
  },
);
