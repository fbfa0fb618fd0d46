/**
 * `walkup duo-check --config <file>`: checks the configured Duo integration the way a station
 * would (reachability, credentials, clock skew) and prints one JSON line, which holds no secret.
 * Exit 0: ok; 1: Duo answered but rejected the credentials; 2: unreachable, or a configuration
 * or secret problem.
 */
import { defaultSecretIo, resolveStationSecrets } from '../core/config/secrets';
import { runDuoCheck, type DuoCheckReport } from '../core/duo';
import { systemClock } from '../core/ports';
import { parseCommandOptions } from './args';
import { createConsoleLogger } from './console-logger';
import { exitCodes, type CliIo } from './io';
import { loadConfigFile } from './load-config';

/** The exit code for a report. */
export function duoCheckExitCode(report: Pick<DuoCheckReport, 'ok' | 'reachable'>): number {
  if (report.ok) return exitCodes.ok;
  return report.reachable ? exitCodes.failed : exitCodes.usage;
}

/** Runs the command. */
export async function runDuoCheckCommand(args: string[], io: CliIo): Promise<number> {
  const options = parseCommandOptions(args, {
    config: { type: 'string', short: 'c' },
    verbose: { type: 'boolean' },
  });
  if (!options.ok || !options.values.config) {
    io.err(`walkup duo-check: ${options.ok ? 'missing --config <file>' : options.error}`);
    return exitCodes.usage;
  }
  const loaded = await loadConfigFile(options.values.config, io.cwd);
  if (!loaded.ok) {
    io.out(JSON.stringify({ ok: false, error: 'configuration invalid', problems: loaded.errors }));
    return exitCodes.usage;
  }
  const secrets = await resolveStationSecrets(loaded.config, { ...defaultSecretIo, env: io.env });
  if (!secrets.ok) {
    io.out(JSON.stringify({ ok: false, error: 'secrets unavailable', problems: secrets.errors }));
    return exitCodes.usage;
  }
  const report = await runDuoCheck(loaded.config.duo, secrets.secrets.duo, {
    clock: systemClock,
    logger: createConsoleLogger(io, { verbose: options.values.verbose ?? false }),
  });
  io.out(JSON.stringify(report));
  return duoCheckExitCode(report);
}
