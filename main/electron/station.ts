/**
 * Starts the engine for the kiosk through the one station assembly (`core/station`): the audit
 * log in the kiosk's logs folder unless the configuration names one, throttle counters in its
 * userData folder, and the v4 redirect_uri the Duo view intercepts. An invalid configuration gives
 * an engine that stays out of service with the reason, so the kiosk shows the out-of-service
 * screen instead of crashing.
 */
import path from 'node:path';
import type { RunningStationView } from '../core/admin/ports';
import type { AuditPlacement } from '../core/audit';
import type { AuditLog, AuditRecord } from '../core/audit/types';
import { DEFAULT_DUO_SDK } from '../core/config/schema';
import {
  AUDIT_USERNAME_KEY_ENTRY,
  unconfiguredDirectory,
  unconfiguredDuo,
  type UsernameKeyStore,
} from '../core/enrollment';
import type { WalkupConfig } from '../core/config/schema';
import type { EnrollmentEngine } from '../core/enrollment/types';
import type { Clock, Logger } from '../core/ports';
import {
  assembleOutOfServiceStation,
  assembleStation,
  STATION_STOP_STEP_MS,
  type RunningStation,
  type StationStopReport,
} from '../core/station';
import { DEFAULT_DUO_CALLBACK_URL } from './app-origin';
import type { KioskConfig } from './config';
import type { KioskSecretStore } from './kiosk-secret-store';
import { prepareKioskVault } from './kiosk-secrets';
import type { SafeStorageCipher } from './safe-storage-cipher';

export interface KioskStation {
  engine: EnrollmentEngine;
  /** The valid configuration, when there is one. */
  config: WalkupConfig | undefined;
  /** The station's audit log (the admin service records its events there). */
  audit: AuditLog;
  /** The last audit records, newest first (at most `limit`, at most 50 kept). */
  recentAudit(limit: number): AuditRecord[];
  /** The running station as the admin screen reads it. */
  view(): RunningStationView;
  /**
   * Stops the station for quitting (`RunningStation.stop`: the saved state and the audit queue,
   * each bounded). Audit lines that could not be written by then are handed to the operational
   * log (they hold no secret), never lost silently. Never throws.
   */
  stop(): Promise<void>;
}

/** The kiosk's audit file when the configuration names none: `<logs folder>/walkup-audit.jsonl`. */
export function kioskAuditPlacement(logsDir: string): AuditPlacement {
  return { defaultFile: path.join(logsDir, 'walkup-audit.jsonl') };
}

/**
 * The audit username key in the kiosk's vault (`audit.usernameHashKey`, encrypted with
 * safeStorage), as the station assembly asks for it: absent -> undefined; any other failure
 * (the store refused, cannot decrypt) throws, and the station uses a per-run key and says so.
 */
export function kioskUsernameKeyStore(
  store: Pick<KioskSecretStore, 'has' | 'read' | 'store'>,
): UsernameKeyStore {
  return {
    async read() {
      if (!(await store.has(AUDIT_USERNAME_KEY_ENTRY))) return undefined;
      const read = await store.read(AUDIT_USERNAME_KEY_ENTRY);
      if (!read.ok) throw new Error(read.error);
      return read.value;
    },
    async store(hex) {
      const stored = await store.store(AUDIT_USERNAME_KEY_ENTRY, hex);
      if (!stored.ok) throw new Error(stored.problem);
    },
  };
}

/** Hands what stopping could not finish to the operational log. */
export function logStopReport(report: StationStopReport, logger: Logger, stepMs: number): void {
  if (!report.stateSaved) logger.warn('state.save-timeout', { ms: stepMs });
  if ('error' in report.audit) {
    logger.error('audit.close-failed', { error: report.audit.error });
    return;
  }
  const { flushed, unwritten, dropped } = report.audit;
  if (!flushed) logger.error('audit.unwritten-at-quit', { count: unwritten.length, lines: unwritten });
  if (dropped > 0) logger.error('audit.dropped-at-quit', { count: dropped });
}

/**
 * Builds the station; never throws. `logsDir` holds the audit log unless the config names one;
 * `stateDir` (userData) holds state that survives a restart, such as throttle counters, unless
 * `station.stateDirectory` names another folder, and always the vault that `{ "vault": name }`
 * secrets are read from (`kiosk-secrets`; `cipher` replaces Electron safeStorage in tests).
 */
export async function startKioskStation(
  loaded: KioskConfig,
  deps: {
    clock: Clock;
    logger: Logger;
    logsDir: string;
    stateDir: string;
    cipher?: SafeStorageCipher;
    /** The process's one secret store (the composition root's); without it, one of its own. */
    secretStore?: Pick<KioskSecretStore, 'vaultReader' | 'has' | 'read' | 'store'>;
  },
): Promise<KioskStation> {
  const { clock, logger } = deps;
  const shell = {
    clock,
    logger,
    audit: kioskAuditPlacement(deps.logsDir),
    onAuditError: (error: Error): void => logger.error('audit-write-failed', { error: error.name }),
  };
  const kioskStation = (
    station: RunningStation,
    parts: Omit<RunningStationView, 'engine'>,
  ): KioskStation => ({
    engine: station.engine,
    config: parts.config,
    audit: station.audit.log,
    recentAudit: (limit) => station.audit.recent(limit),
    view: () => ({ engine: station.engine, ...parts }),
    stop: async () => logStopReport(await station.stop(), logger, STATION_STOP_STEP_MS),
  });

  if (!loaded.ok) {
    // Waiting for configuration: the admin detail lists the keys the managed policy lacks.
    const detail = loaded.missing ? `missing keys: ${loaded.missing.join(', ')}` : loaded.errors.join('; ');
    logger.error(loaded.reason, {
      problems: loaded.errors,
      ...(loaded.missing ? { missing: loaded.missing } : {}),
      policyFile: loaded.policyFile,
      policySources: loaded.policySources,
    });
    const station = assembleOutOfServiceStation({ reason: loaded.reason, detail }, shell);
    return kioskStation(station, {
      config: undefined,
      directory: unconfiguredDirectory,
      duo: unconfiguredDuo(DEFAULT_DUO_SDK),
      problems: loaded.missing ? [detail] : loaded.errors,
    });
  }

  const { config } = loaded;
  const station = await assembleStation(config, {
    ...shell,
    redirectUri: DEFAULT_DUO_CALLBACK_URL,
    defaultStateDirectory: deps.stateDir,
    ...(deps.secretStore ? { usernameKeyStore: kioskUsernameKeyStore(deps.secretStore) } : {}),
    vault: deps.secretStore
      ? await deps.secretStore.vaultReader()
      : await prepareKioskVault(config, {
          stateDir: deps.stateDir,
          logger,
          ...(deps.cipher ? { cipher: deps.cipher } : {}),
        }),
  });
  return kioskStation(station, {
    config,
    directory: station.directory,
    duo: station.duo,
    problems: station.problems,
  });
}
