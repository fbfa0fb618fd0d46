/**
 * Which certificate authorities the station trusts for directory TLS, and the TLS options for
 * one server. Host names are always verified (Node's default `checkServerIdentity`).
 */
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import * as tls from 'node:tls';
import type { DirectoryConfig } from '../config/schema';

export type TrustResult = { ok: true; ca: string[] } | { ok: false; problem: string };

/**
 * Collects the trusted CAs: the PEM file from the configuration and/or the operating system's
 * store (plus Node's bundled roots). Passing `ca` replaces Node's defaults, so the bundled roots
 * are added back only when the system store is wanted.
 */
export function loadTrustedCAs(
  config: DirectoryConfig['tls'],
  readFile: (path: string) => string = (path) => readFileSync(path, 'utf8'),
): TrustResult {
  const ca: string[] = [];
  if (config.caFile) {
    let pem: string;
    try {
      pem = readFile(config.caFile);
    } catch (error) {
      return { ok: false, problem: `tls.caFile: cannot read ${config.caFile} (${errorCode(error)})` };
    }
    if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
      return { ok: false, problem: `tls.caFile: ${config.caFile} holds no PEM certificate` };
    }
    ca.push(pem);
  }
  if (config.useSystemCA) {
    // tls.getCACertificates exists from Node 22.15; older runtimes fall back to the bundled roots.
    if (typeof tls.getCACertificates === 'function') {
      ca.push(...tls.getCACertificates('system'), ...tls.getCACertificates('bundled'));
    } else {
      ca.push(...tls.rootCertificates);
    }
  }
  if (ca.length === 0) {
    return {
      ok: false,
      problem: 'tls: set tls.caFile or tls.useSystemCA so server certificates can be verified',
    };
  }
  return { ok: true, ca };
}

/**
 * TLS options for one server. `servername` is the configured name or the URL's host name (SNI
 * may not be an IP address); `host` keeps identity checks right for StartTLS upgrades, which
 * ldapts performs on an existing socket.
 */
export function tlsOptionsFor(
  host: string,
  config: DirectoryConfig['tls'],
  ca: string[],
): tls.ConnectionOptions {
  const servername = config.servername ?? (isIP(host) ? undefined : host);
  return {
    ca,
    host,
    ...(servername ? { servername } : {}),
    minVersion: config.minVersion,
    rejectUnauthorized: true,
  };
}

function errorCode(error: unknown): string {
  return error && typeof error === 'object' && 'code' in error ? String(error.code) : 'error';
}
