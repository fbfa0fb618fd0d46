/**
 * The rules every directory applies around its own check, LDAP and demo alike: input rules,
 * throttling, and a minimum duration for failures.
 */
import type { DirectoryConfig } from '../config/schema';
import type { Clock, Logger } from '../ports';
import { checkPassword, normalizeLoginName, type LoginName } from './login-name';
import { createThrottle } from './throttle';
import type { AuthResult, Directory, DirectoryFailureReason } from './types';

/**
 * Called by a directory once its search has resolved exactly one entry, before the password is
 * sent. `accountId` is the entry's stable identity (AD objectGUID, OpenLDAP entryUUID, else the
 * normalised DN), so every login form of one account meets one counter. Returns the failure to
 * answer with when the account may not be tried now, or undefined to go ahead with the bind.
 */
export type AccountGate = (accountId: string) => (AuthResult & { ok: false }) | undefined;

/**
 * Checks a normalised login name and password against the directory itself. A directory that
 * resolves entries calls `admitAccount` between the search and the bind.
 */
export type CredentialCheck = (
  login: LoginName,
  password: string,
  admitAccount: AccountGate,
) => Promise<AuthResult>;

/**
 * Failures that count towards throttling: the ones an attacker guessing passwords produces.
 * A right password refused by policy (group, disabled) is not a guess; infrastructure errors
 * are not the person's fault.
 */
const COUNTED_FAILURES: ReadonlySet<DirectoryFailureReason> = new Set([
  'invalid-credentials',
  'ambiguous-user',
  'account-locked',
]);

/** Failures that point at the station or the directory rather than the person. */
const OPERATIONAL_FAILURES: ReadonlySet<DirectoryFailureReason> = new Set([
  'unavailable',
  'tls-failed',
  'service-bind-failed',
  'configuration',
]);

/**
 * Wraps a credential check with the input rules, per-user and per-station throttling, and the
 * minimum failure duration. Throttled and invalid attempts never reach `check`, so they cause
 * no network I/O.
 */
export function guardCredentialCheck(
  config: Pick<DirectoryConfig, 'maxUsernameLength' | 'netbiosDomains' | 'upnSuffixes' | 'throttling'>,
  deps: { clock: Clock; logger: Logger },
  check: CredentialCheck,
): Directory['authenticate'] {
  const { clock, logger } = deps;
  const throttle = createThrottle(config.throttling, clock);

  const fail = async (startedAt: number, result: AuthResult & { ok: false }): Promise<AuthResult> => {
    // Every failure takes at least minFailureMs, measured from the start of the attempt, so an
    // unknown username (no bind) cannot be told from a wrong password (one bind) by timing.
    const remaining = config.throttling.minFailureMs - (clock.now() - startedAt);
    if (remaining > 0) await clock.sleep(remaining);
    return result;
  };

  return async (username, password, _attempt = {}) => {
    const startedAt = clock.now();

    const normalised = normalizeLoginName(username, config);
    if (!normalised.ok) {
      return fail(startedAt, { ok: false, reason: 'invalid-input', inputProblem: normalised.problem });
    }
    const passwordProblem = checkPassword(password);
    if (passwordProblem) {
      return fail(startedAt, { ok: false, reason: 'invalid-input', inputProblem: passwordProblem });
    }

    const { login } = normalised;
    const decision = throttle.check(login.throttleKey);
    if (!decision.allowed) {
      logger.warn('directory.throttled', {
        scope: decision.scope,
        retryAfterSeconds: decision.retryAfterSeconds,
      });
      return fail(startedAt, {
        ok: false,
        reason: decision.scope === 'user' ? 'throttled-user' : 'throttled-station',
        retryAfterSeconds: decision.retryAfterSeconds,
      });
    }

    const result = await check(login, password, () => undefined);
    if (result.ok) {
      throttle.recordSuccess(login.throttleKey);
      return result;
    }
    if (COUNTED_FAILURES.has(result.reason)) throttle.recordFailure(login.throttleKey);
    const log = OPERATIONAL_FAILURES.has(result.reason) ? logger.warn : logger.info;
    log.call(logger, 'directory.sign-in-failed', { reason: result.reason, detail: result.detail });
    return fail(startedAt, result);
  };
}
