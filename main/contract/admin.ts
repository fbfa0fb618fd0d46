/**
 * The admin part of the renderer <-> main contract: the PIN gate, the admin screen and the
 * first-run setup flow. Both transports implement it like the visit contract (`index.ts`): IPC
 * in the kiosk (behind the same sender check), and JSON over HTTP in portal mode only when
 * policy sets `portal.adminScreen`, only from loopback (main/portal/routes-admin.ts).
 *
 * Every request but `gate`, `unlock` and `createPin` carries the token an unlock returned; a
 * missing, expired or unknown token is answered `{ ok: false, reason: 'not-unlocked' }` (never
 * an error with detail). Secret values travel only inward (`save`'s `secrets`, `testSignIn`'s
 * password): no response schema below has a field that could carry one back; settings that hold
 * secrets are reported as `set` / not set only.
 *
 * Pure and free of Node and browser APIs: the renderer bundles it.
 */
import { z } from 'zod';
import { MAX_PASSWORD_LENGTH, MAX_SIGN_IN_FIELD_LENGTH } from './index';
import { adminMethods, type AdminMethod } from './channels';
import { outOfServiceReasons, stationWarnings } from './responses';

// ---------------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------------

/** Longest PIN text accepted by the schema (the PIN rule, 6-16 digits, is checked by main). */
const MAX_PIN_TEXT = 64;
/** Longest admin token (main makes 43-character base64url tokens). */
const MAX_TOKEN = 128;
/** Longest secret value the admin screen may store, in UTF-16 code units. */
export const MAX_ADMIN_SECRET_LENGTH = 4096;
/** Most setting changes in one save. */
export const MAX_SETTING_CHANGES = 200;

const token = z.string().min(1).max(MAX_TOKEN);

/** `unlock` and `createPin`: the PIN as typed on the PIN pad. */
export const adminPinRequestSchema = z.object({ pin: z.string().max(MAX_PIN_TEXT) });
export type AdminPinRequest = z.infer<typeof adminPinRequestSchema>;

/** Requests that need nothing but the token (`status`, `lock`, `restart`, `exit`). */
export const adminTokenRequestSchema = z.object({ token });
export type AdminTokenRequest = z.infer<typeof adminTokenRequestSchema>;

/**
 * One change of a local setting: a dotted key path of the configuration (`station.name`,
 * `directory.servers`) and its new value as JSON; `null` removes the local value (the policy's
 * or the default applies again). Validated by main with the one configuration schema.
 */
export const settingChangeSchema = z.object({
  path: z.string().min(1).max(200),
  value: z.unknown(),
});
export type SettingChange = z.infer<typeof settingChangeSchema>;

/**
 * Secrets to store, by the configuration key that uses them (`duo.clientSecret`, `duo.skey`,
 * `duo.akey`, `directory.bindPassword`, `audit.usernameHashKey`). Write-only: nothing reads them
 * back out.
 */
export const secretValuesSchema = z.record(
  z.string().min(1).max(200),
  z.string().min(1).max(MAX_ADMIN_SECRET_LENGTH),
);
export type SecretValues = z.infer<typeof secretValuesSchema>;

/** A set of unsaved changes: what `check` tests and `save` writes. */
export const adminDraftSchema = z.object({
  changes: z.array(settingChangeSchema).max(MAX_SETTING_CHANGES).default([]),
  secrets: secretValuesSchema.default({}),
});
export type AdminDraft = z.infer<typeof adminDraftSchema>;

/** `save`: writes the changes (settings and secrets) after validating them as a whole. */
export const adminSaveRequestSchema = adminDraftSchema.extend({ token });
export type AdminSaveRequest = z.infer<typeof adminSaveRequestSchema>;

/**
 * `check`: the checks of `walkup status` (directory servers, Duo) against the saved
 * configuration, or against it with `draft` applied (the first-run flow tests before saving).
 */
export const adminCheckRequestSchema = z.object({ token, draft: adminDraftSchema.optional() });
export type AdminCheckRequest = z.infer<typeof adminCheckRequestSchema>;

/** `testSignIn`: one directory sign-in with the running configuration (no Duo, no visit). */
export const adminTestSignInRequestSchema = z.object({
  token,
  username: z.string().max(MAX_SIGN_IN_FIELD_LENGTH),
  password: z.string().max(MAX_PASSWORD_LENGTH),
});
export type AdminTestSignInRequest = z.infer<typeof adminTestSignInRequestSchema>;

/** `changePin`: a new admin PIN. */
export const adminChangePinRequestSchema = z.object({ token, pin: z.string().max(MAX_PIN_TEXT) });
export type AdminChangePinRequest = z.infer<typeof adminChangePinRequestSchema>;

// ---------------------------------------------------------------------------------------------
// Responses
// ---------------------------------------------------------------------------------------------

/** The answer to a request whose token is missing, expired or unknown. */
export const notUnlockedSchema = z.object({ ok: z.literal(false), reason: z.literal('not-unlocked') });
export type NotUnlocked = z.infer<typeof notUnlockedSchema>;

/**
 * What the PIN pad should show:
 * - `setup`: first run (no configuration at all, no PIN): the setup flow starts by creating one;
 * - `pin`: enter the PIN (`attemptsLeft` before the lockout);
 * - `locked`: too many wrong PINs, try again after `retryAfterSeconds`;
 * - `unavailable`: the admin screen cannot open (`no-pin`: a configured station without a
 *   provisioned PIN hash; `secret-store-unavailable`: the vault cannot be read).
 */
export const adminGateSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('setup') }),
  z.object({ kind: z.literal('pin'), attemptsLeft: z.number().int().min(0) }),
  z.object({ kind: z.literal('locked'), retryAfterSeconds: z.number().int().min(0) }),
  z.object({ kind: z.literal('unavailable'), reason: z.enum(['no-pin', 'secret-store-unavailable']) }),
]);
export type AdminGate = z.infer<typeof adminGateSchema>;

/** Why an unlock (or PIN creation / change) was refused. */
export const adminPinFailures = [
  /** Wrong PIN; `gate` says how many attempts are left or that the gate is now locked. */
  'wrong-pin',
  /** Locked after repeated failures; `gate.retryAfterSeconds`. */
  'locked',
  /** Not 6 to 16 digits (creating or changing a PIN). */
  'pin-format',
  /** `createPin` outside first run (a PIN exists, or the station is configured). */
  'not-first-run',
  /**
   * Portal mode: too many PIN requests from this client in a short time; not judged, not counted.
   * `gate` is the gate as it is (the wait is the HTTP `Retry-After`).
   */
  'busy',
  'unavailable',
] as const;

export const adminUnlockResultSchema = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    token: z.string(),
    /** The admin session ends after this many seconds without an admin request. */
    idleSeconds: z.number().int().positive(),
  }),
  z.object({ ok: z.literal(false), reason: z.enum(adminPinFailures), gate: adminGateSchema }),
]);
export type AdminUnlockResult = z.infer<typeof adminUnlockResultSchema>;

/** Where a setting's value comes from (highest first). */
export const settingSources = ['policy', 'local', 'default'] as const;
export type SettingSource = (typeof settingSources)[number];

/** How the admin screen edits a key (the key kinds of the policy templates). */
export const settingKinds = [
  'boolean',
  'integer',
  'number',
  'string',
  'enum',
  'string-list',
  'enum-list',
  'secret',
] as const;

/** One configuration key as the admin screen shows it. */
export const adminSettingSchema = z.object({
  /** Dotted path, e.g. `directory.throttling.perUser.failures`. */
  path: z.string(),
  kind: z.enum(settingKinds),
  /** `enum` / `enum-list`: the allowed values. */
  values: z.array(z.string()).optional(),
  /** The value in force (JSON); absent for secrets and for keys no source sets. */
  value: z.unknown().optional(),
  /** Secrets only: whether a value is set (the value itself is never shown). */
  set: z.boolean().optional(),
  source: z.enum(settingSources),
  /** Set by managed policy: shown, not editable. */
  locked: z.boolean(),
  /**
   * Widens trust (CA files, insecure switches, throttling above the defaults, the demo
   * directory): editable only on a station without managed policy.
   */
  widensTrust: z.boolean(),
  /**
   * The admin screen may change it here: not locked, and on a managed station not a policy-only
   * trust key. A trust key's new value is still judged on save (tighten, never loosen).
   */
  editable: z.boolean(),
});
export type AdminSetting = z.infer<typeof adminSettingSchema>;

/** One directory server as checked (`walkup status`'s fields). */
export const adminServerCheckSchema = z.object({
  url: z.string(),
  reachable: z.boolean(),
  tlsOk: z.boolean(),
  serviceBindOk: z.boolean(),
  insecure: z.boolean(),
  latencyMs: z.number().optional(),
  error: z.string().optional(),
});

/** Duo as checked: reachable, credentials accepted, clock skew (Duo's clock minus ours, s). */
export const adminDuoCheckSchema = z.object({
  sdk: z.string(),
  apiHost: z.string(),
  ok: z.boolean(),
  code: z.enum(['unreachable', 'credentials-rejected']).optional(),
  skewSeconds: z.number().optional(),
});

/** `check`: the station's verdict with the directory and Duo details. */
export const adminCheckReportSchema = z.object({
  ok: z.literal(true),
  inService: z.boolean(),
  outOfService: z.object({ reason: z.enum(outOfServiceReasons) }).nullable(),
  warnings: z.array(z.enum(stationWarnings)),
  /** Configuration or secret problems (one line per key) that kept the checks from running. */
  problems: z.array(z.string()),
  directory: z.object({ type: z.string(), servers: z.array(adminServerCheckSchema) }).optional(),
  duo: adminDuoCheckSchema.optional(),
});
export type AdminCheckReport = z.infer<typeof adminCheckReportSchema>;

/** The secret store (Electron safeStorage in the kiosk; 0600 files in portal mode). */
export const secretStoreInfoSchema = z.object({
  /** e.g. `keychain`, `dpapi`, `gnome_libsecret`, `basic_text`, `files`. */
  backend: z.string(),
  /** False when the backend only obfuscates (Linux `basic_text`, portal-mode files). */
  secure: z.boolean(),
  /** Why it cannot be used now, when it cannot. */
  problem: z.string().optional(),
});
export type SecretStoreInfo = z.infer<typeof secretStoreInfoSchema>;

/** One audit line as the admin screen lists it (the JSON line's own fields; no secret in any). */
export const adminAuditEventSchema = z.record(z.string(), z.unknown());

/** `status`: everything the admin screen shows. */
export const adminStatusSchema = z.object({
  ok: z.literal(true),
  station: z.object({
    name: z.string(),
    inService: z.boolean(),
    outOfService: z.object({ reason: z.enum(outOfServiceReasons), detail: z.string().optional() }).nullable(),
    warnings: z.array(z.enum(stationWarnings)),
  }),
  version: z.object({ version: z.string(), build: z.string() }),
  secretStore: secretStoreInfoSchema,
  /** Whether a managed policy is deployed (trust-widening keys are then policy-only). */
  managed: z.boolean(),
  /** Where the policy came from (registry key, plist, file), for the admin to see. */
  policySources: z.array(z.string()),
  /** Problems of the local settings (a file changed outside Walkup, refused keys). */
  settingsProblems: z.array(z.string()),
  settings: z.array(adminSettingSchema),
  /** The last audit events, newest first (at most 50). */
  audit: z.array(adminAuditEventSchema).max(50),
});
export type AdminStatus = z.infer<typeof adminStatusSchema>;

/** `save`: written (restart to apply), or refused with the schema's messages by key. */
export const adminSaveResultSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), restartNeeded: z.boolean() }),
  z.object({
    ok: z.literal(false),
    reason: z.enum(['invalid', 'locked', 'widens-trust', 'write-failed']),
    /** One entry per problem: the key (`''` for the whole configuration) and the message. */
    errors: z.array(z.object({ path: z.string(), message: z.string() })),
  }),
]);
export type AdminSaveResult = z.infer<typeof adminSaveResultSchema>;

/** `testSignIn`: the directory's verdict with the engine's reason code. */
export const adminTestSignInResultSchema = z.object({
  ok: z.literal(true),
  /** `ok` when the bind and the group rules passed; otherwise the directory's reason code. */
  result: z.string(),
  displayName: z.string().optional(),
});
export type AdminTestSignInResult = z.infer<typeof adminTestSignInResultSchema>;

/** Answers without a value (`lock`, `restart`, `exit`). */
export const adminDoneSchema = z.object({ ok: z.literal(true) });
export type AdminDone = z.infer<typeof adminDoneSchema>;

/** `changePin`: stored, or the new PIN is not 6 to 16 digits. */
export const adminChangePinResultSchema = z.discriminatedUnion('ok', [
  adminDoneSchema,
  z.object({ ok: z.literal(false), reason: z.enum(['pin-format', 'unavailable']) }),
]);
export type AdminChangePinResult = z.infer<typeof adminChangePinResultSchema>;

/** Each authenticated answer, or `not-unlocked`. */
export type Unlocked<T> = T | NotUnlocked;

// ---------------------------------------------------------------------------------------------
// The API both transports implement (and the admin service in main/core/admin behind them)
// ---------------------------------------------------------------------------------------------

export interface AdminApi {
  /** What the PIN pad shows (first run, PIN, locked, unavailable). */
  gate(): Promise<AdminGate>;
  unlock(request: AdminPinRequest): Promise<AdminUnlockResult>;
  /** First run only: stores the first PIN's hash and unlocks. */
  createPin(request: AdminPinRequest): Promise<AdminUnlockResult>;
  changePin(request: AdminChangePinRequest): Promise<Unlocked<AdminChangePinResult>>;
  status(request: AdminTokenRequest): Promise<Unlocked<AdminStatus>>;
  check(request: AdminCheckRequest): Promise<Unlocked<AdminCheckReport>>;
  testSignIn(request: AdminTestSignInRequest): Promise<Unlocked<AdminTestSignInResult>>;
  save(request: AdminSaveRequest): Promise<Unlocked<AdminSaveResult>>;
  /** Ends the admin session (the station goes back to visits). */
  lock(request: AdminTokenRequest): Promise<Unlocked<AdminDone>>;
  /** Restarts the station with the saved configuration. */
  restart(request: AdminTokenRequest): Promise<Unlocked<AdminDone>>;
  /** Exits the kiosk (portal mode: stops `walkup serve`). */
  exit(request: AdminTokenRequest): Promise<Unlocked<AdminDone>>;
}

/**
 * The methods of {@link AdminApi}, for the transports' channel and route tables. The list lives in
 * `channels.ts` (dependency-free, so the sandboxed preload can bundle it); the checks below keep it
 * equal to the interface's keys both ways.
 */
export { adminMethods, type AdminMethod };
type MissingMethods = Exclude<keyof AdminApi, AdminMethod>;
type ExtraMethods = Exclude<AdminMethod, keyof AdminApi>;
const methodListMatchesApi: [MissingMethods, ExtraMethods] extends [never, never] ? true : never = true;
void methodListMatchesApi;

/** The request schema of each method (undefined: no payload). */
export const adminRequestSchemas = {
  gate: undefined,
  unlock: adminPinRequestSchema,
  createPin: adminPinRequestSchema,
  changePin: adminChangePinRequestSchema,
  status: adminTokenRequestSchema,
  check: adminCheckRequestSchema,
  testSignIn: adminTestSignInRequestSchema,
  save: adminSaveRequestSchema,
  lock: adminTokenRequestSchema,
  restart: adminTokenRequestSchema,
  exit: adminTokenRequestSchema,
} as const satisfies Record<AdminMethod, z.ZodType | undefined>;

/** The response schema of each method (the renderer parses HTTP answers with them). */
export const adminResponseSchemas = {
  gate: adminGateSchema,
  unlock: adminUnlockResultSchema,
  createPin: adminUnlockResultSchema,
  changePin: z.union([adminChangePinResultSchema, notUnlockedSchema]),
  status: z.union([adminStatusSchema, notUnlockedSchema]),
  check: z.union([adminCheckReportSchema, notUnlockedSchema]),
  testSignIn: z.union([adminTestSignInResultSchema, notUnlockedSchema]),
  save: z.union([adminSaveResultSchema, notUnlockedSchema]),
  lock: z.union([adminDoneSchema, notUnlockedSchema]),
  restart: z.union([adminDoneSchema, notUnlockedSchema]),
  exit: z.union([adminDoneSchema, notUnlockedSchema]),
} as const satisfies Record<AdminMethod, z.ZodType>;
