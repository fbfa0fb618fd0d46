/**
 * Builds a whole station from a validated configuration: secrets resolved, directory and Duo
 * gateway created, engine started. Electron, portal mode and the CLI all start here, so a
 * station behaves the same whichever shell runs it.
 */
import path from 'node:path';
import type { AuditLog } from './audit/types';
import type { WalkupConfig } from './config/schema';
import { defaultSecretIo, resolveStationSecrets, type SecretIo } from './config/secrets';
import {
  createDirectory,
  createFileThrottleStore,
  DEMO_USERS,
  THROTTLE_STATE_FILE,
  type DirectoryDeps,
} from './directory';
import type { Directory } from './directory/types';
import { createDuoIntegration, duoSecretProblems } from './duo';
import type { DuoIntegration } from './duo/types';
import {
  createEnrollmentEngine,
  loadAuditUsernameKey,
  unconfiguredDirectory,
  unconfiguredDuo,
  type EnrollmentEngine,
  type EnrollmentEngineDeps,
  type Timers,
} from './enrollment';
import type { Clock, Logger } from './ports';

export interface StationDeps {
  clock: Clock;
  logger: Logger;
  audit: AuditLog;
  /** Where Duo sends the browser back after the Universal Prompt (v4). */
  redirectUri: string;
  /** Environment for `{ env }` secret references (default: `process.env`). */
  env?: Record<string, string | undefined>;
  /** Reader for `{ file }` secret references (default: the file system, with a mode check). */
  readFile?: (path: string) => Promise<string>;
  timers?: Timers;
  /**
   * The state folder when the configuration names none (`station.stateDirectory`): the kiosk
   * passes its userData folder. Neither set: state such as throttle counters stays in memory.
   */
  defaultStateDirectory?: string;
}

export interface Station {
  engine: EnrollmentEngine;
  directory: Directory;
  duo: DuoIntegration;
  /**
   * Why the station is out of service for good (secrets unreadable, Duo keys of the wrong
   * length), one line per problem naming the key; empty when it started normally.
   */
  problems: string[];
  /** Things the admin should fix that do not stop the station (secret file mode). */
  warnings: string[];
  /** Resolves once state kept in the state folder (throttle counters) is written. Never rejects. */
  stateSaved(): Promise<void>;
}

function secretIo(deps: StationDeps): SecretIo {
  if (!deps.env && !deps.readFile) return defaultSecretIo;
  const io: SecretIo = { ...defaultSecretIo, env: deps.env ?? defaultSecretIo.env };
  if (deps.readFile) {
    // A custom reader has no file modes to check.
    io.readFile = deps.readFile;
    delete io.stat;
  }
  return io;
}

/** Resolves secrets and builds the directory, the Duo integration and the engine. Never throws. */
export async function buildStation(config: WalkupConfig, deps: StationDeps): Promise<Station> {
  const { clock, logger, audit } = deps;
  const resolved = await resolveStationSecrets(config, secretIo(deps));
  const warnings = resolved.warnings;
  for (const warning of warnings) logger.warn('secret-file-permissions', { warning });

  /** The engine over `directory` and `duo`, with the station's clock, logger, audit log and timers. */
  const startEngine = (
    directory: Directory,
    duo: DuoIntegration,
    extra: Pick<EnrollmentEngineDeps, 'demoUsers' | 'forcedOutOfService' | 'usernameHashKey'>,
  ): EnrollmentEngine =>
    createEnrollmentEngine({
      config,
      directory,
      duo,
      clock,
      logger,
      audit,
      ...extra,
      ...(deps.timers ? { timers: deps.timers } : {}),
    });

  const outOfService = (
    reason: 'secrets-unavailable' | 'configuration-invalid',
    problems: string[],
  ): Station => {
    logger.error('station-cannot-start', { reason, problems });
    const directory = unconfiguredDirectory;
    const duo = unconfiguredDuo(config.duo.sdk);
    const engine = startEngine(directory, duo, {
      forcedOutOfService: { reason, detail: problems.join('; ') },
    });
    return { engine, directory, duo, problems, warnings, stateSaved: () => Promise.resolve() };
  };

  if (!resolved.ok) return outOfService('secrets-unavailable', resolved.errors);
  const { secrets } = resolved;

  const duoProblems = duoSecretProblems(config.duo, secrets.duo);
  if (duoProblems.length > 0) return outOfService('configuration-invalid', duoProblems);

  let duo: DuoIntegration;
  try {
    duo = createDuoIntegration(config.duo, secrets.duo, { clock, logger, redirectUri: deps.redirectUri });
  } catch (error) {
    return outOfService('configuration-invalid', [
      `duo: ${error instanceof Error ? error.message : String(error)}`,
    ]);
  }

  const directoryDeps: DirectoryDeps = { clock, logger };
  if (secrets.bindPassword !== undefined) directoryDeps.bindPassword = secrets.bindPassword;
  const stateDirectory = config.station.stateDirectory ?? deps.defaultStateDirectory;
  if (stateDirectory !== undefined) {
    // Throttle counters survive a restart, so restarting the station does not reset a guesser.
    directoryDeps.throttleStore = createFileThrottleStore(path.join(stateDirectory, THROTTLE_STATE_FILE), {
      clock,
      logger,
    });
  }
  const directory = createDirectory(config.directory, directoryDeps);

  // The audit log's username hash key: configured, else kept in the state folder, else per run.
  const usernameKey = await loadAuditUsernameKey({
    configured: secrets.auditUsernameHashKey,
    stateDirectory,
    logger,
  });
  logger.info('audit.username-key', { source: usernameKey.source });

  const engine = startEngine(directory, duo, {
    usernameHashKey: usernameKey.key,
    ...(config.directory.type === 'demo'
      ? { demoUsers: DEMO_USERS.map(({ username, password }) => ({ username, password })) }
      : {}),
  });
  const { throttleStore } = directoryDeps;
  return {
    engine,
    directory,
    duo,
    problems: [],
    warnings,
    stateSaved: () => throttleStore?.flush() ?? Promise.resolve(),
  };
}
