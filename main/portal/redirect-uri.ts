/**
 * Where Duo sends the browser back in portal mode (Web SDK v4 `redirect_uri`).
 */
import { httpRoutes } from '../contract';

/** The address the portal is reached at. */
export interface PortalAddress {
  host: string;
  port: number;
  /** Public base URL when behind a reverse proxy, e.g. `https://enroll.example.com`. */
  publicUrl?: string | undefined;
}

/** Base URL of the portal without a trailing slash: the public URL, else `http://host:port`. */
export function portalBaseUrl(address: PortalAddress): string {
  if (address.publicUrl) return address.publicUrl.replace(/\/+$/, '');
  const host =
    address.host.includes(':') && !address.host.startsWith('[') ? `[${address.host}]` : address.host;
  return `http://${host}:${address.port}`;
}

/** The v4 `redirect_uri`: `${publicUrl ?? 'http://{host}:{port}'}/duo/callback`. */
export function portalRedirectUri(address: PortalAddress): string {
  return `${portalBaseUrl(address)}${httpRoutes.duoCallback}`;
}
