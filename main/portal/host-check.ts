/**
 * DNS-rebinding defence. A page on `evil.example` whose name is re-pointed at 127.0.0.1 becomes
 * "same-origin" with the portal in the browser's eyes, so origin checks alone do not stop it;
 * its requests still say `Host: evil.example`, though. The portal therefore answers only to IP
 * addresses, `localhost`, the public URL's host name and names the operator lists.
 */
import { isIP } from 'node:net';

/** The host name of a `Host` header value (port and IPv6 brackets removed), lower-cased. */
export function hostNameOf(hostHeader: string): string {
  const value = hostHeader.trim().toLowerCase();
  if (value.startsWith('['))
    return value.slice(1, value.indexOf(']') === -1 ? undefined : value.indexOf(']'));
  const colon = value.lastIndexOf(':');
  return colon === -1 ? value : value.slice(0, colon);
}

/**
 * Whether a request addressed to `hostHeader` may be served. A request without a Host header
 * (HTTP/1.0 tools) is not from a browser and is allowed.
 */
export function isAllowedHost(hostHeader: string | undefined, allowedNames: readonly string[]): boolean {
  if (hostHeader === undefined || hostHeader === '') return true;
  const name = hostNameOf(hostHeader);
  if (isIP(name) !== 0 || name === 'localhost') return true;
  return allowedNames.some((allowed) => allowed.toLowerCase() === name);
}
