/**
 * Where the kiosk finds its configuration: the managed policy file for each platform (deployed
 * by MDM/GPO, read-only for the kiosk account), or a `--policy <file>` argument for the demo and
 * for development. Pure: paths are computed from the platform and environment given.
 */
import path from 'node:path';

/**
 * The managed policy file: Windows `%ProgramData%\Walkup\policy.json`, macOS
 * `/Library/Application Support/Walkup/policy.json`, Linux (and others) `/etc/walkup/policy.json`.
 */
export function managedPolicyPath(
  platform: NodeJS.Platform,
  env: Readonly<Record<string, string | undefined>>,
): string {
  if (platform === 'win32') {
    const programData = env.ProgramData ?? env.PROGRAMDATA ?? 'C:\\ProgramData';
    return path.win32.join(programData, 'Walkup', 'policy.json');
  }
  if (platform === 'darwin') return '/Library/Application Support/Walkup/policy.json';
  return '/etc/walkup/policy.json';
}

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
 * Which policy file the kiosk reads. A packaged station honours `--policy` only when no managed
 * policy is deployed: a visitor who could add arguments must not override IT's policy. With
 * neither, the station runs on local settings alone (`path` undefined).
 */
export function choosePolicyFile(options: {
  argument: PolicyArgument;
  managedPath: string;
  managedExists: boolean;
  isPackaged: boolean;
}):
  | { ok: true; path: string | undefined; source: 'managed' | 'argument' | 'none' }
  | { ok: false; reason: string } {
  const { argument } = options;
  if (argument.kind === 'invalid') return { ok: false, reason: `--policy: ${argument.reason}` };
  if (options.managedExists && (options.isPackaged || argument.kind === 'none')) {
    return { ok: true, path: options.managedPath, source: 'managed' };
  }
  if (argument.kind === 'file') return { ok: true, path: path.resolve(argument.path), source: 'argument' };
  return { ok: true, path: undefined, source: 'none' };
}
