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
import type { OutOfServiceReason, StationInfo, StationWarning } from '../contract';
import type { WalkupConfig } from '../core/config/schema';
import type { ServerHealth } from '../core/directory/types';
import type { DuoHealth, DuoSdk } from '../core/duo/types';
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

/** The JSON report of `walkup status`. Every field is picked by name, so no secret can ride along. */
export interface StatusReport {
  inService: boolean;
  outOfService: { reason: OutOfServiceReason } | null;
  warnings: StationWarning[];
  directory: {
    type: WalkupConfig['directory']['type'];
    servers: ServerHealth[];
  };
  duo: {
    sdk: DuoSdk;
    apiHost: string;
    ok: boolean;
    code?: 'unreachable' | 'credentials-rejected';
    /** Duo's clock minus ours, seconds. */
    skewSeconds?: number;
  };
}

/** Builds the report from the engine's verdict and the check results. */
export function statusReport(
  config: WalkupConfig,
  station: StationInfo,
  servers: ServerHealth[],
  duo: DuoHealth,
): StatusReport {
  return {
    inService: station.inService,
    outOfService: station.outOfService ? { reason: station.outOfService.reason } : null,
    warnings: [...station.warnings],
    directory: {
      type: config.directory.type,
      servers: servers.map((server) => ({
        url: server.url,
        reachable: server.reachable,
        tlsOk: server.tlsOk,
        serviceBindOk: server.serviceBindOk,
        insecure: server.insecure,
        ...(server.latencyMs === undefined ? {} : { latencyMs: server.latencyMs }),
        ...(server.error === undefined ? {} : { error: server.error }),
      })),
    },
    duo: {
      sdk: config.duo.sdk,
      // As the gateway uses it: host names are case-insensitive, Duo's issuer is lower-case.
      apiHost: config.duo.apiHost.toLowerCase(),
      ok: duo.ok,
      ...(duo.ok ? {} : { code: duo.code }),
      ...(duo.ok && duo.skewSeconds !== undefined ? { skewSeconds: duo.skewSeconds } : {}),
    },
  };
}

/** The exit code: 2 out of service, 1 in service with station warnings, 0 otherwise. */
export function statusExitCode(report: Pick<StatusReport, 'inService' | 'warnings'>): number {
  if (!report.inService) return exitCodes.usage;
  return report.warnings.length > 0 ? exitCodes.failed : exitCodes.ok;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
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
    // The engine's verdict, plus the per-server and Duo details it keeps to itself.
    const [info, servers, duo] = await Promise.all([
      station.engine.refreshHealth(),
      station.directory.checkHealth().catch((error: unknown): ServerHealth[] => {
        io.err(`walkup status: directory health check failed: ${errorMessage(error)}`);
        return [];
      }),
      station.duo.health({ fresh: true }).catch((error: unknown): DuoHealth => ({
        ok: false,
        checkedAt: systemClock.now(),
        code: 'unreachable',
        detail: errorMessage(error),
      })),
    ]);
    report = statusReport(config, info, servers, duo);
  } finally {
    // Stops the background re-check timer so the process exits as soon as the report is out.
    station.engine.close();
  }
  io.out(options.values.pretty ? JSON.stringify(report, null, 2) : JSON.stringify(report));
  return statusExitCode(report);
}
