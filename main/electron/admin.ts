/**
 * The kiosk's admin screen: the core admin service (`core/admin/admin-service.ts`, the contract's
 * `AdminApi`) over the kiosk's ends: the secret store (vault over safeStorage,
 * `kiosk-secret-store.ts`), the electron-store settings file, the configuration sources and the
 * running station, this build's version, and the two ways out: restart (stop the station, then
 * `app.relaunch()` and `app.exit(0)`) and exit (stop the station, then quit). IPC serves the
 * returned API on the admin channels (`ipc.ts`), behind the station window's sender check.
 */
import { app } from 'electron';
import { currentBuildInfo, type BuildInfo } from '../build-info';
import type { AdminApi } from '../contract/admin';
import { createAdminService } from '../core/admin/admin-service';
import { stationPinGateMemory } from '../core/admin/pin-gate-memory';
import type { AdminSecretStore, LoadedSources } from '../core/admin/ports';
import { defaultSecretIo, resolveSecret } from '../core/config/secrets';
import type { WalkupConfig } from '../core/config/schema';
import { adminSettingsOf, adminVersion } from '../core/admin/shell-values';
import type { Clock, Logger, SettingsStore } from '../core/ports';
import { DEFAULT_DUO_CALLBACK_URL } from './app-origin';
import type { KioskConfig } from './config';
import type { Lifecycle } from './lifecycle';
import type { KioskStation } from './station';

/** Stopping the station for a restart or an exit waits at most this long (ms), as quitting does. */
export const ADMIN_STOP_BOUND_MS = 5000;

/** The admin settings of the loaded configuration, else of its policy (`adminSettingsOf`). */
export function kioskAdminSettings(loaded: KioskConfig): WalkupConfig['admin'] {
  return adminSettingsOf(loaded.ok ? loaded.config : undefined, loaded.sources?.policy);
}

/** The sources as the admin screen shows them; what a configuration that could not be read had. */
export function kioskSources(loaded: KioskConfig): LoadedSources {
  return (
    loaded.sources ?? {
      policy: {},
      local: {},
      managed: loaded.policySources.length > 0,
      policySources: [...loaded.policySources],
      settingsProblems: [],
    }
  );
}

/**
 * Runs `stop` once, whoever asks first (quitting, a restart, an exit), and settles within `boundMs`
 * whatever it does (a hung step never keeps the kiosk from leaving). Never rejects.
 */
export function boundedStopOnce(stop: () => Promise<void>, boundMs: number): () => Promise<void> {
  let stopping: Promise<void> | undefined;
  return () =>
    (stopping ??= new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, boundMs);
      void stop()
        .catch(() => undefined)
        .finally(() => {
          clearTimeout(timer);
          resolve();
        });
    }));
}

export interface AdminOptions {
  loaded: KioskConfig;
  station: KioskStation;
  /** The process's one secret store (`loaded.secretStore`, or one opened for a broken policy). */
  secrets: AdminSecretStore;
  settingsFile: SettingsStore;
  /** Stops the station once, bounded (`boundedStopOnce`; the will-quit handler shares it). */
  stopStation: () => Promise<void>;
  lifecycle: Lifecycle;
  clock: Clock;
  logger: Logger;
  /** userData: the PIN gate's attempts and lockout are kept there across restarts. */
  stateDir: string;
  /** Tests: the build (default: this one's). */
  buildInfo?: BuildInfo;
}

/** Builds the kiosk's admin service (served on the admin IPC channels by `setupIpc`). */
export function setupAdmin(options: AdminOptions): AdminApi {
  const { station, secrets, logger } = options;
  const sources = kioskSources(options.loaded);
  return createAdminService({
    clock: options.clock,
    logger,
    audit: station.audit,
    recentAudit: (limit) => station.recentAudit(limit),
    secrets,
    settingsFile: options.settingsFile,
    sources: () => sources,
    station: () => station.view(),
    adminSettings: kioskAdminSettings(options.loaded),
    pinGateMemory: stationPinGateMemory({
      stateDir: options.stateDir,
      clock: options.clock,
      settings: kioskAdminSettings(options.loaded),
      logger,
    }),
    // `{ vault }` references of a draft are read from the same store as the station's.
    readSecret: (ref) => resolveSecret(ref, { ...defaultSecretIo, vault: (name) => secrets.read(name) }),
    redirectUri: DEFAULT_DUO_CALLBACK_URL,
    version: adminVersion(options.buildInfo ?? currentBuildInfo()),
    async restart() {
      logger.info('admin-restart');
      await options.stopStation();
      options.lifecycle.allowExit();
      app.relaunch();
      app.exit(0);
    },
    async exit() {
      logger.info('admin-exit');
      await options.stopStation();
      options.lifecycle.allowExit();
      app.quit();
    },
  });
}
