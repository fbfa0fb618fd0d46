/**
 * The Content-Security-Policy of every page that shows the Walkup renderer: the kiosk's
 * `app://walkup` pages (sent as a header, so it covers `frame-ancestors`; Electron security
 * checklist #7) and portal mode's pages. One builder, so both shells lock the page down alike.
 *
 * Source: W3C Content Security Policy Level 3.
 */

/** What differs between the pages that carry the policy. */
export interface RendererCspOptions {
  /**
   * The one origin the page may frame (`https://{Duo API host}`): the Web SDK v2 frame's host
   * page. Unset for every other page, which frames nothing.
   */
  frameOrigin?: string | undefined;
}

/**
 * Builds the policy. Scripts, styles, images, fonts and API calls come from the page's own
 * origin only (images also as `data:` URLs); no plugins, no `<base>`, no form submissions (the
 * renderer posts with `fetch` or IPC), and nothing may frame the page.
 */
export function buildRendererCsp(options: RendererCspOptions = {}): string {
  const frameSrc = options.frameOrigin ?? "'none'";
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    `frame-src ${frameSrc}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
