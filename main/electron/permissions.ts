/**
 * Permission handlers on every session (the default one and each visit's Duo partitions):
 * request, check and device handlers all ask the same table, deny by default, and log each
 * request decision (Signal's pattern). Without handlers Electron grants every request.
 */
import { app, session } from 'electron';
import type { Session } from 'electron';
import type { Logger } from '../core/ports';
import { decideDevicePermission, decidePermission, type PermissionPolicy } from './permission-policy';

/** Applies the table to one session. */
export function applyPermissionPolicy(target: Session, policy: () => PermissionPolicy, logger: Logger): void {
  target.setPermissionRequestHandler((_contents, permission, callback, details) => {
    const decision = decidePermission(
      { permission, requestingUrl: details.requestingUrl, isMainFrame: details.isMainFrame },
      policy(),
    );
    logger.info('permission-request', { permission, granted: decision.granted, reason: decision.reason });
    callback(decision.granted);
  });
  // Cross-origin subframes arrive with a null webContents: decide on origins only.
  target.setPermissionCheckHandler((_contents, permission, requestingOrigin, details) => {
    const decision = decidePermission(
      {
        permission,
        requestingUrl: details.requestingUrl ?? requestingOrigin,
        embeddingOrigin: details.embeddingOrigin,
        isMainFrame: details.isMainFrame,
      },
      policy(),
    );
    return decision.granted;
  });
  target.setDevicePermissionHandler((details) =>
    decideDevicePermission({ deviceType: details.deviceType, origin: details.origin }),
  );
}

/** Installs the handlers on the default session and on every session created later. */
export function setupPermissions(policy: () => PermissionPolicy, logger: Logger): void {
  app.on('session-created', (created) => applyPermissionPolicy(created, policy, logger));
  applyPermissionPolicy(session.defaultSession, policy, logger);
}
