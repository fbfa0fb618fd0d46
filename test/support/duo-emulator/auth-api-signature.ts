import { createHash, createHmac } from 'node:crypto';
import { hexEquals } from './web-v2.js';

/**
 * Duo Auth API request signing as a server checks it (Duo Auth API docs, "Authentication"; duo_client_python `canonicalize`): HTTP Basic
 * `ikey:hexsig`, a `Date` or `X-Duo-Date` within 300 s, and an HMAC over a canonical string.
 * The server does not know which signature version the client used, so every supported version
 * is tried: v2 (SHA-1 or SHA-512, picked by the signature's length), v4 and v5 (SHA-512).
 */

/** Allowed difference between the request date and the emulator's clock (as Duo's own mock). */
export const AUTH_API_DATE_WINDOW_SECONDS = 300;

/** What the signature check needs from an HTTP request. */
export interface SignedRequest {
  method: string;
  /** The Host header as received (may carry a port). */
  host: string;
  /** Path without the query string. */
  path: string;
  /** Query and form parameters, decoded, in any order. */
  params: [string, string][];
  /** Raw request body (empty for GET). */
  body: Buffer;
  /** Request headers, names lowercased (as Node gives them). */
  headers: Record<string, string | string[] | undefined>;
}

/** A refusal in Duo's error envelope terms. */
export interface SignatureRejection {
  code: number;
  message: string;
}

/** Percent-encoding of `canon_params`: everything but `A-Z a-z 0-9 _ . - ~`, uppercase hex. */
export function duoQuote(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** `canon_params`: encode, sort by key then value, join `k=v` with `&`. */
export function canonParams(params: [string, string][]): string {
  const encoded = params.map(([k, v]) => [duoQuote(k), duoQuote(v)] as const);
  encoded.sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  return encoded.map(([k, v]) => `${k}=${v}`).join('&');
}

function sha512Hex(data: string | Buffer): string {
  return createHash('sha512').update(data).digest('hex');
}

/** v5's hash of the `x-duo-*` headers: lowercased names, sorted, `name\0value\0name\0value…`. */
export function duoHeadersHash(headers: Record<string, string | string[] | undefined>): string {
  const pairs = Object.entries(headers)
    .filter(([name, value]) => name.toLowerCase().startsWith('x-duo') && value !== undefined)
    .map(
      ([name, value]) =>
        [name.toLowerCase(), Array.isArray(value) ? value.join(', ') : (value as string)] as const,
    )
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return sha512Hex(pairs.flatMap(([name, value]) => [name, value]).join('\0'));
}

function header(headers: SignedRequest['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Checks a signed Auth API request. Returns the ikey that signed it, or Duo's error code:
 * 40101 missing or malformed credentials, 40102 unknown ikey, 40103 bad signature,
 * 40105 missing or out-of-window date ([inference]: Duo's exact code for a stale date is not published).
 */
export function verifyAuthApiSignature(
  request: SignedRequest,
  keys: ReadonlyMap<string, string>,
  nowSeconds: number,
): { ok: true; ikey: string } | { ok: false; rejection: SignatureRejection } {
  const authorization = header(request.headers, 'authorization');
  const basic = authorization?.match(/^Basic\s+([A-Za-z0-9+/=]+)\s*$/i);
  const decoded = basic ? Buffer.from(basic[1] as string, 'base64').toString('utf8') : '';
  const colon = decoded.indexOf(':');
  if (colon <= 0) {
    return { ok: false, rejection: { code: 40101, message: 'Missing request credentials' } };
  }
  const ikey = decoded.slice(0, colon);
  const signature = decoded.slice(colon + 1).toLowerCase();
  const skey = keys.get(ikey);
  if (skey === undefined) {
    return {
      ok: false,
      rejection: { code: 40102, message: 'Invalid integration key in request credentials' },
    };
  }

  // HMACPY sends X-Duo-Date, CPY and ANODE send Date; Duo's own mock prefers X-Duo-Date.
  const date = header(request.headers, 'x-duo-date') ?? header(request.headers, 'date');
  const dateMs = date === undefined ? Number.NaN : Date.parse(date);
  if (date === undefined || Number.isNaN(dateMs)) {
    return { ok: false, rejection: { code: 40105, message: 'Missing request timestamp' } };
  }
  if (Math.abs(dateMs / 1000 - nowSeconds) > AUTH_API_DATE_WINDOW_SECONDS) {
    return {
      ok: false,
      rejection: { code: 40105, message: 'Request timestamp is outside the allowed window' },
    };
  }

  const digest = /^[0-9a-f]{40}$/.test(signature)
    ? 'sha1'
    : /^[0-9a-f]{128}$/.test(signature)
      ? 'sha512'
      : null;
  if (digest === null) {
    return { ok: false, rejection: { code: 40103, message: 'Invalid signature in request credentials' } };
  }

  // Clients put the host they were given in the canonical string, with or without the port.
  const hostHeader = (header(request.headers, 'host') ?? request.host).toLowerCase();
  const hosts = new Set([hostHeader, hostHeader.replace(/:\d+$/, '')]);
  const method = request.method.toUpperCase();
  const params = canonParams(request.params);
  const bodyHash = sha512Hex(request.body);
  const candidates: string[] = [];
  for (const host of hosts) {
    const base = [date, method, host, request.path, params];
    candidates.push(base.join('\n'));
    if (digest === 'sha512') {
      candidates.push([...base, bodyHash].join('\n'));
      candidates.push([...base, bodyHash, duoHeadersHash(request.headers)].join('\n'));
      // v4/v5 with a JSON body carry an empty params line.
      candidates.push([date, method, host, request.path, '', bodyHash].join('\n'));
      candidates.push(
        [date, method, host, request.path, '', bodyHash, duoHeadersHash(request.headers)].join('\n'),
      );
    }
  }
  const matches = candidates.some((canonical) =>
    hexEquals(
      createHmac(digest, Buffer.from(skey, 'utf8')).update(canonical, 'utf8').digest('hex'),
      signature,
    ),
  );
  if (!matches) {
    return { ok: false, rejection: { code: 40103, message: 'Invalid signature in request credentials' } };
  }
  return { ok: true, ikey };
}
