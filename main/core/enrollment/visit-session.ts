/**
 * One visit at one screen: sign-in, Duo, done or failed, reset. All visit state (who, the v4
 * pending authorization, the v2 APP part) lives here in main and is dropped at reset. The
 * password passes through `signIn` to the directory and is never stored.
 *
 * Every phase has a bound: signing in (the directory's own timeouts, and `signInDeadlineMs` as
 * a safety net), Duo (idle time and the visit cap), Done and Failed (`doneSeconds`).
 *
 * The audit log names a person only once the directory has resolved the typed name to an
 * account; a refused or unresolved name is recorded as a keyed hash (`username-hash.ts`).
 */
import {
  MAX_PASSWORD_LENGTH,
  MAX_USERNAME_LENGTH,
  duoResponseRequestSchema,
  finishRequestSchema,
  signInRequestSchema,
  type DuoFailureReason,
  type DuoLaunch,
  type DuoResponseRequest,
  type DuoResult,
  type FinishRequest,
  type ResetReason,
  type SignInFailureReason,
  type SignInRequest,
  type SignInResult,
  type StationInfo,
  type VisitView,
  type WalkupEvent,
} from '../../contract';
import type { AuditEvent, AuditLog } from '../audit/types';
import { constantTimeEquals } from '../constant-time';
import type { WalkupConfig } from '../config/schema';
import { clientKey } from '../directory/throttle';
import type { AttemptContext, AuthResult, Directory } from '../directory/types';
import type {
  CallbackParams,
  CallbackResult,
  DuoFailureCode,
  DuoGateway,
  DuoHealth,
  PendingAuthorization,
} from '../duo/types';
import { isV2Username } from '../duo/web-v2';
import type { Clock, Logger } from '../ports';
import type { ConsumedSet } from './consumed-set';
import { toSignInFailure, type SignInFailure } from './failure-mapping';
import { newSupportReference, newVisitId } from './support-reference';
import type { V4Presentation, VisitSession } from './types';
import type { UsernameHasher } from './username-hash';

/** Timer functions; tests pass fakes (or use vitest's fake timers on the defaults). */
export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  setInterval(callback: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

/** What a session needs from its engine. */
export interface SessionContext {
  config: WalkupConfig;
  directory: Directory;
  duo: DuoGateway;
  clock: Clock;
  logger: Logger;
  audit: AuditLog;
  timers: Timers;
  /** v2 responses already submitted (all sessions). */
  consumedResponses: ConsumedSet;
  /** v4 states already used (all sessions). */
  consumedStates: ConsumedSet;
  /** The station as it stands, after the first health check has finished. */
  readyStation(): Promise<StationInfo>;
  /** A sign-in saw the directory fail: check the station again. */
  noteDirectoryTrouble(): void;
  /** A sign-in checked Duo: let the station reflect it. */
  noteDuoHealth(health: DuoHealth): void;
  /** The session was disposed. */
  forget(id: string): void;
  /** The audit form of a typed, unresolved username (`username-hash.ts`). */
  hashUsername: UsernameHasher;
  /**
   * A visit of `account` starts in `starting`: every other session's visit in progress for the
   * same account ends now (it is the same person, who signed in again elsewhere), so one account
   * never holds more than one visit in progress. Synchronous: no await between it and the start.
   */
  endOtherVisitsOf(account: string, starting: VisitSession): void;
  /** Duo v2 could not carry a signed-in account's username; returns the count since start. */
  noteDuoUsernameUnsupported(): number;
}

/**
 * Who a failed sign-in concerned, as the audit log may name it: the account the directory
 * resolved (named), or only what was typed (hashed).
 */
type SignInSubject = { account: string } | { typed: string } | undefined;

/**
 * Longest a sign-in may wait for the directory before it is given up as `directory-unavailable`:
 * every server's connect and four operations (search, bind, group and policy reads), plus the
 * minimum failure time and a margin. The directory's own timeouts end an attempt well before;
 * this bound holds even if one of them fails to.
 */
export function signInDeadlineMs(config: WalkupConfig): number {
  const { servers, timeouts, throttling } = config.directory;
  return (
    Math.max(1, servers.length) * (timeouts.connectMs + 4 * timeouts.operationMs) +
    throttling.minFailureMs +
    5000
  );
}

interface DuoPhase {
  phase: 'duo';
  visitId: string;
  username: string;
  displayName: string;
  launch: DuoLaunch;
  /** v4: the authorization waiting for Duo's redirect; removed when a callback arrives. */
  pending?: PendingAuthorization;
  /** v2: the APP part of sig_request. Never leaves main. */
  appPart?: string;
  idleResetAt: number;
  capResetAt: number;
  warned: boolean;
}

type VisitState =
  | { phase: 'idle' }
  | { phase: 'signing-in'; visitId: string }
  | DuoPhase
  | {
      phase: 'done';
      visitId: string;
      username: string;
      displayName: string;
      outcome: 'verified' | 'finished';
      resetAt: number;
    }
  | {
      phase: 'failed';
      visitId: string;
      username: string;
      reason: DuoFailureReason;
      reference: string;
      resetAt: number;
    };

/** How long a consumed response or state is remembered past its own expiry. */
const CONSUMED_MARGIN_MS = 10 * 60 * 1000;
/** Longest a consumed v2 response is remembered (Duo's responses expire after minutes). */
const CONSUMED_MAX_MS = 24 * 60 * 60 * 1000;

/** The frame's success message, exactly as Duo-Web-v2.js accepts it (Duo-Web-v2.js 2.9). */
const DUO_MESSAGE_FORMAT = /^(?:AUTH|ENROLL)\|[A-Za-z0-9+/=]+\|[A-Za-z0-9+/=]+$/;

/** The expiry Duo wrote into a v2 response (`AUTH|b64(user|ikey|exp)|sig`), in ms. */
function v2ResponseExpiry(response: string): number | undefined {
  const encoded = response.split('|')[1];
  if (!encoded) return undefined;
  const exp = Number(Buffer.from(encoded, 'base64').toString('utf8').split('|')[2]);
  return Number.isFinite(exp) && exp > 0 ? exp * 1000 : undefined;
}

/** Which sign-in field broke the request schema by its length, if one did. */
function oversizedField(request: unknown): SignInFailure['detail'] {
  const fields = (request ?? {}) as { username?: unknown; password?: unknown };
  if (typeof fields.username === 'string' && [...fields.username].length > MAX_USERNAME_LENGTH)
    return 'username-too-long';
  if (typeof fields.password === 'string' && [...fields.password].length > MAX_PASSWORD_LENGTH)
    return 'password-too-long';
  return undefined;
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}

/** A visit session. Created by the engine's `openSession`. */
export class EngineVisitSession implements VisitSession {
  private state: VisitState = { phase: 'idle' };
  /** Bumped by every reset and sign-in, so a slow sign-in cannot revive a visit that ended. */
  private generation = 0;
  private readonly visitTimers = new Set<unknown>();
  private readonly listeners = new Set<(event: WalkupEvent) => void>();
  /** Key of the client of the latest sign-in (portal mode), for the audit log's per-client bound. */
  private client: string | undefined;
  private disposed = false;

  constructor(
    readonly id: string,
    private readonly presentation: V4Presentation,
    private readonly ctx: SessionContext,
  ) {}

  get inProgress(): boolean {
    return this.state.phase !== 'idle';
  }

  get account(): string | undefined {
    const state = this.state;
    return state.phase === 'duo' || state.phase === 'done' || state.phase === 'failed'
      ? state.username
      : undefined;
  }

  getVisit(): VisitView {
    const state = this.state;
    switch (state.phase) {
      case 'idle':
      case 'signing-in':
        return { phase: 'idle' };
      case 'duo':
        return {
          phase: 'duo',
          displayName: state.displayName,
          duo: state.launch,
          idleResetAt: new Date(state.idleResetAt).toISOString(),
          capResetAt: new Date(state.capResetAt).toISOString(),
        };
      case 'done':
        return {
          phase: 'done',
          displayName: state.displayName,
          outcome: state.outcome,
          resetAt: new Date(state.resetAt).toISOString(),
        };
      case 'failed':
        return {
          phase: 'failed',
          reason: state.reason,
          reference: state.reference,
          resetAt: new Date(state.resetAt).toISOString(),
        };
    }
  }

  expectsDuoCallback(params: CallbackParams): boolean {
    const pending = this.state.phase === 'duo' ? this.state.pending : undefined;
    return pending !== undefined && constantTimeEquals(params.state, pending.state);
  }

  pendingDuoUrl(): string | undefined {
    return this.state.phase === 'duo' ? this.state.pending?.authUrl : undefined;
  }

  onEvent(listener: (event: WalkupEvent) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Sends an event to this session's listeners (the engine uses it for station changes). */
  emit(event: WalkupEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (error) {
        this.ctx.logger.error('event-listener-failed', { event: event.type, error: errorName(error) });
      }
    }
  }

  // -------------------------------------------------------------------------------------------
  // Sign-in
  // -------------------------------------------------------------------------------------------

  async signIn(request: SignInRequest, attempt: AttemptContext = {}): Promise<SignInResult> {
    this.client = attempt.client === undefined ? undefined : clientKey(attempt.client);
    const visitId = newVisitId();
    const parsed = signInRequestSchema.safeParse(request);
    if (!parsed.success || this.disposed) {
      const typed = typeof request?.username === 'string' ? { typed: request.username } : undefined;
      const failure: SignInFailure = { reason: 'invalid-input' };
      const problem = parsed.success ? undefined : oversizedField(request);
      if (problem) failure.detail = problem;
      return this.failSignIn(visitId, typed, 'invalid-request', failure);
    }
    const { username } = parsed.data;
    if (this.state.phase === 'signing-in') {
      // One attempt at a time per screen: a second click must not double the directory binds.
      return this.failSignIn(visitId, { typed: username }, 'concurrent-sign-in', {
        reason: 'throttled',
        retryAfterSeconds: 1,
      });
    }
    if (this.state.phase !== 'idle') this.resetVisit('cancelled');

    const generation = ++this.generation;
    this.state = { phase: 'signing-in', visitId };
    try {
      return await this.runSignIn(visitId, generation, username, parsed.data.password, attempt);
    } finally {
      if (this.generation === generation && this.state.phase === 'signing-in') this.state = { phase: 'idle' };
    }
  }

  private async runSignIn(
    visitId: string,
    generation: number,
    username: string,
    password: string,
    attempt: AttemptContext,
  ): Promise<SignInResult> {
    const { ctx } = this;
    const typed = { typed: username };
    const stale = (): boolean => this.generation !== generation || this.disposed;
    const superseded = (): SignInResult =>
      this.failSignIn(visitId, typed, 'superseded', { reason: 'throttled', retryAfterSeconds: 1 });

    const station = await ctx.readyStation();
    if (stale()) return superseded();
    if (!station.inService) {
      const reason = station.outOfService?.reason ?? 'starting';
      const shown: SignInFailureReason =
        reason === 'duo-unreachable' || reason === 'duo-credentials-rejected'
          ? 'duo-unavailable'
          : 'out-of-service';
      return this.failSignIn(visitId, typed, `station-${reason}`, { reason: shown });
    }

    const auth = await this.authenticateBounded(username, password, attempt);
    if (stale()) return superseded();
    if (!auth.ok) {
      const failure = toSignInFailure(auth, ctx.config.directory.showConditions);
      if (failure.reason === 'directory-unavailable') ctx.noteDirectoryTrouble();
      // Named only when the directory resolved the typed name to an account.
      const subject = auth.account !== undefined ? { account: auth.account } : typed;
      return this.failSignIn(visitId, subject, auth.reason, failure, auth.detail);
    }
    const user = auth.user;
    const account = { account: user.username };

    if (ctx.duo.sdk === 'v2' && !isV2Username(user.username)) {
      // A configuration fact for the admin (Duo v2 cannot carry this name), not an outage: the
      // station stays in service and the person is sent to the helpdesk.
      const sinceStart = ctx.noteDuoUsernameUnsupported();
      ctx.logger.warn('duo-username-unsupported', { visit: visitId, sdk: 'v2', sinceStart });
      return this.failSignIn(
        visitId,
        account,
        'duo-username-unsupported',
        { reason: 'see-helpdesk' },
        'Duo Web SDK v2 cannot carry this username (it contains "|" or cannot be encoded); use Web SDK v4',
      );
    }

    let health: DuoHealth;
    try {
      health = await ctx.duo.health();
    } catch (error) {
      health = {
        ok: false,
        checkedAt: ctx.clock.now(),
        code: 'unreachable',
        detail: `health threw ${errorName(error)}`,
      };
    }
    ctx.noteDuoHealth(health);
    if (stale()) return superseded();
    if (!health.ok) {
      return this.failSignIn(
        visitId,
        account,
        `duo-${health.code}`,
        { reason: 'duo-unavailable' },
        health.detail,
      );
    }

    let launch: DuoLaunch;
    let pending: PendingAuthorization | undefined;
    let appPart: string | undefined;
    try {
      if (ctx.duo.sdk === 'v4') {
        pending = await ctx.duo.startAuthorization(user.username);
        launch =
          this.presentation === 'redirect'
            ? { kind: 'v4', presentation: 'redirect', authUrl: pending.authUrl }
            : { kind: 'v4', presentation: 'view' };
      } else {
        const request = ctx.duo.signV2Request(user.username);
        appPart = request.app;
        launch = { kind: 'v2', host: request.host, tx: request.tx };
      }
    } catch (error) {
      return this.failSignIn(
        visitId,
        account,
        'duo-start-failed',
        { reason: 'duo-unavailable' },
        `starting Duo threw ${errorName(error)}`,
      );
    }
    if (stale()) return superseded();

    const now = ctx.clock.now();
    const { idle } = ctx.config.station;
    const visit: DuoPhase = {
      phase: 'duo',
      visitId,
      username: user.username,
      displayName: user.displayName || user.username,
      launch,
      idleResetAt: now + idle.duoSeconds * 1000,
      capResetAt: now + idle.visitCapSeconds * 1000,
      warned: false,
    };
    if (pending) visit.pending = pending;
    if (appPart !== undefined) visit.appPart = appPart;
    // One visit in progress per account: the same person's older visit elsewhere ends first.
    ctx.endOtherVisitsOf(user.username, this);
    this.state = visit;
    this.scheduleDuoTimers(visit);

    this.record({ type: 'sign-in-succeeded', visit: visitId, username: user.username });
    this.record({ type: 'duo-started', visit: visitId, username: user.username, sdk: ctx.duo.sdk });
    ctx.logger.info('visit-started', { visit: visitId, sdk: ctx.duo.sdk });
    this.emit({ type: 'visit-changed', visit: this.getVisit() });
    return { ok: true, displayName: visit.displayName, duo: launch };
  }

  /**
   * The directory's answer, or `unavailable` when it throws or has not answered within
   * `signInDeadlineMs` (its late answer is then ignored: the generation has moved on).
   */
  private async authenticateBounded(
    username: string,
    password: string,
    attempt: AttemptContext,
  ): Promise<AuthResult> {
    const { ctx } = this;
    const deadlineMs = signInDeadlineMs(ctx.config);
    let timer: unknown;
    const timedOut = new Promise<AuthResult>((resolve) => {
      timer = ctx.timers.setTimeout(
        () =>
          resolve({
            ok: false,
            reason: 'unavailable',
            detail: `the directory did not answer within ${Math.round(deadlineMs / 1000)} s`,
          }),
        deadlineMs,
      );
    });
    const answered = (async (): Promise<AuthResult> => {
      try {
        return await ctx.directory.authenticate(username, password, attempt);
      } catch (error) {
        // A thrown error is a bug in the directory module; its message could quote anything.
        return { ok: false, reason: 'unavailable', detail: `authenticate threw ${errorName(error)}` };
      }
    })();
    try {
      return await Promise.race([answered, timedOut]);
    } finally {
      ctx.timers.clearTimeout(timer);
    }
  }

  private failSignIn(
    visitId: string,
    subject: SignInSubject,
    preciseReason: string,
    failure: SignInFailure,
    adminDetail?: string,
  ): SignInResult {
    const reference = newSupportReference();
    const event: AuditEvent = {
      type: 'sign-in-failed',
      visit: visitId,
      reason: preciseReason,
      shown: failure.reason,
      reference,
    };
    if (subject && 'account' in subject) event.username = subject.account;
    else if (subject && subject.typed.trim() !== '')
      event.usernameHash = this.ctx.hashUsername(subject.typed);
    if (adminDetail) event.detail = adminDetail;
    this.record(event);
    this.ctx.logger.info('sign-in-failed', { visit: visitId, reason: preciseReason, reference });
    const result: SignInResult = { ok: false, reason: failure.reason, reference };
    if (failure.detail) result.detail = failure.detail;
    if (failure.retryAfterSeconds !== undefined) result.retryAfterSeconds = failure.retryAfterSeconds;
    return result;
  }

  // -------------------------------------------------------------------------------------------
  // Duo results
  // -------------------------------------------------------------------------------------------

  async submitDuoResponse(request: DuoResponseRequest): Promise<DuoResult> {
    const parsed = duoResponseRequestSchema.safeParse(request);
    const state = this.state;
    const visit = state.phase === 'duo' ? state : undefined;
    if (!parsed.success)
      return this.rejectDuo(visit, 'malformed', 'malformed', 'request did not match the schema');
    const response = parsed.data.response;

    // Replay first: a response seen before is refused whatever the visit state.
    if (this.ctx.consumedResponses.has(response)) return this.replayed(visit, 'v2');
    if (!visit || visit.appPart === undefined)
      return this.rejectDuo(undefined, 'no-visit', 'no-visit', undefined, 'v2');

    if (response.startsWith('ERR|')) {
      const detail = response.slice(4, 200).replace(/[^\w\s.()-]/g, '');
      return this.failVisit(visit, 'duo-error', 'duo-error', `frame reported: ${detail}`);
    }
    if (!DUO_MESSAGE_FORMAT.test(response)) {
      // Noise (another script's postMessage) is refused without ending the visit.
      return this.rejectDuo(visit, 'malformed', 'malformed');
    }

    // Consumed before verification: a response gets exactly one chance.
    const now = this.ctx.clock.now();
    const expiry = Math.min(v2ResponseExpiry(response) ?? visit.capResetAt, now + CONSUMED_MAX_MS);
    this.ctx.consumedResponses.add(response, Math.max(expiry, visit.capResetAt) + CONSUMED_MARGIN_MS);

    let verified: string | null;
    try {
      verified = this.ctx.duo.verifyV2Response(response, visit.appPart);
    } catch (error) {
      verified = null;
      this.ctx.logger.error('duo-verify-threw', { error: errorName(error) });
    }
    if (verified === null)
      return this.failVisit(visit, 'rejected', 'token-invalid', 'verify_response failed');
    if (verified !== visit.username) {
      return this.failVisit(visit, 'rejected', 'username-mismatch', 'response is for another user');
    }
    return this.verify(visit);
  }

  async handleDuoCallback(params: CallbackParams): Promise<DuoResult> {
    const state = this.state;
    const visit = state.phase === 'duo' ? state : undefined;
    if (params.state !== undefined && this.ctx.consumedStates.has(params.state)) {
      return this.replayed(visit, 'v4');
    }
    const pending = visit?.pending;
    if (!visit || !pending) return this.rejectDuo(undefined, 'no-visit', 'no-visit', undefined, 'v4');

    // Single use: gone before any network exchange, whatever the outcome.
    delete visit.pending;
    this.ctx.consumedStates.add(pending.state, visit.capResetAt + CONSUMED_MARGIN_MS);

    if (params.state !== pending.state) {
      return this.failVisit(visit, 'rejected', 'state-mismatch', 'callback state does not match the visit');
    }
    if (params.error !== undefined) {
      const description = (params.errorDescription ?? '').slice(0, 200);
      return this.failVisit(
        visit,
        'duo-error',
        params.error === 'access_denied' ? 'access-denied' : 'duo-error',
        `${params.error.slice(0, 60)}: ${description}`,
      );
    }

    let result: CallbackResult;
    try {
      result = await this.ctx.duo.completeAuthorization(params, pending);
    } catch (error) {
      result = { ok: false, code: 'unreachable', detail: `completeAuthorization threw ${errorName(error)}` };
    }
    if (this.state !== visit) {
      // The visit ended (reset, timeout) while the code was being exchanged.
      return this.rejectDuo(undefined, 'no-visit', 'no-visit', 'visit ended during the exchange', 'v4');
    }
    if (!result.ok) {
      const shown: DuoFailureReason =
        result.code === 'duo-error' || result.code === 'access-denied' ? 'duo-error' : 'rejected';
      return this.failVisit(visit, shown, result.code, result.detail);
    }
    if (result.username !== visit.username) {
      return this.failVisit(visit, 'rejected', 'username-mismatch', 'id_token is for another user');
    }
    return this.verify(visit);
  }

  private verify(visit: DuoPhase): DuoResult {
    this.record({
      type: 'duo-verified',
      visit: visit.visitId,
      username: visit.username,
      sdk: this.ctx.duo.sdk,
    });
    this.endVisit(
      {
        phase: 'done',
        visitId: visit.visitId,
        username: visit.username,
        displayName: visit.displayName,
        outcome: 'verified',
        resetAt: this.doneDeadline(),
      },
      'done',
    );
    return { ok: true };
  }

  private replayed(visit: DuoPhase | undefined, sdk: 'v2' | 'v4'): DuoResult {
    const reference = newSupportReference();
    const event: AuditEvent = { type: 'duo-replayed', sdk, reference };
    if (visit) event.visit = visit.visitId;
    this.record(event);
    this.ctx.logger.warn('duo-replayed', { sdk, reference });
    return { ok: false, reason: 'replayed', reference };
  }

  /** Refuses a Duo result without changing the visit. */
  private rejectDuo(
    visit: DuoPhase | undefined,
    reason: DuoFailureReason,
    code: DuoFailureCode | 'malformed' | 'no-visit',
    detail?: string,
    sdk: 'v2' | 'v4' = this.ctx.duo.sdk,
  ): DuoResult {
    const reference = newSupportReference();
    const event: AuditEvent = { type: 'duo-rejected', sdk, code, reason, reference };
    if (visit) {
      event.visit = visit.visitId;
      event.username = visit.username;
    }
    if (detail) event.detail = detail;
    this.record(event);
    this.ctx.logger.info('duo-rejected', { code, reference });
    return { ok: false, reason, reference };
  }

  /** Refuses a Duo result and ends the visit as failed. */
  private failVisit(
    visit: DuoPhase,
    reason: DuoFailureReason,
    code: DuoFailureCode | 'malformed' | 'no-visit',
    detail?: string,
  ): DuoResult {
    const result = this.rejectDuo(visit, reason, code, detail);
    const reference = result.ok ? newSupportReference() : result.reference;
    this.endVisit(
      {
        phase: 'failed',
        visitId: visit.visitId,
        username: visit.username,
        reason,
        reference,
        resetAt: this.doneDeadline(),
      },
      'failed',
    );
    return result;
  }

  // -------------------------------------------------------------------------------------------
  // Ending, activity, timers
  // -------------------------------------------------------------------------------------------

  finish(request: FinishRequest): void {
    const parsed = finishRequestSchema.safeParse(request ?? {});
    const reason = parsed.success ? parsed.data.reason : 'finished';
    const state = this.state;
    if (state.phase === 'duo') {
      this.record({ type: 'visit-finished', visit: state.visitId, username: state.username, reason });
      if (reason === 'cancelled') {
        this.resetVisit('cancelled');
        return;
      }
      this.endVisit(
        {
          phase: 'done',
          visitId: state.visitId,
          username: state.username,
          displayName: state.displayName,
          outcome: 'finished',
          resetAt: this.doneDeadline(),
        },
        'finished',
      );
      return;
    }
    if (state.phase !== 'idle') this.resetVisit(reason);
  }

  activity(): void {
    const state = this.state;
    if (state.phase !== 'duo') return;
    const wasWarned = state.warned;
    state.idleResetAt = this.ctx.clock.now() + this.ctx.config.station.idle.duoSeconds * 1000;
    state.warned = false;
    this.scheduleDuoTimers(state);
    // The renderer hides its countdown when it sees the later deadline.
    if (wasWarned) this.emit({ type: 'visit-changed', visit: this.getVisit() });
  }

  dispose(reason: ResetReason = 'cancelled'): void {
    if (this.disposed) return;
    if (this.state.phase !== 'idle') this.resetVisit(reason);
    this.disposed = true;
    this.clearVisitTimers();
    this.listeners.clear();
    this.ctx.forget(this.id);
  }

  /** Ends the visit now: drops every piece of visit state and tells the renderer. */
  resetVisit(reason: ResetReason): void {
    const state = this.state;
    this.generation += 1;
    this.clearVisitTimers();
    this.state = { phase: 'idle' };
    if (state.phase === 'idle') return;
    this.record({ type: 'visit-reset', visit: state.visitId, reason });
    this.ctx.logger.info('visit-reset', { visit: state.visitId, reason });
    this.emit({ type: 'visit-reset', reason });
    this.emit({ type: 'visit-changed', visit: { phase: 'idle' } });
  }

  private doneDeadline(): number {
    return this.ctx.clock.now() + this.ctx.config.station.idle.doneSeconds * 1000;
  }

  private endVisit(next: Extract<VisitState, { phase: 'done' | 'failed' }>, resetReason: ResetReason): void {
    this.clearVisitTimers();
    this.state = next;
    this.startTimer(() => this.resetVisit(resetReason), next.resetAt - this.ctx.clock.now());
    this.emit({ type: 'visit-changed', visit: this.getVisit() });
  }

  private scheduleDuoTimers(visit: DuoPhase): void {
    this.clearVisitTimers();
    const now = this.ctx.clock.now();
    const capFirst = visit.capResetAt <= visit.idleResetAt;
    const endAt = capFirst ? visit.capResetAt : visit.idleResetAt;
    const warnAt = endAt - this.ctx.config.station.idle.warningSeconds * 1000;
    this.startTimer(() => {
      if (this.state !== visit) return;
      visit.warned = true;
      this.emit({
        type: 'idle-warning',
        secondsLeft: Math.max(0, Math.ceil((endAt - this.ctx.clock.now()) / 1000)),
        ending: capFirst ? 'visit-cap' : 'idle',
      });
    }, warnAt - now);
    this.startTimer(() => {
      if (this.state === visit) this.resetVisit(capFirst ? 'visit-cap' : 'idle');
    }, endAt - now);
  }

  private startTimer(callback: () => void, ms: number): void {
    const { timers } = this.ctx;
    const handle = timers.setTimeout(
      () => {
        this.visitTimers.delete(handle);
        callback();
      },
      Math.max(0, ms),
    );
    this.visitTimers.add(handle);
  }

  private clearVisitTimers(): void {
    for (const handle of this.visitTimers) this.ctx.timers.clearTimeout(handle);
    this.visitTimers.clear();
  }

  /**
   * Records an audit event. Refused sign-ins carry the client's key (portal mode: its address,
   * IPv6 per /64), so the audit log's per-client bound keeps one client's flood from rotating the
   * history away; decisions about a person who got in are never subject to it.
   */
  private record(event: AuditEvent): void {
    const client = event.type === 'sign-in-failed' ? this.client : undefined;
    void this.ctx.audit.record(event, client === undefined ? undefined : { client });
  }
}
