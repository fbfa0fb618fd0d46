/**
 * `walkup status --config <policy.json> [--pretty] [--verbose]`: the station status an admin
 * needs (issues #3 and #4): whether the station would take visits, why not, what to fix, and the
 * health of every directory server and of Duo (clock skew included). It builds the station the
 * way `serve` does, runs one health check, prints one JSON line (indented with `--pretty`) and
 * exits; the report holds no secret.
 *
 * Exit 0: in service, no warnings; 1: in service with warnings (a replica down, clock skew,
 * insecure LDAP, demo mode, a secret file other users can read); 2: out of service, or a
 * configuration error (named by key on stderr).
 *
 * Warnings a station learns at work, such as `duo-v2-username-unsupported` (Duo v2 could not
 * carry an account's username since the station started), are kept by the serving process: it
 * shows them in its station answer (`GET /api/station`) and logs each refusal with its count;
 * this command builds a station of its own and reports them only when that station saw them.
 */
import { checkStation, type StatusReport } from '../core/admin/status-report';
import { systemClock } from '../core/ports';
import { assembleStation } from '../core/station';
import { parseCommandOptions } from './args';
import { createConsoleLogger } from './console-logger';
import { exitCodes, type CliIo } from './io';
import { loadConfigFile } from './load-config';

/**
 * The v4 redirect_uri is only used to start a sign-in, which a status check never does; the
 * station still needs one to be built.
 */
const STATUS_REDIRECT_URI = 'https://127.0.0.1/walkup/status';

/** The report and its builder live in core (`core/admin/status-report.ts`): the admin screen checks the same way. */
export { statusReport, type StatusReport } from '../core/admin/status-report';

/** The exit code: 2 out of service, 1 in service with station warnings, 0 otherwise. */
export function statusExitCode(report: Pick<StatusReport, 'inService' | 'warnings'>): number {
  if (!report.inService) return exitCodes.usage;
  return report.warnings.length > 0 ? exitCodes.failed : exitCodes.ok;
}

/** Runs the command. */
export async function runStatus(args: string[], io: CliIo): Promise<number> {
  const options = parseCommandOptions(args, {
    config: { type: 'string', short: 'c' },
    pretty: { type: 'boolean' },
    verbose: { type: 'boolean' },
  });
  if (!options.ok || !options.values.config) {
    io.err(`walkup status: ${options.ok ? 'missing --config <policy.json>' : options.error}`);
    return exitCodes.usage;
  }
  const loaded = await loadConfigFile(options.values.config, io.cwd);
  if (!loaded.ok) {
    io.err(`walkup status: invalid configuration in ${loaded.file}:`);
    for (const line of loaded.errors) io.err(`  ${line}`);
    return exitCodes.usage;
  }
  const { config } = loaded;
  const logger = createConsoleLogger(io, { verbose: options.values.verbose ?? false });
  // A status check is not a station at work: its in/out-of-service transitions stay out of the
  // station's audit file (the 'check' placement keeps them in memory).
  const station = await assembleStation(config, {
    clock: systemClock,
    logger,
    audit: 'check',
    redirectUri: STATUS_REDIRECT_URI,
    env: io.env,
  });
  if (station.problems.length > 0) {
    io.err('walkup status: the station is out of service:');
    for (const line of station.problems) io.err(`  ${line}`);
  }

  let report: StatusReport;
  try {
    report = await checkStation(station, config, {
      clock: systemClock,
      onDirectoryError: (message) => io.err(`walkup status: directory health check failed: ${message}`),
    });
  } finally {
    // Stops the background re-check timer so the process exits as soon as the report is out.
    station.engine.close();
  }
  io.out(options.values.pretty ? JSON.stringify(report, null, 2) : JSON.stringify(report));
  return statusExitCode(report);
}
