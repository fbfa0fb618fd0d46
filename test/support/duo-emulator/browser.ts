/**
 * A person's browser in front of the Duo emulator, for integration tests: open the Universal
 * Prompt or the Web SDK v2 frame, press a button, and come back with what Duo hands the kiosk
 * (the callback query, or the message the frame posts to its parent). Redirects are returned, not
 * followed, so tests can check each hop; only the emulator's CA is trusted.
 */
import { duoEndpoint, httpsRequest, type HttpsResponse } from '../../../main/core/duo/https-client';
import type { CallbackParams } from '../../../main/core/duo/types';
import type { DuoEmulator } from './index.js';

/** The Web SDK version Walkup's renderer reports to the v2 frame (Duo-Web-v2.js 2.9). */
const WEB_V2_VERSION = '2.9';

/**
 * GET `pathOrUrl` from the emulator, or POST `form` to it url-encoded. Throws when the URL points
 * anywhere but the emulator, or when no response arrives (tests want the failure, not a value).
 */
export async function browseEmulator(
  emulator: DuoEmulator,
  pathOrUrl: string,
  form?: Record<string, string>,
): Promise<HttpsResponse> {
  const url = new URL(pathOrUrl, emulator.baseUrl);
  if (url.host !== emulator.apiHost)
    throw new Error(`${url.host} is not the Duo emulator (${emulator.apiHost})`);
  const path = `${url.pathname}${url.search}`;
  const result = await httpsRequest(
    duoEndpoint({ apiHost: emulator.apiHost, caFile: emulator.caFile, timeoutMs: 5000 }),
    form
      ? {
          method: 'POST',
          path,
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams(form).toString(),
        }
      : { method: 'GET', path },
  );
  if (!result.ok) throw new Error(result.error);
  return result.response;
}

/** The hidden `sid` of the page's form that posts to `action`; throws when there is none. */
export function formSid(html: string, action: string): string {
  const forms = html.match(/<form[^>]*>[\s\S]*?<\/form>/g) ?? [];
  const form = forms.find((candidate) => candidate.includes(`action="${action}"`));
  const sid = form?.match(/name="sid" value="([^"]+)"/)?.[1];
  if (!sid) throw new Error(`no form posting to ${action} in:\n${html}`);
  return sid;
}

/** Undoes the emulator's HTML attribute escaping (the five entities it writes). */
export function unescapeHtml(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** The message a v2 frame page posts to its parent (`AUTH|…` or `ERR|…`), or undefined. */
export function postedFrameMessage(html: string): string | undefined {
  const escaped = html.match(/data-duo-message="([^"]*)"/)?.[1];
  return escaped === undefined ? undefined : unescapeHtml(escaped);
}

/** The v2 frame's address, as Duo-Web-v2.js builds it from the TX part and the parent page. */
export function webV2FramePath(tx: string, parent: string): string {
  return `/frame/web/v1/auth?${new URLSearchParams({ tx, parent, v: WEB_V2_VERSION }).toString()}`;
}

/** Every hop of a Universal Prompt visit, for tests that check them. */
export interface UniversalPromptVisit {
  /** The answer to the authorize URL (Duo redirects to its prompt). */
  authorize: HttpsResponse;
  /** The prompt page the person sees. */
  prompt: HttpsResponse;
  /** The answer to the button press (Duo redirects back to redirect_uri). */
  pressed: HttpsResponse;
  /** Where Duo sent the browser back to. */
  returnedTo: URL;
  /** That address's query, as the kiosk's callback receives it. */
  callback: CallbackParams;
}

/** The callback fields Duo's redirect can carry, by query name. */
const CALLBACK_FIELDS = [
  ['state', 'state'],
  ['duo_code', 'duoCode'],
  ['code', 'code'],
  ['error', 'error'],
  ['error_description', 'errorDescription'],
] as const;

/** Reads the callback query of the address Duo redirected the browser back to. */
export function callbackParamsOf(returnedTo: URL): CallbackParams {
  const params: CallbackParams = {};
  for (const [name, key] of CALLBACK_FIELDS) {
    const value = returnedTo.searchParams.get(name);
    if (value !== null) params[key] = value;
  }
  return params;
}

/**
 * What a person's browser does with a Universal Prompt authorize URL: open it, follow Duo's
 * redirect to the prompt, press Finish or Cancel, and read where Duo sends it back.
 */
export async function pressUniversalPrompt(
  emulator: DuoEmulator,
  authUrl: string,
  button: 'finish' | 'cancel',
): Promise<UniversalPromptVisit> {
  const authorize = await browseEmulator(emulator, authUrl);
  const prompt = await browseEmulator(emulator, String(authorize.headers.location));
  const action = `/frame/frameless/v4/${button}`;
  const pressed = await browseEmulator(emulator, action, { sid: formSid(prompt.body, action) });
  const returnedTo = new URL(String(pressed.headers.location));
  return { authorize, prompt, pressed, returnedTo, callback: callbackParamsOf(returnedTo) };
}

/** Presses Finish in the Universal Prompt and returns the callback query Duo sends back. */
export async function finishUniversalPrompt(emulator: DuoEmulator, authUrl: string): Promise<CallbackParams> {
  return (await pressUniversalPrompt(emulator, authUrl, 'finish')).callback;
}

/** A v2 frame visit: the frame page as loaded, and the message it posted after Finish. */
export interface WebV2FrameVisit {
  frame: HttpsResponse;
  message: string;
}

/**
 * Opens the v2 frame the way Duo-Web-v2.js does (TX part, parent page), presses Finish, and
 * returns the message the frame posts to the parent (unescaped, ready for the kiosk).
 */
export async function finishWebV2Frame(
  emulator: DuoEmulator,
  tx: string,
  parent: string,
): Promise<WebV2FrameVisit> {
  const frame = await browseEmulator(emulator, webV2FramePath(tx, parent));
  const action = '/frame/web/v1/finish';
  const done = await browseEmulator(emulator, action, { sid: formSid(frame.body, action) });
  const message = postedFrameMessage(done.body);
  if (!message) throw new Error(`no message in:\n${done.body}`);
  return { frame, message };
}
