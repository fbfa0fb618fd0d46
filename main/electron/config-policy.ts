/**
 * Where the kiosk finds its configuration: the managed policy file for each platform (deployed
 * by MDM/GPO, read-only for the kiosk account), or a `--policy <file>` argument for the demo and
 * for development (never in a packaged build). Pure: paths are computed from the platform and environment given.
 */
import path from 'node:path';

/** The managed policy file per platform: one definition, in core (the CLI needs it too). */
export { managedPolicyPath } from '../core/config/policy-sources/policy-paths';

export type PolicyArgument =
  | { kind: 'none' }
  | { kind: 'file'; path: string }
  | { kind: 'invalid'; reason: 'missing-value' | 'repeated' };

/**
 * Reads `--policy <file>` or `--policy=<file>` from the command line. A repeated or empty
 * argument is an error rather than a guess about which one was meant.
 */
export function parsePolicyArgument(argv: readonly string[]): PolicyArgument {
  const found: string[] = [];
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index] ?? '';
    if (arg === '--policy') {
      const value = argv[index + 1];
      if (value === undefined || value === '' || value.startsWith('--'))
        return { kind: 'invalid', reason: 'missing-value' };
      found.push(value);
      index += 1;
    } else if (arg.startsWith('--policy=')) {
      const value = arg.slice('--policy='.length);
      if (value === '') return { kind: 'invalid', reason: 'missing-value' };
      found.push(value);
    }
  }
  if (found.length > 1) return { kind: 'invalid', reason: 'repeated' };
  const [only] = found;
  return only === undefined ? { kind: 'none' } : { kind: 'file', path: only };
}

/**
 * Which policy file the kiosk reads. A packaged station reads only the managed location and
 * ignores `--policy` altogether (`ignoredArgument` says so, for the log): whoever could add an
 * argument to the kiosk's shortcut must not choose its policy. Development runs (the demo, the
 * end-to-end suite) honour `--policy` over the managed file. With neither, the station runs on
 * local settings alone (`path` undefined).
 */
export function choosePolicyFile(options: {
  argument: PolicyArgument;
  managedPath: string;
  managedExists: boolean;
  isPackaged: boolean;
}):
  | { ok: true; path: string | undefined; source: 'managed' | 'argument' | 'none'; ignoredArgument: boolean }
  | { ok: false; reason: string } {
  const { argument } = options;
  if (options.isPackaged) {
    const ignoredArgument = argument.kind !== 'none';
    return options.managedExists
      ? { ok: true, path: options.managedPath, source: 'managed', ignoredArgument }
      : { ok: true, path: undefined, source: 'none', ignoredArgument };
  }
  if (argument.kind === 'invalid') return { ok: false, reason: `--policy: ${argument.reason}` };
  if (argument.kind === 'file') {
    return { ok: true, path: path.resolve(argument.path), source: 'argument', ignoredArgument: false };
  }
  if (options.managedExists) {
    return { ok: true, path: options.managedPath, source: 'managed', ignoredArgument: false };
  }
  return { ok: true, path: undefined, source: 'none', ignoredArgument: false };
}
