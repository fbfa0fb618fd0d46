/**
 * The audit trail of one screen's visits: one method per event the visit state machine records,
 * so the machine says what happened and this module says how it is written down. Never a
 * password, a secret or a Duo code; a typed name that no account was resolved for is recorded
 * as its keyed hash (`username-hash.ts`).
 */
import type { DuoFailureReason, ResetReason, SignInFailureReason } from '../../contract';
import type { AuditEvent, AuditLog } from '../audit/types';
import type { DuoIntegration } from '../duo/types';
import type { UsernameHasher } from './username-hash';

/**
 * Who a failed sign-in concerned, as the audit log may name it: the account the directory
 * resolved (named), or only what was typed (hashed).
 */
export type SignInSubject = { account: string } | { typed: string } | undefined;

/** The visit a Duo answer was for, when one was waiting. */
export interface AuditedVisit {
  visitId: string;
  username: string;
}

/** What the audit trail needs: the log, the station's Duo integration and the username hash. */
export interface VisitAuditDeps {
  audit: AuditLog;
  duo: Pick<DuoIntegration, 'sdk'>;
  hashUsername: UsernameHasher;
}

/** Writes a screen's visit events. `client` is the key of the client of the latest sign-in. */
export class VisitAudit {
  /** Key of the client of the latest sign-in (portal mode), for the audit log's per-client bound. */
  client: string | undefined;

  constructor(private readonly deps: VisitAuditDeps) {}

  signInFailed(
    visitId: string,
    subject: SignInSubject,
    preciseReason: string,
    shown: SignInFailureReason,
    reference: string,
    adminDetail?: string,
  ): void {
    const event: AuditEvent = {
      type: 'sign-in-failed',
      visit: visitId,
      reason: preciseReason,
      shown,
      reference,
    };
    if (subject && 'account' in subject) event.username = subject.account;
    else if (subject && subject.typed.trim() !== '')
      event.usernameHash = this.deps.hashUsername(subject.typed);
    if (adminDetail) event.detail = adminDetail;
    this.record(event);
  }

  /** The sign-in succeeded and Duo began for `username`. */
  visitStarted(visitId: string, username: string): void {
    this.record({ type: 'sign-in-succeeded', visit: visitId, username });
    this.record({ type: 'duo-started', visit: visitId, username, sdk: this.deps.duo.sdk });
  }

  duoVerified(visit: AuditedVisit): void {
    this.record({
      type: 'duo-verified',
      visit: visit.visitId,
      username: visit.username,
      sdk: this.deps.duo.sdk,
    });
  }

  duoReplayed(visit: AuditedVisit | undefined, reference: string): void {
    const event: AuditEvent = { type: 'duo-replayed', sdk: this.deps.duo.sdk, reference };
    if (visit) event.visit = visit.visitId;
    this.record(event);
  }

  duoRejected(
    visit: AuditedVisit | undefined,
    reason: DuoFailureReason,
    code: string,
    reference: string,
    detail?: string,
  ): void {
    const event: AuditEvent = { type: 'duo-rejected', sdk: this.deps.duo.sdk, code, reason, reference };
    if (visit) {
      event.visit = visit.visitId;
      event.username = visit.username;
    }
    if (detail) event.detail = detail;
    this.record(event);
  }

  visitFinished(visit: AuditedVisit, reason: 'finished' | 'cancelled'): void {
    this.record({ type: 'visit-finished', visit: visit.visitId, username: visit.username, reason });
  }

  visitReset(visitId: string, reason: ResetReason): void {
    this.record({ type: 'visit-reset', visit: visitId, reason });
  }

  /**
   * Records an audit event. Refused sign-ins carry the client's key (portal mode: its address,
   * IPv6 per /64), so the audit log's per-client bound keeps one client's flood from rotating the
   * history away; decisions about a person who got in are never subject to it.
   */
  private record(event: AuditEvent): void {
    const client = event.type === 'sign-in-failed' ? this.client : undefined;
    void this.deps.audit.record(event, client === undefined ? undefined : { client });
  }
}
