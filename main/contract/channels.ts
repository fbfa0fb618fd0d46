/**
 * Transport names of the contract: IPC channels and HTTP routes. Plain constants with no
 * dependencies, so the sandboxed preload can import them without bundling zod.
 */

/** IPC channel names: one per request, all with the app prefix the IPC guard checks. */
export const ipcChannels = {
  getStation: 'walkup:get-station',
  getVisit: 'walkup:get-visit',
  signIn: 'walkup:sign-in',
  submitDuoResponse: 'walkup:submit-duo-response',
  finish: 'walkup:finish',
  activity: 'walkup:activity',
  event: 'walkup:event',
} as const;

/**
 * The methods of the admin API (`AdminApi` in `admin.ts`, which checks this list against the
 * interface): here, without zod, for the preload's `window.walkup.admin` and the channel tables.
 */
export const adminMethods = [
  'gate',
  'unlock',
  'createPin',
  'changePin',
  'status',
  'check',
  'testSignIn',
  'save',
  'lock',
  'restart',
  'exit',
] as const;
export type AdminMethod = (typeof adminMethods)[number];

/**
 * IPC channel of an admin method (`AdminApi` in `admin.ts`): `walkup:admin-<method>`, behind the
 * same sender check as the visit channels.
 */
export const adminIpcChannel = (method: string): string => `walkup:admin-${method}`;

/**
 * HTTP route of an admin method in portal mode: `POST /api/admin/<method>` (`GET` for `gate`),
 * served only when policy sets `portal.adminScreen` and only to loopback clients.
 */
export const adminHttpRoute = (method: string): string => `/api/admin/${method}`;

/** HTTP routes of portal mode (JSON bodies; state-changing routes need the CSRF header). */
export const httpRoutes = {
  getStation: '/api/station',
  getVisit: '/api/visit',
  signIn: '/api/sign-in',
  submitDuoResponse: '/api/duo-response',
  finish: '/api/finish',
  activity: '/api/activity',
  events: '/api/events',
  duoCallback: '/duo/callback',
} as const;

/**
 * Header carrying the CSRF token in portal mode. Every `GET /api/*` response carries the current
 * token in this header; state-changing requests must send it back in the same header.
 */
export const CSRF_HEADER = 'x-walkup-csrf';

/**
 * Header on every portal API response naming the session's visit phase (`idle`, `duo`, `done`,
 * `failed`), so a page whose event stream is lost still learns that its visit ended.
 */
export const VISIT_PHASE_HEADER = 'x-walkup-visit-phase';

/**
 * Paths of the kiosk's Duo Web SDK v2 host page on `app://walkup`, served only by the `app:`
 * handler of a visit's own v2 partition (main/electron/duo-view.ts): the page, its script
 * (bundled from renderer/duo/kiosk-v2-host.ts), and the endpoint that script posts the frame's
 * message to.
 */
export const kioskDuoV2HostPaths = {
  page: '/duo-v2/host.html',
  script: '/duo-v2/host.js',
  response: '/duo-v2/response',
} as const;
