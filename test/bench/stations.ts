/**
 * What the portal benchmarks start: a station built the way `walkup serve` builds it (demo or
 * slapd directory, the Duo emulator for v4), served on a free loopback port. The benchmarks drive
 * it with test/support/portal-browser.ts, each simulated person at its own X-Forwarded-For address.
 */
import type { AuditLog } from '../../main/core/audit';
import { parseConfig } from '../../main/core/config/schema';
import { silentLogger, systemClock } from '../../main/core/ports';
import { buildStation, type Station } from '../../main/core/station';
import { portalRedirectUri, reserveFreePort, startPortal } from '../../main/portal';
import type { RunningPortal } from '../../main/portal/start';
import type { DuoEmulator } from '../support/duo-emulator';

export interface RunningStation {
  station: Station;
  portal: RunningPortal;
  close(): Promise<void>;
}

/** Builds and serves a v4 station over `directory` (a config object) and the emulator. */
export async function startBenchStation(options: {
  emulator: DuoEmulator;
  directory: Record<string, unknown>;
  audit: AuditLog;
  rendererDir?: string;
  env?: Record<string, string>;
}): Promise<RunningStation> {
  const { emulator } = options;
  const parsed = parseConfig({
    directory: options.directory,
    duo: {
      sdk: 'v4',
      apiHost: emulator.apiHost,
      clientId: emulator.integrations.v4.clientId,
      clientSecret: emulator.integrations.v4.clientSecret,
      caFile: emulator.caFile,
    },
    // Behind a reverse proxy: each simulated person has its own address (X-Forwarded-For).
    portal: { trustProxy: true },
  });
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  const host = '127.0.0.1';
  const port = await reserveFreePort(host);
  const station = await buildStation(parsed.config, {
    clock: systemClock,
    logger: silentLogger,
    audit: options.audit,
    redirectUri: portalRedirectUri({ host, port }),
    env: options.env ?? {},
  });
  if (station.problems.length > 0) throw new Error(station.problems.join('; '));
  const portal = await startPortal({
    engine: station.engine,
    rendererDir: options.rendererDir ?? '/nonexistent-renderer',
    logger: silentLogger,
    trustProxy: true,
    host,
    port,
  });
  return {
    station,
    portal,
    async close() {
      await portal.close();
      station.engine.close();
      await station.stateSaved();
    },
  };
}
