/**
 * What each Duo integration registers (`registry.ts`): how to check its secrets, which keys sign
 * its Auth API calls, how to build it, and its part of `walkup duo-check`. Each integration's
 * folder (`web-v2/`, `universal/`) exports one `IntegrationEntry`; nothing outside that folder
 * knows what an SDK needs.
 */
import type { DuoLaunch } from '../../contract';
import type { DuoConfig, SecretRef } from '../config/schema';
import type { Clock, Logger } from '../ports';
import type { AuthApiClient, CheckResult, PingResult } from './auth-api';
import type { DuoIntegration, DuoSdk } from './types';

/** Secrets resolved from the configuration's secret references. */
export interface DuoSecrets {
  /** v4 client secret. */
  clientSecret?: string;
  /** v2 secret key. */
  skey?: string;
  /** v2 application key (ours, >= 40 characters). */
  akey?: string;
}

/**
 * One secret an integration needs: the configuration key it is set at (errors name it), its
 * reference (undefined when the configuration leaves it out), and the `DuoSecrets` field its
 * resolved value fills.
 */
export interface DuoSecretKey {
  key: `duo.${string}`;
  ref: SecretRef | undefined;
  as: keyof DuoSecrets;
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

/** The configuration variant of one SDK. */
export type ConfigOf<S extends DuoSdk> = Extract<DuoConfig, { sdk: S }>;

/** Beyond this difference between our clock and Duo's, signed requests and tokens start failing. */
export const CLOCK_SKEW_WARNING_SECONDS = 60;

/** Logs `duo.clock-skew` when Duo's clock and ours differ by more than the warning limit. */
export function warnOnSkew(logger: Logger, sdk: DuoSdk, skewSeconds: number | undefined): void {
  if (skewSeconds !== undefined && Math.abs(skewSeconds) > CLOCK_SKEW_WARNING_SECONDS) {
    logger.warn('duo.clock-skew', { sdk, skewSeconds, limitSeconds: CLOCK_SKEW_WARNING_SECONDS });
  }
}

/** What `walkup duo-check` already learned from the Auth API before the integration's own part. */
export interface DuoCheckContext {
  ping: PingResult;
  check: CheckResult;
  clock: Clock;
  /** For an integration that needs a redirect_uri to run its own check. */
  redirectUri: string;
  timeoutMs: number;
}

/** An integration's verdict in `walkup duo-check`. */
export interface DuoCredentialVerdict {
  /** Duo answered at all. */
  reachable: boolean;
  /** Duo accepted the credentials the station would use. */
  credentialsOk: boolean;
  /** The first failure, in one line. */
  error?: string;
  /** Duo's clock minus ours, seconds, when only this check measured it. */
  skewSeconds?: number;
  warnings: string[];
}

/**
 * How an integration shows Duo, which decides what the shells allow; the same names as the
 * contract's `DuoLaunch.kind`, so a step's launch says how it is shown:
 * - `frame`: Duo's frame is embedded in a page of ours (Web SDK v2): the page's CSP frames Duo's
 *   origin, and nothing returns to a redirect_uri.
 * - `page`: Duo is a top-level page that sends the browser back to the redirect_uri (Web SDK v4,
 *   OAuth 2.0 / OIDC): the kiosk lets its Duo view reach the callback URL, and nothing frames Duo.
 */
export type DuoDisplay = DuoLaunch['kind'];

/** One registered integration, typed for its configuration variant. */
export interface IntegrationEntry<C extends DuoConfig> {
  /** How this integration shows Duo (`DuoDisplay`). */
  readonly shows: DuoDisplay;
  /** The secrets this integration needs, in the order they are resolved and reported. */
  secretKeys(config: C): DuoSecretKey[];
  /** Problems with the resolved secrets, one line each, naming the key but never its value. */
  secretProblems(config: C, secrets: DuoSecrets): string[];
  /** The integration key and secret the Auth API client signs `check` with, if any. */
  authApiKeys(config: C, secrets: DuoSecrets): { ikey: string; skey?: string | undefined };
  /** Builds the integration; the secrets have no problems. */
  create(
    config: C,
    secrets: DuoSecrets,
    deps: DuoIntegrationDeps & { authApi: AuthApiClient },
  ): DuoIntegration;
  /** Warnings about the configuration itself, for `walkup duo-check` (none by default). */
  configWarnings?(config: C): string[];
  /** The integration's part of `walkup duo-check`: are its credentials accepted? */
  checkCredentials(config: C, secrets: DuoSecrets, context: DuoCheckContext): Promise<DuoCredentialVerdict>;
}
