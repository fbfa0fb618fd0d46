/**
 * The `app://walkup` protocol: serves the renderer build (out/renderer) with the station's CSP
 * instead of loading `file://` pages, which would have access to every file on the machine
 * (security checklist #18) and could not carry a CSP header.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { protocol } from 'electron';
import type { Logger } from '../core/ports';
import { APP_SCHEME } from './app-origin';
import { OUT_OF_SERVICE_PATH, outOfServiceHtml } from './out-of-service-page';
import { resolveAppPath } from './protocol-policy';

/**
 * Registers `app:` as a standard, secure scheme. Must run before the app is ready: standard
 * gives it real origins (`app://walkup`), secure makes it a secure context.
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

/**
 * Serves `rootDir` under `app://walkup/` with `csp` on every response. `locale` is the station's
 * (BCP 47): the built-in out-of-service page speaks its language (English when unset).
 */
export function setupAppProtocol(options: {
  rootDir: string;
  csp: () => string;
  logger: Logger;
  locale?: () => string | undefined;
}): void {
  const headers = (contentType: string): Record<string, string> => ({
    'content-type': contentType,
    'content-security-policy': options.csp(),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
  });
  protocol.handle(APP_SCHEME, async (request) => {
    if (new URL(request.url).pathname === OUT_OF_SERVICE_PATH) {
      return new Response(outOfServiceHtml(options.locale?.()), {
        status: 200,
        headers: headers('text/html; charset=utf-8'),
      });
    }
    const resolved = resolveAppPath(request.url, options.rootDir);
    if (!resolved.ok) {
      options.logger.warn('app-protocol-refused', { status: resolved.status, reason: resolved.reason });
      return new Response(null, { status: resolved.status });
    }
    try {
      const body = await readFile(resolved.filePath);
      return new Response(body, { status: 200, headers: headers(resolved.contentType) });
    } catch {
      if (resolved.filePath === path.join(path.resolve(options.rootDir), 'index.html')) {
        // No renderer build: say so on screen instead of leaving a blank kiosk.
        options.logger.error('renderer-missing', { rootDir: options.rootDir });
        return new Response(outOfServiceHtml(options.locale?.()), {
          status: 503,
          headers: headers('text/html; charset=utf-8'),
        });
      }
      return new Response(null, { status: 404 });
    }
  });
}
