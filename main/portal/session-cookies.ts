/**
 * The two cookies of portal mode and their attributes.
 *
 * - The session cookie (SameSite=Strict) names the server-side session. Strict keeps it off every
 *   request another site starts, which is what we want for the API.
 * - The Duo callback cookie (SameSite=Lax, Path=/duo/callback) exists because Strict cookies are
 *   *not* sent when Duo's page redirects the browser back to us: that navigation was started by
 *   another site. See `duo-callback.ts` for why this is the chosen fix.
 *
 * Over https the names carry the `__Host-` / `__Secure-` prefixes, so that a sibling subdomain or a
 * plain-http response cannot plant or overwrite them.
 */
import type { CookieSerializeOptions } from '@fastify/cookie';
import { httpRoutes } from '../contract';

/** Name of the session cookie. */
export function sessionCookieName(secure: boolean): string {
  return secure ? '__Host-walkup_session' : 'walkup_session';
}

/** Attributes of the session cookie: no Max-Age (it dies with the browser; the server expires it sooner). */
export function sessionCookieOptions(secure: boolean): CookieSerializeOptions {
  return { httpOnly: true, sameSite: 'strict', path: '/', secure };
}

/** Name of the v4 callback cookie. */
export function callbackCookieName(secure: boolean): string {
  return secure ? '__Secure-walkup_duo_callback' : 'walkup_duo_callback';
}

/** Attributes of the v4 callback cookie: sent only to the callback route, and only for `maxAgeSeconds`. */
export function callbackCookieOptions(secure: boolean, maxAgeSeconds: number): CookieSerializeOptions {
  return {
    httpOnly: true,
    sameSite: 'lax',
    path: httpRoutes.duoCallback,
    secure,
    maxAge: Math.max(1, Math.floor(maxAgeSeconds)),
  };
}
