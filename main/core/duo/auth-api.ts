/**
 * Duo Auth API: request signing (canonical strings v1, v2, v4, v5; Duo Auth API docs,
 * "Authentication", as duo_client_python and duo_api_nodejs implement them) and a small client for the
 * two calls a station needs: `ping` (reachability and Duo's clock) and `check` (credentials).
 */
import { createHash, createHmac } from 'node:crypto';
import { z } from 'zod';
import type { Clock } from '../ports';
import { duoEndpoint, httpsRequest, parseJson, type HttpsResult } from './https-client';

// ---------------------------------------------------------------------------------------------
// Signing
// ---------------------------------------------------------------------------------------------

/** Canonical-string versions Duo accepts (3 never existed in a client). */
export type SignatureVersion = 1 | 2 | 4 | 5;
/** HMAC digest for v1/v2 signatures (v4/v5 are always SHA-512). */
export type SignatureDigest = 'sha1' | 'sha512';

type Scalar = string | number | boolean;
/** Request parameters: a value or several values per key. */
export type AuthApiParams = Readonly<Record<string, Scalar | readonly Scalar[]>>;

/**
 * Percent-encodes like Python's `urllib.parse.quote(s, '~')`: UTF-8, everything escaped except
 * `A–Z a–z 0–9 _ . - ~`, upper-case hex.
 */
export function encodeParam(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function scalarToString(value: Scalar): string {
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return String(value);
}

/** Every key maps to a list of strings (booleans `true`/`false`, numbers in decimal). */
export function normalizeParams(params: AuthApiParams): Record<string, string[]> {
  const normalized: Record<string, string[]> = {};
  for (const [key, value] of Object.entries(params)) {
    const values = Array.isArray(value) ? (value as readonly Scalar[]) : [value as Scalar];
    normalized[key] = values.map(scalarToString);
  }
  return normalized;
}

function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The params line: encoded `key=value` pairs sorted by encoded key, several values of one key
 * sorted by encoded value, joined with `&`. Empty params give an empty line.
 */
export function canonParams(params: AuthApiParams): string {
  const pairs = Object.entries(normalizeParams(params))
    .map(([key, values]) => [encodeParam(key), values.map(encodeParam).sort(byCodeUnit)] as const)
    .sort(([a], [b]) => byCodeUnit(a, b));
  return pairs.flatMap(([key, values]) => values.map((value) => `${key}=${value}`)).join('&');
}

/** Lower-case hex SHA-512 of a string's UTF-8 bytes. */
export function sha512Hex(data: string): string {
  return createHash('sha512').update(data, 'utf8').digest('hex');
}

/**
 * v5 header hash: headers whose lower-cased name starts with `x-duo`, names lower-cased and
 * sorted, joined `name\0value\0…`, SHA-512 hex. Throws on a NUL or a duplicate name: that is a
 * programming error, as in duo_client_python.
 */
export function hashXDuoHeaders(headers: Readonly<Record<string, string>> = {}): string {
  const selected = new Map<string, string>();
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (!lower.startsWith('x-duo')) continue;
    if (lower.includes('\0') || value.includes('\0')) throw new Error(`header ${name} contains a NUL`);
    if (selected.has(lower)) throw new Error(`duplicate header ${name}`);
    selected.set(lower, value);
  }
  const joined = [...selected.keys()]
    .sort(byCodeUnit)
    .flatMap((name) => [name, selected.get(name) as string])
    .join('\0');
  return sha512Hex(joined);
}

/** What a signature covers. */
export interface CanonicalRequest {
  version: SignatureVersion;
  method: string;
  /** API host as sent (lower-cased here). */
  host: string;
  /** URI path only, case preserved. */
  path: string;
  /** Query (GET) or form (POST, v1/v2) parameters. With a JSON body (v4/v5) leave empty. */
  params?: AuthApiParams;
  /** RFC 2822 date, used verbatim (not part of v1). */
  date?: string;
  /** Raw JSON body for v4/v5 (empty string for GET). */
  body?: string;
  /** Headers considered for the v5 x-duo hash. */
  headers?: Readonly<Record<string, string>>;
}

/** The newline-joined string that is signed. */
export function canonicalize(req: CanonicalRequest): string {
  const params = canonParams(req.params ?? {});
  const method = req.method.toUpperCase();
  const host = req.host.toLowerCase();
  switch (req.version) {
    case 1:
      return [method, host, req.path, params].join('\n');
    case 2:
      return [req.date ?? '', method, host, req.path, params].join('\n');
    case 4:
      return [req.date ?? '', method, host, req.path, params, sha512Hex(req.body ?? '')].join('\n');
    case 5:
      return [
        req.date ?? '',
        method,
        host,
        req.path,
        params,
        sha512Hex(req.body ?? ''),
        hashXDuoHeaders(req.headers),
      ].join('\n');
  }
}

/** `Basic base64(ikey:signatureHex)`. */
export function basicAuthorization(ikey: string, signatureHex: string): string {
  return `Basic ${Buffer.from(`${ikey}:${signatureHex}`, 'utf8').toString('base64')}`;
}

/** A signature and the header that carries it. */
export interface SignedRequest {
  canonical: string;
  /** Lower-case hex HMAC. */
  signature: string;
  authorization: string;
}

/**
 * Signs a request. v1/v2 use `digest` (SHA-1 historically, SHA-512 by default now, as in
 * duo_client_python); v4/v5 always use SHA-512.
 */
export function signAuthApiRequest(
  req: CanonicalRequest & { ikey: string; skey: string; digest?: SignatureDigest },
): SignedRequest {
  const digest = req.version >= 4 ? 'sha512' : (req.digest ?? 'sha512');
  const canonical = canonicalize(req);
  const signature = createHmac(digest, Buffer.from(req.skey, 'utf8')).update(canonical, 'utf8').digest('hex');
  return { canonical, signature, authorization: basicAuthorization(req.ikey, signature) };
}

/** RFC 2822 date as `Date.prototype.toUTCString()` writes it (duo_api_nodejs does the same). */
export function rfc2822Date(epochMs: number): string {
  return new Date(epochMs).toUTCString();
}

// ---------------------------------------------------------------------------------------------
// Client
// ---------------------------------------------------------------------------------------------

/** Why an Auth API call failed. */
export type AuthApiFailureCode = 'unreachable' | 'credentials-rejected' | 'unexpected-response';

/** A failed Auth API call, as a value. */
export interface AuthApiFailure {
  ok: false;
  code: AuthApiFailureCode;
  /** HTTP status, when Duo answered. */
  status?: number;
  /** Duo's numeric error code (`40103` …), when it sent one. */
  duoCode?: number;
  /** Short and secret-free, for logs and the admin. */
  detail: string;
}

/** Result of `ping`. */
export type PingResult =
  | {
      ok: true;
      /** Duo's clock, Unix seconds. */
      duoTime: number;
      /** Duo's clock minus ours, seconds (positive: Duo is ahead). */
      skewSeconds: number;
    }
  | AuthApiFailure;

/** Result of `check`. */
export type CheckResult = { ok: true; duoTime: number } | AuthApiFailure;

/** Where the Auth API is, which keys sign, and how long to wait. */
export interface AuthApiClientOptions {
  apiHost: string;
  /** Needed for `check` only (`ping` is unsigned). */
  ikey?: string;
  skey?: string;
  /** PEM CA file of a private endpoint (the emulator); unset = Duo's CA bundle (`duoTrust`). */
  caFile?: string | undefined;
  timeoutMs?: number;
  clock: Clock;
  /** Canonical-string version for `check` (default 2, which every Auth API endpoint accepts). */
  signatureVersion?: SignatureVersion;
  digest?: SignatureDigest;
}

/** The two Auth API calls a station makes. */
export interface AuthApiClient {
  /** `GET /auth/v2/ping` (unsigned): reachability and clock skew. */
  ping(): Promise<PingResult>;
  /** `GET /auth/v2/check` (signed): are the ikey and skey accepted? */
  check(): Promise<CheckResult>;
}

/**
 * Duo's clock minus ours in whole seconds (positive: Duo is ahead). Never `-0`, which would not
 * survive a JSON round trip unchanged.
 */
export function skewBetween(duoSeconds: number, localSeconds: number): number {
  return Math.round(duoSeconds - localSeconds) || 0;
}

/** Default whole-request deadline for Duo calls. */
export const DEFAULT_DUO_TIMEOUT_MS = 10_000;

const okEnvelope = z.object({
  stat: z.literal('OK'),
  response: z.object({ time: z.number() }).passthrough(),
});
const failEnvelope = z.object({
  stat: z.literal('FAIL'),
  code: z.number().optional(),
  message: z.string().optional(),
  message_detail: z.string().optional(),
});

/** Duo's codes for rejected credentials: bad ikey, bad signature (both HTTP 401). */
const CREDENTIAL_CODES = new Set([40101, 40102, 40103, 40104, 40105]);

/** Maps a transport result to the `{ time }` response or a failure code. */
export function interpretAuthApiResponse(
  result: HttpsResult,
): { ok: true; duoTime: number } | AuthApiFailure {
  if (!result.ok) return { ok: false, code: 'unreachable', detail: result.error };
  const { status, body } = result.response;
  const json = parseJson(body);

  const success = okEnvelope.safeParse(json);
  if (status === 200 && success.success) return { ok: true, duoTime: success.data.response.time };

  const failure = failEnvelope.safeParse(json);
  const duoCode = failure.success ? failure.data.code : undefined;
  const message = failure.success
    ? [failure.data.message, failure.data.message_detail].filter(Boolean).join(': ')
    : '';
  const detail = `HTTP ${status}${duoCode ? ` code ${duoCode}` : ''}${message ? ` ${message}` : ''}`;

  if (status >= 500 || status === 429) {
    return { ok: false, code: 'unreachable', status, ...(duoCode ? { duoCode } : {}), detail };
  }
  if (status === 401 || (duoCode !== undefined && CREDENTIAL_CODES.has(duoCode))) {
    return { ok: false, code: 'credentials-rejected', status, ...(duoCode ? { duoCode } : {}), detail };
  }
  return {
    ok: false,
    code: 'unexpected-response',
    status,
    ...(duoCode ? { duoCode } : {}),
    detail: status === 200 ? 'HTTP 200 without a valid Duo response' : detail,
  };
}

/** Creates the Auth API client. */
export function createAuthApiClient(options: AuthApiClientOptions): AuthApiClient {
  const endpoint = duoEndpoint({
    apiHost: options.apiHost,
    caFile: options.caFile,
    timeoutMs: options.timeoutMs ?? DEFAULT_DUO_TIMEOUT_MS,
  });
  const host = options.apiHost.toLowerCase();
  const userAgent = 'walkup';

  return {
    async ping() {
      const startedMs = options.clock.now();
      const result = await httpsRequest(endpoint, {
        method: 'GET',
        path: '/auth/v2/ping',
        headers: { Host: host, 'User-Agent': userAgent },
      });
      const endedMs = options.clock.now();
      const answer = interpretAuthApiResponse(result);
      if (!answer.ok) return answer;
      // Duo stamped its time somewhere during the round trip: compare with the midpoint.
      const localSeconds = (startedMs + endedMs) / 2000;
      return { ok: true, duoTime: answer.duoTime, skewSeconds: skewBetween(answer.duoTime, localSeconds) };
    },

    async check() {
      if (!options.ikey || !options.skey) {
        return {
          ok: false,
          code: 'credentials-rejected',
          detail: 'no integration key or secret key configured',
        };
      }
      const path = '/auth/v2/check';
      const date = rfc2822Date(options.clock.now());
      const version = options.signatureVersion ?? 2;
      const signed = signAuthApiRequest({
        version,
        method: 'GET',
        host,
        path,
        params: {},
        date,
        body: '',
        headers: {},
        ikey: options.ikey,
        skey: options.skey,
        ...(options.digest ? { digest: options.digest } : {}),
      });
      const result = await httpsRequest(endpoint, {
        method: 'GET',
        path,
        headers: { Host: host, Date: date, Authorization: signed.authorization, 'User-Agent': userAgent },
      });
      return interpretAuthApiResponse(result);
    },
  };
}
