/**
 * The one way this folder talks to Duo: a single HTTPS request with a hard deadline, a bounded
 * body, and one trust decision (`duoTrust`) for every connection, Auth API and OIDC alike.
 * Failures come back as values with a short, secret-free reason (the caller maps them to
 * `unreachable`).
 */
import { readFile } from 'node:fs/promises';
import { request } from 'node:https';
import { constants as duoUniversalConstants } from '@duosecurity/duo_universal';

/**
 * Which certificates a connection to Duo trusts: Duo's own CA bundle, or the CA in `caFile`.
 * Never the system store.
 */
export type DuoTrust = { kind: 'duo-bundle'; ca: string } | { kind: 'ca-file'; caFile: string };

/**
 * The trust decision for every connection to Duo. Without `caFile`: only Duo's CA bundle, the
 * one Duo's SDKs pin for API hosts (`constants.DUO_PINNED_CERT` of `@duosecurity/duo_universal`,
 * the bundle `duo_client_python` ships as `ca_certs.pem`). With `caFile` (a private endpoint such
 * as the local emulator): only the CA in that PEM file, read on every request so a replaced file
 * takes effect without a restart.
 */
export function duoTrust(caFile: string | undefined): DuoTrust {
  return caFile
    ? { kind: 'ca-file', caFile }
    : { kind: 'duo-bundle', ca: duoUniversalConstants.DUO_PINNED_CERT };
}

/** Where to send requests and which certificates to trust. */
export interface DuoEndpoint {
  /** `host` or `host:port`, as the configuration's `duo.apiHost`. */
  apiHost: string;
  /** From `duoTrust`. */
  trust: DuoTrust;
  /** Whole-request deadline, connect to last byte. */
  timeoutMs: number;
}

/** The endpoint of a Duo API host, trusted as `duoTrust(caFile)` decides. */
export function duoEndpoint(options: {
  apiHost: string;
  caFile?: string | undefined;
  timeoutMs: number;
}): DuoEndpoint {
  return { apiHost: options.apiHost, trust: duoTrust(options.caFile), timeoutMs: options.timeoutMs };
}

/** One request: method, path with query, headers and an optional UTF-8 body. */
export interface HttpsRequest {
  method: 'GET' | 'POST';
  /** Path plus query string, e.g. `/auth/v2/check?x=1`. */
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

/** Whatever Duo answered, any status. */
export interface HttpsResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A response, or why none arrived (connection, TLS, timeout, CA file). */
export type HttpsResult = { ok: true; response: HttpsResponse } | { ok: false; error: string };

/** Duo answers are small JSON documents; anything larger is not Duo. */
const MAX_BODY_BYTES = 1024 * 1024;

/** Splits `host[:port]` (an IPv6 literal must be bracketed). */
export function parseApiHost(apiHost: string): { hostname: string; port: number } {
  const url = new URL(`https://${apiHost}`);
  return {
    hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port ? Number(url.port) : 443,
  };
}

async function trustAnchors(
  trust: DuoTrust,
): Promise<{ ok: true; ca: string } | { ok: false; error: string }> {
  if (trust.kind === 'duo-bundle') return { ok: true, ca: trust.ca };
  try {
    return { ok: true, ca: await readFile(trust.caFile, 'utf8') };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    return { ok: false, error: `cannot read the CA file ${trust.caFile} (${code})` };
  }
}

/** Sends one HTTPS request to the Duo endpoint; never throws. */
export async function httpsRequest(endpoint: DuoEndpoint, req: HttpsRequest): Promise<HttpsResult> {
  const anchors = await trustAnchors(endpoint.trust);
  if (!anchors.ok) return anchors;

  let target: { hostname: string; port: number };
  try {
    target = parseApiHost(endpoint.apiHost);
  } catch {
    return { ok: false, error: `invalid API host ${JSON.stringify(endpoint.apiHost)}` };
  }

  const body = req.body === undefined ? undefined : Buffer.from(req.body, 'utf8');
  const headers: Record<string, string> = { ...req.headers };
  if (body) headers['Content-Length'] = String(body.length);

  return new Promise<HttpsResult>((resolve) => {
    let settled = false;
    const finish = (result: HttpsResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };

    const clientRequest = request(
      {
        method: req.method,
        hostname: target.hostname,
        port: target.port,
        path: req.path,
        headers,
        ca: anchors.ca,
        // Never reuse a pooled socket across health checks: each answer should prove reachability now.
        agent: false,
        minVersion: 'TLSv1.2',
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_BODY_BYTES) {
            res.destroy();
            finish({ ok: false, error: 'response body too large' });
            return;
          }
          chunks.push(chunk);
        });
        res.on('end', () =>
          finish({
            ok: true,
            response: {
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: Buffer.concat(chunks).toString('utf8'),
            },
          }),
        );
        res.on('error', (error) => finish({ ok: false, error: describeError(error) }));
      },
    );

    const timer = setTimeout(() => {
      finish({ ok: false, error: `no answer within ${endpoint.timeoutMs} ms` });
      clientRequest.destroy();
    }, endpoint.timeoutMs);

    clientRequest.on('error', (error) => finish({ ok: false, error: describeError(error) }));
    clientRequest.end(body);
  });
}

/** A short, secret-free description of a network or TLS error. */
function describeError(error: Error): string {
  const code = (error as NodeJS.ErrnoException).code;
  return code && !error.message.includes(code) ? `${code}: ${error.message}` : error.message;
}

/** Parses a JSON body, or returns undefined. */
export function parseJson(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}
