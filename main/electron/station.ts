/**
 * Starts the engine for the kiosk: the audit log on disk, then `buildStation` with the v4
 * redirect_uri the Duo view intercepts. An invalid configuration gives an engine that stays out
 * of service with the reason, so the kiosk shows the out-of-service screen instead of crashing.
 */
import path from 'node:path';
import { createAuditLog } from '../core/audit';
import type { WalkupConfig } from '../core/config/schema';
import { createOutOfServiceEngine } from '../core/enrollment';
import type { EnrollmentEngine } from '../core/enrollment/types';
import type { Clock, Logger } from '../core/ports';
import { buildStation } from '../core/station';
import { DEFAULT_DUO_CALLBACK_URL } from './app-origin';
import type { KioskConfig } from './config';

export interface KioskStation {
  engine: EnrollmentEngine;
  /** The valid configuration, when there is one. */
  config: WalkupConfig | undefined;
  /**
   * Stops the station for quitting: closes the engine, then waits at most `STOP_STEP_MS` each for
   * the saved state (throttle counters) and for the audit queue. Audit lines that could not be
   * written by then are handed to the operational log (they hold no secret), never lost silently.
   * Never throws.
   */
  stop(): Promise<void>;
}

/** Each stop step (saved state, audit queue) gets at most this long, as in `walkup serve`. */
export const STOP_STEP_MS = 1500;

async function within(ms: number, work: Promise<unknown>): Promise<boolean> {
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
  audit: ReturnType<typeof createAuditLog>,
  stateSaved: () => Promise<void>,
  logger: Logger,
): Promise<void> {
  engine.close();
  if (!(await within(STOP_STEP_MS, stateSaved()))) logger.warn('state.save-timeout', { ms: STOP_STEP_MS });
  try {
    const result = await audit.close(STOP_STEP_MS);
    if (!result.flushed) {
      logger.error('audit.unwritten-at-quit', { count: result.unwritten.length, lines: result.unwritten });
    }
    if (result.dropped > 0) logger.error('audit.dropped-at-quit', { count: result.dropped });
  } catch (error) {
    logger.error('audit.close-failed', { error: error instanceof Error ? error.name : 'unknown' });
  }
}

/**
 * Builds the station; never throws. `logsDir` holds the audit log unless the config names one;
 * `stateDir` (userData) holds state that survives a restart, such as throttle counters, unless
 * `station.stateDirectory` names another folder.
 */
export async function startKioskStation(
  loaded: KioskConfig,
  deps: { clock: Clock; logger: Logger; logsDir: string; stateDir: string },
): Promise<KioskStation> {
  const { clock, logger } = deps;
  const auditFile = (config?: WalkupConfig): string =>
    config?.audit.file ?? path.join(deps.logsDir, 'walkup-audit.jsonl');
  const onError = (error: Error): void => logger.error('audit-write-failed', { error: error.name });

  if (!loaded.ok) {
    logger.error('configuration-invalid', { problems: loaded.errors, policyFile: loaded.policyFile });
    const audit = createAuditLog({
      file: auditFile(),
      maxBytes: 10 * 1024 * 1024,
      keep: 5,
      clock,
      stationName: 'Walkup',
      onError,
      logger,
    });
    const engine = createOutOfServiceEngine({
      reason: 'configuration-invalid',
      detail: loaded.errors.join('; '),
      clock,
      logger,
      audit,
    });
    return {
      engine,
      config: undefined,
      stop: () => stopStation(engine, audit, () => Promise.resolve(), logger),
    };
  }

  const { config } = loaded;
  const audit = createAuditLog({
    file: auditFile(config),
    maxBytes: config.audit.maxBytes,
    keep: config.audit.keep,
    minHistoryHours: config.audit.minHistoryHours,
    perClientPerMinute: config.audit.perClientPerMinute,
    clock,
    stationName: config.station.name,
    onError,
    logger,
  });
  const station = await buildStation(config, {
    clock,
    logger,
    audit,
    redirectUri: DEFAULT_DUO_CALLBACK_URL,
    defaultStateDirectory: deps.stateDir,
  });
  return {
    engine: station.engine,
    config,
    stop: () => stopStation(station.engine, audit, station.stateSaved, logger),
  };
}
