/**
 * What the person at the kiosk may learn about a failed sign-in. The directory's reason is
 * precise (for the audit log); the kiosk's is coarse, so the station cannot be used to find out
 * which usernames exist or which passwords are right (ldap-kiosk-security.md §3.3–3.5).
 */
import {
  accountConditions,
  type AccountCondition,
  type InputProblem,
  type SignInFailureReason,
} from '../../contract';
import type { AuthResult } from '../directory/types';

/** The kiosk-facing part of a failed sign-in (the engine adds the support reference). */
export interface SignInFailure {
  reason: SignInFailureReason;
  detail?: AccountCondition | InputProblem;
  retryAfterSeconds?: number;
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
 * Maps a directory failure to what the kiosk shows. Account conditions are named only when the
 * configuration lists them in `showConditions` (naming one confirms the password was right).
 */
export function toSignInFailure(
  failure: Extract<AuthResult, { ok: false }>,
  showConditions: readonly AccountCondition[],
): SignInFailure {
  const { reason } = failure;
  if (isAccountCondition(reason)) {
    return showConditions.includes(reason)
      ? { reason: 'see-helpdesk', detail: reason }
      : { reason: 'see-helpdesk' };
  }
  switch (reason) {
    case 'invalid-credentials':
    case 'ambiguous-user':
      return { reason: 'invalid-credentials' };
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
