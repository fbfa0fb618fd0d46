/**
 * The rules every directory applies around its own check, LDAP and demo alike: input rules,
 * throttling (check-and-reserve before any network I/O), and a minimum duration for failures.
 */
import type { DirectoryConfig } from '../config/schema';
import type { Clock, Logger } from '../ports';
import { checkPassword, normalizeLoginName, type LoginName } from './login-name';
import { createThrottle, type Admission, type ThrottleTicket } from './throttle';
import { createMemoryThrottleStore, type ThrottleStore } from './throttle-store';
import type { AuthResult, Directory, DirectoryFailureReason } from './types';

/**
 * Called by a directory once its search has resolved exactly one entry, before the password is
 * sent. `accountId` is the entry's stable identity (AD objectGUID, OpenLDAP entryUUID, else the
 * normalised DN), so every login form of one account meets one counter. Reserves a slot on that
 * counter; resolves with the failure to answer with when the account may not be tried now, or
 * undefined to go ahead with the bind. Calling it again with the same id (the next replica after
 * a failover) holds the same slot.
 */
export type AccountGate = (accountId: string) => Promise<(AuthResult & { ok: false }) | undefined>;

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
 * are not the person's fault, except when they came after the password was sent
 * (`passwordSent`): the directory may have counted that password, so Walkup counts it too.
 */
// A refusal decided without the password (`passwordUnverified`) counts too: a guesser gets it.
const COUNTED_FAILURES: ReadonlySet<DirectoryFailureReason> = new Set([
  'invalid-credentials',
  'ambiguous-user',
  'account-locked',
]);

/**
 * A wrong password (or unknown name) is told how many failures its typed name has left before the
 * name's cool-down only when this many or fewer remain, so the person is warned before their last
 * try rather than locked out by surprise.
 */
export const LAST_TRY_WARNING_AT = 2;

/** Failures that answer "wrong username or password" and so may carry `attemptsLeft`. */
const WRONG_CREDENTIALS: ReadonlySet<DirectoryFailureReason> = new Set([
  'invalid-credentials',
  'ambiguous-user',
]);

/** Failures that point at the station or the directory rather than the person. */
const OPERATIONAL_FAILURES: ReadonlySet<DirectoryFailureReason> = new Set([
  'unavailable',
  'tls-failed',
  'service-bind-failed',
  'configuration',
]);

/**
 * Wraps a credential check with the input rules, per-user and station-wide throttling, and the
 * minimum failure duration. Throttled and invalid attempts never reach `check`, so they cause
 * no network I/O. Each attempt reserves its throttle slots before `check` runs and settles them
 * with the answer, so attempts in flight count towards the limits (see throttle.ts).
 */
export function guardCredentialCheck(
  config: Pick<DirectoryConfig, 'maxUsernameLength' | 'netbiosDomains' | 'upnSuffixes' | 'throttling'>,
  deps: { clock: Clock; logger: Logger; throttleStore?: ThrottleStore },
  check: CredentialCheck,
): Directory['authenticate'] {
  const { clock, logger } = deps;
  const throttle = createThrottle(
    config.throttling,
    deps.throttleStore ?? createMemoryThrottleStore(clock),
    logger,
  );

  const fail = async (startedAt: number, result: AuthResult & { ok: false }): Promise<AuthResult> => {
    // Every failure takes at least minFailureMs, measured from the start of the attempt, so an
    // unknown username (no bind) cannot be told from a wrong password (one bind) by timing.
    const remaining = config.throttling.minFailureMs - (clock.now() - startedAt);
    if (remaining > 0) await clock.sleep(remaining);
    return result;
  };

  const refusal = (admission: Admission & { allowed: false }): AuthResult & { ok: false } => {
    logger.warn('directory.throttled', {
      scope: admission.scope,
      retryAfterSeconds: admission.retryAfterSeconds,
    });
    return {
      ok: false,
      reason: admission.scope === 'user' ? 'throttled-user' : 'throttled-station',
      retryAfterSeconds: admission.retryAfterSeconds,
    };
  };

  return async (username, password, attempt = {}) => {
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
    const admission = await throttle.admitAttempt(login.throttleKey, attempt.client);
    if (!admission.allowed) return fail(startedAt, refusal(admission));

    let account: { id: string; ticket: ThrottleTicket } | undefined;
    let refusedByAccount = false;
    const admitAccount: AccountGate = async (accountId) => {
      if (account?.id === accountId) return undefined;
      await account?.ticket.settle('release');
      account = undefined;
      const admitted = await throttle.admitAccount(accountId);
      if (!admitted.allowed) {
        refusedByAccount = true;
        return refusal(admitted);
      }
      account = { id: accountId, ticket: admitted.ticket };
      return undefined;
    };

    let result: AuthResult | undefined;
    try {
      result = await check(login, password, admitAccount);
    } finally {
      // A refusal by the account's counter sent no password: nothing to count against the name.
      const outcome =
        result === undefined || refusedByAccount
          ? 'release'
          : result.ok
            ? 'success'
            : COUNTED_FAILURES.has(result.reason) || result.passwordUnverified || result.passwordSent
              ? 'failure'
              : 'release';
      await Promise.all([admission.ticket.settle(outcome), account?.ticket.settle(outcome)]);
    }
    if (result.ok) return result;
    const log = OPERATIONAL_FAILURES.has(result.reason) ? logger.warn : logger.info;
    log.call(logger, 'directory.sign-in-failed', { reason: result.reason, detail: result.detail });
    if (WRONG_CREDENTIALS.has(result.reason) && !refusedByAccount) {
      // Read after the settle above, so this failure is counted. The typed name's counter, never
      // the account's: both a known and an unknown name have one, and read the same way.
      const left = await throttle.failuresLeftForName(login.throttleKey);
      if (left <= LAST_TRY_WARNING_AT) return fail(startedAt, { ...result, attemptsLeft: left });
    }
    return fail(startedAt, result);
  };
}
