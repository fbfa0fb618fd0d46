/**
 * Duo Web SDK v4 (Universal Prompt): health check, authorize URL, callback verification, code
 * exchange and id_token validation (Duo docs: "Duo Universal Prompt" / "Duo Web v4 SDK"; OpenID
 * Connect Core 1.0).
 *
 * Why not Duo's `@duosecurity/duo_universal` client (3.0.0, read in node_modules): its
 * constructor hard-wires an https.Agent trusting only Duo's pinned CA bundle, with no option to
 * add a CA, so the emulator (a private CA) could only be reached by replacing its private axios
 * instance or turning verification off; it sets no request timeout; `createAuthUrl` cannot carry
 * a nonce, so the id_token nonce check would be meaningless; and it reads `Date.now()`, not our
 * Clock. This module follows the same protocol on `jose` (HS512 JWTs) and node:https, and
 * trusts what every connection to Duo trusts (`duoTrust`: that package's pinned CA bundle when no
 * `caFile` is set).
 *
 * The Web SDK v4 integration over this client is `integration.ts` beside it.
 */
import { randomBytes } from 'node:crypto';
import { SignJWT, jwtVerify, type JWTPayload } from 'jose';
import { z } from 'zod';
import { constantTimeEquals } from '../../constant-time';
import type { Clock } from '../../ports';
import { DEFAULT_DUO_TIMEOUT_MS } from '../auth-api';
import { duoText } from '../duo-text';
import { duoEndpoint, httpsRequest, parseJson, type HttpsResult } from '../https-client';
import type { CallbackParams, CallbackResult, DuoFailureCode, PendingAuthorization } from '../types';

/** OIDC health check endpoint (client assertion, no user). */
export const HEALTH_CHECK_PATH = '/oauth/v1/health_check';
/** Where the browser is sent to meet the Universal Prompt. */
export const AUTHORIZE_PATH = '/oauth/v1/authorize';
/** Code exchange endpoint; also the id_token issuer's path. */
export const TOKEN_PATH = '/oauth/v1/token';
/** The only signature algorithm Duo uses, and the only one accepted here. */
export const SIG_ALGORITHM = 'HS512';
/** Lifetime of the JWTs we sign (client assertions, request object). */
export const JWT_EXPIRATION_SECONDS = 300;
/** Clock tolerance when checking Duo's id_token, as in every Duo SDK. */
export const JWT_LEEWAY_SECONDS = 60;
/** RFC 7523 client assertion type sent to the token endpoint. */
export const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

function secretKey(clientSecret: string): Uint8Array {
  return new TextEncoder().encode(clientSecret);
}

/** 256 bits, URL-safe: well inside Duo's 22..1024 character bounds for `state`. */
export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Compares the callback's `state` with the pending one in constant time (`constantTimeEquals`;
 * the length of a state we issued is public). An empty state never matches.
 */
export function statesMatch(received: string | undefined, expected: string): boolean {
  if (received === undefined || received.length === 0 || expected.length === 0) return false;
  return constantTimeEquals(received, expected);
}

/** The client-assertion JWT for the health check and token endpoints (§3.3). */
export async function buildClientAssertion(
  clientId: string,
  clientSecret: string,
  audience: string,
  nowSeconds: number,
): Promise<string> {
  return new SignJWT({
    iss: clientId,
    sub: clientId,
    aud: audience,
    jti: randomBytes(18).toString('hex'),
    iat: nowSeconds,
    exp: nowSeconds + JWT_EXPIRATION_SECONDS,
  })
    .setProtectedHeader({ alg: SIG_ALGORITHM, typ: 'JWT' })
    .sign(secretKey(clientSecret));
}

/** Everything the authorize URL is built from. */
export interface AuthorizeUrlInput {
  clientId: string;
  clientSecret: string;
  apiHost: string;
  redirectUri: string;
  username: string;
  state: string;
  nonce: string;
  nowSeconds: number;
}

/**
 * The authorize URL (§3.5): a request-object JWT signed with the client secret, with the
 * parameters duo_universal_nodejs sends, plus the nonce (in the JWT and, as duo_universal_python
 * sends it, in the query).
 */
export async function buildAuthorizeUrl(input: AuthorizeUrlInput): Promise<string> {
  const baseUrl = `https://${input.apiHost}`;
  const request = await new SignJWT({
    response_type: 'code',
    scope: 'openid',
    exp: input.nowSeconds + JWT_EXPIRATION_SECONDS,
    client_id: input.clientId,
    redirect_uri: input.redirectUri,
    state: input.state,
    duo_uname: input.username,
    iss: input.clientId,
    aud: baseUrl,
    use_duo_code_attribute: true,
    nonce: input.nonce,
  })
    .setProtectedHeader({ alg: SIG_ALGORITHM, typ: 'JWT' })
    .sign(secretKey(input.clientSecret));
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: input.clientId,
    request,
    redirect_uri: input.redirectUri,
    scope: 'openid',
    nonce: input.nonce,
  });
  return `${baseUrl}${AUTHORIZE_PATH}?${query.toString()}`;
}

/** What a valid id_token must say. */
export interface IdTokenExpectations {
  clientId: string;
  clientSecret: string;
  apiHost: string;
  /** The directory-verified username the authorization was started for. */
  username: string;
  /** The nonce sent in the authorization request. */
  nonce: string;
}

/** The id_token's claims, or the first check it failed. */
export type IdTokenResult =
  | { ok: true; claims: JWTPayload }
  | { ok: false; code: 'token-invalid' | 'username-mismatch' | 'nonce-mismatch'; detail: string };

/**
 * Validates Duo's id_token (§3.8): HS512 only (alg `none` and every other algorithm refused),
 * signature with the client secret, `iss` = `https://{apiHost}/oauth/v1/token`, `aud` = client
 * id, `exp` and `iat` present and within 60 s of `nowSeconds`, `nbf` if present, then `nonce`
 * and `preferred_username`. Pure apart from the HMAC: safe to call with hand-made tokens.
 */
export async function validateIdToken(
  token: string,
  expected: IdTokenExpectations,
  nowSeconds: number,
): Promise<IdTokenResult> {
  let claims: JWTPayload;
  try {
    ({ payload: claims } = await jwtVerify(token, secretKey(expected.clientSecret), {
      algorithms: [SIG_ALGORITHM],
      issuer: `https://${expected.apiHost}${TOKEN_PATH}`,
      audience: expected.clientId,
      clockTolerance: JWT_LEEWAY_SECONDS,
      currentDate: new Date(nowSeconds * 1000),
      requiredClaims: ['exp', 'iat', 'iss', 'aud'],
    }));
  } catch (error) {
    return { ok: false, code: 'token-invalid', detail: describeJoseError(error) };
  }

  // Duo issues exactly one audience (duo_universal_golang insists on it).
  if (Array.isArray(claims.aud) && claims.aud.length !== 1) {
    return { ok: false, code: 'token-invalid', detail: 'id_token has more than one audience' };
  }
  if (typeof claims.iat !== 'number' || claims.iat > nowSeconds + JWT_LEEWAY_SECONDS) {
    return { ok: false, code: 'token-invalid', detail: 'id_token was issued in the future' };
  }
  if (typeof claims['nonce'] !== 'string' || claims['nonce'] !== expected.nonce) {
    return { ok: false, code: 'nonce-mismatch', detail: 'id_token nonce does not match the request' };
  }
  const preferred = claims['preferred_username'];
  if (typeof preferred !== 'string' || preferred !== expected.username) {
    return {
      ok: false,
      code: 'username-mismatch',
      detail: 'id_token preferred_username is not the directory-verified username',
    };
  }
  return { ok: true, claims };
}

/** jose error codes and messages name the failed check (never the key). */
function describeJoseError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? `${code}: ${error.message}` : error.message;
  }
  return 'id_token could not be verified';
}

// ---------------------------------------------------------------------------------------------
// Duo's answers (one schema each)
// ---------------------------------------------------------------------------------------------

const healthOk = z.object({
  stat: z.literal('OK'),
  response: z.object({ timestamp: z.number() }).passthrough(),
});

const duoFailure = z
  .object({
    stat: z.string().optional(),
    code: z.number().optional(),
    message: z.string().optional(),
    message_detail: z.string().optional(),
    error: z.string().optional(),
    error_description: z.string().optional(),
  })
  .passthrough();

const tokenOk = z.object({
  id_token: z.string().min(1),
  access_token: z.string().min(1),
  expires_in: z.number(),
  token_type: z.literal('Bearer'),
});

/** `message: message_detail` or `error: error_description`, as the Duo SDKs compose it. */
function failureText(json: unknown): { text: string; invalidClient: boolean; oauthError?: string } {
  const parsed = duoFailure.safeParse(json);
  if (!parsed.success) return { text: '', invalidClient: false };
  const f = parsed.data;
  const text =
    f.message && f.message_detail
      ? `${f.message}: ${f.message_detail}`
      : f.error
        ? `${f.error}${f.error_description ? `: ${f.error_description}` : ''}`
        : (f.message ?? '');
  const invalidClient = f.code === 40002 || f.message === 'invalid_client' || f.error === 'invalid_client';
  return { text: text.slice(0, 300), invalidClient, ...(f.error ? { oauthError: f.error } : {}) };
}

/** Health check outcome with Duo's timestamp (for clock skew). */
export type HealthCheckResult =
  | { ok: true; duoTimestamp: number }
  | { ok: false; code: 'unreachable' | 'credentials-rejected'; detail: string };

/** Maps a health-check answer (§3.4). */
export function interpretHealthCheck(result: HttpsResult): HealthCheckResult {
  if (!result.ok) return { ok: false, code: 'unreachable', detail: result.error };
  const { status, body } = result.response;
  const json = parseJson(body);
  const ok = healthOk.safeParse(json);
  if (status === 200 && ok.success) return { ok: true, duoTimestamp: ok.data.response.timestamp };
  const failure = failureText(json);
  const detail = `HTTP ${status}${failure.text ? ` ${failure.text}` : ''}`;
  if (status < 500 && (failure.invalidClient || status === 401)) {
    return { ok: false, code: 'credentials-rejected', detail };
  }
  return { ok: false, code: 'unreachable', detail };
}

/** The id_token from the token endpoint, or why there is none. */
export type TokenExchangeResult =
  | { ok: true; idToken: string }
  | {
      ok: false;
      code: Extract<
        DuoFailureCode,
        'unreachable' | 'credentials-rejected' | 'code-rejected' | 'token-invalid'
      >;
      detail: string;
    };

/** Maps a token-endpoint answer (§3.7–3.8). */
export function interpretTokenResponse(result: HttpsResult): TokenExchangeResult {
  if (!result.ok) return { ok: false, code: 'unreachable', detail: result.error };
  const { status, body } = result.response;
  const json = parseJson(body);
  if (status === 200) {
    const ok = tokenOk.safeParse(json);
    return ok.success
      ? { ok: true, idToken: ok.data.id_token }
      : { ok: false, code: 'token-invalid', detail: 'token response is missing expected data' };
  }
  const failure = failureText(json);
  const detail = `HTTP ${status}${failure.text ? ` ${failure.text}` : ''}`;
  if (status >= 500 || status === 429) return { ok: false, code: 'unreachable', detail };
  if (failure.invalidClient || status === 401) return { ok: false, code: 'credentials-rejected', detail };
  return { ok: false, code: 'code-rejected', detail };
}

// ---------------------------------------------------------------------------------------------
// Client
// ---------------------------------------------------------------------------------------------

/** One v4 client and the ports it needs. */
export interface UniversalDuoOptions {
  clientId: string;
  clientSecret: string;
  apiHost: string;
  /** Where Duo sends the browser back (main intercepts it). */
  redirectUri: string;
  /** PEM CA file of a private endpoint (the emulator); unset = Duo's pinned CA bundle (`duoTrust`). */
  caFile?: string | undefined;
  timeoutMs?: number;
  clock: Clock;
}

/** The Web SDK v4 client, one per station configuration. */
export interface UniversalDuo {
  /** The OIDC health check, uncached, with Duo's timestamp (for clock skew). */
  checkHealthNow(): Promise<HealthCheckResult>;
  /** Builds the authorize URL for a directory-verified username with a fresh state and nonce. */
  startAuthorization(username: string): Promise<PendingAuthorization>;
  /**
   * Verifies a callback against the pending authorization: state (constant time), error, code
   * exchange, id_token (signature, iss, aud, exp, nonce, preferred_username).
   */
  completeAuthorization(params: CallbackParams, pending: PendingAuthorization): Promise<CallbackResult>;
}

/** Creates the v4 client. */
export function createUniversalDuo(options: UniversalDuoOptions): UniversalDuo {
  const endpoint = duoEndpoint({
    apiHost: options.apiHost,
    caFile: options.caFile,
    timeoutMs: options.timeoutMs ?? DEFAULT_DUO_TIMEOUT_MS,
  });
  const baseUrl = `https://${options.apiHost}`;
  const nowSeconds = (): number => Math.floor(options.clock.now() / 1000);

  const formHeaders = {
    'Content-Type': 'application/x-www-form-urlencoded',
    Accept: 'application/json',
    'User-Agent': 'walkup',
  };

  async function checkHealthNow(): Promise<HealthCheckResult> {
    const assertion = await buildClientAssertion(
      options.clientId,
      options.clientSecret,
      `${baseUrl}${HEALTH_CHECK_PATH}`,
      nowSeconds(),
    );
    const result = await httpsRequest(endpoint, {
      method: 'POST',
      path: HEALTH_CHECK_PATH,
      headers: formHeaders,
      body: new URLSearchParams({ client_id: options.clientId, client_assertion: assertion }).toString(),
    });
    return interpretHealthCheck(result);
  }

  async function exchangeCode(code: string): Promise<TokenExchangeResult> {
    const assertion = await buildClientAssertion(
      options.clientId,
      options.clientSecret,
      `${baseUrl}${TOKEN_PATH}`,
      nowSeconds(),
    );
    const result = await httpsRequest(endpoint, {
      method: 'POST',
      path: TOKEN_PATH,
      headers: formHeaders,
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: options.redirectUri,
        client_id: options.clientId,
        client_assertion_type: CLIENT_ASSERTION_TYPE,
        client_assertion: assertion,
      }).toString(),
    });
    return interpretTokenResponse(result);
  }

  return {
    checkHealthNow,

    async startAuthorization(username) {
      if (!username) throw new Error('startAuthorization needs the directory-verified username');
      const state = randomToken();
      const nonce = randomToken();
      const authUrl = await buildAuthorizeUrl({
        clientId: options.clientId,
        clientSecret: options.clientSecret,
        apiHost: options.apiHost,
        redirectUri: options.redirectUri,
        username,
        state,
        nonce,
        nowSeconds: nowSeconds(),
      });
      return { authUrl, state, nonce, username };
    },

    async completeAuthorization(params, pending) {
      // A callback that does not carry this visit's state is not Duo's answer to this visit,
      // whatever else it says (error included). The one state check of a callback.
      if (!statesMatch(params.state, pending.state)) {
        return { ok: false, code: 'state-mismatch', detail: 'callback state does not match the visit' };
      }
      if (params.error !== undefined) {
        // RFC 6749 section 4.1.2.1: an error instead of a code (Duo: access_denied on cancel).
        const description = params.errorDescription ? `: ${duoText(params.errorDescription)}` : '';
        return {
          ok: false,
          code: params.error === 'access_denied' ? 'access-denied' : 'duo-error',
          detail: `${duoText(params.error, 60)}${description}`,
        };
      }
      const code = params.duoCode || params.code;
      if (!code) return { ok: false, code: 'code-missing', detail: 'callback carries no duo_code or code' };

      const exchanged = await exchangeCode(code);
      if (!exchanged.ok) return exchanged;

      const validated = await validateIdToken(
        exchanged.idToken,
        {
          clientId: options.clientId,
          clientSecret: options.clientSecret,
          apiHost: options.apiHost,
          username: pending.username,
          nonce: pending.nonce,
        },
        nowSeconds(),
      );
      if (!validated.ok) return validated;
      return { ok: true, username: pending.username };
    },
  };
}
