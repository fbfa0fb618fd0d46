/**
 * The browser half of Duo Web SDK v2.9 (Duo-Web-v2.js) that is the page's own job: deciding
 * which `message` event speaks for Duo's frame. The wire formats (frame URL, message and error
 * formats, API host) live once in `main/contract/duo-formats.ts`; this file adds only what needs
 * the page's window: the origin and sender checks. The APP part of the signed request never
 * reaches the page; main appends it when it verifies the response.
 */
import { duoOriginOf, isDuoV2FrameMessage } from '../../main/contract/duo-formats';

/** What the listener knows about one `message` event. */
export interface FrameMessage {
  origin: string;
  source: MessageEventSource | null;
  data: unknown;
}

/**
 * Returns the Duo response to submit, or undefined when the message must be ignored. Accepted
 * only when all hold: the origin is exactly `https://{host}` (`duoOriginOf`: a host that is not
 * a plain `name[:port]` has no origin and accepts nothing), the sender is our frame's window
 * (another frame or extension cannot speak for Duo), and the data is one of Duo-Web-v2.js's
 * success or error messages (`isDuoV2FrameMessage`). Everything else, `DUO_OPEN_WINDOW|…`
 * included, is ignored: a kiosk opens no windows.
 */
export function acceptDuoFrameMessage(
  message: FrameMessage,
  host: string,
  frameWindow: Window | null | undefined,
): string | undefined {
  const origin = duoOriginOf(host);
  if (origin === undefined || message.origin !== origin) return undefined;
  if (!frameWindow || message.source !== frameWindow) return undefined;
  return isDuoV2FrameMessage(message.data) ? message.data : undefined;
}
