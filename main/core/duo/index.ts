/**
 * Duo as the engine sees it: `createDuoGateway` builds the v4 (Universal Prompt) or v2
 * (traditional iframe) gateway from the `duo` configuration section and its resolved secrets,
 * and `runDuoCheck` is the `walkup duo-check` report (reachability, credentials, clock skew).
 */
import type { DuoConfig } from '../config/schema';
import type { Clock, Logger } from '../ports';
import { createAuthApiClient, DEFAULT_DUO_TIMEOUT_MS, skewBetween, type AuthApiClient } from './auth-api';
import { cacheHealthyResult } from './health-cache';
import type { DuoGateway } from './types';
import { createUniversalDuo } from './universal';
import {
  AKEY_LEN,
  IKEY_LEN,
  SKEY_LEN,
  signRequest,
  splitSignedRequest,
  verifyEnrollResponse,
  verifyResponse,
} from './web-v2';

export type { DuoGateway, DuoHealth } from './types';

/** Secrets resolved from the configuration's secret references. */
export interface DuoSecrets {
  /** v4 client secret. */
  clientSecret?: string;
  /** v2 secret key. */
  skey?: string;
  /** v2 application key (ours, >= 40 characters). */
  akey?: string;
}

/** Ports and settings the gateway takes from the composition root. */
export interface DuoGatewayDeps {
  clock: Clock;
  logger: Logger;
  /** v4: where Duo sends the browser back (main intercepts it). */
  redirectUri: string;
  /** Whole-request deadline for each Duo call (default 10 s). */
  timeoutMs?: number;
}

/** Beyond this difference between our clock and Duo's, signed requests and tokens start failing. */
export const CLOCK_SKEW_WARNING_SECONDS = 60;

/**
 * Problems with the resolved secrets, one line each, naming the key but never its value. The
 * engine shows these as "out of service" reasons; `createDuoGateway` refuses to start with any.
 */
export function duoSecretProblems(config: DuoConfig, secrets: DuoSecrets): string[] {
  const problems: string[] = [];
  if (config.sdk === 'v4') {
    if (!secrets.clientSecret) problems.push('duo.clientSecret: is not set');
    else if (secrets.clientSecret.length !== 40) problems.push('duo.clientSecret: must be 40 characters');
    return problems;
  }
  if (config.ikey.length !== IKEY_LEN) problems.push(`duo.ikey: must be ${IKEY_LEN} characters`);
  if (!secrets.skey) problems.push('duo.skey: is not set');
  else if ([...secrets.skey].length !== SKEY_LEN) problems.push(`duo.skey: must be ${SKEY_LEN} characters`);
  if (!secrets.akey) problems.push('duo.akey: is not set');
  else if ([...secrets.akey].length < AKEY_LEN)
    problems.push(`duo.akey: must be at least ${AKEY_LEN} characters`);
  return problems;
}

function warnOnSkew(logger: Logger, sdk: 'v2' | 'v4', skewSeconds: number | undefined): void {
  if (skewSeconds !== undefined && Math.abs(skewSeconds) > CLOCK_SKEW_WARNING_SECONDS) {
    logger.warn('duo.clock-skew', { sdk, skewSeconds, limitSeconds: CLOCK_SKEW_WARNING_SECONDS });
  }
}

function wrongSdk(method: string, sdk: 'v2' | 'v4'): never {
  throw new Error(`DuoGateway.${method} called on a ${sdk} gateway`);
}

function authApiFor(
  config: DuoConfig,
  secrets: DuoSecrets,
  deps: { clock: Clock; timeoutMs?: number },
): AuthApiClient {
  const keys =
    config.sdk === 'v2'
      ? { ikey: config.ikey, skey: secrets.skey }
      : { ikey: config.clientId, skey: secrets.clientSecret };
  return createAuthApiClient({
    apiHost: config.apiHost,
    ...(keys.skey ? { ikey: keys.ikey, skey: keys.skey } : {}),
    ...(config.caFile ? { caFile: config.caFile } : {}),
    timeoutMs: deps.timeoutMs ?? DEFAULT_DUO_TIMEOUT_MS,
    clock: deps.clock,
  });
}

/**
 * Builds the gateway for the configured SDK. Throws when the secrets are unusable (check
 * `duoSecretProblems` first) — that is a configuration the engine should never start with.
 * Calling a v2 method on a v4 gateway (or the reverse) is a bug and throws.
 */
export function createDuoGateway(config: DuoConfig, secrets: DuoSecrets, deps: DuoGatewayDeps): DuoGateway {
  // Host names are case-insensitive, but Duo's issuer URL and the frame's origin are lower-case.
  config = { ...config, apiHost: config.apiHost.toLowerCase() };
  const problems = duoSecretProblems(config, secrets);
  if (problems.length > 0) throw new Error(`Duo configuration is incomplete: ${problems.join('; ')}`);
  const { clock, logger } = deps;
  const authApi = authApiFor(config, secrets, deps);

  if (config.sdk === 'v4') {
    const universal = createUniversalDuo({
      clientId: config.clientId,
      clientSecret: secrets.clientSecret as string,
      apiHost: config.apiHost,
      redirectUri: deps.redirectUri,
      caFile: config.caFile,
      healthCacheSeconds: config.healthCacheSeconds,
      timeoutMs: deps.timeoutMs ?? DEFAULT_DUO_TIMEOUT_MS,
      clock,
      logger,
    });
    const health = cacheHealthyResult(clock, config.healthCacheSeconds, async () => {
      const [oidc, ping] = await Promise.all([universal.checkHealthNow(), authApi.ping()]);
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
    return {
      sdk: 'v4',
      health,
      startAuthorization: (username) => universal.startAuthorization(username),
      completeAuthorization: (params, pending) => universal.completeAuthorization(params, pending),
      signV2Request: () => wrongSdk('signV2Request', 'v4'),
      verifyV2Response: () => wrongSdk('verifyV2Response', 'v4'),
    };
  }

  const { ikey } = config;
  const skey = secrets.skey as string;
  const akey = secrets.akey as string;
  const nowSeconds = (): number => Math.floor(clock.now() / 1000);
  const health = cacheHealthyResult(clock, config.healthCacheSeconds, async () => {
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

  return {
    sdk: 'v2',
    health,
    startAuthorization: () => wrongSdk('startAuthorization', 'v2'),
    completeAuthorization: () => wrongSdk('completeAuthorization', 'v2'),
    signV2Request(username) {
      const signed = signRequest(ikey, skey, akey, username, nowSeconds());
      const parts = splitSignedRequest(signed);
      // Keys were checked at creation and the engine passes only directory-verified names, so an
      // ERR here is a bug (e.g. a username containing "|"); its text names no secret.
      if (!parts) throw new Error(`sign_request failed: ${signed}`);
      return { host: config.apiHost, tx: parts.tx, app: parts.app };
    },
    verifyV2Response(duoPart, appPart) {
      const sigResponse = `${duoPart}:${appPart}`;
      return duoPart.startsWith('ENROLL|')
        ? verifyEnrollResponse(ikey, skey, akey, sigResponse, nowSeconds())
        : verifyResponse(ikey, skey, akey, sigResponse, nowSeconds());
    },
  };
}

// ---------------------------------------------------------------------------------------------
// walkup duo-check
// ---------------------------------------------------------------------------------------------

/** JSON report of `walkup duo-check`. Holds no secret. */
export interface DuoCheckReport {
  ok: boolean;
  sdk: 'v2' | 'v4';
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
  config = { ...config, apiHost: config.apiHost.toLowerCase() };
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
      healthCacheSeconds: 0,
      timeoutMs: deps.timeoutMs ?? DEFAULT_DUO_TIMEOUT_MS,
      clock: deps.clock,
      logger: deps.logger,
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
