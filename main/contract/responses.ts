/**
 * What main answers the renderer, as zod schemas: the station, the visit, sign-in and Duo
 * results, and the events main pushes. The schemas are the source of the types
 * (`StationInfo = z.infer<typeof stationInfoSchema>` and so on), so a field cannot be added to a
 * response type without its schema: the engine cannot produce a field that the portal's renderer
 * would silently strip, and the renderer cannot read one that is never checked.
 *
 * Who parses them: the renderer's HTTP client in portal mode, where these bytes come over the
 * network and are parsed at the edge like any other external input (a mismatch is a transport
 * problem, never a crash). Over IPC in the kiosk the values are main's own, typed by these same
 * types, and the preload passes them through without zod (it bundles only `channels.ts`).
 *
 * Pure and free of Node and browser APIs: the renderer bundles it.
 */
import { z } from 'zod';

// ---------------------------------------------------------------------------------------------
// Vocabularies (reason codes the renderer translates)
// ---------------------------------------------------------------------------------------------

/** Why the station cannot take a visit right now; the out-of-service screen translates it. */
export const outOfServiceReasons = [
  /**
   * First run: no source sets any directory or Duo key yet. The station offers the setup flow
   * (create the admin PIN, Duo, directory, test, save) instead of visits.
   */
  'setup-required',
  'configuration-invalid',
  /**
   * A managed policy is deployed but lacks required keys (listed in the admin detail): the IT
   * team has not finished this station's configuration yet.
   */
  'waiting-for-configuration',
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
  /**
   * Audit forwarding (`audit.syslog`) cannot reach its collector, or has dropped lines since the
   * station started; the audit file still has every line. The log line `audit-forwarding-failed`
   * names the collector and the error.
   */
  'audit-forwarding-failed',
  /**
   * `branding.logoFile` cannot be used (missing, larger than 256 KB, not a PNG, JPEG or SVG): the
   * screens show the default logo. The log line `branding-logo-unusable` says why.
   */
  'branding-logo-unusable',
] as const;
export type StationWarning = (typeof stationWarnings)[number];

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
  /**
   * Duo sent the person back without a result: the Universal Prompt's OAuth `access_denied`
   * answer (RFC 6749 section 4.1.2.1), which Duo gives when the person cancels. Trying again helps.
   */
  'cancelled',
  /**
   * Duo could not be reached (or answered with a server error) when the visit's result was to be
   * confirmed: Duo went down mid-visit. The visit ends as failed with its support reference; the
   * station checks Duo again at once.
   */
  'duo-unavailable',
] as const;
export type DuoFailureReason = (typeof duoFailureReasons)[number];

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

// ---------------------------------------------------------------------------------------------
// Station
// ---------------------------------------------------------------------------------------------

/** A duration in whole or fractional seconds, never negative. */
const seconds = z.number().nonnegative();

/** Idle timing the renderer shows; main enforces it. All in seconds. */
export const idleTimingsSchema = z.object({
  /** Idle time allowed on the sign-in screen before the form is cleared. */
  signInSeconds: seconds,
  /**
   * How long a refused sign-in keeps the typed username, the message and the support reference
   * on screen without input (the password is cleared at once).
   */
  refusedSeconds: seconds,
  /** Idle time allowed while Duo is shown. */
  duoSeconds: seconds,
  /** Hard cap for one visit, whatever the activity. */
  visitCapSeconds: seconds,
  /** Length of the "Are you still there?" countdown before a reset. */
  warningSeconds: seconds,
  /** How long the Done screen stays before the station resets. */
  doneSeconds: seconds,
  /** How long a failed visit's message and support reference stay before the station resets. */
  failedSeconds: seconds,
});
export type IdleTimings = z.infer<typeof idleTimingsSchema>;

/** A colour as `#rrggbb` (hexadecimal, either case): the one form of `branding.accentColor`. */
export const HEX_COLOR = /^#[0-9a-f]{6}$/i;

/** How the station presents itself (the configuration's `branding` section, issue #12). */
export const stationBrandingSchema = z.object({
  /** The organisation's name, shown in the header. */
  organisation: z.string(),
  /** `#rrggbb` of primary buttons; main has checked its contrast (WCAG 2.1 AA, 4.5:1). */
  accentColor: z.string().regex(HEX_COLOR),
  /** The welcome screen's text; absent: the built-in, translated one. */
  welcomeText: z.string().optional(),
  /** Whom to ask when a visit cannot finish; absent: nothing is shown. */
  helpdesk: z.string().optional(),
  /** The configured logo as a `data:image/…;base64,` URL; absent: the default logo. */
  logo: z.object({ dataUrl: z.string().regex(/^data:image\/(?:png|jpeg|svg\+xml);base64,/) }).optional(),
});
export type StationBranding = z.infer<typeof stationBrandingSchema>;

export const stationInfoSchema = z.object({
  name: z.string(),
  /** BCP 47 language tag for the UI. */
  locale: z.string(),
  duoSdk: z.enum(['v4', 'v2']),
  inService: z.boolean(),
  /** `since`: ISO 8601 time the station went out of service. */
  outOfService: z.object({ reason: z.enum(outOfServiceReasons), since: z.string() }).optional(),
  warnings: z.array(z.enum(stationWarnings)),
  idle: idleTimingsSchema,
  branding: stationBrandingSchema,
  /**
   * The sign-in screen's on-screen keyboard: `on`/`off` as configured; `auto` lets the renderer
   * decide (kiosk with a coarse primary pointer, until a physical key is pressed; never in a browser).
   */
  onScreenKeyboard: z.enum(['auto', 'on', 'off']),
  /** Set in demo mode so the UI can show demo credentials. */
  demo: z.object({ users: z.array(z.object({ username: z.string(), password: z.string() })) }).optional(),
});
export type StationInfo = z.infer<typeof stationInfoSchema>;

// ---------------------------------------------------------------------------------------------
// Visit
// ---------------------------------------------------------------------------------------------

/**
 * How the renderer shows Duo. `kind` says how Duo is shown, not which SDK shows it (a new
 * integration reuses a kind when it shows Duo the same way):
 * - `frame` (Web SDK v2): Duo's frame is embedded in a page of ours. The renderer frames
 *   `https://{host}/frame/web/v1/auth?tx=…&parent=…&v=2.9` and forwards the frame's message to
 *   `submitDuoResponse`. The APP part of the request never leaves main.
 *   In the kiosk, main frames it instead, in a view and partition of the visit's own (the
 *   renderer's CSP there frames nothing; see main/electron/README.md).
 * - `page` (Web SDK v4): Duo's own top-level page.
 *   - `redirect` (portal mode): the browser navigates top-level to `authUrl`; Duo redirects back
 *     to `/duo/callback`.
 *   - `view` (Electron): main shows Duo's page in its own view; the renderer shows the bar.
 */
export const duoLaunchSchema = z.union([
  z.object({ kind: z.literal('frame'), host: z.string(), tx: z.string() }),
  z.object({ kind: z.literal('page'), presentation: z.literal('redirect'), authUrl: z.string() }),
  z.object({ kind: z.literal('page'), presentation: z.literal('view') }),
]);
export type DuoLaunch = z.infer<typeof duoLaunchSchema>;

export const signInResultSchema = z.union([
  z.object({ ok: z.literal(true), displayName: z.string(), duo: duoLaunchSchema }),
  z.object({
    ok: z.literal(false),
    reason: z.enum(signInFailureReasons),
    /** For `see-helpdesk` (when allowed) and `invalid-input`. */
    detail: z.union([z.enum(accountConditions), z.enum(inputProblems)]).optional(),
    retryAfterSeconds: seconds.optional(),
    /**
     * For `invalid-credentials`, only when 2 or fewer remain: how many more wrong tries the typed
     * username has before the station pauses it (`throttled`); 1 means the next wrong try is the
     * last, 0 that the next attempt waits. Counted per typed name, known or not.
     */
    attemptsLeft: z.number().int().nonnegative().optional(),
    /** Short support reference that matches the audit log entry (ASVS 7.4.1). */
    reference: z.string(),
  }),
]);
export type SignInResult = z.infer<typeof signInResultSchema>;

export const duoResultSchema = z.union([
  z.object({ ok: z.literal(true) }),
  z.object({ ok: z.literal(false), reason: z.enum(duoFailureReasons), reference: z.string() }),
]);
export type DuoResult = z.infer<typeof duoResultSchema>;

/** The visit as the renderer may see it. Never holds secrets or the password. */
export const visitViewSchema = z.discriminatedUnion('phase', [
  z.object({ phase: z.literal('idle') }),
  z.object({
    phase: z.literal('duo'),
    displayName: z.string(),
    duo: duoLaunchSchema,
    /** ISO time at which the visit resets without activity. */
    idleResetAt: z.string(),
    /** ISO time of the visit's hard cap. */
    capResetAt: z.string(),
  }),
  z.object({
    phase: z.literal('done'),
    displayName: z.string(),
    outcome: z.enum(['verified', 'finished']),
    resetAt: z.string(),
  }),
  z.object({
    phase: z.literal('failed'),
    reason: z.enum(duoFailureReasons),
    reference: z.string(),
    resetAt: z.string(),
  }),
]);
export type VisitView = z.infer<typeof visitViewSchema>;

/** Events pushed from main to the renderer. */
export const walkupEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('visit-changed'), visit: visitViewSchema }),
  z.object({ type: z.literal('visit-reset'), reason: z.enum(resetReasons) }),
  z.object({
    type: z.literal('idle-warning'),
    secondsLeft: seconds,
    /**
     * What ends the visit when the countdown reaches zero: `idle` can be extended by activity,
     * `visit-cap` (the hard cap) cannot.
     */
    ending: z.enum(['idle', 'visit-cap']),
  }),
  z.object({ type: z.literal('station-changed'), station: stationInfoSchema }),
  /** The kiosk's admin key chord was pressed (main catches it before the page can): open the PIN pad. */
  z.object({ type: z.literal('admin-requested') }),
]);
export type WalkupEvent = z.infer<typeof walkupEventSchema>;
