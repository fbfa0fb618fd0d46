/**
 * Duo as the engine sees it: `createDuoIntegration` builds the integration the `duo`
 * configuration section names (Web SDK v4, Universal Prompt, or v2, traditional iframe; see
 * `registry.ts`) from its resolved secrets, and `runDuoCheck` is the `walkup duo-check` report
 * (reachability, credentials, clock skew).
 */
import type { DuoConfig } from '../config/schema';
import type { Clock, Logger } from '../ports';
import { DEFAULT_DUO_TIMEOUT_MS } from './auth-api';
import { CLOCK_SKEW_WARNING_SECONDS, type DuoSecrets } from './integration-entry';
import { authApiFor, duoSecretProblems, entryFor, normalizeDuoConfig } from './registry';
import type { DuoSdk } from './types';

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
  const entry = entryFor(config);
  warnings.push(...(entry.configWarnings?.(config) ?? []));

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

  const verdict = await entry.checkCredentials(config, secrets, {
    ping,
    check,
    clock: deps.clock,
    redirectUri: deps.redirectUri ?? 'https://127.0.0.1/walkup/duo-check',
    timeoutMs: deps.timeoutMs ?? DEFAULT_DUO_TIMEOUT_MS,
  });
  report.reachable = verdict.reachable;
  report.credentialsOk = verdict.credentialsOk;
  if (verdict.error !== undefined) report.error = verdict.error;
  if (report.skewSeconds === undefined && verdict.skewSeconds !== undefined)
    report.skewSeconds = verdict.skewSeconds;
  warnings.push(...verdict.warnings);

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
