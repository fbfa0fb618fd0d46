/**
 * The station check of `walkup status` and of the admin screen's "check" (issue #11: "test both
 * (the same checks as `walkup status`)"): the engine's verdict, every directory server (reachable,
 * TLS, service bind) and Duo (reachable, credentials, clock skew). One implementation: the CLI
 * prints the report, the admin service answers it.
 *
 * Every field is picked by name, so no secret can ride along.
 */
import type { OutOfServiceReason, StationInfo, StationWarning } from '../../contract';
import type { WalkupConfig } from '../config/schema';
import type { Directory, ServerHealth } from '../directory/types';
import type { DuoHealth, DuoIntegration, DuoSdk } from '../duo/types';
import type { EnrollmentEngine } from '../enrollment/types';
import type { Clock } from '../ports';

/** The JSON report of `walkup status` (the admin screen's check adds its own fields). */
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

/** The parts of a station a check reads. */
export interface CheckableStation {
  engine: EnrollmentEngine;
  directory: Directory;
  duo: DuoIntegration;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Runs one health check of `station` (the engine's verdict, plus the per-server and Duo details
 * it keeps to itself) and builds the report. Never rejects: a directory check that throws gives
 * no servers (`onDirectoryError` is told the message), a Duo check that throws is `unreachable`.
 */
export async function checkStation(
  station: CheckableStation,
  config: WalkupConfig,
  options: { clock: Clock; onDirectoryError?: (message: string) => void },
): Promise<StatusReport> {
  const [info, servers, duo] = await Promise.all([
    station.engine.refreshHealth(),
    station.directory.checkHealth().catch((error: unknown): ServerHealth[] => {
      options.onDirectoryError?.(errorMessage(error));
      return [];
    }),
    station.duo.health({ fresh: true }).catch((error: unknown): DuoHealth => ({
      ok: false,
      checkedAt: options.clock.now(),
      code: 'unreachable',
      detail: errorMessage(error),
    })),
  ]);
  return statusReport(config, info, servers, duo);
}
