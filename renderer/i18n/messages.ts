import type { TFunction } from 'i18next';
import {
  accountConditions,
  inputProblems,
  type AccountCondition,
  type InputProblem,
} from '../../main/contract';
import type { SignInFailure, SignInNotice } from '../state/app-state';

/** Waits shorter than this are said in seconds, longer ones in whole minutes (rounded up). */
const SECONDS_LIMIT = 90;

const isAccountCondition = (detail: string | undefined): detail is AccountCondition =>
  (accountConditions as readonly string[]).includes(detail ?? '');
const isInputProblem = (detail: string | undefined): detail is InputProblem =>
  (inputProblems as readonly string[]).includes(detail ?? '');

/** "Please wait 30 seconds / 3 minutes, then try again." */
export function throttledWaitMessage(t: TFunction, retryAfterSeconds: number | undefined): string {
  if (retryAfterSeconds === undefined || !Number.isFinite(retryAfterSeconds)) {
    return t('signIn.throttledWait.unknown');
  }
  const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
  if (seconds < SECONDS_LIMIT) return t('signIn.throttledWait.seconds', { count: seconds });
  return t('signIn.throttledWait.minutes', { count: Math.ceil(seconds / 60) });
}

/** Main's resets that deserve a word to the next person; the ordinary endings need none. */
const noticeworthyResets: readonly SignInNotice[] = ['idle', 'visit-cap', 'admin', 'renderer-crash'];

/**
 * The notice above the sign-in form, or undefined when the reason needs no word (a finished,
 * cancelled, done or failed visit). A notice never names a person.
 */
export function signInNoticeMessage(t: TFunction, notice: SignInNotice): string | undefined {
  if (notice === 'checking-timeout' || notice === 'session-renewed') return t(`signIn.notices.${notice}`);
  return noticeworthyResets.includes(notice) ? t(`resetNotices.${notice}`) : undefined;
}

/**
 * The warning after a wrong password when few tries remain before main pauses sign-in for the
 * typed username (`attemptsLeft`, sent only when 2 or fewer remain): 1 is the last try, 0 means
 * the next attempt will wait. Nothing for 2 or more, or when main did not say.
 */
function attemptsLeftWarning(t: TFunction, attemptsLeft: number | undefined): string[] {
  if (attemptsLeft === 1) return [t('signIn.lastTry')];
  if (attemptsLeft === 0) return [t('signIn.noTriesLeft')];
  return [];
}

/**
 * The sentences shown for a refused sign-in, in order. Unknown user and wrong password share one
 * message by design; the precise reason is in the audit log under the support reference.
 */
export function signInFailureMessages(t: TFunction, failure: SignInFailure): string[] {
  switch (failure.reason) {
    case 'invalid-input':
      return [
        isInputProblem(failure.detail)
          ? t(`inputProblems.${failure.detail}`)
          : t('signIn.errors.invalid-input'),
      ];
    case 'throttled':
      return [t('signIn.errors.throttled'), throttledWaitMessage(t, failure.retryAfterSeconds)];
    case 'station-paused':
      return [t('signIn.errors.station-paused'), throttledWaitMessage(t, failure.retryAfterSeconds)];
    case 'invalid-credentials':
      return [t('signIn.errors.invalid-credentials'), ...attemptsLeftWarning(t, failure.attemptsLeft)];
    case 'see-helpdesk':
      return isAccountCondition(failure.detail)
        ? [t(`conditions.${failure.detail}`), t('signIn.errors.see-helpdesk')]
        : [t('signIn.errors.see-helpdesk')];
    default:
      return [t(`signIn.errors.${failure.reason}`)];
  }
}
