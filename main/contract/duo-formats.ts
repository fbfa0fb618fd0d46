/**
 * Duo's wire formats as every part of Walkup meets them: the API host a station is configured
 * with, the Web SDK v2 frame's URL and messages (Duo-Web-v2.js 2.9), and the Web SDK v4 callback
 * query (Duo Universal Prompt: "Duo Web v4 SDK" / OpenID Connect redirect). One module, so the
 * configuration schema, the renderer, the kiosk's navigation policy, the portal's callback route
 * and the Duo strategies all check the same thing.
 *
 * Pure and free of Node and browser APIs: the renderer bundles it.
 */
import { z } from 'zod';

// ---------------------------------------------------------------------------------------------
// API host
// ---------------------------------------------------------------------------------------------

/**
 * A Duo API host as Duo and the local emulator use it: a host name (`api-1234abcd.duosecurity.com`)
 * or address, optionally with a port (`127.0.0.1:43123`). Nothing else: no scheme, path, user
 * info or trailing dot, so `https://${host}` is always exactly one origin.
 */
const API_HOST_FORMAT = /^[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?(?::\d{1,5})?$/;

/** True when `host` is a plain `name[:port]`, safe to put after `https://`. */
export function isDuoApiHost(host: string): boolean {
  return API_HOST_FORMAT.test(host);
}

/** The message the configuration schema gives for a host that fails `isDuoApiHost`. */
export const DUO_API_HOST_RULE = 'must be a host name such as api-1234abcd.duosecurity.com';

/**
 * The https origin of a Duo API host, lower-cased (`https://api-1234abcd.duosecurity.com`);
 * undefined when `host` fails `isDuoApiHost`.
 */
export function duoOriginOf(host: string): string | undefined {
  if (!isDuoApiHost(host)) return undefined;
  try {
    return new URL(`https://${host}/`).origin;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Web SDK v2 (traditional prompt, iframe)
// ---------------------------------------------------------------------------------------------

/**
 * The frame's success message, verbatim from Duo-Web-v2.js 2.9 (`AUTH|…|…` or `ENROLL|…|…`).
 * The page forwards what Duo's own script would accept; the v2 strategy in main then accepts only
 * the kind it asked for (`AUTH`, since Walkup signs only `TX` requests).
 */
export const DUO_V2_MESSAGE_FORMAT = /^(?:AUTH|ENROLL)+\|[A-Za-z0-9+/=]+\|[A-Za-z0-9+/=]+$/;

/** The frame's error message, verbatim from Duo-Web-v2.js 2.9; forwarded so main records it. */
export const DUO_V2_ERROR_FORMAT = /^ERR\|[\w\s.()]+$/;

/** True for a message a page should forward to main: a success or an error message. */
export function isDuoV2FrameMessage(data: unknown): data is string {
  return typeof data === 'string' && (DUO_V2_MESSAGE_FORMAT.test(data) || DUO_V2_ERROR_FORMAT.test(data));
}

/**
 * The v2.9 frame URL: `https://{host}/frame/web/v1/auth?tx=…&parent=…&v=2.9`, with `tx` and
 * `parent` encoded with encodeURIComponent exactly as Duo-Web-v2.js 2.9 does.
 */
export function buildDuoFrameSrc(host: string, tx: string, parentHref: string): string {
  return `https://${host}/frame/web/v1/auth?tx=${encodeURIComponent(tx)}&parent=${encodeURIComponent(parentHref)}&v=2.9`;
}

// ---------------------------------------------------------------------------------------------
// Web SDK v4 (Universal Prompt) callback
// ---------------------------------------------------------------------------------------------

/** Longest value of one callback query parameter that is read at all. */
export const MAX_DUO_CALLBACK_PARAM_LENGTH = 4096;

// `@__PURE__`: bundles that use only the v2 or API-host parts of this module (the kiosk's v2
// host page script) drop these schemas, and with them zod, when nothing reads them.
const callbackParam = /* @__PURE__ */ z.string().max(MAX_DUO_CALLBACK_PARAM_LENGTH).optional();

/**
 * The redirect_uri query: Duo's names (`duo_code`, or the OAuth `code`), `state`, and the OAuth
 * error pair (RFC 6749 section 4.1.2.1). Unknown parameters are ignored.
 */
export const duoCallbackQuerySchema = /* @__PURE__ */ z.object({
  duo_code: callbackParam,
  code: callbackParam,
  state: callbackParam,
  error: callbackParam,
  error_description: callbackParam,
});

/** The callback query as the engine reads it (absent values left out). */
export interface DuoCallbackParams {
  state?: string;
  duoCode?: string;
  code?: string;
  error?: string;
  errorDescription?: string;
}

/**
 * Parses a redirect_uri query, given as a `URLSearchParams` (the kiosk reads it off the URL) or
 * a plain object (Fastify's parsed query). A parameter given twice counts with its first value
 * (`URLSearchParams.get`), as an array it breaks the schema. Undefined when a value is too long
 * or not a string.
 */
export function parseDuoCallbackQuery(query: URLSearchParams | unknown): DuoCallbackParams | undefined {
  const input =
    query instanceof URLSearchParams
      ? Object.fromEntries(
          [...new Set(query.keys())].map((key) => [key, query.get(key) ?? undefined] as const),
        )
      : query;
  const parsed = duoCallbackQuerySchema.safeParse(input ?? {});
  if (!parsed.success) return undefined;
  const { state, duo_code, code, error, error_description } = parsed.data;
  const params: DuoCallbackParams = {};
  if (state !== undefined) params.state = state;
  if (duo_code !== undefined) params.duoCode = duo_code;
  if (code !== undefined) params.code = code;
  if (error !== undefined) params.error = error;
  if (error_description !== undefined) params.errorDescription = error_description;
  return params;
}
