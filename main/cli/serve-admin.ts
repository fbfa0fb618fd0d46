/**
 * The admin screen of `walkup serve --state-dir`: the core admin service (`createAdminService`)
 * over portal mode's ports: the state folder's 0600 secret files and signed settings file, the
 * station of the current run, the policy's `admin.*` settings, secret references read as the
 * station reads them, and the serving loop's restart and exit.
 */
import type { AdminApi } from '../contract/admin';
import { currentBuildInfo } from '../build-info';
import { createAdminService, type LoadedSources } from '../core/admin';
import { stationPinGateMemory } from '../core/admin/pin-gate-memory';
import { adminSettingsOf, adminVersion } from '../core/admin/shell-values';
import { defaultSecretIo, resolveSecret } from '../core/config/secrets';
import { systemClock, type Logger } from '../core/ports';
import { createFileSecretStore } from './file-secret-store';
import type { ServedStation } from './serve-station';
import { createSettingsFile } from './settings-file';

/** What one serve run gives its admin screen. */
export interface ServeAdminOptions {
  stateDir: string;
  served: ServedStation;
  sources: LoadedSources;
  logger: Logger;
  env: NodeJS.ProcessEnv;
  redirectUri: string;
  /** Asks the serving loop to restart the station or to stop (once the answer is sent). */
  requestStop(kind: 'restart' | 'exit'): void;
}

/** The admin API of one serve run. */
export function createServeAdmin(options: ServeAdminOptions): AdminApi {
  const { served, sources, stateDir } = options;
  const secretIo = { ...defaultSecretIo, env: options.env };
  return createAdminService({
    clock: systemClock,
    logger: options.logger,
    audit: served.running.audit.log,
    recentAudit: (limit) => served.running.audit.recent(limit),
    secrets: createFileSecretStore(stateDir),
    settingsFile: createSettingsFile(stateDir),
    sources: () => sources,
    station: () => ({
      engine: served.running.engine,
      directory: served.directory,
      duo: served.duo,
      config: served.config,
      problems: served.problems,
    }),
    adminSettings: adminSettingsOf(served.config, sources.policy),
    pinGateMemory: stationPinGateMemory({
      stateDir,
      clock: systemClock,
      settings: adminSettingsOf(served.config, sources.policy),
      logger: options.logger,
    }),
    readSecret: (ref) => resolveSecret(ref, secretIo),
    redirectUri: options.redirectUri,
    version: adminVersion(currentBuildInfo(options.env)),
    restart: async () => options.requestStop('restart'),
    exit: async () => options.requestStop('exit'),
  });
}
