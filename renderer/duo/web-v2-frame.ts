/**
 * The browser half of Duo Web SDK v2.9 (Duo-Web-v2.js), reduced to what Walkup needs: build the
 * frame URL and recognise the one message the frame may send back. The APP part of the signed
 * request never reaches the renderer; main appends it when it verifies the response.
 */

/** Success message from the frame (verbatim from Duo-Web-v2.js). */
export const DUO_MESSAGE_FORMAT = /^(?:AUTH|ENROLL)+\|[A-Za-z0-9+/=]+\|[A-Za-z0-9+/=]+$/;
/** Error message from the frame; posted back too, so main can record the failure. */
export const DUO_ERROR_FORMAT = /^ERR\|[\w\s.()]+$/;

/** A Duo API host as Duo and the emulator use it: a host name, optionally with a port. */
const API_HOST_FORMAT = /^[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?(?::\d{1,5})?$/;

/** True when `host` is a plain `name[:port]`, safe to put after `https://`. */
export function isDuoApiHost(host: string): boolean {
  return API_HOST_FORMAT.test(host);
}

/**
 * The v2.9 frame URL: `https://{host}/frame/web/v1/auth?tx=…&parent=…&v=2.9`, with `tx` and
 * `parent` encoded with encodeURIComponent exactly as Duo-Web-v2.js 2.9 does.
 */
export function buildDuoFrameSrc(host: string, tx: string, parentHref: string): string {
  return `https://${host}/frame/web/v1/auth?tx=${encodeURIComponent(tx)}&parent=${encodeURIComponent(parentHref)}&v=2.9`;
}

/** What the listener knows about one `message` event. */
export interface FrameMessage {
  origin: string;
  source: MessageEventSource | null;
  data: unknown;
}

/**
 * Returns the Duo response to submit, or undefined when the message must be ignored. Accepted
 * only when all hold: the origin is exactly `https://{host}`, the sender is our frame's window
 * (another frame or extension cannot speak for Duo), and the data is an AUTH/ENROLL or ERR
 * string. Everything else, `DUO_OPEN_WINDOW|…` included, is ignored: a kiosk opens no windows.
 */
export function acceptDuoFrameMessage(
  message: FrameMessage,
  host: string,
  frameWindow: Window | null | undefined,
): string | undefined {
  if (message.origin !== `https://${host}`) return undefined;
  if (!frameWindow || message.source !== frameWindow) return undefined;
  const { data } = message;
  if (typeof data !== 'string') return undefined;
  if (!DUO_MESSAGE_FORMAT.test(data) && !DUO_ERROR_FORMAT.test(data)) return undefined;
  return data;
}
