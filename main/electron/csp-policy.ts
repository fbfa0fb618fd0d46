/**
 * The Content-Security-Policy served with every `app://walkup` response (security checklist
 * #7). A header is used rather than a `<meta>` tag so it also covers `frame-ancestors`.
 */

/**
 * Builds a CSP for `app://walkup` pages. `duoOrigin` is the one origin the page may frame:
 * given only for the v2 view's host page (its own partition); the renderer frames nothing.
 * Scripts and styles come from the app bundle only; nothing may frame the app.
 */
export function buildContentSecurityPolicy(options: { duoOrigin?: string | undefined }): string {
  const frameSrc = options.duoOrigin ? options.duoOrigin : "'none'";
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `frame-src ${frameSrc}`,
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
