/**
 * Which web contents is which. The global guard hardens every web contents the moment it is
 * created, before the code that created it can say what it is for; so the guards look the role
 * up when an event fires, and anything never registered is treated as unknown (deny all).
 */
import type { WebContents } from 'electron';
import type { DuoCallbackParams } from '../contract/duo-formats';

/**
 * `window`: the kiosk renderer; `duo-view`: Duo's v4 page for one visit; `duo-v2-view`: the
 * host page that frames Duo's v2 frame for one visit.
 */
export type WebContentsRole =
  | { kind: 'window' }
  | { kind: 'duo-view'; onDuoCallback: (params: DuoCallbackParams) => void; onActivity: () => void }
  | { kind: 'duo-v2-view'; onActivity: () => void };

const roles = new WeakMap<WebContents, WebContentsRole>();

/** Records what a web contents is for. */
export function assignRole(contents: WebContents, role: WebContentsRole): void {
  roles.set(contents, role);
}

/** The recorded role, or undefined for a web contents the station did not create on purpose. */
export function roleOf(contents: WebContents): WebContentsRole | undefined {
  return roles.get(contents);
}
