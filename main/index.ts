/**
 * Electron composition root: reads like a table of contents. Every decision lives in a pure
 * `*-policy` module under main/electron; every feature has one `setupX()` entry point.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { app, type BrowserWindow } from 'electron';
import { ipcChannels, type WalkupEvent } from './contract';
import { systemClock } from './core/ports';
import { ADMIN_STOP_BOUND_MS, boundedStopOnce, setupAdmin } from './electron/admin';
import { loadKioskConfig } from './electron/config';
import { setupGuards } from './electron/guards';
import { setupIpc } from './electron/ipc';
import { setupAppLockdown, setupLifecycle } from './electron/lifecycle';
import { createJsonLineLogger } from './electron/logger';
import { setupPermissions } from './electron/permissions';
import { registerAppScheme, setupAppProtocol } from './electron/protocol';
import { setupSessionHardening, wipeDefaultSession } from './electron/sessions';
import { createKioskSecretStore } from './electron/kiosk-secret-store';
import { createElectronSettingsStore } from './electron/settings-store';
import { deriveShellPolicies } from './electron/shell-policy';
import { decideStartup } from './electron/startup-policy';
import { startKioskStation } from './electron/station';
import { setupVisit } from './electron/visit';
import { createMainWindow } from './electron/window';

const logger = createJsonLineLogger();
const isProduction = app.isPackaged;
/** `--windowed` turns the kiosk into a normal window, in development only. */
const kiosk = isProduction || !process.argv.includes('--windowed');

let mainWindow: BrowserWindow | undefined;

/** The packed package.json marks a test build (scripts/packaging.mjs); a station has no mark. */
function isTestBuild(): boolean {
  try {
    const packed = JSON.parse(readFileSync(path.join(app.getAppPath(), 'package.json'), 'utf8')) as unknown;
    return (
      typeof packed === 'object' &&
      packed !== null &&
      (packed as { walkupTestBuild?: unknown }).walkupTestBuild === true
    );
  } catch {
    return false;
  }
}

// First of all: a packaged station does not start with debugging or security-off switches.
const startup = decideStartup({
  argv: process.argv,
  isPackaged: app.isPackaged,
  platform: process.platform,
  testBuild: app.isPackaged && isTestBuild(),
  hasSwitch: (name) => app.commandLine.hasSwitch(name),
});

// Before ready: every renderer sandboxed, one instance only, app:// registered as a standard,
// secure scheme (it must be privileged before the first session exists).
if (!startup.ok) {
  logger.error('startup-refused', { switches: startup.refused });
  app.exit(1);
} else if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.enableSandbox();
  registerAppScheme();
  app.on('second-instance', () => mainWindow?.focus());
  app.on('window-all-closed', () => app.quit());
  app
    .whenReady()
    .then(onReady)
    .catch((error: unknown) => {
      logger.error('startup-failed', { error: error instanceof Error ? error.name : 'unknown' });
      app.exit(1);
    });
}

/** The admin key chord: the station window opens its PIN pad (the admin service decides the rest). */
function onAdminChord(): void {
  logger.info('admin-chord');
  const contents = mainWindow?.webContents;
  if (contents && !contents.isDestroyed())
    contents.send(ipcChannels.event, { type: 'admin-requested' } satisfies WalkupEvent);
}

/** The private Duo CA (emulator) as PEM; a missing file only means Chromium's own trust applies. */
function readDuoCa(file: string | undefined): string | undefined {
  if (file === undefined) return undefined;
  try {
    return readFileSync(file, 'utf8');
  } catch {
    logger.error('duo-ca-unreadable', { file });
    return undefined;
  }
}

/**
 * Configuration (managed policy or --policy, then the secret store, then the signed local
 * settings), then the engine. The secret store is the process's one (one safeStorage cipher).
 */
async function startStation() {
  const settings = createElectronSettingsStore(logger);
  const stateDir = app.getPath('userData');
  const loaded = await loadKioskConfig({
    argv: process.argv,
    isPackaged: app.isPackaged,
    settings,
    stateDir,
    logger,
  });
  // Only when the policy itself could not be read did loading open no store: open one now.
  const secrets = loaded.secretStore ?? createKioskSecretStore({ stateDir, allowInsecure: false, logger });
  const vaultReader = secrets.vaultReader;
  const station = await startKioskStation(loaded, {
    clock: systemClock,
    logger,
    logsDir: app.getPath('logs'),
    stateDir,
    ...(vaultReader
      ? {
          secretStore: {
            vaultReader,
            has: (name: string) => secrets.has(name),
            read: (name: string) => secrets.read(name),
            store: (name: string, value: string) => secrets.store(name, value),
          },
        }
      : {}),
  });
  return { station, loaded, settings, secrets };
}

async function onReady(): Promise<void> {
  setupAppLockdown();
  const appRoot = app.getAppPath();
  const { station, loaded, settings, secrets } = await startStation();
  const { engine, config } = station;
  const policies = deriveShellPolicies(config);
  const duoCaPem = readDuoCa(policies.duoCaFile);
  // Quitting, an admin restart and an admin exit stop the station once, bounded (5 s, as
  // `walkup serve`): the throttle counters and the audit queue are written first.
  const stopStation = boundedStopOnce(() => station.stop(), ADMIN_STOP_BOUND_MS);

  setupGuards({
    policy: () => policies.navigation,
    adminChord: () => policies.adminChord,
    logger,
    onAdminChord,
  });
  setupPermissions(() => policies.permissions, logger);
  setupSessionHardening({ policy: () => policies.navigation, logger });
  await wipeDefaultSession(logger);
  setupAppProtocol({
    rootDir: path.join(appRoot, 'out', 'renderer'),
    csp: () => policies.csp,
    logger,
    locale: () => config?.station.locale,
  });

  const window = createMainWindow({
    preloadPath: path.join(appRoot, 'out', 'preload', 'index.cjs'),
    isProduction,
    kiosk,
  });
  mainWindow = window;
  const visit = setupVisit({
    engine,
    window,
    policy: () => policies.navigation,
    permissions: () => policies.permissions,
    duoCaPem,
    isProduction,
    locale: config?.station.locale,
    v2Host: {
      csp: () => policies.duoV2HostCsp,
      scriptPath: path.join(appRoot, 'out', 'main', 'duo-v2-host.js'),
    },
    logger,
  });
  const lifecycle = setupLifecycle({ window, logger, onRendererLost: (reason) => visit.restart(reason) });
  const admin = setupAdmin({
    loaded,
    station,
    secrets,
    settingsFile: settings,
    stopStation,
    lifecycle,
    clock: systemClock,
    logger,
    stateDir: app.getPath('userData'),
  });
  setupIpc({
    engine,
    session: visit.current,
    stationContents: () => (window.isDestroyed() ? undefined : window.webContents),
    admin,
    logger,
  });
  // Quitting waits (bounded) for the throttle counters and the audit queue, then exits.
  let stopped = false;
  app.on('will-quit', (event) => {
    if (stopped) return;
    event.preventDefault();
    stopped = true;
    void stopStation().finally(() => app.exit(0));
  });
}
