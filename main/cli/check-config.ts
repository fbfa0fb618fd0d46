/**
 * `walkup check-config --config <file> | --managed [--skip-secrets]`: validates a configuration
 * file the way the station would, secrets included (unless skipped, e.g. when checking a policy on
 * another machine); a `{ "vault": name }` secret, which only the kiosk can read, is noted, not
 * counted as a problem. `--managed` checks this machine's managed policy as the kiosk reads it (Windows
 * registry + policy.json, macOS managed preferences + policy.json, Linux policy.json; sources must
 * agree), without local settings. Prints one line per problem, each naming the key; exit 0 when
 * valid, 2 otherwise.
 */
import { defaultSecretIo, resolveStationSecrets, VAULT_ONLY_IN_KIOSK } from '../core/config/secrets';
import { parseCommandOptions } from './args';
import { exitCodes, type CliIo } from './io';
import { loadConfigFile, loadManagedCliConfig, type ManagedSourcesDeps } from './load-config';

/** Runs the command. `managed` replaces this machine's platform and readers in tests. */
export async function runCheckConfig(
  args: string[],
  io: CliIo,
  managed: ManagedSourcesDeps = {},
): Promise<number> {
  const options = parseCommandOptions(args, {
    config: { type: 'string', short: 'c' },
    managed: { type: 'boolean' },
    'skip-secrets': { type: 'boolean' },
  });
  const usage = !options.ok
    ? options.error
    : options.values.config && options.values.managed
      ? 'give --config <file> or --managed, not both'
      : !options.values.config && !options.values.managed
        ? 'missing --config <file> (or --managed)'
        : undefined;
  if (!options.ok || usage !== undefined) {
    io.err(`walkup check-config: ${usage}`);
    return exitCodes.usage;
  }
  const loaded = options.values.config
    ? await loadConfigFile(options.values.config, io.cwd)
    : await loadManagedCliConfig(io.env, managed);
  let problems = loaded.ok ? [] : loaded.errors;
  if (!loaded.ok && loaded.missing) {
    io.out(`waiting for configuration: the managed policy does not set ${loaded.missing.join(', ')}`);
  }
  if (loaded.ok && !options.values['skip-secrets']) {
    const secrets = await resolveStationSecrets(loaded.config, { ...defaultSecretIo, env: io.env });
    if (!secrets.ok) {
      // A `{ vault }` secret is the kiosk's to read at its start: noted, not a problem of the policy.
      const inVault = (line: string): boolean => line.endsWith(VAULT_ONLY_IN_KIOSK);
      for (const line of secrets.errors.filter(inVault)) io.out(`note: ${line}`);
      problems = secrets.errors.filter((line) => !inVault(line));
    }
  }
  if (problems.length > 0) {
    for (const line of problems) io.out(line);
    io.out(`${loaded.file}: ${problems.length} problem${problems.length === 1 ? '' : 's'}`);
    return exitCodes.usage;
  }
  if (!loaded.ok) return exitCodes.usage;
  const { config } = loaded;
  io.out(
    `${loaded.file}: valid (directory ${config.directory.type}, Duo Web SDK ${config.duo.sdk} at ${config.duo.apiHost})`,
  );
  return exitCodes.ok;
}
