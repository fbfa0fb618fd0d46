/**
 * Cross-site request forgery defences for portal mode, as pure functions:
 * - a per-session token (given out in the CSRF header of every `GET /api/*` response, required
 *   back on every POST and compared in constant time);
 * - a check of the browser's own provenance headers (`Origin`, `Sec-Fetch-Site`), which a page on
 *   another site cannot forge.
 * The JSON-only body parser adds a third layer: a cross-site HTML form cannot send JSON.
 */
import { randomBytes } from 'node:crypto';
import { constantTimeEquals } from '../core/constant-time';

/** A fresh, unguessable token (256 bits, base64url). */
export function createCsrfToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Whether the CSRF token a request sent is the session's token, compared in constant time
 * (`core/constant-time.ts`; the token's length is public, 43 base64url characters).
 */
export function csrfTokensMatch(sent: string | undefined, expected: string): boolean {
  return constantTimeEquals(sent, expected);
}

/** What the provenance check looks at (header values as received). */
export interface ProvenanceHeaders {
  origin?: string | undefined;
  secFetchSite?: string | undefined;
}

/** Verdict of `checkRequestProvenance`. */
export type ProvenanceResult = { ok: true } | { ok: false; reason: 'cross-site-request' };

/**
 * Accepts a state-changing request only if the browser says it came from our own origin.
 * Browsers send `Origin` on every cross-origin POST and `Sec-Fetch-Site` on every request, so a
 * request carrying neither is not from a browser page (curl, tests) and is left to the token check.
 *
 * @param allowedOrigins our origin(s): the public URL's origin and the origin the request was
 *   addressed to (`scheme://Host`).
 */
export function checkRequestProvenance(
  headers: ProvenanceHeaders,
  allowedOrigins: readonly string[],
): ProvenanceResult {
  if (headers.secFetchSite !== undefined && headers.secFetchSite !== 'same-origin') {
    return { ok: false, reason: 'cross-site-request' };
  }
  if (headers.origin !== undefined) {
    // `Origin: null` (sandboxed frames, file://, some redirects) is never ours.
    const origin = headers.origin.toLowerCase();
    if (!allowedOrigins.some((allowed) => allowed.toLowerCase() === origin)) {
      return { ok: false, reason: 'cross-site-request' };
    }
  }
  return { ok: true };
}
