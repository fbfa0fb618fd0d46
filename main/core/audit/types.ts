/**
 * The audit log's vocabulary: what happened at the station, who it concerned, and the support
 * reference the person at the kiosk was shown. Never a password, a secret or a Duo code.
 */
import type { DuoFailureReason, OutOfServiceReason, ResetReason, SignInFailureReason } from '../../contract';

/** One thing worth recording. `visit` is a random per-visit id (never the session cookie). */
export type AuditEvent =
  | { type: 'sign-in-succeeded'; visit: string; username: string }
  | {
      type: 'sign-in-failed';
      visit: string;
      /** What was typed as the username (sanitised, shortened); absent when empty. */
      username?: string;
      /** Precise reason (directory failure reason, or the station condition). */
      reason: string;
      /** What the kiosk showed. */
      shown: SignInFailureReason;
      /** Admin-facing detail (server, AD sub-code…). */
      detail?: string;
      reference: string;
    }
  | { type: 'duo-started'; visit: string; username: string; sdk: 'v2' | 'v4' }
  | { type: 'duo-verified'; visit: string; username: string; sdk: 'v2' | 'v4' }
  | {
      type: 'duo-rejected';
      visit?: string;
      username?: string;
      sdk: 'v2' | 'v4';
      /** Precise failure code (a `DuoFailureCode`, or `malformed` / `no-visit`). */
      code: string;
      /** What the renderer was told. */
      reason: DuoFailureReason;
      detail?: string;
      reference: string;
    }
  | { type: 'duo-replayed'; visit?: string; sdk: 'v2' | 'v4'; reference: string }
  | { type: 'visit-finished'; visit: string; username: string; reason: 'finished' | 'cancelled' }
  | { type: 'visit-reset'; visit: string; reason: ResetReason }
  | { type: 'station-out-of-service'; reason: OutOfServiceReason; detail?: string }
  | { type: 'station-in-service' }
  | {
      /** Admin actions (unlock, exit, settings change…) recorded by the adapters. */
      type: `admin-${string}`;
      [field: string]: string | number | boolean | string[] | undefined;
    };

/** An event as written: the event plus when and where. */
export type AuditRecord = AuditEvent & {
  /** ISO 8601 time of the station clock. */
  time: string;
  station: string;
  /** Names of fields the redaction guard dropped (should never happen; visible if it does). */
  redacted?: string[];
};

/** Append-only audit trail. */
export interface AuditLog {
  /**
   * Records one event. Resolves once the line is durably written (file log: after fsync).
   * Never rejects: a failing audit write is reported through the log's `onError`.
   */
  record(event: AuditEvent): Promise<void>;
}
