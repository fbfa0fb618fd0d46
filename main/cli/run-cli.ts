/**
 * The command dispatcher: finds the command, runs it, and turns an unexpected exception into one
 * line on stderr and exit code 1 (never a stack trace with configuration values in it).
 */
import { currentBuildInfo, formatVersionLine } from '../build-info';
import { exitCodes, type CliIo } from './io';

/** One command of the `walkup` CLI. */
export interface CliCommand {
  /** Synopsis line for the usage text. */
  usage: string;
  summary: string;
  /** More for `walkup <command> --help` (formats, where things go), after the summary. */
  help?: string;
  run(args: string[], io: CliIo): Promise<number>;
}

/**
 * The commands. Each module is imported only when its command runs, so `--help` stays fast and a
 * command's dependencies load only when needed.
 */
export const commands: Record<string, CliCommand> = {
  serve: {
    usage:
      'serve [--config <policy.json>] [--state-dir <dir>] [--port N] [--host H] [--allow-host NAME]… [--verbose]',
    summary: 'Portal mode: serve the station to browsers over HTTP.',
    help: [
      'Without --state-dir, --config is required and must be valid (exit 2 otherwise).',
      '--state-dir <dir> is the station state folder: settings.json (signed, written by the admin screen),',
      'secrets/ (0600 files), throttle counters and, unless audit.file is set, audit.jsonl. With it,',
      '--config is optional (a fresh station has none), and a configuration that cannot run yet is served',
      'out of service with the reason instead of exiting. When the policy sets portal.adminScreen, the',
      'admin screen and first-run setup are served to this machine only (loopback), behind the admin PIN;',
      'its Restart starts the station again on the same host and port, its Exit stops the command (exit 0).',
    ].join('\n'),
    run: async (args, io) => (await import('./serve')).runServe(args, io),
  },
  'check-config': {
    usage: 'check-config (--config <policy.json> | --managed) [--skip-secrets]',
    summary:
      "Validate a configuration file, or with --managed this machine's managed policy as the kiosk reads it (registry / managed preferences / policy.json); one line per problem, naming the key.",
    run: async (args, io) => (await import('./check-config')).runCheckConfig(args, io),
  },
  'auth-test': {
    usage: 'auth-test --config <policy.json> --username <name>',
    summary: 'Check directory sign-in for one person (password on stdin); prints one JSON line.',
    run: async (args, io) => (await import('./auth-test')).runAuthTest(args, io),
  },
  'duo-check': {
    usage: 'duo-check --config <policy.json> [--verbose]',
    summary:
      'Check Duo reachability and credentials; prints one JSON line (exit 0 ok, 1 rejected, 2 unreachable).',
    run: async (args, io) => (await import('./duo-check')).runDuoCheckCommand(args, io),
  },
  status: {
    usage: 'status --config <policy.json> [--pretty] [--verbose]',
    summary:
      'Station status: in service or why not, each directory server, Duo and clock skew; prints one JSON line (exit 0 ok, 1 warnings, 2 out of service or invalid configuration).',
    run: async (args, io) => (await import('./status')).runStatus(args, io),
  },
  'policy-template': {
    usage: 'policy-template',
    summary:
      'Print a complete example policy: every key with a comment and its default (JSON with // comments; strip them for policy.json).',
    run: async (args, io) => (await import('./policy-template')).runPolicyTemplate(args, io),
  },
  'generate-akey': {
    usage: 'generate-akey',
    summary: 'Print a new random Duo Web SDK v2 application key (duo.akey): 43 characters, printed once.',
    help: [
      'The akey is 32 random bytes in base64url (256 bits; Duo asks for at least 40 characters).',
      'Nothing is stored: keep it with `walkup import-secrets` (vault entry duo.akey) or in a 0600 file.',
    ].join('\n'),
    run: async (args, io) => (await import('./generate-akey')).runGenerateAkey(args, io),
  },
  'hash-pin': {
    usage: 'hash-pin',
    summary:
      'Hash an admin PIN with scrypt (typed twice without echo on a terminal, else read from stdin); prints the hash.',
    help: [
      'A PIN is 6 to 16 digits. The output is one line:',
      '  scrypt$16384$8$5$<salt, base64>$<hash, base64>',
      '(scrypt N=16384, r=8, p=5; a 16-byte random salt, a 32-byte hash). The PIN is never printed.',
      "It is the admin screen's PIN: on a kiosk, import it as vault entry admin.pinHash (`walkup import-secrets`,",
      'accepted only while the station has no PIN yet); for `walkup serve --state-dir DIR`, write it to',
      'DIR/secrets/admin.pinHash (mode 0600). A fresh station can also create its PIN on the setup screen.',
    ].join('\n'),
    run: async (args, io) => (await import('./hash-pin')).runHashPin(args, io),
  },
  'import-secrets': {
    usage: 'import-secrets --file <secrets.json> [--state-dir <kiosk userData folder>]',
    summary:
      "Hand secrets to a kiosk's vault: writes them as its pending import (mode 0600), which the kiosk encrypts into its vault at its next start and then deletes.",
    help: [
      'secrets.json (mode 0600) is one JSON object of vault entry names to values, e.g.',
      '  { "duo.clientSecret": "…", "directory.bindPassword": "…" }',
      "--state-dir is the kiosk's userData folder (default: this account's: ~/.config/Walkup on Linux,",
      '~/Library/Application Support/Walkup on macOS, %APPDATA%\\Walkup on Windows); run the command as the',
      'kiosk account. No Electron here means no safeStorage: the values are encrypted by the kiosk, not by',
      'this command, and sit in the pending file (0600) until the kiosk starts. Only names are printed.',
      'Refer to an entry in the policy as { "vault": "<name>" }.',
    ].join('\n'),
    run: async (args, io) => (await import('./import-secrets')).runImportSecrets(args, io),
  },
};

/** The usage text. */
export function usageText(): string {
  return [
    'Usage: walkup <command> [options]',
    '',
    'Commands:',
    ...Object.values(commands).flatMap((command) => [`  ${command.usage}`, `      ${command.summary}`]),
    '',
    'Run `walkup <command> --help` for the options of one command.',
    '`walkup --version` prints the version and the build (commit and date).',
  ].join('\n');
}

/** Runs `walkup <args…>`; resolves with the exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(usageText());
    return name === undefined ? exitCodes.usage : exitCodes.ok;
  }
  if (name === '--version' || name === '-v' || name === 'version') {
    io.out(formatVersionLine(currentBuildInfo(io.env)));
    return exitCodes.ok;
  }
  const command = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!command) {
    io.err(`walkup: unknown command "${name}"`);
    io.err(usageText());
    return exitCodes.usage;
  }
  if (args.includes('--help') || args.includes('-h')) {
    io.out(
      `Usage: walkup ${command.usage}\n\n${command.summary}${command.help ? `\n\n${command.help}` : ''}`,
    );
    return exitCodes.ok;
  }
  try {
    return await command.run(args, io);
  } catch (error) {
    io.err(`walkup ${name}: unexpected failure: ${error instanceof Error ? error.message : String(error)}`);
    return exitCodes.failed;
  }
}
