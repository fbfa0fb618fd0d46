/**
 * Who may call the station over IPC (VS Code's validatedIpcMain, security checklist #17). The
 * kiosk hosts third-party content (Duo, in views of their own), so a message is served only
 * when the channel is one of ours and the sender is the main frame of our own `app://walkup`
 * page in the station window: frame, origin and window are all checked, so a page in another
 * web contents that reached `app://walkup` (a Duo view's host page) still cannot call.
 */
import { adminIpcChannel, adminMethods, ipcChannels } from '../contract/channels';
import { APP_ORIGIN, originOf, parseStrictUrl } from './app-origin';

/**
 * The channels the renderer may invoke: the visit requests (the event channel is main ->
 * renderer only) and one per admin method (`walkup:admin-<method>`).
 */
export const invokableChannels: ReadonlySet<string> = new Set([
  ...Object.entries(ipcChannels)
    .filter(([name]) => name !== 'event')
    .map(([, channel]) => channel),
  ...adminMethods.map(adminIpcChannel),
]);

/** The sender frame as the check needs it (`WebFrameMain` fields), or null when it is gone. */
export interface IpcSenderFrame {
  /** `frame.origin`; Electron serializes a standard custom scheme as `app://walkup`. */
  origin: string;
  url: string;
  /** `frame.parent === null`. */
  isMainFrame: boolean;
  /** The message came from the station window's own web contents (`event.sender`). */
  inStationWindow: boolean;
}

export type IpcSenderDecision =
  | { ok: true }
  | { ok: false; reason: 'unknown-channel' | 'no-frame' | 'wrong-window' | 'subframe' | 'wrong-origin' };

/** Decides whether one IPC message may reach a handler. Fails closed on anything unexpected. */
export function checkIpcSender(
  channel: string,
  frame: IpcSenderFrame | null,
  appOrigin: string = APP_ORIGIN,
): IpcSenderDecision {
  if (!invokableChannels.has(channel)) return { ok: false, reason: 'unknown-channel' };
  if (frame === null) return { ok: false, reason: 'no-frame' };
  if (!frame.inStationWindow) return { ok: false, reason: 'wrong-window' };
  if (!frame.isMainFrame) return { ok: false, reason: 'subframe' };
  // Both the reported origin and the URL must be ours: a frame navigated to `about:blank`
  // inherits its opener's origin but not its URL.
  const url = parseStrictUrl(frame.url);
  if (frame.origin !== appOrigin || url === undefined || originOf(url) !== appOrigin) {
    return { ok: false, reason: 'wrong-origin' };
  }
  return { ok: true };
}
