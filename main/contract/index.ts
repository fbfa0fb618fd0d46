/**
 * The renderer <-> main contract. Both transports implement it: IPC in Electron (preload exposes
 * it as `window.walkup`) and JSON over HTTP in portal mode. Requests are parsed with these zod
 * schemas in main; responses are typed values with reason codes, never stack traces.
 *
 * This file imports nothing process-specific: the renderer bundles it.
 */
import { z } from 'zod';

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
});
export type SignInRequest = z.infer<typeof signInRequestSchema>;

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

// ---------------------------------------------------------------------------------------------
// Station
// ---------------------------------------------------------------------------------------------

/** Why the station cannot take a visit right now; the out-of-service screen translates it. */
export const outOfServiceReasons = [
  'configuration-invalid',
  'directory-unreachable',
  'duo-unreachable',
  'duo-credentials-rejected',
  'secrets-unavailable',
  'starting',
  /** The audit log cannot keep up or cannot write: no new visit until it can. */
  'audit-unavailable',
] as const;
export type OutOfServiceReason = (typeof outOfServiceReasons)[number];

/** Conditions an admin should see but that do not stop visits. */
export const stationWarnings = [
  'directory-insecure',
  'clock-skew',
  'directory-server-down',
  'demo-mode',
  /** Audit rotation had to delete history younger than `audit.minHistoryHours`. */
  'audit-history-short',
  /**
   * Since the station started, Duo Web SDK v2 could not carry the username of at least one
   * account (it contains `|`), so those people were sent to the helpdesk; use Web SDK v4. The
   * log line `duo-username-unsupported` counts them, the audit log names each refusal.
   */
  'duo-v2-username-unsupported',
] as const;
export type StationWarning = (typeof stationWarnings)[number];

/** Idle timing the renderer shows; main enforces it. All in seconds. */
export interface IdleTimings {
  /** Idle time allowed on the sign-in screen before the form is cleared. */
  signInSeconds: number;
  /**
   * How long a refused sign-in keeps the typed username, the message and the support reference
   * on screen without input (the password is cleared at once).
   */
  refusedSeconds: number;
  /** Idle time allowed while Duo is shown. */
  duoSeconds: number;
  /** Hard cap for one visit, whatever the activity. */
  visitCapSeconds: number;
  /** Length of the "Are you still there?" countdown before a reset. */
  warningSeconds: number;
  /** How long the Done screen stays before the station resets. */
  doneSeconds: number;
}

export interface StationInfo {
  name: string;
  /** BCP 47 language tag for the UI. */
  locale: string;
  duoSdk: 'v4' | 'v2';
  inService: boolean;
  outOfService?: { reason: OutOfServiceReason; since: string };
  warnings: StationWarning[];
  idle: IdleTimings;
  /** Set in demo mode so the UI can show demo credentials. */
  demo?: { users: { username: string; password: string }[] };
}

// ---------------------------------------------------------------------------------------------
// Visit
// ---------------------------------------------------------------------------------------------

/**
 * How the renderer shows Duo.
 * - v2: the renderer frames `https://{host}/frame/web/v1/auth?tx=…&parent=…&v=2.9` and forwards
 *   the frame's message to `submitDuoResponse`. The APP part of the request never leaves main.
 *   In the kiosk, main frames it instead, in a view and partition of the visit's own (the
 *   renderer's CSP there frames nothing; see main/electron/README.md).
 * - v4 + redirect (portal mode): the browser navigates top-level to `authUrl`; Duo redirects back
 *   to `/duo/callback`.
 * - v4 + view (Electron): main shows Duo's page in its own view; the renderer shows the bar.
 */
export type DuoLaunch =
  | { kind: 'v2'; host: string; tx: string }
  | { kind: 'v4'; presentation: 'redirect'; authUrl: string }
  | { kind: 'v4'; presentation: 'view' };

/**
 * Height in CSS pixels of the Walkup bar the renderer draws at the top of the window while a
 * v4 `view` launch is shown; Electron places Duo's view directly below it.
 */
export const DUO_VIEW_BAR_HEIGHT_PX = 64;

/** Reasons a sign-in attempt fails, as the kiosk user may learn them. */
export const signInFailureReasons = [
  /** Unknown user or wrong password: one generic message, by design. */
  'invalid-credentials',
  /** The username breaks an input rule (length, control characters); `detail` says which. */
  'invalid-input',
  /** Too many failures; `retryAfterSeconds` says when to try again. */
  'throttled',
  /**
   * The station (or, in portal mode, this client) is paused after many failures by anyone;
   * `retryAfterSeconds` says for how long. Not the person's own doing.
   */
  'station-paused',
  /** Valid account, but policy does not allow it to enroll here. */
  'not-allowed',
  /** Account needs the helpdesk (expired, disabled, locked…); `detail` only if configured. */
  'see-helpdesk',
  /** No directory server could be reached. */
  'directory-unavailable',
  /** Duo cannot be reached or refuses our credentials. */
  'duo-unavailable',
  /** The station is out of service. */
  'out-of-service',
] as const;
export type SignInFailureReason = (typeof signInFailureReasons)[number];

/** Precise account conditions; shown at the kiosk only where the configuration allows. */
export const accountConditions = [
  'not-permitted-now',
  'not-permitted-here',
  'password-expired',
  'account-disabled',
  'account-expired',
  'password-must-change',
  'account-locked',
] as const;
export type AccountCondition = (typeof accountConditions)[number];

/** Input rules the username may break. */
export const inputProblems = [
  'username-empty',
  'username-too-long',
  'username-control-characters',
  'password-empty',
  'password-too-long',
] as const;
export type InputProblem = (typeof inputProblems)[number];

export type SignInResult =
  | { ok: true; displayName: string; duo: DuoLaunch }
  | {
      ok: false;
      reason: SignInFailureReason;
      /** For `see-helpdesk` (when allowed) and `invalid-input`. */
      detail?: AccountCondition | InputProblem;
      retryAfterSeconds?: number;
      /** Short support reference that matches the audit log entry (ASVS 7.4.1). */
      reference: string;
    };

/** Reasons a Duo result is refused. */
export const duoFailureReasons = [
  /** No visit is waiting for Duo (reset, timed out, or never started). */
  'no-visit',
  /** The message is not in a Duo format. */
  'malformed',
  /** Signature, user, integration or expiry check failed. */
  'rejected',
  /** This response (or state) was already used. */
  'replayed',
  /** Duo reported an error (ERR message or error callback). */
  'duo-error',
] as const;
export type DuoFailureReason = (typeof duoFailureReasons)[number];

export type DuoResult = { ok: true } | { ok: false; reason: DuoFailureReason; reference: string };

/** The visit as the renderer may see it. Never holds secrets or the password. */
export type VisitView =
  | { phase: 'idle' }
  | {
      phase: 'duo';
      displayName: string;
      duo: DuoLaunch;
      /** ISO time at which the visit resets without activity, and the hard cap. */
      idleResetAt: string;
      capResetAt: string;
    }
  | { phase: 'done'; displayName: string; outcome: 'verified' | 'finished'; resetAt: string }
  | { phase: 'failed'; reason: DuoFailureReason; reference: string; resetAt: string };

/** Why the station returned to the welcome screen. */
export const resetReasons = [
  'finished',
  'cancelled',
  'idle',
  'visit-cap',
  'done',
  'failed',
  'admin',
  'renderer-crash',
] as const;
export type ResetReason = (typeof resetReasons)[number];

/** Events pushed from main to the renderer. */
export type WalkupEvent =
  | { type: 'visit-changed'; visit: VisitView }
  | { type: 'visit-reset'; reason: ResetReason }
  | {
      type: 'idle-warning';
      secondsLeft: number;
      /**
       * What ends the visit when the countdown reaches zero: `idle` can be extended by activity,
       * `visit-cap` (the hard cap) cannot.
       */
      ending: 'idle' | 'visit-cap';
    }
  | { type: 'station-changed'; station: StationInfo };

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
}

export { CSRF_HEADER, VISIT_PHASE_HEADER, httpRoutes, ipcChannels } from './channels';
