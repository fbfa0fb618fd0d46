/**
 * Duo Web SDK v2 (traditional prompt, iframe) as a registered integration (Duo docs: "Duo Web",
 * the v2 server libraries' `sign_request` / `verify_response`; Duo-Web-v2.js 2.9): the signature
 * functions (`signature.ts`), the single-use visit step (`integration.ts`), and this entry for
 * `registry.ts`.
 */
import { cacheHealthyResult } from '../health-cache';
import {
  warnOnSkew,
  type ConfigOf,
  type DuoCredentialVerdict,
  type IntegrationEntry,
} from '../integration-entry';
import type { DuoHealth } from '../types';
import { createWebV2Integration } from './integration';
import { AKEY_LEN, IKEY_LEN, SKEY_LEN } from './signature';

/** Duo refuses a signed request whose Date header is further off than this (Auth API docs). */
const SIGNED_DATE_LIMIT_SECONDS = 300;

/** Web SDK v2, registered as `duo.sdk: 'v2'`. */
export const webV2Entry: IntegrationEntry<ConfigOf<'v2'>> = {
  // Duo-Web-v2.js puts Duo's frame into a page of ours; the answer is a message the frame posts.
  shows: 'frame',
  secretKeys: (config) => [
    { key: 'duo.skey', ref: config.skey, as: 'skey' },
    { key: 'duo.akey', ref: config.akey, as: 'akey' },
  ],
  secretProblems(config, secrets) {
    const problems: string[] = [];
    if (config.ikey.length !== IKEY_LEN) problems.push(`duo.ikey: must be ${IKEY_LEN} characters`);
    if (!secrets.skey) problems.push('duo.skey: is not set');
    else if ([...secrets.skey].length !== SKEY_LEN) problems.push(`duo.skey: must be ${SKEY_LEN} characters`);
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
        logger.warn('duo.health.failed', { sdk: config.sdk, code: ping.code, detail: ping.detail });
        // Only reachability is known from an unsigned ping.
        return { ok: false, checkedAt, code: 'unreachable', detail: ping.detail };
      }
      warnOnSkew(logger, config.sdk, ping.skewSeconds);
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
  configWarnings: () => [
    'Web SDK v2 (traditional prompt) reached end of support at Duo in 2024; plan the move to v4 (Universal Prompt).',
  ],
  async checkCredentials(_config, _secrets, { ping, check }) {
    const verdict: DuoCredentialVerdict = {
      reachable: ping.ok || check.ok || check.code !== 'unreachable',
      credentialsOk: false,
      warnings: [],
    };
    // 403 comes after Duo verified the signature: the keys are right, the application type may
    // just not be allowed Auth API calls.
    const forbiddenButSigned = !check.ok && check.status === 403;
    verdict.credentialsOk = check.ok || forbiddenButSigned;
    if (forbiddenButSigned) {
      verdict.warnings.push(`Duo accepted the signature but refused the Auth API check (${check.detail}).`);
    } else if (!check.ok) {
      verdict.error = `Auth API check: ${check.code}: ${check.detail}`;
      if (
        check.code === 'credentials-rejected' &&
        ping.ok &&
        Math.abs(ping.skewSeconds) > SIGNED_DATE_LIMIT_SECONDS
      ) {
        verdict.warnings.push(
          `Duo rejects signed requests whose date is more than ${SIGNED_DATE_LIMIT_SECONDS} s off: fix the clock first.`,
        );
      }
    }
    return verdict;
  },
};
