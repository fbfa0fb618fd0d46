/**
 * Origins and URL parsing shared by the Electron policies. Pure: no electron import, so the
 * policies that build on it are unit-tested in plain Node.
 */

/** The custom scheme the renderer is served from (instead of `file://`). */
export const APP_SCHEME = 'app';
/** The one host of that scheme. */
export const APP_HOST = 'walkup';
/** The renderer's origin, as Electron reports it in `frame.origin` for a standard scheme. */
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
/** The renderer's start page. */
export const APP_START_URL = `${APP_ORIGIN}/index.html`;

/**
 * The v4 `redirect_uri` the kiosk registers with Duo. The `.invalid` TLD can never resolve
 * (RFC 6761), so even a missed interception cannot reach a real host; main intercepts the
 * redirect and never loads it.
 */
export const DEFAULT_DUO_CALLBACK_URL = 'https://walkup.invalid/duo/callback';

/**
 * Parses a URL strictly: only absolute URLs without embedded credentials. Returns undefined for
 * anything else, so callers fail closed.
 */
export function parseStrictUrl(value: string): URL | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  // `https://duo-host@evil.test` parses with credentials; a kiosk never needs them.
  if (url.username !== '' || url.password !== '') return undefined;
  return url;
}

/**
 * The serialized origin of a URL. Node's WHATWG URL returns "null" as the origin of
 * non-special schemes such as `app:`, while Chromium serializes a *standard* custom scheme as
 * `scheme://host`; this follows Chromium so the value matches `WebFrameMain.origin`.
 */
export function originOf(url: URL): string {
  if (url.protocol === 'http:' || url.protocol === 'https:') return url.origin;
  if (url.protocol === `${APP_SCHEME}:` && url.host !== '')
    return `${APP_SCHEME}://${url.host.toLowerCase()}`;
  return 'null';
}
