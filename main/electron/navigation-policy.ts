/**
 * Where each web contents may navigate. Every URL is parsed with `new URL` and compared by exact
 * origin: prefix checks would let `https://api-x.duosecurity.com.evil.test` through (Electron
 * security checklist #13). Pure, so the look-alike cases are unit-tested in Node.
 */
import { kioskDuoV2HostPaths } from '../contract/channels';
import { parseDuoCallbackQuery, type DuoCallbackParams } from '../contract/duo-formats';
import { APP_ORIGIN, originOf, parseStrictUrl } from './app-origin';

/** What the station allows; built once from the configuration. */
export interface NavigationPolicy {
  /** The renderer's origin, `app://walkup`. */
  appOrigin: string;
  /** `https://{duo apiHost}`; the only origin Duo content may come from. Unset: no Duo at all. */
  duoOrigin: string | undefined;
  /** The v4 redirect_uri; intercepted in main, never loaded. Undefined for Web SDK v2. */
  callbackUrl?: string;
}

/** Builds the policy; `appOrigin` defaults to `app://walkup`. */
export function createNavigationPolicy(options: {
  duoOrigin: string | undefined;
  callbackUrl?: string;
  appOrigin?: string;
}): NavigationPolicy {
  return {
    appOrigin: options.appOrigin ?? APP_ORIGIN,
    duoOrigin: options.duoOrigin,
    ...(options.callbackUrl !== undefined ? { callbackUrl: options.callbackUrl } : {}),
  };
}

/** A navigation decision; `callback` carries the redirect_uri query for `handleDuoCallback`. */
export type NavigationDecision =
  { action: 'allow' } | { action: 'deny' } | { action: 'callback'; params: DuoCallbackParams };

const allow: NavigationDecision = { action: 'allow' };
const deny: NavigationDecision = { action: 'deny' };

/** True when `url` has exactly the given origin (scheme, host and port). */
export function hasExactOrigin(url: string, origin: string | undefined): boolean {
  if (origin === undefined) return false;
  const parsed = parseStrictUrl(url);
  return parsed !== undefined && originOf(parsed) !== 'null' && originOf(parsed) === origin;
}

/**
 * The kiosk window (renderer). Its main frame stays on `app://walkup`. It frames nothing from
 * the network: Duo's v2 frame runs in its own view and per-visit partition (`duo-view.ts`), so
 * subframes may only start as `about:blank` (which every iframe does) and the window's session
 * (the default one) never holds Duo state.
 */
export function decideWindowNavigation(
  url: string,
  frame: { isMainFrame: boolean },
  policy: NavigationPolicy,
): NavigationDecision {
  if (frame.isMainFrame) return hasExactOrigin(url, policy.appOrigin) ? allow : deny;
  return url === 'about:blank' ? allow : deny;
}

/** Path of the page that frames Duo's v2 frame in the v2 view (served only in that partition). */
export const DUO_V2_HOST_PATH = kioskDuoV2HostPaths.page;
/** Path of that page's script. */
export const DUO_V2_HOST_SCRIPT_PATH = kioskDuoV2HostPaths.script;
/** Where that page posts the frame's message (answered by the partition's protocol handler). */
export const DUO_V2_RESPONSE_PATH = kioskDuoV2HostPaths.response;

/**
 * The Duo v2 view: its main frame is the host page on `app://walkup` and nothing else; its
 * subframes may show Duo (the v2 frame) or start as `about:blank`.
 */
export function decideDuoV2ViewNavigation(
  url: string,
  frame: { isMainFrame: boolean },
  policy: NavigationPolicy,
): NavigationDecision {
  if (frame.isMainFrame) {
    const parsed = parseStrictUrl(url);
    return parsed && hasExactOrigin(url, policy.appOrigin) && parsed.pathname === DUO_V2_HOST_PATH
      ? allow
      : deny;
  }
  if (url === 'about:blank') return allow;
  return hasExactOrigin(url, policy.duoOrigin) ? allow : deny;
}

/**
 * Network requests of the v2 view's partition: the host page and its script and response
 * endpoint on `app://walkup`, and Duo's origin; everything else is cancelled.
 */
export function decideDuoV2ViewRequest(url: string, policy: NavigationPolicy): 'allow' | 'cancel' {
  return hasExactOrigin(url, policy.appOrigin) || hasExactOrigin(url, policy.duoOrigin) ? 'allow' : 'cancel';
}

/**
 * Requests of the default session (the renderer's): `app://walkup` only. Duo, and anything
 * else on the network, never loads there, so the default session holds no visit's state.
 */
export function decideDefaultSessionRequest(url: string, policy: NavigationPolicy): 'allow' | 'cancel' {
  const parsed = parseStrictUrl(url);
  if (parsed === undefined) return 'cancel';
  // Chromium-internal schemes (devtools in development) are not the network.
  if (['devtools:', 'chrome-extension:', 'chrome:'].includes(parsed.protocol)) return 'allow';
  return hasExactOrigin(url, policy.appOrigin) ? 'allow' : 'cancel';
}

/**
 * Whether `url` is the configured redirect_uri: same origin and path, whatever the query.
 * Returns the parsed URL so the caller can read the query.
 */
export function matchCallbackUrl(url: string, callbackUrl: string | undefined): URL | undefined {
  if (callbackUrl === undefined) return undefined;
  const parsed = parseStrictUrl(url);
  const expected = parseStrictUrl(callbackUrl);
  if (!parsed || !expected) return undefined;
  if (originOf(parsed) !== originOf(expected) || parsed.pathname !== expected.pathname) return undefined;
  return parsed;
}

/**
 * The redirect_uri query as the engine reads it, parsed with the contract's
 * `parseDuoCallbackQuery` (the one callback parser; portal mode's `/duo/callback` uses it too).
 * A query it refuses (a value over `MAX_DUO_CALLBACK_PARAM_LENGTH`) is still Duo's answer to
 * this view: the engine gets an empty query, which the pending step refuses (no `state` of its
 * own), so the visit ends with a support reference instead of waiting at a cancelled page until
 * the idle timeout. (The portal ignores such a callback instead: there anyone can send a link,
 * while here only Duo's own page can navigate the view.)
 */
export function callbackParamsOf(url: URL): DuoCallbackParams {
  return parseDuoCallbackQuery(url.searchParams) ?? {};
}

/**
 * The Duo v4 view (a top-level Duo page in its own partition): it may stay on the Duo origin;
 * the redirect_uri is turned into a callback; everything else is denied.
 */
export function decideDuoViewNavigation(url: string, policy: NavigationPolicy): NavigationDecision {
  const callback = matchCallbackUrl(url, policy.callbackUrl);
  if (callback) return { action: 'callback', params: callbackParamsOf(callback) };
  return hasExactOrigin(url, policy.duoOrigin) ? allow : deny;
}

/**
 * Any other web contents (one the station did not create on purpose): nothing is allowed.
 * Kept as a function so the global guard reads the same as the others.
 */
export function decideUnknownNavigation(): NavigationDecision {
  return deny;
}

/**
 * Network requests from the Duo view's session (`webRequest.onBeforeRequest`): only the Duo
 * origin. The redirect_uri is cancelled here too, so it never reaches the network even if a
 * navigation event were missed; it counts as Duo's answer only as a main-frame navigation
 * (`resourceType` `mainFrame`): an image, script or subframe pointing at it is just cancelled.
 */
export function decideDuoViewRequest(
  url: string,
  policy: NavigationPolicy,
  resourceType: string,
): 'allow' | 'cancel' | 'callback' {
  const decision = decideDuoViewNavigation(url, policy);
  if (decision.action === 'callback') return resourceType === 'mainFrame' ? 'callback' : 'cancel';
  return decision.action === 'allow' ? 'allow' : 'cancel';
}
