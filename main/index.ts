/**
 * Electron composition root: reads like a table of contents. Every decision lives in a pure
 * `*-policy` module under main/electron; every feature has one `setupX()` entry point.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { app, type BrowserWindow } from 'electron';
import { ipcChannels, type WalkupEvent } from './contract';
import { systemClock } from './core/ports';
import { loadKioskConfig } from './electron/config';
import { setupGuards } from './electron/guards';
import { setupIpc } from './electron/ipc';
import { setupAppLockdown, setupLifecycle } from './electron/lifecycle';
import { createJsonLineLogger } from './electron/logger';
import { setupPermissions } from './electron/permissions';
import { registerAppScheme, setupAppProtocol } from './electron/protocol';
import { setupSessionHardening, wipeDefaultSession } from './electron/sessions';
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

/** Configuration (managed policy or --policy, over local settings), then the engine. */
async function startStation() {
  const settings = createElectronSettingsStore(logger);
  const loaded = await loadKioskConfig({ argv: process.argv, isPackaged: app.isPackaged, settings, logger });
  return startKioskStation(loaded, {
    clock: systemClock,
    logger,
    logsDir: app.getPath('logs'),
    stateDir: app.getPath('userData'),
  });
}

async function onReady(): Promise<void> {
  setupAppLockdown();
  const appRoot = app.getAppPath();
  const { engine, config, stop } = await startStation();
  const policies = deriveShellPolicies(config);
  const duoCaPem = readDuoCa(policies.duoCaFile);
  // The secret store (safeStorage) is asked only by the vault, when a `{ vault }` secret needs it
  // (electron/kiosk-secrets.ts): a station on `{ file }` / `{ env }` secrets never touches the keyring.

  setupGuards({
    policy: () => policies.navigation,
    adminChord: () => policies.adminChord,
    logger,
    onAdminChord,
  });
  setupPermissions(() => policies.permissions, logger);
  setupSessionHardening({ policy: () => policies.navigation, logger });
  await wipeDefaultSession(logger);
  setupAppProtocol({ rootDir: path.join(appRoot, 'out', 'renderer'), csp: () => policies.csp, logger });

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
  setupIpc({
    engine,
    session: visit.current,
    stationContents: () => (window.isDestroyed() ? undefined : window.webContents),
    logger,
  });
  setupLifecycle({ window, logger, onRendererLost: (reason) => visit.restart(reason) });
  // Quitting waits (bounded) for the throttle counters and the audit queue, then exits.
  let stopped = false;
  app.on('will-quit', (event) => {
    if (stopped) return;
    event.preventDefault();
    stopped = true;
    // Whatever is still open after 5 s, the kiosk exits (as `walkup serve` does).
    const hardStop = setTimeout(() => app.exit(0), 5000);
    void stop().finally(() => {
      clearTimeout(hardStop);
      app.exit(0);
    });
  });
}
