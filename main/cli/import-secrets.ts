/**
 * `walkup import-secrets --file <secrets.json> [--state-dir <folder>]`: hands secrets to a kiosk
 * for its vault. There is no Electron here, so no safeStorage, and the key belongs to the kiosk
 * account anyway: the command cannot encrypt for the kiosk and does not pretend to. It checks the
 * provisioning file (one JSON object of vault entry names to values, mode 0600 like every secret
 * file) and writes its entries as the kiosk's pending import, `secrets-import.json` (mode 0600)
 * in the kiosk's userData folder (`--state-dir`, default: this account's, as Electron names it).
 * At its next start the kiosk moves them into its vault, encrypted, and deletes that file
 * (`core/secrets/provisioning`). Run it as the kiosk account, so the kiosk can read the file.
 * Prints entry names only, never a value.
 */
import { readFile, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { secretFileModeProblem } from '../core/config/secrets';
import { parseProvisioning, writePendingImport } from '../core/secrets/provisioning';
import { parseCommandOptions } from './args';
import { exitCodes, type CliIo } from './io';

/** The Electron app name: userData is `<appData>/Walkup`. */
const APP_FOLDER = 'Walkup';

/**
 * The kiosk's userData folder for the account running the command, as Electron computes it:
 * `%APPDATA%\Walkup` (Windows), `~/Library/Application Support/Walkup` (macOS),
 * `$XDG_CONFIG_HOME/Walkup` or `~/.config/Walkup` (Linux).
 */
export function defaultKioskStateDir(
  platform: NodeJS.Platform,
  env: Readonly<Record<string, string | undefined>>,
  home: string = homedir(),
): string {
  if (platform === 'win32') {
    return path.win32.join(env.APPDATA ?? path.win32.join(home, 'AppData', 'Roaming'), APP_FOLDER);
  }
  if (platform === 'darwin') return path.posix.join(home, 'Library', 'Application Support', APP_FOLDER);
  const config =
    env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : undefined;
  return path.posix.join(config ?? path.posix.join(home, '.config'), APP_FOLDER);
}

const fail = (io: CliIo, message: string): number => {
  io.err(`walkup import-secrets: ${message}`);
  return exitCodes.usage;
};

/** Runs the command. `platform` replaces this machine's in tests. */
export async function runImportSecrets(
  args: string[],
  io: CliIo,
  platform: NodeJS.Platform = process.platform,
): Promise<number> {
  const options = parseCommandOptions(args, {
    file: { type: 'string', short: 'f' },
    'state-dir': { type: 'string' },
  });
  if (!options.ok) return fail(io, options.error);
  if (!options.values.file) return fail(io, 'missing --file <secrets.json>');
  const file = path.resolve(io.cwd, options.values.file);
  const stateDir = options.values['state-dir']
    ? path.resolve(io.cwd, options.values['state-dir'])
    : defaultKioskStateDir(platform, io.env);

  const described = `file ${file}`;
  let text: string;
  try {
    if (platform !== 'win32') {
      // The provisioning file holds secrets: the 0600 rule of every `{ file }` secret applies.
      const problem = secretFileModeProblem(described, (await stat(file)).mode);
      if (problem !== undefined) return fail(io, problem);
    }
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return fail(
      io,
      `${described} ${code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? 'error'})`}`,
    );
  }
  const parsed = parseProvisioning(text);
  if (!parsed.ok) {
    for (const line of parsed.errors) io.err(`walkup import-secrets: ${described}: ${line}`);
    return exitCodes.usage;
  }

  const written = await writePendingImport(stateDir, parsed.secrets);
  if (!written.ok) return fail(io, `${written.file}: ${written.error}`);
  const given = Object.keys(parsed.secrets).sort();
  io.out(`pending import written: ${written.file} (mode 0600)`);
  io.out(`  entries: ${given.join(', ')}`);
  if (written.replaced.length > 0) io.out(`  replaced pending entries: ${written.replaced.join(', ')}`);
  if (written.names.length > given.length) io.out(`  pending in all: ${written.names.join(', ')}`);
  io.out(
    'The kiosk moves them into its vault (encrypted with the OS keystore) at its next start and then deletes that file; until then they are protected by its mode alone.',
  );
  io.out(`Refer to them in the policy as { "vault": "<name>" }. You may now delete ${file}.`);
  return exitCodes.ok;
}
