/**
 * Response headers that lock the portal page down the way the Electron window is locked down:
 * only our own scripts, styles and API; Duo may be framed only for Web SDK v2; nobody may frame us.
 */

/** Options that decide the policy. */
export interface SecurityHeaderOptions {
  /**
   * The Duo API host (`api-1234.duosecurity.com`, or `127.0.0.1:43123` for the emulator) when the
   * v2 iframe is in use; unset for v4, whose prompt is a top-level page and never framed.
   */
  duoHost?: string;
}

/** Builds the Content-Security-Policy value. */
export function buildContentSecurityPolicy(options: SecurityHeaderOptions): string {
  const frameSrc = options.duoHost ? `https://${options.duoHost}` : "'none'";
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    `frame-src ${frameSrc}`,
    "form-action 'self'",
    "base-uri 'none'",
    "object-src 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Headers every portal response carries, whatever the route (static files, API, errors). */
export function buildSecurityHeaders(options: SecurityHeaderOptions): Record<string, string> {
  return {
    'content-security-policy': buildContentSecurityPolicy(options),
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
