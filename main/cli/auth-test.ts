/**
 * `walkup auth-test --config <policy.json> --username <name>`: an admin's check of directory
 * sign-in. Reads the password from stdin (without echo on a terminal), runs the same
 * authentication the station runs, and prints one JSON line:
 * `{"ok":true,"user":{…}}` (exit 0) or `{"ok":false,"reason":"<code>"}` (exit 1 denied,
 * exit 2 configuration or connection error, with a clear message on stderr).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { configSchema, formatConfigErrors, type DirectoryConfig } from '../core/config/schema';
import { defaultSecretIo, resolveSecret } from '../core/config/secrets';
import { createDirectory, type AuthResult, type DirectoryFailureReason } from '../core/directory';
import { systemClock } from '../core/ports';
import { createConsoleLogger } from './console-logger';
import { readHiddenInput } from './hidden-input';

/** What the command uses of its process. Accepts streams or line writers (the CLI's CliIo). */
export interface AuthTestIo {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?(mode: boolean): unknown };
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
  out?(line: string): void;
  err?(line: string): void;
  env: NodeJS.ProcessEnv;
  /** Directory relative paths are resolved against (default: the process's). */
  cwd?: string;
}

const EXIT_ALLOWED = 0;
const EXIT_DENIED = 1;
const EXIT_ERROR = 2;

/** Reasons that say the station or the directory is wrong, not the person: exit 2. */
const ERROR_REASONS: ReadonlySet<DirectoryFailureReason> = new Set([
  'configuration',
  'unavailable',
  'tls-failed',
  'service-bind-failed',
]);

const USAGE = 'usage: walkup auth-test --config <policy.json> --username <name>   (password on stdin)';

/** Runs the command; resolves with the exit code. */
export async function runAuthTest(args: string[], io: AuthTestIo): Promise<number> {
  const out = (line: string) => (io.out ? io.out(line) : io.stdout?.write(`${line}\n`));
  const err = (line: string) => (io.err ? io.err(line) : io.stderr?.write(`${line}\n`));
  const fail = (reason: DirectoryFailureReason, messages: string[]) => {
    for (const message of messages) err(`walkup auth-test: ${message}`);
    out(JSON.stringify({ ok: false, reason }));
    return ERROR_REASONS.has(reason) ? EXIT_ERROR : EXIT_DENIED;
  };

  let values: { config?: string; username?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args,
      options: {
        config: { type: 'string' },
        username: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    err(`walkup auth-test: ${error instanceof Error ? error.message : String(error)}`);
    err(USAGE);
    return EXIT_ERROR;
  }
  if (values.help) {
    out(USAGE);
    return EXIT_ALLOWED;
  }
  if (!values.config || values.username === undefined) {
    err(`walkup auth-test: --config and --username are required`);
    err(USAGE);
    return EXIT_ERROR;
  }

  const loaded = await loadDirectoryConfig(path.resolve(io.cwd ?? process.cwd(), values.config));
  if (!loaded.ok) return fail('configuration', loaded.errors);
  const config = loaded.config;

  let bindPassword: string | undefined;
  if (config.bindPassword !== undefined) {
    // The station's own secret reader, so a file other users can read is refused here too.
    const secret = await resolveSecret(config.bindPassword, { ...defaultSecretIo, env: io.env });
    if (!secret.ok) return fail('configuration', [`directory.bindPassword: ${secret.error}`]);
    bindPassword = secret.value;
  }

  const password = await readHiddenInput(
    { stdin: io.stdin, ...(io.stderr ? { stderr: io.stderr } : {}), err },
    'Password',
  );
  if (password === undefined) return fail('invalid-input', ['no password on stdin (or it is too long)']);

  const logger = createConsoleLogger({ err }, { verbose: false });
  const directory = createDirectory(config, { bindPassword, clock: systemClock, logger });
  // The password lives only in this call; nothing keeps or caches it.
  const result: AuthResult = await directory.authenticate(values.username, password);

  if (result.ok) {
    const { dn, username, displayName, groups } = result.user;
    out(JSON.stringify({ ok: true, user: { dn, username, displayName, groups } }));
    return EXIT_ALLOWED;
  }
  const notes = [
    `${describeReason(result.reason)}${result.inputProblem ? ` (${result.inputProblem})` : ''}`,
    ...(result.retryAfterSeconds ? [`retry after ${result.retryAfterSeconds} s`] : []),
    ...(result.detail ? [result.detail] : []),
  ];
  return fail(result.reason, notes);
}

type LoadedDirectoryConfig = { ok: true; config: DirectoryConfig } | { ok: false; errors: string[] };

/** Reads the policy file and validates only its `directory` section (Duo is not needed here). */
export async function loadDirectoryConfig(file: string): Promise<LoadedDirectoryConfig> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return {
      ok: false,
      errors: [code ? `cannot read ${file} (${code})` : `${file} is not valid JSON`],
    };
  }
  if (!raw || typeof raw !== 'object' || !('directory' in raw)) {
    return { ok: false, errors: [`directory: is required in ${file}`] };
  }
  const parsed = configSchema.shape.directory.safeParse((raw as { directory: unknown }).directory);
  if (!parsed.success) {
    return {
      ok: false,
      errors: formatConfigErrors(parsed.error).map((line) =>
        line.startsWith('(root)') ? `directory${line.slice('(root)'.length)}` : `directory.${line}`,
      ),
    };
  }
  return { ok: true, config: parsed.data };
}

function describeReason(reason: DirectoryFailureReason): string {
  switch (reason) {
    case 'configuration':
      return 'the directory configuration is not usable';
    case 'unavailable':
      return 'no directory server could be reached';
    case 'tls-failed':
      return 'TLS to the directory failed (check tls.caFile, tls.servername and the server certificate)';
    case 'service-bind-failed':
      return 'the service account (bindDN / bindPassword) was refused';
    default:
      return `sign-in refused: ${reason}`;
  }
}
