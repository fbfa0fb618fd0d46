/**
 * Windows fleet policy from the registry: `HKLM\Software\Policies\Walkup`, where Group Policy and
 * Intune (with `assets/policy/walkup.admx`) write it.
 *
 * Why `reg.exe query` and not `@vscode/policy-watcher` (the reader VS Code uses): that package
 * (npm, 1.5.0) is a native addon (`binding.gyp`, node-addon-api) published without prebuilt
 * binaries, so it must be compiled against Electron's ABI on each Windows build; it cannot be
 * built or tested on this project's Linux CI. It also reads only flat values of one key (string,
 * number, boolean), while Walkup's policy is nested (subkeys) with lists (REG_MULTI_SZ).
 * `reg.exe` ships with every Windows since XP and its `query /s` output is a documented, stable
 * text format (Microsoft, "reg query"), parsed here as pure text and unit-tested on samples.
 *
 * Mapping (the ADMX template writes exactly this):
 * - each section of the configuration is a subkey: `directory.tls.caFile` is the value `caFile`
 *   of `HKLM\Software\Policies\Walkup\directory\tls`;
 * - booleans are REG_DWORD 0 or 1; whole numbers REG_DWORD or REG_QWORD (or REG_SZ decimal text,
 *   which the ADMX uses for fractions such as `audit.minHistoryHours`); text REG_SZ or
 *   REG_EXPAND_SZ (`%VARIABLE%`s expanded from the station's environment); lists REG_MULTI_SZ;
 * - a secret is a subkey named after the key holding one value `vault`, `file` or `env`
 *   (`…\Walkup\duo\clientSecret`, value `file` = `C:\ProgramData\Walkup\duo-secret`); a secret
 *   value itself is refused (see `INLINE_SECRET_REASON`);
 * - key and value names match case-insensitively, as the registry compares them.
 *
 * Known limits of reg.exe's text output, to verify on a Windows runner (release workflow):
 * reg.exe writes through the console code page, so text outside it may arrive as `?` or as
 * bytes that are not UTF-8 (seen here as U+FFFD, which is refused with the key named); and it
 * shows the NUL separators of REG_MULTI_SZ as the two characters `\0`, so a list item that itself
 * contains `\0` cannot be told apart. Keep such values in `policy.json`.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { matchPolicyPath, type PolicyKey } from './policy-keys';
import {
  isSafeName,
  policyValueProblem,
  SECRET_REFERENCE_PARTS,
  SECRET_REFERENCE_PARTS_TEXT,
  setAtPath,
  type PolicySourceResult,
} from './policy-object';

/** Where Walkup's Windows policy lives (machine policy only: kiosks are configured per machine). */
export const WALKUP_POLICY_KEY = 'HKEY_LOCAL_MACHINE\\Software\\Policies\\Walkup';

/** The registry value types reg.exe prints that Walkup reads. */
export type RegistryValueType = 'REG_SZ' | 'REG_EXPAND_SZ' | 'REG_MULTI_SZ' | 'REG_DWORD' | 'REG_QWORD';

export interface RegistryValue {
  /** Subkey path below the policy root, e.g. `['directory', 'tls']` (as reg.exe spelled it). */
  readonly keyPath: readonly string[];
  readonly name: string;
  readonly type: string;
  /** Data as reg.exe printed it (`0x1`, `a\0b`, text). */
  readonly data: string;
}

export type RegQueryParse = { ok: true; values: RegistryValue[] } | { ok: false; errors: string[] };

const SUPPORTED_TYPES = new Set<string>([
  'REG_SZ',
  'REG_EXPAND_SZ',
  'REG_MULTI_SZ',
  'REG_DWORD',
  'REG_QWORD',
]);

/** Root aliases reg.exe accepts; its output spells the hive out in full. */
function normalizeRoot(path: string): string {
  return path.replace(/^HKLM\\/i, 'HKEY_LOCAL_MACHINE\\').toLowerCase();
}

/**
 * Parses the text of `reg query "<root>" /s` (Microsoft, "reg query"): a line per key, starting
 * with the full key path, each followed by its values indented by four spaces as
 * `name    REG_TYPE    data`, fields separated by four spaces. Lines that fit neither form, and
 * keys outside `root`, are errors naming the line number (never its text, which may hold data).
 */
export function parseRegQueryOutput(text: string, root: string = WALKUP_POLICY_KEY): RegQueryParse {
  const rootPath = normalizeRoot(root);
  const values: RegistryValue[] = [];
  const errors: string[] = [];
  let current: string[] | undefined;
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((rawLine, index) => {
    const line = rawLine.replace(/\r$/, '');
    if (line.trim() === '') return;
    if (/^HKEY_/i.test(line)) {
      const keyPath = line.trimEnd();
      const lower = keyPath.toLowerCase();
      if (lower === rootPath) current = [];
      else if (lower.startsWith(`${rootPath}\\`)) current = keyPath.slice(rootPath.length + 1).split('\\');
      else {
        current = undefined;
        errors.push(`reg query output line ${index + 1}: a key outside ${root}`);
      }
      return;
    }
    const value = /^ {4}(\S(?:.*?\S)?) {4}(REG_[A-Z0-9_]+)(?: {4}(.*))?$/.exec(line);
    if (!value) {
      errors.push(`reg query output line ${index + 1}: neither a key nor a value line`);
      return;
    }
    if (current === undefined) {
      errors.push(`reg query output line ${index + 1}: a value outside ${root}`);
      return;
    }
    values.push({ keyPath: current, name: value[1] ?? '', type: value[2] ?? '', data: value[3] ?? '' });
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, values };
}

/** `HKLM\Software\Policies\Walkup\directory\tls, value caFile`: where a value was found, for errors. */
function place(keyPath: readonly string[], name?: string): string {
  const key = ['HKLM\\Software\\Policies\\Walkup', ...keyPath].join('\\');
  return name === undefined ? key : `${key}, value ${name}`;
}

function parseNumber(data: string, type: string): number | undefined {
  if (type === 'REG_DWORD' || type === 'REG_QWORD') {
    if (!/^0x[0-9a-f]+$/i.test(data)) return undefined;
    const big = BigInt(data);
    return big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : undefined;
  }
  if (!/^-?\d+(\.\d+)?$/.test(data.trim())) return undefined;
  return Number(data.trim());
}

/**
 * `%NAME%` references of a REG_EXPAND_SZ, expanded from `env` (names compared case-insensitively,
 * as Windows does). An unset name is an error rather than left in place: a path with a literal
 * `%NAME%` in it would only fail later, further from its cause.
 */
function expandEnvironment(
  data: string,
  env: Readonly<Record<string, string | undefined>>,
): { ok: true; value: string } | { ok: false; missing: string } {
  const lookup = new Map(Object.entries(env).map(([name, value]) => [name.toLowerCase(), value]));
  let missing: string | undefined;
  const value = data.replace(/%([^%]+)%/g, (whole, name: string) => {
    const found = lookup.get(name.toLowerCase());
    if (found === undefined) missing ??= name;
    return found ?? whole;
  });
  return missing === undefined ? { ok: true, value } : { ok: false, missing };
}

function textValue(
  value: RegistryValue,
  env: Readonly<Record<string, string | undefined>>,
): { ok: true; value: string } | { ok: false; problem: string } {
  if (value.type !== 'REG_SZ' && value.type !== 'REG_EXPAND_SZ') {
    return { ok: false, problem: `must be REG_SZ or REG_EXPAND_SZ, not ${value.type}` };
  }
  if (value.data.includes('\uFFFD')) {
    return {
      ok: false,
      problem:
        "holds characters reg.exe could not print in the console's code page; set this key in policy.json instead",
    };
  }
  if (value.type === 'REG_SZ') return { ok: true, value: value.data };
  const expanded = expandEnvironment(value.data, env);
  return expanded.ok
    ? { ok: true, value: expanded.value }
    : {
        ok: false,
        problem: `refers to %${expanded.missing}%, which is not set in the station's environment`,
      };
}

/** Converts one registry value to the JSON value `key` expects, or says why it cannot. */
function convertValue(
  key: PolicyKey,
  value: RegistryValue,
  env: Readonly<Record<string, string | undefined>>,
): { ok: true; value: unknown } | { ok: false; problem: string } {
  switch (key.kind) {
    case 'boolean': {
      const number =
        value.type === 'REG_DWORD' || value.type === 'REG_QWORD'
          ? parseNumber(value.data, value.type)
          : undefined;
      if (number === 0 || number === 1) return { ok: true, value: number === 1 };
      return { ok: false, problem: 'must be REG_DWORD 0 (false) or 1 (true)' };
    }
    case 'integer':
    case 'number': {
      if (value.type === 'REG_MULTI_SZ')
        return { ok: false, problem: 'must be REG_DWORD, REG_QWORD or REG_SZ decimal text' };
      const text =
        value.type === 'REG_SZ' || value.type === 'REG_EXPAND_SZ' ? textValue(value, env) : undefined;
      if (text && !text.ok) return text;
      const number = parseNumber(text ? text.value : value.data, text ? 'REG_SZ' : value.type);
      if (number === undefined || (key.kind === 'integer' && !Number.isSafeInteger(number))) {
        return {
          ok: false,
          problem: `must be ${key.kind === 'integer' ? 'a whole number' : 'a number'} (REG_DWORD, REG_QWORD or REG_SZ decimal text)`,
        };
      }
      return { ok: true, value: number };
    }
    case 'string':
    case 'enum': {
      const text = textValue(value, env);
      return text.ok ? { ok: true, value: text.value } : text;
    }
    case 'string-list':
    case 'enum-list': {
      if (value.type !== 'REG_MULTI_SZ')
        return { ok: false, problem: `must be REG_MULTI_SZ, not ${value.type}` };
      if (value.data.includes('\uFFFD')) {
        return { ok: false, problem: "holds characters reg.exe could not print in the console's code page" };
      }
      return {
        ok: true,
        value: value.data === '' ? [] : value.data.split('\\0').filter((item) => item !== ''),
      };
    }
    case 'secret':
      return { ok: false, problem: '' };
  }
}

/**
 * Turns parsed registry values into a plain policy object for the configuration schema
 * (`parseConfig`), following the mapping in this file's header. Every problem is reported, each
 * naming the key and the registry place; values never appear in errors.
 */
export function registryPolicyFromValues(
  values: readonly RegistryValue[],
  env: Readonly<Record<string, string | undefined>> = {},
): PolicySourceResult {
  const policy: Record<string, unknown> = {};
  const errors: string[] = [];
  const secretParts = new Map<string, { key: PolicyKey; parts: Record<string, string> }>();
  for (const value of values) {
    if (value.name === '(Default)') {
      errors.push(`${place(value.keyPath)}: the key's default value is not a Walkup policy; remove it`);
      continue;
    }
    if (!SUPPORTED_TYPES.has(value.type)) {
      errors.push(`${place(value.keyPath, value.name)}: type ${value.type} is not used by Walkup policy`);
      continue;
    }
    const holder = matchPolicyPath(value.keyPath, { ignoreCase: true });
    if (holder.kind === 'key' && holder.key.kind === 'secret') {
      // A secret's subkey: its `file` or `env` value is the reference.
      const part = value.name.toLowerCase();
      if (!SECRET_REFERENCE_PARTS.includes(part)) {
        errors.push(
          `${place(value.keyPath, value.name)}: ${holder.key.path} takes only a value named ${SECRET_REFERENCE_PARTS_TEXT}`,
        );
        continue;
      }
      const text = textValue(value, env);
      if (!text.ok) {
        errors.push(`${holder.key.path}.${part} (${place(value.keyPath, value.name)}): ${text.problem}`);
        continue;
      }
      const entry = secretParts.get(holder.key.path) ?? { key: holder.key, parts: {} };
      entry.parts[part] = text.value;
      secretParts.set(holder.key.path, entry);
      continue;
    }
    if (holder.kind !== 'section' && value.keyPath.length > 0) {
      errors.push(`${place(value.keyPath)}: not a Walkup policy section (unknown subkey)`);
      continue;
    }
    const match = matchPolicyPath([...value.keyPath, value.name], { ignoreCase: true });
    if (match.kind === 'unknown' || !isSafeName(value.name)) {
      errors.push(`${place(value.keyPath, value.name)}: unknown policy key`);
      continue;
    }
    if (match.kind === 'section') {
      errors.push(
        `${place(value.keyPath, value.name)}: ${match.section.path} is a section: make it a subkey`,
      );
      continue;
    }
    const { key } = match;
    if (key.kind === 'secret') {
      errors.push(`${key.path} (${place(value.keyPath, value.name)}) ${policyValueProblem(key, '')}`);
      continue;
    }
    const converted = convertValue(key, value, env);
    if (!converted.ok) {
      errors.push(`${key.path} (${place(value.keyPath, value.name)}): ${converted.problem}`);
      continue;
    }
    setAtPath(policy, key.segments, converted.value);
  }
  for (const { key, parts } of secretParts.values()) {
    setAtPath(policy, key.segments, parts);
  }
  return errors.length > 0 ? { ok: false, code: 'invalid', errors } : { ok: true, value: policy };
}

/** Parses `reg query /s` text and maps it to a policy object. */
export function registryPolicyFromRegQuery(
  text: string,
  env: Readonly<Record<string, string | undefined>> = {},
): PolicySourceResult {
  const parsed = parseRegQueryOutput(text);
  if (!parsed.ok) return { ok: false, code: 'malformed', errors: parsed.errors };
  return registryPolicyFromValues(parsed.values, env);
}

/** What running reg.exe produced. */
export type RegQueryRun =
  | { kind: 'exited'; exitCode: number; stdout: string; stderr: string }
  | { kind: 'timeout' }
  | { kind: 'failed'; reason: string };

/** Runs a command with arguments; the default is `execFileRunner`. Tests inject their own. */
export type RegQueryRunner = (
  command: string,
  args: readonly string[],
  options: { timeoutMs: number; maxBytes: number },
) => Promise<RegQueryRun>;

/**
 * Runs a command with `child_process.execFile` (no shell: the arguments are never parsed by
 * cmd.exe), killing it after `timeoutMs`, and buffering at most `maxBytes` of output.
 */
export const execFileRunner: RegQueryRunner = (command, args, { timeoutMs, maxBytes }) =>
  new Promise((resolve) => {
    execFile(
      command,
      [...args],
      { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: maxBytes, windowsHide: true, encoding: 'utf8' },
      (error, stdout, stderr) => {
        if (!error) {
          resolve({ kind: 'exited', exitCode: 0, stdout, stderr });
          return;
        }
        const failure = error as NodeJS.ErrnoException & {
          killed?: boolean;
          code?: unknown;
          signal?: string | null;
        };
        if (failure.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') {
          resolve({ kind: 'failed', reason: `printed more than ${maxBytes} bytes` });
        } else if (failure.killed && failure.signal === 'SIGKILL') {
          resolve({ kind: 'timeout' });
        } else if (typeof failure.code === 'number') {
          resolve({ kind: 'exited', exitCode: failure.code, stdout, stderr });
        } else {
          resolve({
            kind: 'failed',
            reason: typeof failure.code === 'string' ? failure.code : 'could not be started',
          });
        }
      },
    );
  });

export interface ReadRegistryPolicyOptions {
  /**
   * Default `%SystemRoot%\System32\reg.exe`, by absolute path: a bare `reg.exe` would be looked
   * up in the application's and the current folder before System32 (CreateProcess search order).
   */
  command?: string;
  /** Default 10 s: reg.exe answers in milliseconds; a hung one must not hold the station's start. */
  timeoutMs?: number;
  run?: RegQueryRunner;
  /** For REG_EXPAND_SZ; default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
}

/** `%SystemRoot%\System32\reg.exe`, `C:\Windows` when the variable is unset. */
export function systemRegExe(env: Readonly<Record<string, string | undefined>>): string {
  const systemRoot = env.SystemRoot ?? env.SYSTEMROOT ?? 'C:\\Windows';
  return path.win32.join(systemRoot, 'System32', 'reg.exe');
}

/** reg query output larger than this is surely not a policy. */
const MAX_REG_OUTPUT_BYTES = 1024 * 1024;

/**
 * Reads Walkup's machine policy from the registry: `reg query HKLM\Software\Policies\Walkup /s
 * /reg:64` (the 64-bit view, so a 32-bit process is not redirected to WOW6432Node).
 *
 * reg.exe exits 1 both when the key does not exist and on other errors, with a message in the
 * system's language; exit 1 with nothing on stdout is taken as "no registry policy" (`missing`),
 * with reg.exe's message kept in `errors` for the log. Policies keys are readable by every
 * account, so a permission error there is not expected.
 */
export async function readRegistryPolicy(
  options: ReadRegistryPolicyOptions = {},
): Promise<PolicySourceResult> {
  const env = options.env ?? process.env;
  const command = options.command ?? systemRegExe(env);
  const timeoutMs = options.timeoutMs ?? 10_000;
  const run = options.run ?? execFileRunner;
  const outcome = await run(command, ['query', WALKUP_POLICY_KEY, '/s', '/reg:64'], {
    timeoutMs,
    maxBytes: MAX_REG_OUTPUT_BYTES,
  });
  if (outcome.kind === 'timeout') {
    return {
      ok: false,
      code: 'timeout',
      errors: [`${command} query ${WALKUP_POLICY_KEY} did not answer within ${timeoutMs} ms`],
    };
  }
  if (outcome.kind === 'failed') {
    return {
      ok: false,
      code: 'unreadable',
      errors: [`${command} query ${WALKUP_POLICY_KEY}: ${outcome.reason}`],
    };
  }
  if (outcome.exitCode !== 0) {
    const said = outcome.stderr.trim().split(/\r?\n/)[0]?.slice(0, 200) ?? '';
    if (outcome.exitCode === 1 && outcome.stdout.trim() === '') {
      return {
        ok: false,
        code: 'missing',
        errors: [`${WALKUP_POLICY_KEY} not found${said ? ` (${said})` : ''}`],
      };
    }
    return {
      ok: false,
      code: 'unreadable',
      errors: [
        `${command} query ${WALKUP_POLICY_KEY} exited with ${outcome.exitCode}${said ? `: ${said}` : ''}`,
      ],
    };
  }
  return registryPolicyFromRegQuery(outcome.stdout, env);
}
