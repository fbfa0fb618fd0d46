/**
 * The kiosk window's visit session: forwards its events to the renderer, opens Duo's v4 view
 * when a visit reaches Duo and destroys it when the visit leaves Duo, hands the intercepted
 * redirect to the engine, and starts over with a fresh session when the renderer is lost.
 */
import { randomBytes } from 'node:crypto';
import type { BrowserWindow } from 'electron';
import type { ResetReason, VisitView } from '../contract';
import type { EnrollmentEngine, VisitSession } from '../core/enrollment/types';
import type { Logger } from '../core/ports';
import { createDuoViewController } from './duo-view';
import { forwardEvents } from './ipc';
import type { NavigationPolicy } from './navigation-policy';

export interface KioskVisit {
  /** The window's current session. */
  current(): VisitSession;
  /** Ends the visit and opens a new session (renderer crashed or hung). */
  restart(reason: ResetReason): void;
}

/** Wires the window's visit session. */
export function setupVisit(options: {
  engine: EnrollmentEngine;
  window: BrowserWindow;
  policy: () => NavigationPolicy;
  duoCaPem: string | undefined;
  isProduction: boolean;
  locale?: string | undefined;
  logger: Logger;
}): KioskVisit {
  const { engine, window, logger } = options;
  let session = engine.openSession({ v4Presentation: 'view' });

  const duoView = createDuoViewController({
    window,
    policy: options.policy,
    duoCaPem: options.duoCaPem,
    isProduction: options.isProduction,
    locale: options.locale,
    logger,
    onCallback: (params) => {
      const target = session;
      void target.handleDuoCallback(params).then((result) => {
        logger.info(
          'duo-callback',
          result.ok ? { ok: true } : { ok: false, reason: result.reason, reference: result.reference },
        );
      });
    },
    onActivity: () => session.activity(),
  });

  function syncDuoView(visit: VisitView): void {
    if (visit.phase === 'duo' && visit.duo.kind === 'v4' && visit.duo.presentation === 'view') {
      if (duoView.isOpen()) {
        // A visit-changed during Duo follows activity (the person answered the idle warning).
        duoView.setVisible(true);
        return;
      }
      const url = session.pendingDuoUrl();
      if (url) duoView.open(url, randomBytes(6).toString('hex'));
      return;
    }
    void duoView.close();
  }

  function attach(target: VisitSession): () => void {
    const stopForwarding = forwardEvents(target, () =>
      window.isDestroyed() ? undefined : window.webContents,
    );
    const stopSync = target.onEvent((event) => {
      if (event.type === 'visit-changed') syncDuoView(event.visit);
      // The renderer's "Are you still there?" must not sit under Duo's view.
      if (event.type === 'idle-warning') duoView.setVisible(false);
    });
    return () => {
      stopForwarding();
      stopSync();
    };
  }
  let detach = attach(session);

  return {
    current: () => session,
    restart(reason) {
      logger.warn('visit-restart', { reason });
      detach();
      void duoView.close();
      session.dispose(reason);
      session = engine.openSession({ v4Presentation: 'view' });
      detach = attach(session);
    },
  };
}
