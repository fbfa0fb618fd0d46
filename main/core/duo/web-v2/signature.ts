/**
 * Duo Web SDK v2 (`sign_request` / `verify_response`), a port of Duo's retired server libraries
 * (duo_python `duo_web`, the wording mirrored here). Pure functions: no network, no clock unless
 * the caller leaves `nowSeconds` out.
 *
 * Layout (duo_python `duo_web.py` `_sign_vals`, the Duo Web SDK v2 server libraries):
 *   sig_request  = TX|b64(user|ikey|now+300)|hmac(skey) ":" APP|b64(user|ikey|now+3600)|hmac(akey)
 *   sig_response = AUTH|b64(user|ikey|exp)|hmac(skey)   ":" the APP part the app issued
 */
import { createHmac } from 'node:crypto';
import { constantTimeEquals } from '../../constant-time';

/** Prefix of the part sent to Duo (signed with the skey). */
export const DUO_PREFIX = 'TX';
/** Prefix of the part the application keeps (signed with the akey). */
export const APP_PREFIX = 'APP';
/** Prefix of Duo's answer (signed with the skey). */
export const AUTH_PREFIX = 'AUTH';

/** Lifetime of the TX part, seconds. */
export const DUO_EXPIRE = 300;
/** Lifetime of the APP part, seconds. */
export const APP_EXPIRE = 3600;
/** Exact integration key length. */
export const IKEY_LEN = 20;
/** Exact secret key length. */
export const SKEY_LEN = 40;
/** Minimum akey length. */
export const AKEY_LEN = 40;

/** Error strings returned (not thrown) by `signRequest`, worded as duo_python words them. */
export const ERR_USER = 'ERR|The username passed to sign_request() is invalid.';
export const ERR_IKEY = 'ERR|The Duo integration key passed to sign_request() is invalid.';
export const ERR_SKEY = 'ERR|The Duo secret key passed to sign_request() is invalid.';
export const ERR_AKEY =
  'ERR|The application secret key passed to sign_request() must be at least 40 characters.';
export const ERR_UNKNOWN = 'ERR|An unknown error has occurred.';
export const ERR_USER_ENCODING =
  'ERR|The username passed to sign_request() could not be encoded. Pass a <unicode> username in Python 2 or <str> username in Python 3.';

/** A UTF-16 surrogate without its pair: such a string has no UTF-8 encoding. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function systemNowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** Length in Unicode code points, as Python's `len()` counts (keys are ASCII in practice). */
function codePointLength(value: string): number {
  return [...value].length;
}

function hmacSha1Hex(key: string, message: string): string {
  return createHmac('sha1', Buffer.from(key, 'utf8')).update(message, 'utf8').digest('hex');
}

/** One signed part: `PREFIX|base64(user|ikey|exp)|hex(HMAC-SHA1(key, PREFIX|base64…))`. */
function signVals(
  key: string,
  username: string,
  ikey: string,
  prefix: string,
  expire: number,
  nowSeconds: number,
): string {
  const exp = nowSeconds + expire;
  const val = `${username}|${ikey}|${exp}`;
  const cookie = `${prefix}|${Buffer.from(val, 'utf8').toString('base64')}`;
  return `${cookie}|${hmacSha1Hex(key, cookie)}`;
}

/**
 * Checks one signed part and returns its username, or null. Order as in every Duo library:
 * three `|` parts, MAC, prefix, three payload fields, ikey, expiry (`now >= exp` fails).
 */
function parseVals(
  key: string,
  val: string,
  prefix: string,
  ikey: string,
  nowSeconds: number,
): string | null {
  const parts = val.split('|');
  if (parts.length !== 3) return null;
  const [uPrefix, uB64, uSig] = parts as [string, string, string];

  // The MAC's length is public (40 hex digits), so only its content is compared in constant time.
  if (!constantTimeEquals(uSig, hmacSha1Hex(key, `${uPrefix}|${uB64}`))) return null;
  if (uPrefix !== prefix) return null;

  const fields = Buffer.from(uB64, 'base64').toString('utf8').split('|');
  if (fields.length !== 3) return null;
  const [user, uIkey, exp] = fields as [string, string, string];

  if (uIkey !== ikey) return null;
  if (!/^\d+$/.test(exp)) return null;
  if (nowSeconds >= Number(exp)) return null;
  return user;
}

/**
 * Why Duo Web SDK v2 cannot carry `username`, or undefined when it can. `sig_request` joins
 * `username|ikey|expiry` with `|` before base64, so a name containing `|` cannot be told apart
 * (every Duo v2 library refuses it with `ERR_USER`); an empty name is refused the same way; a
 * lone UTF-16 surrogate has no UTF-8 encoding (duo_python: `ERR_USER_ENCODING`). Duo's libraries
 * set no length limit (duo_web `sign_request`, all six server libraries, deprecated 2022-07-18).
 */
export function v2UsernameProblem(username: string): 'empty' | 'contains-pipe' | 'not-encodable' | undefined {
  if (LONE_SURROGATE.test(username)) return 'not-encodable';
  if (!username) return 'empty';
  if (username.includes('|')) return 'contains-pipe';
  return undefined;
}

/** Whether Duo Web SDK v2 can carry `username` (see `v2UsernameProblem`). */
export function isV2Username(username: string): boolean {
  return v2UsernameProblem(username) === undefined;
}

function signWithPrefix(
  ikey: string,
  skey: string,
  akey: string,
  username: string,
  duoPrefix: string,
  nowSeconds: number,
): string {
  const problem = v2UsernameProblem(username);
  // A lone surrogate cannot be encoded as UTF-8: Python raises there, so duo_python returns this.
  if (problem === 'not-encodable') return ERR_USER_ENCODING;
  if (problem !== undefined) return ERR_USER;
  if (!ikey || codePointLength(ikey) !== IKEY_LEN) return ERR_IKEY;
  if (!skey || codePointLength(skey) !== SKEY_LEN) return ERR_SKEY;
  if (!akey || codePointLength(akey) < AKEY_LEN) return ERR_AKEY;

  const duoSig = signVals(skey, username, ikey, duoPrefix, DUO_EXPIRE, nowSeconds);
  const appSig = signVals(akey, username, ikey, APP_PREFIX, APP_EXPIRE, nowSeconds);
  return `${duoSig}:${appSig}`;
}

function verifyWithPrefix(
  ikey: string,
  skey: string,
  akey: string,
  sigResponse: string,
  duoPrefix: string,
  nowSeconds: number,
): string | null {
  const pieces = sigResponse.split(':');
  if (pieces.length !== 2) return null;
  const [authSig, appSig] = pieces as [string, string];
  const authUser = parseVals(skey, authSig, duoPrefix, ikey, nowSeconds);
  const appUser = parseVals(akey, appSig, APP_PREFIX, ikey, nowSeconds);
  if (authUser === null || appUser === null || authUser !== appUser) return null;
  return authUser;
}

/**
 * `sign_request`: the `TX…:APP…` string for a username, or one of the `ERR_*` strings when an
 * input is invalid (returned, not thrown, exactly like Duo's libraries).
 */
export function signRequest(
  ikey: string,
  skey: string,
  akey: string,
  username: string,
  nowSeconds: number = systemNowSeconds(),
): string {
  return signWithPrefix(ikey, skey, akey, username, DUO_PREFIX, nowSeconds);
}

/**
 * `verify_response`: the username Duo authenticated when `AUTH…:APP…` is genuine (both MACs,
 * same ikey, same user, neither part expired), else null.
 */
export function verifyResponse(
  ikey: string,
  skey: string,
  akey: string,
  sigResponse: string,
  nowSeconds: number = systemNowSeconds(),
): string | null {
  return verifyWithPrefix(ikey, skey, akey, sigResponse, AUTH_PREFIX, nowSeconds);
}

/** Splits a successful `sig_request` into the part Duo sees and the part that stays in main. */
export function splitSignedRequest(sigRequest: string): { tx: string; app: string } | null {
  if (sigRequest.startsWith('ERR|')) return null;
  const pieces = sigRequest.split(':');
  if (pieces.length !== 2) return null;
  return { tx: pieces[0] as string, app: pieces[1] as string };
}

/**
 * The expiry Duo wrote into its part of a response (`AUTH|b64(user|ikey|exp)|sig`), in Unix
 * seconds; undefined when the part does not carry one. Unverified: only for deciding how long a
 * used response is remembered.
 */
export function duoPartExpiry(duoPart: string): number | undefined {
  const encoded = duoPart.split('|')[1];
  if (!encoded) return undefined;
  const exp = Number(Buffer.from(encoded, 'base64').toString('utf8').split('|')[2]);
  return Number.isFinite(exp) && exp > 0 ? exp : undefined;
}
