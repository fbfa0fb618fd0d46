import { randomBytes } from 'node:crypto';
import { compactVerify, decodeJwt, decodeProtectedHeader, SignJWT } from 'jose';
import { z } from 'zod';

/**
 * The Duo side of Web SDK v4 / Universal Prompt (Duo Universal Prompt docs; OpenID Connect Core 1.0): client assertions,
 * the authorize request object, authorization codes and the id_token. Claim parsing is our own
 * (zod) rather than jose's, because Duo tolerates shapes jose's claim checks refuse: UCS sends
 * every claim as a string, UPY a float `exp` (§3.3, §3.5, §6).
 */

/** Tolerance on incoming `exp` claims ([inference]: Duo's own leeway is not published; SDKs use 60 s). */
export const JWT_LEEWAY_SECONDS = 60;
/** Lifetime of an authorization code ([inference]: not published; kept short as OAuth advises). */
export const CODE_LIFETIME_SECONDS = 60;
/** Lifetime of the id_token (UNODE's test fixture uses now + 300). */
export const ID_TOKEN_LIFETIME_SECONDS = 300;
/** `expires_in` of the access token: a non-zero integer, as UGO requires. */
export const ACCESS_TOKEN_LIFETIME_SECONDS = 3600;

const encoder = new TextEncoder();

/** A numeric claim that may arrive as a number, a float, or a numeric string. */
const numericClaim = z.union([
  z.number().finite(),
  z
    .string()
    .regex(/^\d+(\.\d+)?$/)
    .transform(Number),
]);
const audienceClaim = z.union([z.string(), z.array(z.string())]);

/** Verifies an HS512 compact JWS with `secret`; returns the decoded JSON payload or null. */
async function verifyHs512(token: string, secret: string): Promise<unknown> {
  try {
    if (decodeProtectedHeader(token).alg !== 'HS512') return null;
    const { payload } = await compactVerify(token, encoder.encode(secret), { algorithms: ['HS512'] });
    return JSON.parse(new TextDecoder().decode(payload)) as unknown;
  } catch {
    return null;
  }
}

function audienceMatches(aud: string | string[], accepted: readonly string[]): boolean {
  const list = Array.isArray(aud) ? aud : [aud];
  return list.length > 0 && list.every((a) => accepted.includes(a));
}

const assertionClaims = z.object({
  iss: z.string(),
  sub: z.string(),
  aud: audienceClaim,
  exp: numericClaim,
  jti: z.string().optional(),
});

/**
 * Checks a client assertion (health check and token endpoint, §3.3): HS512 with the client's
 * secret, `iss` = `sub` = client id, `aud` = the endpoint URL, `exp` not passed. When the request
 * also names a `client_id`, it must be the assertion's `iss` (UJAVA omits it, so it is optional).
 */
export async function verifyClientAssertion(
  assertion: string | undefined,
  options: {
    clientId?: string | undefined;
    audience: readonly string[];
    clients: ReadonlyMap<string, string>;
    nowSeconds: number;
  },
): Promise<{ ok: true; clientId: string } | { ok: false; detail: string }> {
  if (!assertion) return { ok: false, detail: 'The client_assertion parameter is missing.' };
  let unverifiedIss: unknown;
  try {
    unverifiedIss = decodeJwt(assertion).iss;
  } catch {
    return { ok: false, detail: 'The provided client_assertion was invalid.' };
  }
  if (typeof unverifiedIss !== 'string')
    return { ok: false, detail: 'The provided client_assertion was invalid.' };
  if (options.clientId !== undefined && options.clientId !== unverifiedIss) {
    return {
      ok: false,
      detail: 'Invalid Client assertion: The `iss` claim must match the supplied client_id',
    };
  }
  const secret = options.clients.get(unverifiedIss);
  if (secret === undefined) return { ok: false, detail: 'The provided client_assertion was invalid.' };
  const payload = await verifyHs512(assertion, secret);
  if (payload === null) return { ok: false, detail: 'Failed to verify signature.' };
  const claims = assertionClaims.safeParse(payload);
  if (!claims.success) return { ok: false, detail: 'The provided client_assertion was invalid.' };
  const { iss, sub, aud, exp } = claims.data;
  if (sub !== iss)
    return { ok: false, detail: 'Invalid Client assertion: The `sub` claim must match the `iss` claim' };
  if (!audienceMatches(aud, options.audience)) {
    return { ok: false, detail: 'Invalid Client assertion: The `aud` claim is invalid' };
  }
  if (exp + JWT_LEEWAY_SECONDS <= options.nowSeconds) {
    return { ok: false, detail: 'Invalid Client assertion: The assertion has expired' };
  }
  return { ok: true, clientId: iss };
}

/** The authorization request, once verified. */
export interface AuthorizeRequest {
  clientId: string;
  username: string;
  redirectUri: string;
  state: string;
  nonce?: string;
  /** true: the code comes back as `duo_code`; false: as `code`. */
  useDuoCodeAttribute: boolean;
}

const requestClaims = z.object({
  response_type: z.literal('code').optional(),
  client_id: z.string().optional(),
  redirect_uri: z.string().min(1),
  state: z.string().min(1).max(1024),
  duo_uname: z.string().min(1),
  scope: z.string().optional(),
  iss: z.string().optional(),
  aud: audienceClaim.optional(),
  exp: numericClaim,
  nonce: z.string().min(1).optional(),
  // UCS sends the string "true"; the Python/Node/Go/PHP/Java SDKs send a boolean.
  use_duo_code_attribute: z
    .union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')])
    .optional(),
});

const UNSAFE_REDIRECT_SCHEMES = ['javascript:', 'data:', 'vbscript:', 'file:', 'blob:', 'about:'];

/**
 * Verifies `GET /oauth/v1/authorize` (§3.5): `response_type=code`, a known `client_id`, and a
 * `request` JWT signed HS512 with that client's secret. Tolerates what real clients send
 * (§6.3): no `iss`/`aud` (UJAVA), `aud` with or without `/oauth/v1/authorize` (UCS), float or
 * string `exp`, string `"true"` for `use_duo_code_attribute`, `nonce` in the query (UPY).
 */
export async function verifyAuthorizeRequest(
  query: ReadonlyMap<string, string>,
  options: { clients: ReadonlyMap<string, string>; baseUrls: readonly string[]; nowSeconds: number },
): Promise<{ ok: true; value: AuthorizeRequest } | { ok: false; detail: string }> {
  if (query.get('response_type') !== 'code') return { ok: false, detail: 'response_type must be code.' };
  const clientId = query.get('client_id');
  const secret = clientId === undefined ? undefined : options.clients.get(clientId);
  if (clientId === undefined || secret === undefined) return { ok: false, detail: 'Unknown client_id.' };
  const request = query.get('request');
  if (!request) return { ok: false, detail: 'The request parameter is missing.' };
  const payload = await verifyHs512(request, secret);
  if (payload === null) return { ok: false, detail: 'The request object signature is invalid.' };
  const parsed = requestClaims.safeParse(payload);
  if (!parsed.success) return { ok: false, detail: 'The request object is missing required claims.' };
  const claims = parsed.data;
  if (claims.client_id !== undefined && claims.client_id !== clientId) {
    return { ok: false, detail: 'The request object client_id does not match.' };
  }
  if (claims.iss !== undefined && claims.iss !== clientId) {
    return { ok: false, detail: 'The request object issuer is invalid.' };
  }
  const audiences = options.baseUrls.flatMap((base) => [base, `${base}/oauth/v1/authorize`]);
  if (claims.aud !== undefined && !audienceMatches(claims.aud, audiences)) {
    return { ok: false, detail: 'The request object audience is invalid.' };
  }
  if (claims.exp + JWT_LEEWAY_SECONDS <= options.nowSeconds) {
    return { ok: false, detail: 'The request object has expired.' };
  }
  if (claims.scope !== undefined && !claims.scope.split(' ').includes('openid')) {
    return { ok: false, detail: 'The openid scope is required.' };
  }
  let redirect: URL;
  try {
    redirect = new URL(claims.redirect_uri);
  } catch {
    return { ok: false, detail: 'The redirect_uri is invalid.' };
  }
  if (UNSAFE_REDIRECT_SCHEMES.includes(redirect.protocol)) {
    return { ok: false, detail: 'The redirect_uri is invalid.' };
  }
  const nonce = claims.nonce ?? query.get('nonce');
  return {
    ok: true,
    value: {
      clientId,
      username: claims.duo_uname,
      // The JWT's redirect_uri wins: UJAVA puts an unencoded copy in the query (§6.3).
      redirectUri: claims.redirect_uri,
      state: claims.state,
      ...(nonce ? { nonce } : {}),
      useDuoCodeAttribute: claims.use_duo_code_attribute ?? false,
    },
  };
}

/** Where Duo sends the browser when the person presses Finish (§3.6). */
export function successRedirect(request: AuthorizeRequest, code: string): string {
  const url = new URL(request.redirectUri);
  url.searchParams.set(request.useDuoCodeAttribute ? 'duo_code' : 'code', code);
  url.searchParams.set('state', request.state);
  return url.toString();
}

/** Where Duo sends the browser when the person cancels: an OAuth `access_denied` error. */
export function cancelRedirect(request: AuthorizeRequest): string {
  const url = new URL(request.redirectUri);
  url.searchParams.set('error', 'access_denied');
  url.searchParams.set('error_description', 'The user cancelled the request.');
  url.searchParams.set('state', request.state);
  return url.toString();
}

/** What an authorization code stands for. */
export interface IssuedCode {
  clientId: string;
  redirectUri: string;
  username: string;
  nonce?: string;
  authTime: number;
  expiresAt: number;
  used: boolean;
}

/** Authorization codes: random, single-use, bound to client and redirect_uri, short-lived. */
export class CodeStore {
  readonly #codes = new Map<string, IssuedCode>();

  /** Issues a code for a finished prompt. */
  issue(request: AuthorizeRequest, nowSeconds: number): string {
    const code = randomBytes(24).toString('hex');
    this.#codes.set(code, {
      clientId: request.clientId,
      redirectUri: request.redirectUri,
      username: request.username,
      ...(request.nonce ? { nonce: request.nonce } : {}),
      authTime: nowSeconds,
      expiresAt: nowSeconds + CODE_LIFETIME_SECONDS,
      used: false,
    });
    return code;
  }

  /**
   * Spends a code. Any presentation by an authenticated client uses the code up, so a replay or
   * a second try with another redirect_uri fails too (RFC 6749 §4.1.2).
   */
  redeem(
    code: string | undefined,
    clientId: string,
    redirectUri: string | undefined,
    nowSeconds: number,
  ): { ok: true; value: IssuedCode } | { ok: false } {
    const issued = code === undefined ? undefined : this.#codes.get(code);
    if (issued === undefined || issued.used || issued.clientId !== clientId) return { ok: false };
    issued.used = true;
    if (issued.redirectUri !== redirectUri || nowSeconds >= issued.expiresAt) return { ok: false };
    return { ok: true, value: issued };
  }
}

/** Signs the id_token Duo returns (§3.8, §6.6): HS512 with the client secret. */
export async function signIdToken(
  code: IssuedCode,
  options: { issuer: string; secret: string; nowSeconds: number },
): Promise<string> {
  const now = options.nowSeconds;
  const txid = randomBytes(16).toString('hex');
  const isotimestamp = new Date(now * 1000).toISOString();
  return new SignJWT({
    preferred_username: code.username,
    ...(code.nonce ? { nonce: code.nonce } : {}),
    auth_time: code.authTime,
    auth_result: { result: 'allow', status: 'allow', status_msg: 'Login Successful' },
    auth_context: {
      txid,
      timestamp: code.authTime,
      isotimestamp,
      user: { name: code.username, key: `DU${randomBytes(9).toString('hex').toUpperCase()}`, groups: [] },
      application: { name: 'Walkup Duo emulator', key: code.clientId },
      auth_device: {
        ip: '127.0.0.1',
        location: { city: null, state: null, country: null },
        name: 'emulated device',
      },
      access_device: {
        ip: '127.0.0.1',
        location: { city: null, state: null, country: null },
        hostname: null,
        epkey: null,
        browser: null,
        browser_version: null,
        flash_version: null,
        java_version: null,
        os: null,
        os_version: null,
        is_encryption_enabled: 'unknown',
        is_firewall_enabled: 'unknown',
        is_password_set: 'unknown',
      },
      factor: 'not_available',
      event_type: 'authentication',
      result: 'success',
      reason: 'user_approved',
      alias: '',
      email: '',
      ood_software: null,
      trusted_endpoint_status: 'unknown',
    },
  })
    .setProtectedHeader({ alg: 'HS512', typ: 'JWT' })
    .setIssuer(options.issuer)
    .setSubject(code.username)
    .setAudience(code.clientId)
    .setIssuedAt(now)
    .setNotBefore(now)
    .setExpirationTime(now + ID_TOKEN_LIFETIME_SECONDS)
    .setJti(randomBytes(18).toString('hex'))
    .sign(encoder.encode(options.secret));
}

/** A random opaque access token (Walkup never uses it; the token response must carry one). */
export function newAccessToken(): string {
  return randomBytes(32).toString('base64url');
}
