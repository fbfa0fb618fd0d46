/**
 * The renderer <-> main contract. Both transports implement it: IPC in Electron (preload exposes
 * it as `window.walkup`) and JSON over HTTP in portal mode. Requests are parsed with the zod
 * schemas below, once, at main's edge (IPC handler, portal route). Responses are values with
 * reason codes, never stack traces; their schemas, the source of their types, are in
 * `responses.ts` (re-exported here), and the renderer parses what comes over HTTP with them.
 *
 * This file imports nothing process-specific: the renderer bundles it.
 */
import { z } from 'zod';
import type { AdminApi } from './admin';
import { supportedLanguages } from './languages';
import type { DuoResult, SignInResult, StationInfo, VisitView, WalkupEvent } from './responses';

/**
 * Longest username any station accepts, in Unicode code points (AD sAMAccountName is 20, UPNs are
 * longer). A station's own limit, `directory.maxUsernameLength` (default 256), is at most this;
 * longer input is answered with `invalid-input` / `username-too-long`. The renderer's `maxlength`.
 */
export const MAX_USERNAME_LENGTH = 1024;
/**
 * Longest password accepted, in code points (AD allows 256, other directories more); longer input
 * is answered with `invalid-input` / `password-too-long`. The renderer's `maxlength`.
 */
export const MAX_PASSWORD_LENGTH = 1024;
/**
 * Longest value the sign-in request schema takes in either field, in UTF-16 code units (8x the
 * longest valid username or password, so that over-long input is still parsed and answered by the
 * engine with `invalid-input` and the field that is too long).
 */
export const MAX_SIGN_IN_FIELD_LENGTH = 8192;
/**
 * Largest JSON body of a sign-in request the schema above accepts, in bytes: both fields at
 * `MAX_SIGN_IN_FIELD_LENGTH` code units, each escaped in the worst case as `\uXXXX` (6 bytes per
 * code unit, RFC 8259 section 7), plus the object around them. The portal's request body limit
 * is above it, so every request the schema can take reaches the engine; a larger body is refused
 * by the portal (413), which the renderer shows as `invalid-input` too, never as an outage.
 */
export const MAX_SIGN_IN_REQUEST_BYTES = 2 * 6 * MAX_SIGN_IN_FIELD_LENGTH + 64;

// ---------------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------------

/**
 * Sign-in form. Values are passed on byte-exact: no trimming here, and lengths are judged by the
 * engine against `MAX_USERNAME_LENGTH` / `MAX_PASSWORD_LENGTH` (this bound only keeps absurd
 * values out; see `MAX_SIGN_IN_FIELD_LENGTH`).
 */
export const signInRequestSchema = z.object({
  username: z.string().max(MAX_SIGN_IN_FIELD_LENGTH),
  password: z.string().max(MAX_SIGN_IN_FIELD_LENGTH),
  /**
   * The language the person is using the station in (the renderer's i18n language, one of
   * `supportedLanguages`); absent: the station's `locale`. Duo's prompt follows the browser's
   * language settings (Duo guide "Duo Universal Prompt", language support), so the kiosk sends it
   * as the Accept-Language of the visit's Duo partition; Duo documents no authorize parameter.
   */
  locale: z.enum(supportedLanguages).optional(),
});
export type SignInRequest = z.infer<typeof signInRequestSchema>;
/** What a person types into the sign-in form: the request without its `locale`. */
export type SignInFields = Pick<SignInRequest, 'username' | 'password'>;

/**
 * A Duo Web SDK v2 frame message as the page received it (`AUTH|…`, `ENROLL|…` or `ERR|…`).
 * Main appends the APP part it kept and verifies.
 */
export const duoResponseRequestSchema = z.object({
  response: z.string().min(1).max(4096),
});
export type DuoResponseRequest = z.infer<typeof duoResponseRequestSchema>;

/** Why a visit ended, when the renderer asks for the end. */
export const finishRequestSchema = z.object({
  reason: z.enum(['finished', 'cancelled']).default('finished'),
});
export type FinishRequest = z.infer<typeof finishRequestSchema>;

/**
 * Height in CSS pixels of the Walkup bar the renderer draws at the top of the window while a
 * v4 `view` launch is shown; Electron places Duo's view directly below it.
 */
export const DUO_VIEW_BAR_HEIGHT_PX = 64;

// ---------------------------------------------------------------------------------------------
// The API both transports implement
// ---------------------------------------------------------------------------------------------

/** What the renderer may call. Exposed as `window.walkup` in Electron. */
export interface WalkupApi {
  getStation(): Promise<StationInfo>;
  getVisit(): Promise<VisitView>;
  signIn(request: SignInRequest): Promise<SignInResult>;
  submitDuoResponse(request: DuoResponseRequest): Promise<DuoResult>;
  finish(request: FinishRequest): Promise<void>;
  /** The person is still there (input seen); extends the idle timer. */
  activity(): Promise<void>;
  /** Subscribes to events; returns the unsubscribe function. */
  onEvent(listener: (event: WalkupEvent) => void): () => void;
  /**
   * The admin screen and first-run setup (`admin.ts`); absent where the transport does not
   * serve it (portal mode without `portal.adminScreen`).
   */
  admin?: AdminApi;
}

export {
  CSRF_HEADER,
  VISIT_PHASE_HEADER,
  adminHttpRoute,
  adminIpcChannel,
  httpRoutes,
  ipcChannels,
  kioskDuoV2HostPaths,
} from './channels';
export * from './responses';
