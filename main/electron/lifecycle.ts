/**
 * Keeping the station up: no application menu, display kept awake, the window cannot be closed
 * except by an admin exit, a crashed renderer is reloaded (with the crash-loop breaker), and an
 * unresponsive one is reloaded too.
 */
import { app, Menu, powerMonitor, powerSaveBlocker } from 'electron';
import type { BrowserWindow } from 'electron';
import type { ResetReason } from '../contract';
import type { Logger } from '../core/ports';
import { APP_ORIGIN, APP_START_URL } from './app-origin';
import { createCrashLoopBreaker, isRendererCrash, type CrashLoopBreaker } from './crash-policy';
import { OUT_OF_SERVICE_PATH } from './out-of-service-page';

export interface LifecycleOptions {
  window: BrowserWindow;
  logger: Logger;
  /** The renderer died or hung: end the visit (its Duo view, its state). */
  onRendererLost: (reason: ResetReason) => void;
  breaker?: CrashLoopBreaker;
}

/** What the composition root can do with the lifecycle. */
export interface Lifecycle {
  /** Lets the window close and the app quit (after a verified admin exit). */
  allowExit(): void;
}

/** App-wide settings that must be in place before the first window. */
export function setupAppLockdown(): void {
  Menu.setApplicationMenu(null);
}

/** Wires the window's lifecycle. */
export function setupLifecycle(options: LifecycleOptions): Lifecycle {
  const { window, logger } = options;
  const breaker = options.breaker ?? createCrashLoopBreaker();
  let exitAllowed = false;

  const blocker = powerSaveBlocker.start('prevent-display-sleep');
  app.on('will-quit', () => {
    if (powerSaveBlocker.isStarted(blocker)) powerSaveBlocker.stop(blocker);
  });

  // Alt+F4, Cmd+Q and the OS close button all arrive here.
  window.on('close', (event) => {
    if (!exitAllowed) {
      event.preventDefault();
      logger.warn('close-prevented');
    }
  });
  app.on('before-quit', (event) => {
    if (!exitAllowed) event.preventDefault();
  });
  // The OS shutting down or logging the kiosk account off is not a visitor escaping.
  const allowForShutdown = (): void => {
    exitAllowed = true;
  };
  powerMonitor.on('shutdown', allowForShutdown);
  window.on('session-end', allowForShutdown);

  window.webContents.on('render-process-gone', (_event, details) => {
    if (!isRendererCrash(details.reason)) return;
    const decision = breaker.recordCrash();
    logger.error('renderer-gone', { reason: details.reason, exitCode: details.exitCode, decision });
    options.onRendererLost('renderer-crash');
    void window.loadURL(decision === 'reload' ? APP_START_URL : `${APP_ORIGIN}${OUT_OF_SERVICE_PATH}`);
  });
  // A hung renderer cannot reload itself: crash it, and the handler above reloads (and counts it).
  window.on('unresponsive', () => {
    logger.error('renderer-unresponsive');
    window.webContents.forcefullyCrashRenderer();
  });
  app.on('child-process-gone', (_event, details) => {
    logger.error('child-process-gone', { type: details.type, reason: details.reason });
  });

  return {
    allowExit() {
      exitAllowed = true;
    },
  };
}
