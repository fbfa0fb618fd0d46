/**
 * The admin screen's PIN gate: PIN attempts, the lockout, and the one admin session.
 *
 * - A wrong PIN counts against `admin.maxPinAttempts`; when they are used up the gate is locked
 *   for `admin.lockoutSeconds` and refuses every PIN, the right one included, without running
 *   scrypt. The attempt is reserved synchronously before the scrypt await (no `await` between
 *   the check and the update), so many PINs sent at once cannot run more than the attempts left:
 *   a guess that has no attempt left is refused before any work is done.
 * - A right PIN ends any earlier session (one admin session at a time) and returns a new token:
 *   32 random bytes in base64url (RFC 4648 section 5), compared in constant time
 *   (`constant-time.ts`). A session ends after `admin.idleSeconds` without an admin request; each
 *   authenticated request extends it.
 * - Every unlock, failure, lockout and session end is audited (`admin-*` events). Never the PIN,
 *   never the token.
 *
 * Time comes from the injected `Clock`, so tests drive lockouts and expiry without waiting.
 */
import { randomBytes } from 'node:crypto';
import type { WalkupConfig } from '../config/schema';
import { constantTimeEquals } from '../constant-time';
import type { AuditLog } from '../audit/types';
import type { Clock } from '../ports';
import { verifyScryptHash } from '../secrets/pin-hash';
import { pinGateInMemory, type PinGateMemory } from './pin-gate-memory';

/** Bytes of a session token (256 bits; 43 characters of base64url). */
export const ADMIN_TOKEN_BYTES = 32;

/** Why a session ended (the `admin-session-ended` event's `reason`). */
export type SessionEndReason = 'lock' | 'idle' | 'replaced' | 'exit' | 'restart';

/** What the gate answers to a PIN. */
export type PinAttemptResult =
  | { ok: true; token: string; idleSeconds: number }
  | { ok: false; reason: 'wrong-pin' | 'locked' | 'unavailable' };

/** The state the PIN pad shows. */
export type PinGateState =
  { kind: 'pin'; attemptsLeft: number } | { kind: 'locked'; retryAfterSeconds: number };

export interface PinGate {
  /** Attempts left, or how long the lockout still lasts. */
  state(): PinGateState;
  /**
   * Checks `pin` against `storedHash` (a `scrypt$…` hash; `undefined` when none is stored: the
   * attempt still counts, `unavailable` is answered). Resolves once scrypt ran, or at once when
   * the gate is locked.
   */
  unlock(pin: string, storedHash: string | undefined): Promise<PinAttemptResult>;
  /** Opens a session without a PIN check (right after the first PIN was created). */
  openSession(): string;
  /** True when `token` is the current session's token and it has not expired; extends it. */
  touch(token: string | undefined): boolean;
  /** Ends the current session (if `token` is current, or any when `token` is undefined). */
  end(reason: SessionEndReason): void;
}

export interface PinGateDeps {
  clock: Clock;
  audit: AuditLog;
  settings: WalkupConfig['admin'];
  /** The PIN check (default: `verifyScryptHash`); tests count its runs. */
  verify?: (pin: string, stored: string) => Promise<boolean>;
  /**
   * Where the attempt count and lockout survive a restart (`pin-gate-memory.ts`; default: in
   * memory only). Saved synchronously whenever an attempt is reserved or settled.
   */
  memory?: PinGateMemory;
}

/**
 * Creates the gate. The session lives in memory (a restart ends it); the attempt count and the
 * lockout live in `deps.memory`, so a restart (or a power cut) neither ends a lockout nor gives
 * fresh guesses: an attempt is recorded as a failure when it is reserved, and taken back only
 * when its PIN proves right.
 */
export function createPinGate(deps: PinGateDeps): PinGate {
  const { clock, audit, settings } = deps;
  const verify = deps.verify ?? verifyScryptHash;
  const memory = deps.memory ?? pinGateInMemory();
  const stored = memory.load();
  /** Wrong PINs since the last unlock or lockout, plus attempts now being checked. */
  let failures = Math.min(stored.failures, settings.maxPinAttempts);
  let pending = 0;
  // A lockout never lasts longer than configured from now (a clock set back, an edited record).
  let lockedUntil = Math.min(stored.lockedUntil, clock.now() + settings.lockoutSeconds * 1000);
  if (failures >= settings.maxPinAttempts && clock.now() >= lockedUntil) {
    // Every attempt used but no lockout on record (the process died while checking the last
    // one): the lockout starts now, and ends like any other.
    lockedUntil = clock.now() + settings.lockoutSeconds * 1000;
    failures = 0;
  }
  const remember = (): void => memory.save({ failures: failures + pending, lockedUntil });
  let session: { token: string; expiresAt: number } | undefined;

  const record = (event: {
    type: `admin-${string}`;
    [field: string]: string | number | boolean | undefined;
  }): void => {
    void audit.record(event);
  };

  const isLocked = (): boolean => clock.now() < lockedUntil;

  const expireIfIdle = (): void => {
    if (session && clock.now() >= session.expiresAt) {
      session = undefined;
      record({ type: 'admin-session-ended', reason: 'idle' });
    }
  };

  const newSession = (): string => {
    expireIfIdle();
    if (session) record({ type: 'admin-session-ended', reason: 'replaced' });
    const token = randomBytes(ADMIN_TOKEN_BYTES).toString('base64url');
    session = { token, expiresAt: clock.now() + settings.idleSeconds * 1000 };
    return token;
  };

  return {
    state() {
      if (isLocked()) {
        return {
          kind: 'locked',
          retryAfterSeconds: Math.max(1, Math.ceil((lockedUntil - clock.now()) / 1000)),
        };
      }
      return { kind: 'pin', attemptsLeft: Math.max(0, settings.maxPinAttempts - failures) };
    },

    async unlock(pin, storedHash) {
      // Reserve the attempt synchronously: the check and the update have no await between them.
      if (isLocked() || failures + pending >= settings.maxPinAttempts) return { ok: false, reason: 'locked' };
      if (lockedUntil !== 0) {
        // A lockout that ran out starts a fresh count.
        lockedUntil = 0;
      }
      pending += 1;
      remember();
      let right: boolean;
      try {
        right = storedHash !== undefined && (await verify(pin, storedHash).catch(() => false));
      } finally {
        pending -= 1;
      }
      if (storedHash === undefined) {
        failures += 1;
        remember();
        return { ok: false, reason: 'unavailable' };
      }
      if (right && !isLocked()) {
        failures = 0;
        remember();
        const token = newSession();
        record({ type: 'admin-unlocked' });
        return { ok: true, token, idleSeconds: settings.idleSeconds };
      }
      if (right) {
        remember();
        return { ok: false, reason: 'locked' };
      }
      failures += 1;
      const attemptsLeft = Math.max(0, settings.maxPinAttempts - failures);
      record({ type: 'admin-unlock-failed', attemptsLeft });
      if (attemptsLeft === 0 && !isLocked()) {
        lockedUntil = clock.now() + settings.lockoutSeconds * 1000;
        failures = 0;
        record({ type: 'admin-locked-out', seconds: settings.lockoutSeconds });
      }
      remember();
      return { ok: false, reason: 'wrong-pin' };
    },

    openSession() {
      failures = 0;
      remember();
      return newSession();
    },

    touch(token) {
      expireIfIdle();
      if (!session || token === undefined || !constantTimeEquals(token, session.token)) return false;
      session.expiresAt = clock.now() + settings.idleSeconds * 1000;
      return true;
    },

    end(reason) {
      expireIfIdle();
      if (!session) return;
      session = undefined;
      record({ type: 'admin-session-ended', reason });
    },
  };
}
