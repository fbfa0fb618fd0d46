/**
 * The Duo integrations a station can run, keyed by the configuration's `duo.sdk`. A station picks
 * one, once, when it is built (`createDuoIntegration`). Adding an integration: a folder of its own
 * (like `universal/` or `web-v2/`) whose index exports an `IntegrationEntry`, its configuration
 * variant in `main/core/config/schema.ts`, and one line in `integrations` below.
 */
import { DEFAULT_DUO_SDK as SCHEMA_DEFAULT_DUO_SDK, type DuoConfig } from '../config/schema';
import type { Clock } from '../ports';
import { createAuthApiClient, DEFAULT_DUO_TIMEOUT_MS, type AuthApiClient } from './auth-api';
import type {
  ConfigOf,
  DuoDisplay,
  DuoIntegrationDeps,
  DuoSecretKey,
  DuoSecrets,
  IntegrationEntry,
} from './integration-entry';
import type { DuoIntegration, DuoSdk } from './types';
import { universalEntry } from './universal';
import { webV2Entry } from './web-v2';

export {
  CLOCK_SKEW_WARNING_SECONDS,
  type DuoDisplay,
  type DuoIntegrationDeps,
  type DuoSecretKey,
  type DuoSecrets,
} from './integration-entry';

/** The SDK a station without a usable configuration reports (the configuration schema's default). */
export const DEFAULT_DUO_SDK: DuoSdk = SCHEMA_DEFAULT_DUO_SDK;

/** Every integration, by `duo.sdk`. */
const integrations: { [S in DuoSdk]: IntegrationEntry<ConfigOf<S>> } = {
  v4: universalEntry,
  v2: webV2Entry,
};

/** The registry entry of a configuration, typed for it. */
export function entryFor(config: DuoConfig): IntegrationEntry<DuoConfig> {
  return integrations[config.sdk] as IntegrationEntry<DuoConfig>;
}

/**
 * How the configuration's integration shows Duo: `frame` (embedded in a page of ours) or `page`
 * (a top-level page that returns to the redirect_uri). The shells decide framing and the callback
 * URL from this, never from `duo.sdk`.
 */
export function duoDisplayOf(config: DuoConfig): DuoDisplay {
  return entryFor(config).shows;
}

/**
 * Host names are case-insensitive, but Duo's issuer URL and the frame's origin are lower-case:
 * every integration sees the API host lower-cased.
 */
export function normalizeDuoConfig<C extends DuoConfig>(config: C): C {
  return { ...config, apiHost: config.apiHost.toLowerCase() };
}

/**
 * The secrets the configuration's integration needs (`resolveStationSecrets` resolves exactly
 * these): nothing outside the integration's folder knows which keys an SDK has.
 */
export function duoSecretKeys(config: DuoConfig): DuoSecretKey[] {
  return entryFor(config).secretKeys(config);
}

/**
 * Problems with the resolved secrets, one line each, naming the key but never its value. The
 * engine shows these as "out of service" reasons; `createDuoIntegration` refuses to start with any.
 */
export function duoSecretProblems(config: DuoConfig, secrets: DuoSecrets): string[] {
  return entryFor(config).secretProblems(config, secrets);
}

/** The Auth API client of a configuration (ping, and check signed with the integration's keys). */
export function authApiFor(
  config: DuoConfig,
  secrets: DuoSecrets,
  deps: { clock: Clock; timeoutMs?: number | undefined },
): AuthApiClient {
  const keys = entryFor(config).authApiKeys(config, secrets);
  return createAuthApiClient({
    apiHost: config.apiHost,
    ...(keys.skey ? { ikey: keys.ikey, skey: keys.skey } : {}),
    caFile: config.caFile,
    timeoutMs: deps.timeoutMs ?? DEFAULT_DUO_TIMEOUT_MS,
    clock: deps.clock,
  });
}

/**
 * Builds the integration the configuration names. Throws when the secrets are unusable (check
 * `duoSecretProblems` first): that is a configuration the engine should never start with.
 */
export function createDuoIntegration(
  config: DuoConfig,
  secrets: DuoSecrets,
  deps: DuoIntegrationDeps,
): DuoIntegration {
  config = normalizeDuoConfig(config);
  const problems = duoSecretProblems(config, secrets);
  if (problems.length > 0) throw new Error(`Duo configuration is incomplete: ${problems.join('; ')}`);
  const authApi = authApiFor(config, secrets, deps);
  return entryFor(config).create(config, secrets, { ...deps, authApi });
}
