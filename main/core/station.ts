/**
 * The one station assembly: configuration -> audit sink -> secrets -> directory -> Duo
 * integration -> engine. The kiosk (`main/electron/station.ts`), portal mode (`walkup serve`)
 * and `walkup status` all start here (`assembleStation`), so a station behaves the same
 * whichever shell runs it, and a new sink or store is added once. A shell says only what is
 * its own: where its default audit file lives, its v4 redirect_uri, its default state folder.
 *
 * `buildStation` is the part after the audit log, for callers that bring their own log (tests,
 * benchmarks).
 */
import path from 'node:path';
import {
  chooseAuditSink,
  keepRecentAudit,
  openAuditSink,
  type AuditCloseResult,
  type AuditPlacement,
  type AuditSink,
} from './audit';
import type { AuditLog, AuditRecord } from './audit/types';
import { resolveBranding } from './branding/station-branding';
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
  createOutOfServiceEngine,
  loadAuditUsernameKey,
  unconfiguredDirectory,
  unconfiguredDuo,
  type EnrollmentEngine,
  type EnrollmentEngineDeps,
  type Timers,
  type UsernameKeyStore,
} from './enrollment';
import type { OutOfServiceReason } from '../contract';
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
  /**
   * Reader for `{ vault }` secret references: the kiosk's encrypted vault (`core/secrets`,
   * `openKioskVault`). Absent (portal mode, the CLI): such references are refused.
   */
  vault?: SecretIo['vault'];
  timers?: Timers;
  /**
   * The kiosk: where its generated audit username key is kept encrypted (the vault entry
   * `audit.usernameHashKey`) instead of a file in the state folder.
   */
  usernameKeyStore?: UsernameKeyStore;
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
  /** Resolves once state kept in the state folder (throttle counters) is written. Never rejects. */
  stateSaved(): Promise<void>;
}

function secretIo(deps: StationDeps): SecretIo {
  if (!deps.env && !deps.readFile && !deps.vault) return defaultSecretIo;
  const io: SecretIo = { ...defaultSecretIo, env: deps.env ?? defaultSecretIo.env };
  if (deps.vault) io.vault = deps.vault;
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
  // The logo is read once, for a station out of service too; a file that cannot be used gives
  // the default logo and a warning, never an out-of-service station (`station-branding.ts`).
  const branding = await resolveBranding(config.branding, { logger });

  /** The engine over `directory` and `duo`, with the station's clock, logger, audit log and timers. */
  const startEngine = (
    directory: Directory,
    duo: DuoIntegration,
    extra: Pick<EnrollmentEngineDeps, 'demoUsers' | 'forcedOutOfService' | 'usernameHashKey' | 'branding'>,
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
      branding,
    });
    return { engine, directory, duo, problems, stateSaved: () => Promise.resolve() };
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
    keyStore: deps.usernameKeyStore,
    logger,
  });
  logger.info('audit.username-key', { source: usernameKey.source });

  const demo = demoModeOf(config);
  const engine = startEngine(directory, duo, {
    usernameHashKey: usernameKey.key,
    branding,
    ...(demo ? { demoUsers: demo.users } : {}),
  });
  const { throttleStore } = directoryDeps;
  return {
    engine,
    directory,
    duo,
    problems: [],
    stateSaved: () => throttleStore?.flush() ?? Promise.resolve(),
  };
}

/**
 * What a demo station (`directory.type: "demo"`) does differently, decided here and nowhere
 * else: the welcome screen and `walkup serve` show its accounts (`users`), and its audit log
 * stays in memory unless `audit.file` is set (`chooseAuditSink`: nothing real to record).
 * Undefined outside demo mode.
 */
export interface DemoMode {
  /** The demo directory's accounts with their passwords, to show on screen. */
  users: { username: string; password: string }[];
}

/** The station's demo mode, or undefined when it runs a real directory. */
export function demoModeOf(config: WalkupConfig): DemoMode | undefined {
  if (config.directory.type !== 'demo') return undefined;
  return { users: DEMO_USERS.map(({ username, password }) => ({ username, password })) };
}

/** Each stop step (saved state, audit queue) gets at most this long (ms), in every shell. */
export const STATION_STOP_STEP_MS = 1500;

/** What stopping a station could not finish in time; the shell reports it its own way. */
export interface StationStopReport {
  /** False when the saved state (throttle counters) was not written within the step. */
  stateSaved: boolean;
  /** The audit queue's close, or the name of the error it threw. */
  audit: AuditCloseResult | { error: string };
}

/** A station's audit sink, with its last records for the admin screen (`recent-audit.ts`). */
export interface StationAuditSink extends AuditSink {
  /** The newest audit records first, at most `limit` (at most 50 are kept). */
  recent(limit: number): AuditRecord[];
}

/** Opens the sink and keeps its last records (`keepRecentAudit`). */
function openStationAuditSink(...args: Parameters<typeof openAuditSink>): StationAuditSink {
  const sink = openAuditSink(...args);
  const { clock, stationName } = args[1];
  const ring = keepRecentAudit(sink.log, { clock, stationName });
  return {
    log: ring.log,
    where: sink.where,
    close: (deadlineMs) => sink.close(deadlineMs),
    recent: ring.recent,
  };
}

/** A station with its audit sink, as a shell runs it. */
export interface RunningStation {
  engine: EnrollmentEngine;
  audit: StationAuditSink;
  /**
   * Closes the engine, then waits at most `STATION_STOP_STEP_MS` each for the saved state and
   * for the audit queue. Never throws.
   */
  stop(): Promise<StationStopReport>;
}

/** An assembled station: the parts `buildStation` made, its audit sink and its demo mode. */
export interface AssembledStation extends Station, RunningStation {
  demo: DemoMode | undefined;
}

/** What a shell brings to `assembleStation`. */
export interface AssemblyDeps extends Omit<StationDeps, 'audit'> {
  /** Where this shell keeps the audit log when `audit.file` is unset. */
  audit: AuditPlacement;
  /** Told when an audit write failed (the lines stay queued and are retried). */
  onAuditError?: (error: Error) => void;
}

/** Whether `work` settles within `ms`. Never rejects. */
export async function settlesWithin(ms: number, work: Promise<unknown>): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([
      work.then(
        () => true,
        () => true,
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

async function stopStation(
  engine: EnrollmentEngine,
  stateSaved: () => Promise<void>,
  audit: AuditSink,
): Promise<StationStopReport> {
  engine.close();
  const saved = await settlesWithin(STATION_STOP_STEP_MS, stateSaved());
  try {
    return { stateSaved: saved, audit: await audit.close(STATION_STOP_STEP_MS) };
  } catch (error) {
    return { stateSaved: saved, audit: { error: error instanceof Error ? error.name : 'unknown' } };
  }
}

/**
 * Assembles a station from a valid configuration: the audit sink (`chooseAuditSink`: the
 * configuration, demo mode and the shell's placement decide), then `buildStation`. Never throws;
 * a station that cannot work comes back out of service with `problems`.
 */
export async function assembleStation(config: WalkupConfig, deps: AssemblyDeps): Promise<AssembledStation> {
  const { audit: placement, onAuditError, ...stationDeps } = deps;
  const demo = demoModeOf(config);
  const audit = openStationAuditSink(chooseAuditSink(config.audit, { placement, demo: demo !== undefined }), {
    clock: deps.clock,
    logger: deps.logger,
    stationName: config.station.name,
    ...(onAuditError ? { onError: onAuditError } : {}),
  });
  const station = await buildStation(config, { ...stationDeps, audit: audit.log });
  return { ...station, audit, demo, stop: () => stopStation(station.engine, station.stateSaved, audit) };
}

/**
 * A station whose configuration could not be read or validated: it stays out of service with
 * `reason` and audits every refused sign-in to the shell's default place, with the schema's
 * default sizes.
 */
export function assembleOutOfServiceStation(
  problem: { reason: OutOfServiceReason; detail: string },
  deps: Pick<AssemblyDeps, 'clock' | 'logger' | 'audit' | 'onAuditError'>,
): RunningStation {
  const { clock, logger } = deps;
  const audit = openStationAuditSink(chooseAuditSink(undefined, { placement: deps.audit, demo: false }), {
    clock,
    logger,
    stationName: 'Walkup',
    ...(deps.onAuditError ? { onError: deps.onAuditError } : {}),
  });
  const engine = createOutOfServiceEngine({ ...problem, clock, logger, audit: audit.log });
  return { engine, audit, stop: () => stopStation(engine, () => Promise.resolve(), audit) };
}
