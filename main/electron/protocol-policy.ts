/**
 * Maps `app://walkup/...` requests to files under the renderer build (out/renderer), refusing
 * anything that would leave that folder. Pure (string work only) so traversal cases are tested
 * without a file system; the adapter still reads with the resolved absolute path only.
 */
import path from 'node:path';
import { APP_HOST, APP_SCHEME } from './app-origin';

const contentTypes: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

export type AppPathResolution =
  | { ok: true; filePath: string; contentType: string }
  | { ok: false; status: 400 | 403 | 404; reason: string };

/**
 * Resolves a request URL to a file inside `rootDir` (absolute). `/` serves `index.html`.
 * Rejects other hosts, encoded separators, NUL bytes, dot segments that escape the root and
 * file types the renderer does not ship.
 */
export function resolveAppPath(requestUrl: string, rootDir: string): AppPathResolution {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return { ok: false, status: 400, reason: 'unparseable' };
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host.toLowerCase() !== APP_HOST) {
    return { ok: false, status: 403, reason: 'wrong-origin' };
  }
  const rawPath = url.pathname;
  // Encoded slashes, backslashes and dots would be decoded after the URL parser removed dot
  // segments; refuse them rather than decode twice.
  if (/%2f|%5c|%2e|%00/i.test(rawPath) || rawPath.includes('\\') || rawPath.includes('\0')) {
    return { ok: false, status: 403, reason: 'encoded-separator' };
  }
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return { ok: false, status: 400, reason: 'bad-encoding' };
  }
  const relative = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '');
  const root = path.resolve(rootDir);
  const filePath = path.resolve(root, relative);
  if (filePath !== root && !filePath.startsWith(root + path.sep)) {
    return { ok: false, status: 403, reason: 'outside-root' };
  }
  if (filePath === root) return { ok: false, status: 404, reason: 'directory' };
  const contentType = contentTypes[path.extname(filePath).toLowerCase()];
  if (contentType === undefined) return { ok: false, status: 404, reason: 'unknown-type' };
  return { ok: true, filePath, contentType };
}
