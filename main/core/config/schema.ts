/**
 * The one schema for Walkup's configuration: managed policy files, local settings and defaults
 * all pass through it. Every error names the offending key (see `formatConfigErrors`).
 */
import { z } from 'zod';
import { MAX_USERNAME_LENGTH, accountConditions } from '../../contract';
import { DUO_API_HOST_RULE, duoOriginOf } from '../../contract/duo-formats';
import { accentContrastProblem, DEFAULT_ACCENT_COLOR } from '../branding/contrast';
import { dnSyntaxProblem } from '../directory/dn';
import { isReservedSecretName, RESERVED_SECRET_RULE, SECRET_NAME, SECRET_NAME_RULE } from '../secrets/names';
import { DEFAULT_ADMIN_CHORD, parseAdminChord } from './admin-chord';

/**
 * A secret: inline (only in an ACL-protected policy file), from an environment variable, from a
 * file (mode 0600 or 0400, refused otherwise), or (the kiosk only) from an entry of its encrypted
 * vault, e.g. `{ "vault": "duo.clientSecret" }`. Resolved by `resolveSecret`; never logged.
 */
export const secretSchema = z.union([
  z.string().min(1),
  z.object({ env: z.string().min(1) }).strict(),
  z.object({ file: z.string().min(1) }).strict(),
  z
    .object({
      vault: z
        .string()
        .regex(SECRET_NAME, SECRET_NAME_RULE)
        .refine((name) => !isReservedSecretName(name), RESERVED_SECRET_RULE),
    })
    .strict(),
]);
export type SecretRef = z.infer<typeof secretSchema>;

const ldapUrl = z
  .string()
  .refine(
    (value) => /^ldaps?:\/\/[^/?#\s]+\/?$/i.test(value),
    'must be an ldap:// or ldaps:// URL with a host (and optional port), e.g. ldaps://dc1.example.com:636',
  );

/**
 * Longest throttle window (s): AD's longest "reset account lockout counter after", 99,999
 * minutes (Microsoft, "Reset account lockout counter after"), so `perUser.windowSeconds` can
 * always be set at or above it.
 */
export const MAX_WINDOW_SECONDS = 99_999 * 60;

const throttleWindowSchema = z
  .object({
    /** Failures allowed inside the window before a cool-down starts. */
    maxFailures: z.number().int().min(1).max(1000),
    /** Per user: the quiet period that resets the count; station/client: the sliding window. */
    windowSeconds: z.number().int().min(1).max(MAX_WINDOW_SECONDS),
    /** Cool-down length once the limit is reached. */
    lockoutSeconds: z.number().int().min(1).max(86_400),
  })
  .strict();

export const throttlingSchema = z
  .object({
    /**
     * Per typed name and per account, counted the way AD counts badPwdCount: failures add up and
     * the count resets only after `windowSeconds` with no failure. With `windowSeconds` >= AD's
     * "reset account lockout counter after" and `maxFailures` below AD's lockout threshold, the
     * kiosk alone can never lock an account, whatever the pacing. The default (3, 30 min) fits
     * typical AD settings (threshold 5–10, reset 10–30 min).
     */
    perUser: throttleWindowSchema.default({ maxFailures: 3, windowSeconds: 1800, lockoutSeconds: 900 }),
    /**
     * Across all usernames (slows down password spraying): per station in the kiosk; in portal
     * mode per client address (an IPv6 client per /64), so one stranger cannot pause everyone.
     */
    perStation: throttleWindowSchema.default({ maxFailures: 10, windowSeconds: 300, lockoutSeconds: 300 }),
    /**
     * Portal mode only: a ceiling across all client addresses together, far above normal use
     * (a spray from many addresses). Attempts in flight count towards it, so it also bounds the
     * sign-ins in flight at once: keep it well above the busiest minute's concurrency.
     */
    allClients: throttleWindowSchema.default({ maxFailures: 1000, windowSeconds: 300, lockoutSeconds: 60 }),
    /** Every failed attempt takes at least this long, so timing does not reveal which usernames exist. */
    minFailureMs: z.number().int().min(0).max(30_000).default(1500),
  })
  .strict();

export const directoryTlsSchema = z
  .object({
    /** PEM file with the CA(s) that issued the directory servers' certificates. */
    caFile: z.string().min(1).optional(),
    /** Also trust the operating system's certificate store. */
    useSystemCA: z.boolean().default(true),
    /** Use StartTLS on ldap:// URLs. */
    startTLS: z.boolean().default(false),
    /** Expected certificate host name, when the URL holds an IP address or alias. */
    servername: z.string().min(1).optional(),
    minVersion: z.enum(['TLSv1.2', 'TLSv1.3']).default('TLSv1.2'),
  })
  .strict();

export const directorySchema = z
  .object({
    type: z.enum(['ad', 'openldap', 'demo']),
    /** Replicas, tried in order; failover only on connect/TLS/timeout errors. */
    servers: z.array(ldapUrl).default([]),
    baseDN: z.string().default(''),
    /** Service account that searches for the user. */
    bindDN: z.string().min(1).optional(),
    bindPassword: secretSchema.optional(),
    /** Search filter with a `{username}` placeholder (escaped). Defaults depend on `type`. */
    userFilter: z
      .string()
      .refine((value) => value.includes('{username}'), 'must contain the {username} placeholder')
      .optional(),
    tls: directoryTlsSchema.default({ useSystemCA: true, startTLS: false, minVersion: 'TLSv1.2' }),
    /** Allow plain LDAP for binds that carry passwords. Shown as a warning in the station status. */
    allowInsecure: z.boolean().default(false),
    timeouts: z
      .object({
        connectMs: z.number().int().min(100).max(60_000).default(3000),
        operationMs: z.number().int().min(100).max(120_000).default(8000),
      })
      .strict()
      .default({ connectMs: 3000, operationMs: 8000 }),
    /** A server that just failed is skipped for this long. */
    failoverCooldownSeconds: z.number().int().min(0).max(3600).default(30),
    /** Group DNs; when non-empty the user must be a (nested) member of one of them. */
    allowedGroups: z.array(z.string().min(1)).default([]),
    /** Group DNs whose (nested) members may never enroll here. */
    deniedGroups: z.array(z.string().min(1)).default([]),
    /** Where OpenLDAP groups are searched when resolving nested membership; defaults to baseDN. */
    groupBaseDN: z.string().min(1).optional(),
    /** Maximum nesting depth followed when resolving groups without server-side support. */
    groupNestingDepth: z.number().int().min(0).max(32).default(8),
    /**
     * OpenLDAP: the default password policy entry (slapd's `ppolicy_default`), read by the
     * service account so an expired password is refused before the bind, without spending one of
     * the person's grace logins. Entries with their own `pwdPolicySubentry` use that one.
     */
    passwordPolicyDN: z.string().min(1).optional(),
    /** UPN suffixes (without `@`) accepted in `user@suffix`. */
    upnSuffixes: z.array(z.string().min(1)).default([]),
    /** NetBIOS domain names accepted in `DOMAIN\user`. */
    netbiosDomains: z.array(z.string().min(1)).default([]),
    /** At most `MAX_USERNAME_LENGTH` (1024), the renderer's `maxlength`. */
    maxUsernameLength: z.number().int().min(1).max(MAX_USERNAME_LENGTH).default(256),
    throttling: throttlingSchema.default({
      perUser: { maxFailures: 3, windowSeconds: 1800, lockoutSeconds: 900 },
      perStation: { maxFailures: 10, windowSeconds: 300, lockoutSeconds: 300 },
      allClients: { maxFailures: 1000, windowSeconds: 300, lockoutSeconds: 60 },
      minFailureMs: 1500,
    }),
    /**
     * Account conditions the person at the kiosk may be told (others see "please see the
     * helpdesk"). Telling a condition confirms the password was right, so keep this short; a
     * condition decided without the password (a locked account, whatever the directory; an
     * OpenLDAP expired password with grace logins left, refused before the bind) is never told,
     * whatever this lists, so a named condition always follows a right password.
     */
    showConditions: z.array(z.enum(accountConditions)).default(['password-expired', 'password-must-change']),
  })
  .strict()
  .superRefine((directory, ctx) => {
    // DNs are compared as DNs (RFC 4514), so each configured one must parse (issue #8).
    const dnFields: [string | undefined, (string | number)[]][] = [
      [directory.baseDN || undefined, ['baseDN']],
      [directory.groupBaseDN, ['groupBaseDN']],
      [directory.passwordPolicyDN, ['passwordPolicyDN']],
      ...directory.allowedGroups.map((dn, index): [string, (string | number)[]] => [
        dn,
        ['allowedGroups', index],
      ]),
      ...directory.deniedGroups.map((dn, index): [string, (string | number)[]] => [
        dn,
        ['deniedGroups', index],
      ]),
    ];
    for (const [dn, path] of dnFields) {
      const problem = dn === undefined ? undefined : dnSyntaxProblem(dn);
      if (problem) ctx.addIssue({ code: 'custom', path, message: `is ${problem}` });
    }
    if (directory.type === 'demo') return;
    if (directory.servers.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['servers'], message: 'needs at least one server URL' });
    }
    if (!directory.baseDN) {
      ctx.addIssue({ code: 'custom', path: ['baseDN'], message: 'is required' });
    }
    if (directory.bindDN && !directory.bindPassword) {
      ctx.addIssue({ code: 'custom', path: ['bindPassword'], message: 'is required when bindDN is set' });
    }
    if (!directory.allowInsecure) {
      directory.servers.forEach((url, index) => {
        if (url.toLowerCase().startsWith('ldap://') && !directory.tls.startTLS) {
          ctx.addIssue({
            code: 'custom',
            path: ['servers', index],
            message: 'is plain LDAP: use ldaps://, set tls.startTLS, or set allowInsecure: true',
          });
        }
      });
    }
  });
export type DirectoryConfig = z.infer<typeof directorySchema>;

const apiHost = z
  .string()
  .min(1)
  // One rule with the renderer, the kiosk's navigation policy and the CSP: a host that gives one
  // https origin (a port beyond 65535 gives none).
  .refine((value) => duoOriginOf(value) !== undefined, DUO_API_HOST_RULE);

/** The Duo SDK of a `duo` section that names none: Web SDK v4 (Universal Prompt). */
export const DEFAULT_DUO_SDK = 'v4' as const;

export const duoV4Schema = z
  .object({
    sdk: z.literal('v4'),
    apiHost,
    clientId: z.string().length(20, 'must be the 20-character Client ID'),
    clientSecret: secretSchema,
    /** PEM CA for a private Duo endpoint (the emulator). Unset = Duo's pinned CA bundle. */
    caFile: z.string().min(1).optional(),
    /** Seconds a successful health check is trusted before the next visit checks again. */
    healthCacheSeconds: z.number().int().min(0).max(3600).default(30),
  })
  .strict();

export const duoV2Schema = z
  .object({
    sdk: z.literal('v2'),
    apiHost,
    ikey: z.string().length(20, 'must be the 20-character integration key'),
    skey: secretSchema,
    akey: secretSchema,
    caFile: z.string().min(1).optional(),
    healthCacheSeconds: z.number().int().min(0).max(3600).default(30),
  })
  .strict();

/** `sdk` defaults to v4, the Universal Prompt. */
export const duoSchema = z.preprocess(
  (value) =>
    value && typeof value === 'object' && !('sdk' in value)
      ? { ...(value as object), sdk: DEFAULT_DUO_SDK }
      : value,
  z.discriminatedUnion('sdk', [duoV4Schema, duoV2Schema]),
);
export type DuoConfig = z.infer<typeof duoSchema>;

export const stationSchema = z
  .object({
    name: z.string().min(1).max(100).default('Walkup'),
    /**
     * Folder where the station keeps state that must survive a restart (throttle counters, the
     * audit username key). The kiosk defaults to its userData folder; portal mode and the CLI
     * keep that state in memory unless this is set.
     */
    stateDirectory: z.string().min(1).optional(),
    /**
     * BCP 47 tag such as `de-CH`: the screens' language when Walkup has it (en, de, es, fr; any
     * other falls back to English; `main/contract/languages.ts`) and the locale of dates and
     * numbers. The person may pick another of those languages on the welcome and sign-in screens
     * for their visit (sent to Duo as the visit's Accept-Language in the kiosk); every reset
     * returns the kiosk to this one.
     */
    locale: z.string().min(2).max(35).default('en'),
    idle: z
      .object({
        signInSeconds: z.number().int().min(10).max(3600).default(60),
        refusedSeconds: z.number().int().min(5).max(600).default(20),
        duoSeconds: z.number().int().min(30).max(7200).default(300),
        visitCapSeconds: z.number().int().min(60).max(14_400).default(900),
        warningSeconds: z.number().int().min(5).max(300).default(20),
        doneSeconds: z.number().int().min(2).max(300).default(8),
        /**
         * Seconds (2 to 600) a failed visit keeps its message and support reference on screen
         * (unless the person presses "Try again" first): long enough to note the reference for
         * the helpdesk. Main keeps the failed visit (reason, reference, account name) as long.
         */
        failedSeconds: z.number().int().min(2).max(600).default(60),
      })
      .strict()
      .default({
        signInSeconds: 60,
        refusedSeconds: 20,
        duoSeconds: 300,
        visitCapSeconds: 900,
        warningSeconds: 20,
        doneSeconds: 8,
        failedSeconds: 60,
      }),
    /**
     * The on-screen keyboard of the sign-in screen (issue #12). `auto`: shown in the kiosk when
     * the screen's primary pointer is coarse (a touch screen) until a physical key is pressed,
     * and never in portal mode (a phone or tablet brings its own keyboard); `on`: always shown
     * (also in portal mode); `off`: never.
     */
    onScreenKeyboard: z.enum(['auto', 'on', 'off']).default('auto'),
  })
  .strict();

/**
 * How the station presents itself (issue #12): the organisation's name and logo, the accent
 * colour of primary buttons, a welcome text and whom to ask. Only looks; nothing here widens trust.
 */
export const brandingSchema = z
  .object({
    /** The organisation's name, shown in the header of every screen. */
    organisation: z.string().trim().min(1).max(80).default('Walkup'),
    /**
     * PNG, SVG or JPEG file of at most 256 KB (`core/branding/logo.ts`), checked when the station
     * is assembled; a file that cannot be used gives the default logo and the station warning
     * `branding-logo-unusable`. Unset: the default logo (assets/branding/logo.svg).
     */
    logoFile: z.string().min(1).optional(),
    /**
     * `#rrggbb` of primary buttons and links; refused unless it has at least 4.5:1 contrast
     * (WCAG 2.1 SC 1.4.3, AA) with white text and with the page background. Refused means the
     * configuration is invalid: the station is out of service (`configuration-invalid`), the
     * message naming the ratio (`core/branding/contrast.ts`); there is no fallback colour.
     */
    accentColor: z
      .string()
      .superRefine((value, context) => {
        const problem = accentContrastProblem(value);
        if (problem) context.addIssue({ code: 'custom', message: problem });
      })
      .transform((value) => value.toLowerCase())
      .default(DEFAULT_ACCENT_COLOR),
    /**
     * A sentence or two on the welcome screen (what the station is for); unset: the built-in text.
     * Written in one language, it shows only while the screens speak the station's `locale`; after
     * a pick of another language (or in a portal-mode browser of another one) the built-in text in
     * that language shows instead.
     */
    welcomeText: z.string().trim().min(1).max(500).optional(),
    /**
     * Who to ask for help, e.g. "IT helpdesk, room 1.04, extension 4357"; shown on the welcome,
     * Failed and out-of-service screens. Unset: the welcome says "Need help? Ask your IT helpdesk."
     * (in the visit's language) and the other two name no one beyond their own "see the helpdesk".
     */
    helpdesk: z.string().trim().min(1).max(200).optional(),
  })
  .strict();
export type BrandingConfig = z.infer<typeof brandingSchema>;

export const portalSchema = z
  .object({
    host: z.string().min(1).default('127.0.0.1'),
    port: z.number().int().min(0).max(65_535).default(8787),
    /** Public base URL (for the v4 redirect_uri) when behind a proxy; defaults to http://host:port. */
    publicUrl: z.string().url().optional(),
    /**
     * Believe `X-Forwarded-For` for the client address (per-client throttling and session
     * limits). Only behind a reverse proxy that sets it; off, the socket's address counts.
     */
    trustProxy: z.boolean().default(false),
    /**
     * Serve the admin screen and first-run setup (`/api/admin/*`) to loopback clients, behind the
     * same PIN as the kiosk's. Off by default; local settings cannot turn it on.
     */
    adminScreen: z.boolean().default(false),
  })
  .strict()
  .superRefine((portal, context) => {
    // Behind a reverse proxy every client arrives from loopback: the admin screen would be open
    // to the network (its loopback check cannot tell them apart).
    if (portal.adminScreen && (portal.publicUrl !== undefined || portal.trustProxy)) {
      context.addIssue({
        code: 'custom',
        path: ['adminScreen'],
        message:
          'cannot be combined with publicUrl or trustProxy: behind a reverse proxy every client looks local; serve the admin screen from a portal without a proxy',
      });
    }
  });

/** The admin screen's PIN gate (main/core/admin/pin-gate.ts). */
export const adminSchema = z
  .object({
    /** Wrong PINs in a row before the PIN pad locks. */
    maxPinAttempts: z.number().int().min(1).max(10).default(5),
    /** How long the PIN pad stays locked after `maxPinAttempts` wrong PINs, in seconds. */
    lockoutSeconds: z.number().int().min(30).max(86_400).default(300),
    /** The admin session ends after this many seconds without an admin request. */
    idleSeconds: z.number().int().min(30).max(3600).default(120),
  })
  .strict();

/** Syslog facilities by name (RFC 5424 §6.2.1, table 1), as `audit.syslog.facility` takes them. */
export const syslogFacilities = {
  user: 1,
  daemon: 3,
  auth: 4,
  authpriv: 10,
  audit: 13,
  local0: 16,
  local1: 17,
  local2: 18,
  local3: 19,
  local4: 20,
  local5: 21,
  local6: 22,
  local7: 23,
} as const;
export type SyslogFacility = keyof typeof syslogFacilities;

/**
 * Audit forwarding to one syslog collector (RFC 5424 messages), besides the audit file, which
 * stays the record of truth. Best effort: a bounded queue, reconnection with backoff, dropped
 * lines counted in the station warning `audit-forwarding-failed` (`core/audit/syslog-*.ts`).
 * Scalar keys only, so MDM templates can carry them.
 */
export const syslogSchema = z
  .object({
    /** The collector's host name or IP address. */
    host: z.string().min(1).max(253),
    /** UDP (RFC 5426), TCP with octet counting (RFC 6587) or TLS (RFC 5425, the default). */
    transport: z.enum(['udp', 'tcp', 'tls']).default('tls'),
    /** Port; unset: 514 for udp and tcp, 6514 for tls (RFC 5425). */
    port: z.number().int().min(1).max(65_535).optional(),
    /** TLS: PEM file of the CA(s) that issued the collector's certificate; unset: the system store. */
    caFile: z.string().min(1).optional(),
    /** TLS: the name the collector's certificate must carry; unset: `host`. */
    serverName: z.string().min(1).max(253).optional(),
    facility: z
      .enum(Object.keys(syslogFacilities) as [SyslogFacility, ...SyslogFacility[]])
      .default('authpriv'),
    /** RFC 5424 APP-NAME: 1 to 48 printable US-ASCII characters without spaces. */
    appName: z
      .string()
      .regex(/^[\x21-\x7e]{1,48}$/, 'must be 1 to 48 printable ASCII characters without spaces')
      .default('walkup'),
    /** Messages waiting for the collector at most; more are dropped and counted. */
    queueLines: z.number().int().min(10).max(100_000).default(1000),
  })
  .strict();
export type SyslogConfig = z.infer<typeof syslogSchema>;

export const auditSchema = z
  .object({
    /**
     * JSON-lines audit file. Unset: the shell's default (the kiosk's logs folder, `walkup serve`'s
     * XDG state folder), or memory for a demo station (`core/audit/sinks.ts`).
     */
    file: z.string().min(1).optional(),
    maxBytes: z
      .number()
      .int()
      .min(10_000)
      .default(10 * 1024 * 1024),
    keep: z.number().int().min(1).max(100).default(5),
    /**
     * Rotation keeps old files younger than this (hours) even beyond `keep`, up to 2 × keep files;
     * if it still has to drop younger history it records that and warns `audit-history-short`.
     * 0 turns it off.
     */
    minHistoryHours: z.number().min(0).max(8760).default(24),
    /**
     * Portal mode: audit lines written per client address and minute at most; more are counted
     * in a periodic `audit-summary` line, so no client can flush the history away.
     */
    perClientPerMinute: z.number().int().min(10).max(100_000).default(120),
    /**
     * Key of the keyed hash (HMAC-SHA256) the audit log records instead of a typed username the
     * directory did not resolve to an account. Unset: a key generated once in
     * `station.stateDirectory` (`audit-username-key`, mode 0600), else one per process.
     */
    usernameHashKey: secretSchema.optional(),
    /** Forward every audit line to a syslog collector as well (unset: no forwarding). */
    syslog: syslogSchema.optional(),
  })
  .strict();

/** Electron kiosk switches. Both are off by default: turning one on is a deliberate policy choice. */
export const kioskSchema = z
  .object({
    /**
     * Accept Linux safeStorage `basic_text` (no secret service: a hard-coded key), so secrets in
     * the kiosk vault (`{ "vault": name }` references, `core/secrets`) are only obfuscated. Off:
     * a kiosk that reads a secret from the vault on `basic_text` is out of service with that
     * reason (`electron/kiosk-secrets.ts`).
     */
    allowInsecureSecretStorage: z.boolean().default(false),
    /**
     * Let Duo's top-level page (its origin only) use security keys through WebAuthn (Web SDK v4).
     * Never WebHID, WebUSB or Web Serial (main/electron/permission-policy.ts).
     */
    allowSecurityKeys: z.boolean().default(false),
    /** The key chord that opens the admin PIN pad (`admin-chord.ts`); five taps in the top-left corner also do. */
    adminChord: z
      .string()
      .max(60)
      .superRefine((value, context) => {
        const parsed = parseAdminChord(value);
        if (!parsed.ok) context.addIssue({ code: 'custom', message: parsed.error });
      })
      .default(DEFAULT_ADMIN_CHORD),
  })
  .strict();

export const configSchema = z
  .object({
    station: stationSchema.default({
      name: 'Walkup',
      locale: 'en',
      idle: {
        signInSeconds: 60,
        refusedSeconds: 20,
        duoSeconds: 300,
        visitCapSeconds: 900,
        warningSeconds: 20,
        doneSeconds: 8,
        failedSeconds: 60,
      },
      onScreenKeyboard: 'auto',
    }),
    // prefault: an absent section is parsed as {}, so its values are brandingSchema's own defaults.
    branding: brandingSchema.prefault({}),
    directory: directorySchema,
    duo: duoSchema,
    portal: portalSchema.default({ host: '127.0.0.1', port: 8787, trustProxy: false, adminScreen: false }),
    // prefault: an absent section is parsed as {}, so its values are auditSchema's own defaults.
    audit: auditSchema.prefault({}),
    kiosk: kioskSchema.prefault({}),
    admin: adminSchema.prefault({}),
  })
  .strict();
export type WalkupConfig = z.infer<typeof configSchema>;

/**
 * Turns zod issues into one line per problem, each naming the key, e.g.
 * `directory.servers[1]: must be an ldap:// or ldaps:// URL…`.
 */
export function formatConfigErrors(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const path = issue.path
      .map((part, index) =>
        typeof part === 'number' ? `[${part}]` : index === 0 ? String(part) : `.${String(part)}`,
      )
      .join('');
    return `${path || '(root)'}: ${issue.message}`;
  });
}

export type ConfigParseResult = { ok: true; config: WalkupConfig } | { ok: false; errors: string[] };

/** Validates a configuration object (already merged from its sources). */
export function parseConfig(raw: unknown): ConfigParseResult {
  const result = configSchema.safeParse(raw);
  return result.success
    ? { ok: true, config: result.data }
    : { ok: false, errors: formatConfigErrors(result.error) };
}
