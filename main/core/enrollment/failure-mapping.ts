/**
 * What the person at the kiosk may learn about a failed sign-in. The directory's reason is
 * precise (for the audit log); the kiosk's is coarse, so the station cannot be used to find out
 * which usernames exist or which passwords are right (OWASP ASVS 4.0 V2.2.1 and V3: generic messages, anti-automation).
 */
import {
  accountConditions,
  type AccountCondition,
  type InputProblem,
  type OutOfServiceReason,
  type SignInFailureReason,
} from '../../contract';
import type { AuthResult } from '../directory/types';

/** The kiosk-facing part of a failed sign-in (the engine adds the support reference). */
export interface SignInFailure {
  reason: SignInFailureReason;
  detail?: AccountCondition | InputProblem;
  retryAfterSeconds?: number;
  /** For `invalid-credentials`: failures left before the typed name's cool-down (0-2 only). */
  attemptsLeft?: number;
}

const CONDITIONS: ReadonlySet<string> = new Set(accountConditions);

function isAccountCondition(value: string): value is AccountCondition {
  return CONDITIONS.has(value);
}

/** Whole seconds until a throttled attempt may be retried (at least 1). */
function retryAfter(failure: Extract<AuthResult, { ok: false }>): number {
  return Math.max(1, Math.ceil(failure.retryAfterSeconds ?? 60));
}

/**
 * Conditions a directory reports whatever the password, so naming one would tell a stranger
 * about somebody's account: a lock (AD answers `data 775` even to a wrong password; slapd's
 * ppolicy decides a lock before it checks the password).
 */
const DECIDED_WITHOUT_PASSWORD: ReadonlySet<AccountCondition> = new Set(['account-locked']);

/**
 * Maps a directory failure to what the kiosk shows. Account conditions are named only when the
 * configuration lists them in `showConditions` and the directory checked the password first
 * (naming one confirms the password was right): a condition decided without the password
 * (`passwordUnverified`, or a lock) is the generic `see-helpdesk` without detail, whatever
 * `showConditions` lists. The precise reason stays in the directory's result for the audit log.
 */
export function toSignInFailure(
  failure: Extract<AuthResult, { ok: false }>,
  showConditions: readonly AccountCondition[],
): SignInFailure {
  const { reason } = failure;
  if (isAccountCondition(reason)) {
    const verified = !failure.passwordUnverified && !DECIDED_WITHOUT_PASSWORD.has(reason);
    return verified && showConditions.includes(reason)
      ? { reason: 'see-helpdesk', detail: reason }
      : { reason: 'see-helpdesk' };
  }
  switch (reason) {
    case 'invalid-credentials':
    case 'ambiguous-user':
      // The typed name's counter (the directory sets it only when the last tries are near).
      return failure.attemptsLeft === undefined
        ? { reason: 'invalid-credentials' }
        : { reason: 'invalid-credentials', attemptsLeft: failure.attemptsLeft };
    case 'not-in-allowed-group':
    case 'in-denied-group':
      return { reason: 'not-allowed' };
    case 'invalid-input':
      return failure.inputProblem
        ? { reason: 'invalid-input', detail: failure.inputProblem }
        : { reason: 'invalid-input' };
    case 'throttled-user':
      // The person's own counter (their name or their account) is full.
      return { reason: 'throttled', retryAfterSeconds: retryAfter(failure) };
    case 'throttled-station':
      // Failures by others paused the station (kiosk) or this client address (portal mode):
      // not the person's doing, so not "too many attempts".
      return { reason: 'station-paused', retryAfterSeconds: retryAfter(failure) };
    case 'unavailable':
    case 'tls-failed':
    case 'service-bind-failed':
      return { reason: 'directory-unavailable' };
    case 'configuration':
      return { reason: 'out-of-service' };
    default: {
      // A reason added to the directory without a mapping here fails closed and generic.
      const unknown: never = reason;
      void unknown;
      return { reason: 'invalid-credentials' };
    }
  }
}

/**
 * What the kiosk shows when the station refuses a sign-in because it is out of service: Duo
 * trouble as `duo-unavailable` (the person may try again soon), everything else as
 * `out-of-service`. The precise reason goes to the audit log as `station-<reason>`.
 */
export function toStationSignInFailure(reason: OutOfServiceReason): SignInFailure {
  return {
    reason:
      reason === 'duo-unreachable' || reason === 'duo-credentials-rejected'
        ? 'duo-unavailable'
        : 'out-of-service',
  };
}
