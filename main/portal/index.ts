/**
 * Portal mode: the Walkup engine and renderer served over HTTP to browsers.
 */
export { createPortalServer, defaultPortalLimits } from './server';
export type { PortalLimits, PortalServerOptions } from './server';
export {
  DEFAULT_PORTAL_HOST,
  DEFAULT_PORTAL_PORT,
  parsePortValue,
  reserveFreePort,
  startPortal,
} from './start';
export type { RunningPortal, StartPortalOptions } from './start';
export { portalBaseUrl, portalRedirectUri } from './redirect-uri';
export type { PortalAddress } from './redirect-uri';
export type { PortalErrorBody, PortalErrorReason } from './errors';
