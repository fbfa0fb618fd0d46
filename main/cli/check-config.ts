/**
 * `walkup check-config --config <file> [--skip-secrets]`: validates a configuration file the way
 * the station would, secrets included (unless skipped, e.g. when checking a policy on another
 * machine). Prints one line per problem, each naming the key; exit 0 when valid, 2 otherwise.
 */
import { defaultSecretIo, resolveStationSecrets } from '../core/config/secrets';
import { parseCommandOptions } from './args';
import { exitCodes, type CliIo } from './io';
import { loadConfigFile } from './load-config';

/** Runs the command. */
export async function runCheckConfig(args: string[], io: CliIo): Promise<number> {
  const options = parseCommandOptions(args, {
    config: { type: 'string', short: 'c' },
    'skip-secrets': { type: 'boolean' },
  });
  if (!options.ok || !options.values.config) {
    io.err(`walkup check-config: ${options.ok ? 'missing --config <file>' : options.error}`);
    return exitCodes.usage;
  }
  const loaded = await loadConfigFile(options.values.config, io.cwd);
  let problems = loaded.ok ? [] : loaded.errors;
  if (loaded.ok && !options.values['skip-secrets']) {
    const secrets = await resolveStationSecrets(loaded.config, { ...defaultSecretIo, env: io.env });
    for (const warning of secrets.warnings) io.out(`warning: ${warning}`);
    if (!secrets.ok) problems = secrets.errors;
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
