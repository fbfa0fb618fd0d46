import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The Duo side of Web SDK v2 (duo_python `duo_web.py`: sign_vals, verify_response, enroll variant): checking the TX part a client library
 * signed with the skey, and producing the AUTH part the frame posts back. Written from the
 * protocol notes, independently of Walkup's own main/core/duo, so each can catch the other's bugs.
 */

/** Lifetime of the AUTH part Duo returns. Duo's real value is not published (§1.8); 300 s mirrors DUO_EXPIRE. */
export const AUTH_PART_LIFETIME_SECONDS = 300;

/** A TX part that passed every check. */
export interface VerifiedTx {
  username: string;
  ikey: string;
  skey: string;
  /** `AUTH` for a `TX` request, `ENROLL` for an `ENROLL_REQUEST` request (PY2's enroll variant). */
  responsePrefix: 'AUTH' | 'ENROLL';
  expiresAt: number;
}

/**
 * Why a TX part was refused. The text is what the frame posts as `ERR|<text>`, so it must match
 * Duo-Web-v2.js's DUO_ERROR_FORMAT: only word characters, whitespace, dots and parentheses.
 */
export type TxRejection =
  | 'Missing request parameters.'
  | 'Malformed request.'
  | 'Invalid integration key.'
  | 'Invalid request signature.'
  | 'The request has expired. Check that the system time is correct.';

/** Lowercase hex HMAC-SHA1 of `message` with `key`, both as UTF-8 (the v2 `sign_vals` step 5). */
export function hmacSha1Hex(key: string, message: string): string {
  return createHmac('sha1', Buffer.from(key, 'utf8')).update(Buffer.from(message, 'utf8')).digest('hex');
}

/** Constant-time comparison of two hex strings (equal lengths only). */
export function hexEquals(a: string, b: string): boolean {
  const left = Buffer.from(a.toLowerCase(), 'utf8');
  const right = Buffer.from(b.toLowerCase(), 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const HEX40 = /^[0-9a-fA-F]{40}$/;

/**
 * Checks the `tx` query parameter of `/frame/web/v1/auth`: `PREFIX|base64(user|ikey|exp)|hmac`
 * with prefix `TX` or `ENROLL_REQUEST`, the HMAC-SHA1 made with the skey of the ikey inside,
 * exactly three payload fields, a known ikey and `now < exp`.
 */
export function verifyTxPart(
  tx: string,
  keys: ReadonlyMap<string, string>,
  nowSeconds: number,
): { ok: true; value: VerifiedTx } | { ok: false; reason: TxRejection } {
  const parts = tx.split('|');
  if (parts.length !== 3) return { ok: false, reason: 'Malformed request.' };
  const [prefix, b64, sig] = parts as [string, string, string];
  if (prefix !== 'TX' && prefix !== 'ENROLL_REQUEST') return { ok: false, reason: 'Malformed request.' };
  if (!BASE64.test(b64) || !HEX40.test(sig)) return { ok: false, reason: 'Malformed request.' };

  const fields = Buffer.from(b64, 'base64').toString('utf8').split('|');
  if (fields.length !== 3) return { ok: false, reason: 'Malformed request.' };
  const [username, ikey, exp] = fields as [string, string, string];
  if (username === '' || !/^\d+$/.test(exp)) return { ok: false, reason: 'Malformed request.' };

  const skey = keys.get(ikey);
  if (skey === undefined) return { ok: false, reason: 'Invalid integration key.' };
  if (!hexEquals(hmacSha1Hex(skey, `${prefix}|${b64}`), sig)) {
    return { ok: false, reason: 'Invalid request signature.' };
  }
  const expiresAt = Number(exp);
  if (nowSeconds >= expiresAt) {
    return { ok: false, reason: 'The request has expired. Check that the system time is correct.' };
  }
  const responsePrefix = prefix === 'TX' ? 'AUTH' : 'ENROLL';
  return { ok: true, value: { username, ikey, skey, responsePrefix, expiresAt } };
}

/**
 * The part Duo hands back through postMessage: `AUTH|base64(user|ikey|exp)|hmac` (or `ENROLL|…`),
 * signed with the skey so the application's `verify_response` can trust it.
 */
export function signResponsePart(
  tx: Pick<VerifiedTx, 'username' | 'ikey' | 'skey' | 'responsePrefix'>,
  nowSeconds: number,
): string {
  const exp = nowSeconds + AUTH_PART_LIFETIME_SECONDS;
  const b64 = Buffer.from(`${tx.username}|${tx.ikey}|${exp}`, 'utf8').toString('base64');
  const cookie = `${tx.responsePrefix}|${b64}`;
  return `${cookie}|${hmacSha1Hex(tx.skey, cookie)}`;
}

/** Duo-Web-v2.js's checks on a message from the frame (§2.5), used to keep our own output honest. */
export const DUO_MESSAGE_FORMAT = /^(?:AUTH|ENROLL)+\|[A-Za-z0-9+/=]+\|[A-Za-z0-9+/=]+$/;
/** Duo-Web-v2.js's error message format (§2.5). */
export const DUO_ERROR_FORMAT = /^ERR\|[\w\s.()]+$/;

/**
 * The origin a frame may post to, from the `parent` URL Duo-Web-v2.js sends. Node's URL reports
 * "null" for non-special schemes, but Chromium gives registered standard schemes (Walkup's
 * `app://walkup`) a real origin, so those are rebuilt from scheme and host.
 */
export function parentOriginOf(parent: string): string | null {
  let url: URL;
  try {
    url = new URL(parent);
  } catch {
    return null;
  }
  if (url.origin !== 'null') return url.origin;
  if (!/^[a-z][a-z0-9+.-]*:$/.test(url.protocol) || url.host === '') return null;
  if (['file:', 'data:', 'javascript:', 'blob:', 'about:'].includes(url.protocol)) return null;
  return `${url.protocol}//${url.host}`;
}
