/**
 * The Duo integrations a station can run, keyed by the configuration's `duo.sdk`. A station picks
 * one, once, when it is built (`createDuoIntegration`). Adding an integration: its module
 * (`<name>-integration.ts` implementing `DuoIntegration`), its configuration variant in
 * `main/core/config/schema.ts`, and one entry here.
 */
import type { DuoConfig } from '../config/schema';
import type { Clock, Logger } from '../ports';
import { createAuthApiClient, DEFAULT_DUO_TIMEOUT_MS, skewBetween, type AuthApiClient } from './auth-api';
import { cacheHealthyResult } from './health-cache';
import type { DuoHealth, DuoIntegration, DuoSdk } from './types';
import { createUniversalDuo } from './universal';
import { createUniversalIntegration } from './universal-integration';
import { AKEY_LEN, IKEY_LEN, SKEY_LEN } from './web-v2';
import { createWebV2Integration } from './web-v2-integration';

/** Secrets resolved from the configuration's secret references. */
export interface DuoSecrets {
  /** v4 client secret. */
  clientSecret?: string;
  /** v2 secret key. */
  skey?: string;
  /** v2 application key (ours, >= 40 characters). */
  akey?: string;
}

/** Ports and settings an integration takes from the composition root. */
export interface DuoIntegrationDeps {
  clock: Clock;
  logger: Logger;
  /** v4: where Duo sends the browser back (main intercepts it). */
  redirectUri: string;
  /** Whole-request deadline for each Duo call (default 10 s). */
  timeoutMs?: number;
}

/** Beyond this difference between our clock and Duo's, signed requests and tokens start failing. */
export const CLOCK_SKEW_WARNING_SECONDS = 60;

/** The SDK a station without a usable configuration reports (the configuration schema's default). */
export const DEFAULT_DUO_SDK: DuoSdk = 'v4';

/** One registered integration. */
interface IntegrationEntry<C extends DuoConfig> {
  /** Problems with the resolved secrets, one line each, naming the key but never its value. */
  secretProblems(config: C, secrets: DuoSecrets): string[];
  /** The integration key and secret the Auth API client signs `check` with, if any. */
  authApiKeys(config: C, secrets: DuoSecrets): { ikey: string; skey?: string | undefined };
  /** Builds the integration; secrets have no problems. */
  create(
    config: C,
    secrets: DuoSecrets,
    deps: DuoIntegrationDeps & { authApi: AuthApiClient },
  ): DuoIntegration;
}

function warnOnSkew(logger: Logger, sdk: DuoSdk, skewSeconds: number | undefined): void {
  if (skewSeconds !== undefined && Math.abs(skewSeconds) > CLOCK_SKEW_WARNING_SECONDS) {
    logger.warn('duo.clock-skew', { sdk, skewSeconds, limitSeconds: CLOCK_SKEW_WARNING_SECONDS });
  }
}

type ConfigOf<S extends DuoSdk> = Extract<DuoConfig, { sdk: S }>;

/** Every integration, by `duo.sdk`. */
const integrations: { [S in DuoSdk]: IntegrationEntry<ConfigOf<S>> } = {
  v4: {
    secretProblems(_config, secrets) {
      if (!secrets.clientSecret) return ['duo.clientSecret: is not set'];
      if (secrets.clientSecret.length !== 40) return ['duo.clientSecret: must be 40 characters'];
      return [];
    },
    authApiKeys: (config, secrets) => ({ ikey: config.clientId, skey: secrets.clientSecret }),
    create(config, secrets, { clock, logger, redirectUri, timeoutMs, authApi }) {
      const client = createUniversalDuo({
        clientId: config.clientId,
        clientSecret: secrets.clientSecret as string,
        apiHost: config.apiHost,
        redirectUri,
        caFile: config.caFile,
        timeoutMs: timeoutMs ?? DEFAULT_DUO_TIMEOUT_MS,
        clock,
      });
      const health = cacheHealthyResult(clock, config.healthCacheSeconds, async (): Promise<DuoHealth> => {
        const [oidc, ping] = await Promise.all([client.checkHealthNow(), authApi.ping()]);
        const checkedAt = clock.now();
        if (!oidc.ok) {
          logger.warn('duo.health.failed', { sdk: 'v4', code: oidc.code, detail: oidc.detail });
          return { ok: false, checkedAt, code: oidc.code, detail: oidc.detail };
        }
        // The ping measures skew against the round trip; the health check timestamp is the fallback.
        const skewSeconds = ping.ok ? ping.skewSeconds : skewBetween(oidc.duoTimestamp, checkedAt / 1000);
        if (!ping.ok) logger.warn('duo.ping.failed', { sdk: 'v4', code: ping.code, detail: ping.detail });
        warnOnSkew(logger, 'v4', skewSeconds);
        return { ok: true, checkedAt, skewSeconds };
      });
      return createUniversalIntegration({ client, clock, health });
    },
  },
  v2: {
    secretProblems(config, secrets) {
      const problems: string[] = [];
      if (config.ikey.length !== IKEY_LEN) problems.push(`duo.ikey: must be ${IKEY_LEN} characters`);
      if (!secrets.skey) problems.push('duo.skey: is not set');
      else if ([...secrets.skey].length !== SKEY_LEN)
        problems.push(`duo.skey: must be ${SKEY_LEN} characters`);
      if (!secrets.akey) problems.push('duo.akey: is not set');
      else if ([...secrets.akey].length < AKEY_LEN)
        problems.push(`duo.akey: must be at least ${AKEY_LEN} characters`);
      return problems;
    },
    authApiKeys: (config, secrets) => ({ ikey: config.ikey, skey: secrets.skey }),
    create(config, secrets, { clock, logger, authApi }) {
      const health = cacheHealthyResult(clock, config.healthCacheSeconds, async (): Promise<DuoHealth> => {
        const ping = await authApi.ping();
        const checkedAt = clock.now();
        if (!ping.ok) {
          logger.warn('duo.health.failed', { sdk: 'v2', code: ping.code, detail: ping.detail });
          // Only reachability is known from an unsigned ping.
          return { ok: false, checkedAt, code: 'unreachable', detail: ping.detail };
        }
        warnOnSkew(logger, 'v2', ping.skewSeconds);
        return { ok: true, checkedAt, skewSeconds: ping.skewSeconds };
      });
      return createWebV2Integration({
        apiHost: config.apiHost,
        ikey: config.ikey,
        skey: secrets.skey as string,
        akey: secrets.akey as string,
        clock,
        logger,
        health,
      });
    },
  },
};

/** The registry entry of a configuration, typed for it. */
function entryFor(config: DuoConfig): IntegrationEntry<DuoConfig> {
  return integrations[config.sdk] as IntegrationEntry<DuoConfig>;
}

/**
 * Host names are case-insensitive, but Duo's issuer URL and the frame's origin are lower-case:
 * every integration sees the API host lower-cased.
 */
export function normalizeDuoConfig<C extends DuoConfig>(config: C): C {
  return { ...config, apiHost: config.apiHost.toLowerCase() };
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
