/**
 * The audit log's vocabulary: what happened at the station, who it concerned, and the support
 * reference the person at the kiosk was shown. Never a password, a secret or a Duo code.
 */
import type { DuoFailureReason, OutOfServiceReason, ResetReason, SignInFailureReason } from '../../contract';
import type { DuoSdk } from '../duo/types';

/** One thing worth recording. `visit` is a random per-visit id (never the session cookie). */
export type AuditEvent =
  | { type: 'sign-in-succeeded'; visit: string; username: string }
  | {
      type: 'sign-in-failed';
      visit: string;
      /**
       * The account's canonical name, only when the directory had resolved the typed name to an
       * account (e.g. Duo could not start for it). Never what was typed.
       */
      username?: string;
      /**
       * What was typed as the username, when not resolved to an account: a keyed hash
       * (`hmac-sha256:<32 hex>`, see `username-hash.ts`), so repeated attempts correlate without
       * the text (a password typed into the wrong field) reaching the log. Absent when empty.
       */
      usernameHash?: string;
      /** Precise reason (directory failure reason, or the station condition). */
      reason: string;
      /** What the kiosk showed. */
      shown: SignInFailureReason;
      /** Admin-facing detail (server, AD sub-code…). */
      detail?: string;
      reference: string;
    }
  | { type: 'duo-started'; visit: string; username: string; sdk: DuoSdk }
  | { type: 'duo-verified'; visit: string; username: string; sdk: DuoSdk }
  | {
      type: 'duo-rejected';
      visit?: string;
      username?: string;
      sdk: DuoSdk;
      /** Precise failure code (a `DuoFailureCode`, or `malformed` / `no-visit`). */
      code: string;
      /** What the renderer was told. */
      reason: DuoFailureReason;
      detail?: string;
      reference: string;
    }
  | { type: 'duo-replayed'; visit?: string; sdk: DuoSdk; reference: string }
  | { type: 'visit-finished'; visit: string; username: string; reason: 'finished' | 'cancelled' }
  | { type: 'visit-reset'; visit: string; reason: ResetReason }
  | { type: 'station-out-of-service'; reason: OutOfServiceReason; detail?: string }
  | { type: 'station-in-service' }
  /** The audit log's own records (see `file-audit-log.ts` and `audit-guard.ts`). */
  | {
      /** Lines dropped because the queue was full, written once the disk takes writes again. */
      type: 'audit-lines-dropped';
      count: number;
      /** Dropped since the station started. */
      total: number;
    }
  | {
      /** Rotation had to delete history younger than `audit.minHistoryHours`. */
      type: 'audit-history-dropped';
      /** Time of the newest line deleted (ISO 8601). */
      newestDropped: string;
      minHistoryHours: number;
    }
  | {
      /**
       * What was counted instead of written one by one during `periodSeconds`: events that concern
       * no person and no decision (`unattributed`, by type), and events over a client's rate
       * (`suppressed`, by type, with the number of clients).
       */
      type: 'audit-summary';
      periodSeconds: number;
      unattributed?: Record<string, number>;
      suppressed?: { clients: number; events: Record<string, number> };
    }
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

/** Where an event came from, for the per-client rate bound (`audit-guard.ts`). */
export interface AuditContext {
  /** The client's address (portal mode: the request's IP); absent at the kiosk. */
  client?: string | undefined;
}

/** Whether the audit log takes lines (the engine refuses new visits while it does not). */
export interface AuditHealth {
  ok: boolean;
  /** Why not ok, for the admin (no file contents). */
  detail?: string;
  /** Lines waiting to be written. */
  backlog: number;
  /** Lines dropped because the queue was full, since start. */
  dropped: number;
  /** Rotation recently had to delete history younger than the configured minimum age. */
  historyShort: boolean;
  /**
   * Audit forwarding (syslog), when configured: best effort, so it never makes `ok` false; the
   * station shows the warning `audit-forwarding-failed` while it fails or once it dropped lines.
   */
  forwarding?: AuditForwardingHealth;
}

/** The state of audit forwarding to a syslog collector (`syslog-forwarder.ts`). */
export interface AuditForwardingHealth {
  /** False while the collector cannot be reached. */
  ok: boolean;
  /** Lines not forwarded since start (queue full, send failed, unsent at close). */
  dropped: number;
  /** The collector and the last error, when not ok. */
  detail?: string;
}

/** Append-only audit trail. */
export interface AuditLog {
  /**
   * Records one event. Resolves once the line is durably written (file log: after fsync), or once
   * it was counted instead (summary, rate bound, full queue). Never rejects: a failing audit write
   * is reported through the log's `onError` and `health()`.
   */
  record(event: AuditEvent, context?: AuditContext): Promise<void>;
  /** Present when the log can refuse lines (file log): the engine's backpressure signal. */
  health?(): AuditHealth;
  /** Calls `listener` when `health().ok` or `historyShort` changes; returns the unsubscribe. */
  onHealthChange?(listener: (health: AuditHealth) => void): () => void;
}
