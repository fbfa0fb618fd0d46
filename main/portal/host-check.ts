/**
 * DNS-rebinding defence. A page on `evil.example` whose name is re-pointed at 127.0.0.1 becomes
 * "same-origin" with the portal in the browser's eyes, so origin checks alone do not stop it;
 * its requests still say `Host: evil.example`, though. The portal therefore answers only to IP
 * addresses, `localhost`, the public URL's host name and names the operator lists.
 */
import { isIP } from 'node:net';
import { parseClientAddress } from '../core/directory/throttle';

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

/**
 * Whether an address as a socket reports it is loopback: IPv4 127.0.0.0/8 (RFC 1122 section
 * 3.2.1.3), IPv6 `::1` (RFC 4291 section 2.5.3), or an IPv4-mapped `::ffff:127.x.x.x` (RFC 4291
 * section 2.5.5.2). Read with the directory throttle's one address parser.
 */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (address === undefined) return false;
  const parsed = parseClientAddress(address);
  if (!parsed) return false;
  if (parsed.family === 4) return parsed.address.startsWith('127.');
  return parsed.groups.length === 8 && parsed.groups.every((group, index) => group === (index === 7 ? 1 : 0));
}

/**
 * Whether a `Host` header names this machine's loopback: `localhost` or a loopback address (see
 * `isLoopbackAddress`), with or without a port. A request without one is not loopback.
 */
export function isLoopbackHost(hostHeader: string | undefined): boolean {
  if (hostHeader === undefined || hostHeader.trim() === '') return false;
  const name = hostNameOf(hostHeader);
  return name === 'localhost' || (isIP(name) !== 0 && isLoopbackAddress(name));
}
