/**
 * Local settings cannot weaken a station (issue #11): the one list of the configuration keys that
 * widen trust, and the check that refuses them in local settings.
 *
 * The local settings file lives in the kiosk's userData folder, writable by the kiosk account, so
 * anything that could take over that account could write it. Keys that widen trust therefore come
 * only from managed policy (MDM/GPO, not writable by the kiosk account):
 *
 * - `policy-only`: any local value is refused (a CA file adds a trust anchor; a server name
 *   accepts another certificate; an audit destination moves the record of visits; a state folder
 *   holds the throttle counters, and a fresh one forgets them);
 * - `no-weaker`: a local value may tighten but never loosen, compared with what the station would
 *   use without local settings (the managed policy's value, else the schema's default): throttling
 *   above the defaults, `allowInsecure`-style switches, an older TLS version;
 * - `refused-values`: the demo directory (it signs in made-up people without a directory);
 * - `subset`: a list that says more (account conditions told at the screen) may only shrink.
 *
 * What happens to a refused key: the whole configuration is refused and the station goes out of
 * service with `configuration-invalid`, each refused key named (never ignored with a warning: a
 * station that silently runs on other settings than the ones its admin typed is harder to support
 * than one that says why it stopped, and a local file that tries to widen trust is a sign of
 * tampering worth a visit). Local settings the PIN-protected admin screen wrote carry an integrity
 * tag (`core/admin/signed-settings.ts`, an HMAC with a key kept in the secret store); on a station
 * without managed policy such verified settings may set these keys (`loadConfig`'s `localTrusted`).
 *
 * A unit test fails when the schema gains a key whose name looks trust-related (ca, tls, insecure,
 * secur…, trust, throttl…, demo, cert, server name, transport) and this table does not classify
 * it, so a new key is a decision, not an oversight.
 */
import {
  adminSchema,
  auditSchema,
  directorySchema,
  kioskSchema,
  portalSchema,
  stationSchema,
  syslogSchema,
} from './schema';

/** How one trust-related key may appear in local settings. */
export type TrustRule = { readonly why: string } & (
  | { readonly kind: 'policy-only' }
  | {
      readonly kind: 'no-weaker';
      /**
       * Which way is stricter: `lower` / `higher` numbers, the stricter boolean, or the allowed
       * values ordered weakest first.
       */
      readonly stricter: 'lower' | 'higher' | boolean | readonly string[];
    }
  | { readonly kind: 'refused-values'; readonly values: readonly string[] }
  | { readonly kind: 'subset' }
  /** Looks trust-related by name, but a local value cannot widen trust (say why). */
  | { readonly kind: 'harmless' }
);

const throttleWindows = ['perUser', 'perStation', 'allClients'] as const;
const throttleRules: Record<string, TrustRule> = Object.fromEntries(
  throttleWindows.flatMap((window) => [
    [
      `directory.throttling.${window}.maxFailures`,
      { kind: 'no-weaker', stricter: 'lower', why: 'more failures allowed before a cool-down' },
    ],
    [
      `directory.throttling.${window}.windowSeconds`,
      { kind: 'no-weaker', stricter: 'higher', why: 'failures forgotten sooner' },
    ],
    [
      `directory.throttling.${window}.lockoutSeconds`,
      { kind: 'no-weaker', stricter: 'higher', why: 'a shorter cool-down' },
    ],
  ]),
);

/** Every trust-related key of the configuration schema, by dotted path. */
export const trustRules: Readonly<Record<string, TrustRule>> = {
  'station.stateDirectory': {
    kind: 'policy-only',
    why: 'holds the throttle counters (a fresh folder forgets them)',
  },
  'directory.type': {
    kind: 'refused-values',
    values: ['demo'],
    why: 'the demo directory signs in made-up people without a directory',
  },
  'directory.tls.caFile': {
    kind: 'policy-only',
    why: 'adds a certificate authority the directory is trusted by',
  },
  'directory.tls.useSystemCA': {
    kind: 'no-weaker',
    stricter: false,
    why: 'trusts every authority in the operating system store',
  },
  'directory.tls.startTLS': { kind: 'no-weaker', stricter: true, why: 'plain LDAP without StartTLS' },
  'directory.tls.servername': {
    kind: 'policy-only',
    why: 'accepts a certificate issued to another name',
  },
  'directory.tls.minVersion': {
    kind: 'no-weaker',
    stricter: ['TLSv1.2', 'TLSv1.3'],
    why: 'an older TLS version',
  },
  'directory.allowInsecure': { kind: 'no-weaker', stricter: false, why: 'passwords over plain LDAP' },
  ...throttleRules,
  'directory.throttling.minFailureMs': {
    kind: 'no-weaker',
    stricter: 'higher',
    why: 'a faster answer to a failed sign-in (timing tells which usernames exist)',
  },
  'directory.showConditions': {
    kind: 'subset',
    why: 'telling a condition confirms the password was right',
  },
  'duo.caFile': { kind: 'policy-only', why: 'adds a certificate authority Duo is trusted by' },
  'portal.trustProxy': {
    kind: 'no-weaker',
    stricter: false,
    why: 'believes X-Forwarded-For, so a client can choose its throttling address',
  },
  'audit.file': { kind: 'policy-only', why: 'moves the record of visits' },
  'audit.syslog.host': { kind: 'policy-only', why: 'sends the record of visits elsewhere' },
  'audit.syslog.transport': {
    kind: 'no-weaker',
    stricter: ['udp', 'tcp', 'tls'],
    why: 'audit forwarding without TLS',
  },
  'audit.syslog.caFile': {
    kind: 'policy-only',
    why: 'adds a certificate authority the collector is trusted by',
  },
  'audit.syslog.serverName': { kind: 'policy-only', why: 'accepts a certificate issued to another name' },
  'kiosk.allowInsecureSecretStorage': {
    kind: 'no-weaker',
    stricter: false,
    why: 'secrets at rest only obfuscated',
  },
  'kiosk.allowSecurityKeys': {
    kind: 'no-weaker',
    stricter: false,
    why: 'gives Duo’s page access to security keys',
  },
  'kiosk.adminChord': { kind: 'harmless', why: 'the chord only opens the PIN pad; the PIN still guards it' },
  'portal.adminScreen': {
    kind: 'no-weaker',
    stricter: false,
    why: 'serves the admin screen over HTTP (loopback only)',
  },
  'admin.maxPinAttempts': {
    kind: 'no-weaker',
    stricter: 'lower',
    why: 'more PIN guesses before the lockout',
  },
  'admin.lockoutSeconds': { kind: 'no-weaker', stricter: 'higher', why: 'a shorter PIN lockout' },
  'admin.idleSeconds': {
    kind: 'no-weaker',
    stricter: 'lower',
    why: 'an unattended admin session stays open longer',
  },
};

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function valueAt(value: unknown, path: string): unknown {
  let here = value;
  for (const segment of path.split('.')) {
    if (!isPlainObject(here) || !Object.hasOwn(here, segment)) return undefined;
    here = here[segment];
  }
  return here;
}

let defaults: Record<string, unknown> | undefined;

/**
 * The schema's own defaults of the sections trust rules compare with (never a second copy).
 * `directory.type` and `audit.syslog.host` are placeholders the parse needs; their defaults do
 * not depend on them.
 */
function schemaDefaults(): Record<string, unknown> {
  defaults ??= {
    station: stationSchema.parse({}),
    directory: directorySchema.parse({ type: 'demo' }),
    portal: portalSchema.parse({}),
    audit: { ...auditSchema.parse({}), syslog: syslogSchema.parse({ host: 'placeholder' }) },
    kiosk: kioskSchema.parse({}),
    admin: adminSchema.parse({}),
  };
  return defaults;
}

function isWeaker(
  stricter: 'lower' | 'higher' | boolean | readonly string[],
  local: unknown,
  base: unknown,
): boolean {
  if (typeof stricter === 'boolean') return local === !stricter && base !== !stricter;
  if (stricter === 'lower' || stricter === 'higher') {
    if (typeof local !== 'number' || typeof base !== 'number') return false;
    return stricter === 'lower' ? local > base : local < base;
  }
  const at = stricter.indexOf(String(local));
  const from = stricter.indexOf(String(base));
  return at !== -1 && from !== -1 && at < from;
}

const ONLY_POLICY = 'only managed policy may set it';

/**
 * The trust-widening keys a local settings object sets, one line each naming the key and why
 * (values shown only for switches, numbers and enums, never for paths or names):
 * `directory.tls.caFile: local settings may not set this key (adds a certificate authority …); only managed policy may set it`.
 * `policy` is the managed policy the local settings would sit under: a local value is compared
 * with the policy's value, else the schema's default. Empty when nothing is refused.
 */
export function localTrustProblems(
  local: Record<string, unknown> | undefined,
  policy: Record<string, unknown> | undefined,
): string[] {
  if (!local) return [];
  const problems: string[] = [];
  for (const [path, rule] of Object.entries(trustRules)) {
    const value = valueAt(local, path);
    if (value === undefined) continue;
    const fromPolicy = valueAt(policy, path);
    const base = fromPolicy !== undefined ? fromPolicy : valueAt(schemaDefaults(), path);
    const baseName = fromPolicy !== undefined ? 'the managed policy' : 'the default';
    if (rule.kind === 'policy-only') {
      problems.push(`${path}: local settings may not set this key (${rule.why}); ${ONLY_POLICY}`);
    } else if (rule.kind === 'refused-values') {
      if (typeof value === 'string' && rule.values.includes(value)) {
        problems.push(`${path}: local settings may not choose "${value}" (${rule.why}); ${ONLY_POLICY}`);
      }
    } else if (rule.kind === 'no-weaker') {
      if (isWeaker(rule.stricter, value, base)) {
        problems.push(
          `${path}: local settings may not loosen ${JSON.stringify(base)} (${baseName}) to ${JSON.stringify(value)} (${rule.why}); ${ONLY_POLICY}`,
        );
      }
    } else if (rule.kind === 'subset') {
      const allowed = Array.isArray(base) ? base.map(String) : [];
      const extra = Array.isArray(value) ? value.map(String).filter((item) => !allowed.includes(item)) : [];
      if (extra.length > 0) {
        problems.push(
          `${path}: local settings may not add ${extra.join(', ')} to ${baseName}'s list (${rule.why}); ${ONLY_POLICY}`,
        );
      }
    }
  }
  return problems;
}
