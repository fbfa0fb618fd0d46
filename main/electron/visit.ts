/**
 * The kiosk window's visit session: forwards its events to the renderer, opens Duo's view (v4
 * page or v2 frame, each in the visit's own partition) when a visit reaches Duo and destroys it
 * when the visit leaves Duo, hands Duo's answer (intercepted redirect or v2 frame message) to
 * the engine, and starts over with a fresh session when the renderer or Duo's view is lost.
 */
import type { BrowserWindow } from 'electron';
import { ipcChannels, type ResetReason, type VisitView, type WalkupEvent } from '../contract';
import type { EnrollmentEngine, VisitSession } from '../core/enrollment/types';
import type { Logger } from '../core/ports';
import { createDuoViewController } from './duo-view';
import { forwardEvents } from './ipc';
import type { NavigationPolicy } from './navigation-policy';
import type { PermissionPolicy } from './permission-policy';
import { duoViewLaunchFor } from './window-policy';

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
  permissions: () => PermissionPolicy;
  duoCaPem: string | undefined;
  isProduction: boolean;
  locale?: string | undefined;
  /** The v2 host page: its CSP and bundled script (see duo-view.ts). */
  v2Host?: { csp: () => string | undefined; scriptPath: string } | undefined;
  logger: Logger;
}): KioskVisit {
  const { engine, window, logger } = options;
  let session = engine.openSession({ duoPresentation: 'view' });
  let restart: (reason: ResetReason) => void = () => undefined;

  const duoView = createDuoViewController({
    window,
    policy: options.policy,
    permissions: options.permissions,
    duoCaPem: options.duoCaPem,
    isProduction: options.isProduction,
    locale: options.locale,
    v2Host: options.v2Host,
    logger,
    onV2Response: (request) => {
      const target = session;
      void target.submitDuoResponse(request).then((result) => {
        logger.info(
          'duo-v2-response',
          result.ok ? { ok: true } : { ok: false, reason: result.reason, reference: result.reference },
        );
      });
    },
    onGone: () => {
      // Like a crashed renderer: the visit ends, and the renderer learns of the fresh session.
      restart('renderer-crash');
      const event: WalkupEvent = { type: 'visit-changed', visit: session.getVisit() };
      if (!window.isDestroyed() && !window.webContents.isDestroyed()) {
        window.webContents.send(ipcChannels.event, event);
      }
    },
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
    // Duo down mid-visit: the visit ends as failed with its reference (shown by the renderer).
    onDuoUnreachable: (detail) => session.duoUnreachable(detail),
  });

  function syncDuoView(visit: VisitView): void {
    const launch = duoViewLaunchFor(visit);
    if (launch === undefined) {
      void duoView.close();
      return;
    }
    if (duoView.isOpen()) {
      // A visit-changed during Duo follows activity (the person answered the idle warning).
      duoView.setVisible(true);
      return;
    }
    // The person's language (their pick on the screen) goes to Duo with this visit's partition.
    const { language } = session;
    if (launch.kind === 'frame') {
      duoView.open({ kind: 'frame', host: launch.host, tx: launch.tx, language });
      return;
    }
    const url = session.pendingDuoUrl();
    if (url) duoView.open({ kind: 'page', url, language });
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

  restart = (reason) => {
    logger.warn('visit-restart', { reason });
    detach();
    void duoView.close();
    session.dispose(reason);
    session = engine.openSession({ duoPresentation: 'view' });
    detach = attach(session);
  };

  return { current: () => session, restart: (reason) => restart(reason) };
}
