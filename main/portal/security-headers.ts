/**
 * Response headers that lock the portal page down the way the Electron window is locked down:
 * the renderer's one Content-Security-Policy (`core/renderer-csp.ts`, shared with the kiosk's
 * pages: only our own scripts, styles and API, no form submissions; Duo may be framed only for
 * Web SDK v2), and nobody may frame us.
 */
import { duoOriginOf } from '../contract/duo-formats';
import { buildRendererCsp } from '../core/renderer-csp';

/** Options that decide the policy. */
export interface SecurityHeaderOptions {
  /**
   * The Duo API host (`api-1234abcd.duosecurity.com`, or `127.0.0.1:43123` for the emulator) when
   * the v2 iframe is in use; unset for v4, whose prompt is a top-level page and never framed. A
   * value that is not a plain `name[:port]` (`duoOriginOf`) frames nothing.
   */
  duoHost?: string | undefined;
}

/** Headers every portal response carries, whatever the route (static files, API, errors). */
export function buildSecurityHeaders(options: SecurityHeaderOptions): Record<string, string> {
  const frameOrigin = options.duoHost === undefined ? undefined : duoOriginOf(options.duoHost);
  return {
    'content-security-policy': buildRendererCsp({ frameOrigin }),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
    // Nothing in Walkup needs these; Duo's own pages ask for what they need on their origin.
    'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), hid=()',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
  };
}

/** Paths whose responses hold per-person state and must never be cached by a browser or proxy. */
export function isNoStorePath(path: string): boolean {
  return path.startsWith('/api/') || path === '/api' || path.startsWith('/duo/');
}
