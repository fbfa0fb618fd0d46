/**
 * Duo Web SDK v4 (Universal Prompt) as a registered integration (Duo docs: "Duo Web v4 SDK";
 * OpenID Connect Core 1.0): the protocol client (`client.ts`), the single-use visit step
 * (`integration.ts`), and this entry for `registry.ts`.
 */
import { skewBetween } from '../auth-api';
import { cacheHealthyResult } from '../health-cache';
import type { Clock } from '../../ports';
import {
  warnOnSkew,
  type ConfigOf,
  type DuoCredentialVerdict,
  type DuoSecrets,
  type IntegrationEntry,
} from '../integration-entry';
import type { DuoHealth } from '../types';
import { createUniversalDuo } from './client';
import { createUniversalIntegration } from './integration';

/** The length of a Duo Web SDK v4 client secret. */
const CLIENT_SECRET_LENGTH = 40;

/** The protocol client of a configuration; the secrets have no problems. */
function clientFor(
  config: ConfigOf<'v4'>,
  secrets: DuoSecrets,
  deps: { clock: Clock; redirectUri: string; timeoutMs?: number | undefined },
): ReturnType<typeof createUniversalDuo> {
  return createUniversalDuo({
    clientId: config.clientId,
    clientSecret: secrets.clientSecret as string,
    apiHost: config.apiHost,
    redirectUri: deps.redirectUri,
    caFile: config.caFile,
    ...(deps.timeoutMs !== undefined ? { timeoutMs: deps.timeoutMs } : {}),
    clock: deps.clock,
  });
}

/** Web SDK v4, registered as `duo.sdk: 'v4'`. */
export const universalEntry: IntegrationEntry<ConfigOf<'v4'>> = {
  // The Universal Prompt is a top-level page at Duo that sends the browser back to the redirect_uri.
  shows: 'page',
  secretKeys: (config) => [{ key: 'duo.clientSecret', ref: config.clientSecret, as: 'clientSecret' }],
  secretProblems(_config, secrets) {
    if (!secrets.clientSecret) return ['duo.clientSecret: is not set'];
    if (secrets.clientSecret.length !== CLIENT_SECRET_LENGTH)
      return [`duo.clientSecret: must be ${CLIENT_SECRET_LENGTH} characters`];
    return [];
  },
  authApiKeys: (config, secrets) => ({ ikey: config.clientId, skey: secrets.clientSecret }),
  create(config, secrets, { clock, logger, redirectUri, timeoutMs, authApi }) {
    const client = clientFor(config, secrets, { clock, redirectUri, timeoutMs });
    const health = cacheHealthyResult(clock, config.healthCacheSeconds, async (): Promise<DuoHealth> => {
      const [oidc, ping] = await Promise.all([client.checkHealthNow(), authApi.ping()]);
      const checkedAt = clock.now();
      if (!oidc.ok) {
        logger.warn('duo.health.failed', { sdk: config.sdk, code: oidc.code, detail: oidc.detail });
        return { ok: false, checkedAt, code: oidc.code, detail: oidc.detail };
      }
      // The ping measures skew against the round trip; the health check timestamp is the fallback.
      const skewSeconds = ping.ok ? ping.skewSeconds : skewBetween(oidc.duoTimestamp, checkedAt / 1000);
      if (!ping.ok) logger.warn('duo.ping.failed', { sdk: config.sdk, code: ping.code, detail: ping.detail });
      warnOnSkew(logger, config.sdk, skewSeconds);
      return { ok: true, checkedAt, skewSeconds };
    });
    return createUniversalIntegration({ client, clock, health });
  },
  async checkCredentials(config, secrets, { ping, check, clock, redirectUri, timeoutMs }) {
    const client = clientFor(config, secrets, { clock, redirectUri, timeoutMs });
    const oidc = await client.checkHealthNow();
    const verdict: DuoCredentialVerdict = {
      reachable: ping.ok || oidc.ok || oidc.code === 'credentials-rejected',
      credentialsOk: oidc.ok,
      warnings: [],
    };
    if (!oidc.ok) verdict.error = `health check: ${oidc.code}: ${oidc.detail}`;
    if (!ping.ok && oidc.ok) verdict.skewSeconds = skewBetween(oidc.duoTimestamp, clock.now() / 1000);
    // The OIDC health check is what a v4 station relies on; the Auth API check is a hint only,
    // because Duo may not allow Auth API calls with a Web SDK application's credentials.
    if (oidc.ok && !check.ok && check.code !== 'unreachable') {
      verdict.warnings.push(
        `The Auth API check did not accept the Client ID/secret (${check.detail}); the OIDC health check did.`,
      );
    }
    return verdict;
  },
};
