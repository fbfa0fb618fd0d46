/**
 * Duo as the engine sees it: `createDuoIntegration` builds the integration the `duo`
 * configuration section names (Web SDK v4, Universal Prompt, or v2, traditional iframe; see
 * `registry.ts`) from its resolved secrets, and `runDuoCheck` is the `walkup duo-check` report
 * (reachability, credentials, clock skew).
 */
import type { DuoConfig } from '../config/schema';
import type { Clock, Logger } from '../ports';
import { DEFAULT_DUO_TIMEOUT_MS, skewBetween } from './auth-api';
import {
  authApiFor,
  CLOCK_SKEW_WARNING_SECONDS,
  duoSecretProblems,
  normalizeDuoConfig,
  type DuoSecrets,
} from './registry';
import type { DuoSdk } from './types';
import { createUniversalDuo } from './universal';

export {
  CLOCK_SKEW_WARNING_SECONDS,
  createDuoIntegration,
  DEFAULT_DUO_SDK,
  duoSecretProblems,
  type DuoIntegrationDeps,
  type DuoSecrets,
} from './registry';
export { unconfiguredDuo } from './unconfigured';
export type { DuoHealth, DuoIntegration, DuoSdk } from './types';

// ---------------------------------------------------------------------------------------------
// walkup duo-check
// ---------------------------------------------------------------------------------------------

/** JSON report of `walkup duo-check`. Holds no secret. */
export interface DuoCheckReport {
  ok: boolean;
  sdk: DuoSdk;
  apiHost: string;
  /** Duo answered the unsigned ping (and, v4, the health check was answered). */
  reachable: boolean;
  /** v4: the OIDC health check accepted the client assertion; v2: the Auth API check accepted the signature. */
  credentialsOk: boolean;
  /** Duo's clock minus ours, seconds. */
  skewSeconds?: number;
  warnings: string[];
  /** The first failure, in one line. */
  error?: string;
}

/**
 * Checks the configured Duo integration the way a station would, without a person: Auth API
 * ping (reachability, clock skew), signed Auth API check, and for v4 the OIDC health check.
 */
export async function runDuoCheck(
  config: DuoConfig,
  secrets: DuoSecrets,
  deps: { clock: Clock; logger: Logger; redirectUri?: string; timeoutMs?: number },
): Promise<DuoCheckReport> {
  config = normalizeDuoConfig(config);
  const warnings: string[] = [];
  const report: DuoCheckReport = {
    ok: false,
    sdk: config.sdk,
    apiHost: config.apiHost,
    reachable: false,
    credentialsOk: false,
    warnings,
  };
  const problems = duoSecretProblems(config, secrets);
  if (problems.length > 0) {
    report.error = problems.join('; ');
    return report;
  }
  if (config.caFile) {
    warnings.push(
      `Trusting the private CA in ${config.caFile} instead of Duo's certificates (test endpoints only).`,
    );
  }
  if (config.sdk === 'v2') {
    warnings.push(
      'Web SDK v2 (traditional prompt) reached end of support at Duo in 2024; plan the move to v4 (Universal Prompt).',
    );
  }

  const authApi = authApiFor(config, secrets, deps);
  const ping = await authApi.ping();
  if (ping.ok) {
    report.skewSeconds = ping.skewSeconds;
    if (Math.abs(ping.skewSeconds) > CLOCK_SKEW_WARNING_SECONDS) {
      warnings.push(
        `This computer's clock differs from Duo's by ${ping.skewSeconds} s (more than ${CLOCK_SKEW_WARNING_SECONDS} s): ` +
          'signed requests and Duo tokens will be rejected. Synchronise the clock (NTP).',
      );
    }
  }

  const check = await authApi.check();

  if (config.sdk === 'v4') {
    const universal = createUniversalDuo({
      clientId: config.clientId,
      clientSecret: secrets.clientSecret as string,
      apiHost: config.apiHost,
      redirectUri: deps.redirectUri ?? 'https://127.0.0.1/walkup/duo-check',
      caFile: config.caFile,
      timeoutMs: deps.timeoutMs ?? DEFAULT_DUO_TIMEOUT_MS,
      clock: deps.clock,
    });
    const oidc = await universal.checkHealthNow();
    report.reachable = ping.ok || oidc.ok || oidc.code === 'credentials-rejected';
    report.credentialsOk = oidc.ok;
    if (!oidc.ok) report.error = `health check: ${oidc.code}: ${oidc.detail}`;
    if (report.skewSeconds === undefined && oidc.ok) {
      report.skewSeconds = skewBetween(oidc.duoTimestamp, deps.clock.now() / 1000);
    }
    // The OIDC health check is what a v4 station relies on; the Auth API check is a hint only,
    // because Duo may not allow Auth API calls with a Web SDK application's credentials.
    if (oidc.ok && !check.ok && check.code !== 'unreachable') {
      warnings.push(
        `The Auth API check did not accept the Client ID/secret (${check.detail}); the OIDC health check did.`,
      );
    }
  } else {
    report.reachable = ping.ok || check.ok || check.code !== 'unreachable';
    // 403 comes after Duo verified the signature: the keys are right, the application type may
    // just not be allowed Auth API calls.
    const forbiddenButSigned = !check.ok && check.status === 403;
    report.credentialsOk = check.ok || forbiddenButSigned;
    if (forbiddenButSigned) {
      warnings.push(`Duo accepted the signature but refused the Auth API check (${check.detail}).`);
    } else if (!check.ok) {
      report.error = `Auth API check: ${check.code}: ${check.detail}`;
      if (
        check.code === 'credentials-rejected' &&
        report.skewSeconds !== undefined &&
        Math.abs(report.skewSeconds) > 300
      ) {
        warnings.push('Duo rejects signed requests whose date is more than 300 s off: fix the clock first.');
      }
    }
  }

  if (!ping.ok) {
    report.error ??= `ping: ${ping.code}: ${ping.detail}`;
    if (report.reachable) warnings.push(`The Auth API ping failed (${ping.detail}).`);
  }
  report.ok = report.reachable && report.credentialsOk;
  deps.logger.info('duo.check', {
    sdk: report.sdk,
    ok: report.ok,
    reachable: report.reachable,
    credentialsOk: report.credentialsOk,
    skewSeconds: report.skewSeconds,
  });
  return report;
}
