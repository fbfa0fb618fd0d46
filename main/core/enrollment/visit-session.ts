/**
 * One visit at one screen, as a state machine: idle -> signing in -> Duo -> done | failed ->
 * reset. All visit state (who, the pending Duo step) lives here in main and is dropped at reset.
 * The password passes through `signIn` to the directory and is never stored.
 *
 * Duo is a `DuoIntegration` chosen at station build (`main/core/duo/registry.ts`): this machine
 * begins its step, hands it the answers transports receive and acts on the verdict; it knows no
 * SDK and no Duo wire format. What is recorded is `visit-audit.ts`; what the person is shown is
 * `failure-mapping.ts` (sign-in) and the Duo verdict (Duo answers).
 *
 * Every phase has a bound: signing in (the directory's own timeouts, and `signInDeadlineMs` as
 * a safety net), Duo (idle time and the visit cap), Done (`doneSeconds`) and Failed
 * (`failedSeconds`, longer by default: the screen shows the support reference the person may need
 * to note for the helpdesk). Failed holds no secret, only that reference: "Try again" (`finish`)
 * and a new sign-in end it at once, so the next person never waits for its bound.
 */
import {
  MAX_PASSWORD_LENGTH,
  MAX_SIGN_IN_FIELD_LENGTH,
  MAX_USERNAME_LENGTH,
  type DuoFailureReason,
  type DuoResponseRequest,
  type DuoResult,
  type FinishRequest,
  type InputProblem,
  type ResetReason,
  type SignInRequest,
  type SignInResult,
  type StationInfo,
  type StationWarning,
  type VisitView,
  type WalkupEvent,
} from '../../contract';
import type { SupportedLanguage } from '../../contract/languages';
import type { AuditLog } from '../audit/types';
import type { WalkupConfig } from '../config/schema';
import { clientKey } from '../directory/throttle';
import type { AttemptContext, AuthResult, Directory } from '../directory/types';
import { duoText } from '../duo/duo-text';
import type {
  CallbackParams,
  DuoAnswer,
  DuoHealth,
  DuoIntegration,
  DuoPresentation,
  DuoRefusal,
  DuoStep,
  DuoVerdict,
} from '../duo/types';
import type { Clock, Logger, Timers } from '../ports';
import { toSignInFailure, toStationSignInFailure, type SignInFailure } from './failure-mapping';
import { newSupportReference, newVisitId } from './support-reference';
import type { VisitSession } from './types';
import type { UsernameHasher } from './username-hash';
import { VisitAudit, type SignInSubject } from './visit-audit';

/** What a session needs from its engine. */
export interface SessionContext {
  config: WalkupConfig;
  directory: Directory;
  duo: DuoIntegration;
  clock: Clock;
  logger: Logger;
  audit: AuditLog;
  timers: Timers;
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
  /**
   * The Duo integration could not carry a signed-in account's username: the station raises
   * `warning` for the admin; returns the count of such refusals since start.
   */
  noteDuoUsernameUnsupported(warning: StationWarning): number;
}

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
  /** The sign-in request's `locale`, if it had one. */
  language: SupportedLanguage | undefined;
  displayName: string;
  /** The Duo step begun for this visit; it keeps what must stay in main and is dropped with it. */
  step: DuoStep;
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
      language: SupportedLanguage | undefined;
      displayName: string;
      outcome: 'verified' | 'finished';
      resetAt: number;
    }
  | {
      phase: 'failed';
      visitId: string;
      username: string;
      language: SupportedLanguage | undefined;
      reason: DuoFailureReason;
      reference: string;
      resetAt: number;
    };

/**
 * The field that breaks the contract's length limits (`MAX_USERNAME_LENGTH`,
 * `MAX_PASSWORD_LENGTH`, in code points), if one does, for input that a transport could not parse
 * with `signInRequestSchema` (a field beyond `MAX_SIGN_IN_FIELD_LENGTH` code units; portal mode
 * hands such a body on so that the person learns which field is too long). Such input is refused
 * at once. Shorter input, even over the limits, goes to the directory, whose guard refuses it
 * with the same answer after the usual failure delay, so a length does not shortcut that delay.
 */
function unparsableField(request: SignInRequest): InputProblem | undefined {
  if (
    request.username.length <= MAX_SIGN_IN_FIELD_LENGTH &&
    request.password.length <= MAX_SIGN_IN_FIELD_LENGTH
  )
    return undefined;
  if ([...request.username].length > MAX_USERNAME_LENGTH) return 'username-too-long';
  if ([...request.password].length > MAX_PASSWORD_LENGTH) return 'password-too-long';
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
  private readonly trail: VisitAudit;
  private disposed = false;

  constructor(
    readonly id: string,
    private readonly presentation: DuoPresentation,
    private readonly ctx: SessionContext,
  ) {
    this.trail = new VisitAudit({ audit: ctx.audit, duo: ctx.duo, hashUsername: ctx.hashUsername });
  }

  get inProgress(): boolean {
    return this.state.phase !== 'idle';
  }

  get account(): string | undefined {
    const state = this.state;
    return state.phase === 'duo' || state.phase === 'done' || state.phase === 'failed'
      ? state.username
      : undefined;
  }

  get language(): SupportedLanguage | undefined {
    const state = this.state;
    return state.phase === 'duo' || state.phase === 'done' || state.phase === 'failed'
      ? state.language
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
          duo: state.step.launch,
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
    return this.state.phase === 'duo' && this.state.step.expects({ kind: 'callback', params });
  }

  pendingDuoUrl(): string | undefined {
    return this.state.phase === 'duo' ? this.state.step.url() : undefined;
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

  /** `request` was parsed by the transport with the contract's `signInRequestSchema`. */
  async signIn(request: SignInRequest, attempt: AttemptContext = {}): Promise<SignInResult> {
    this.trail.client = attempt.client === undefined ? undefined : clientKey(attempt.client);
    const visitId = newVisitId();
    const { username } = request;
    const oversized = this.disposed ? undefined : unparsableField(request);
    if (this.disposed || oversized) {
      const failure: SignInFailure = { reason: 'invalid-input' };
      if (oversized) failure.detail = oversized;
      return this.failSignIn(visitId, { typed: username }, 'invalid-request', failure);
    }
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
      return await this.runSignIn(visitId, generation, request, attempt);
    } finally {
      if (this.generation === generation && this.state.phase === 'signing-in') this.state = { phase: 'idle' };
    }
  }

  private async runSignIn(
    visitId: string,
    generation: number,
    request: SignInRequest,
    attempt: AttemptContext,
  ): Promise<SignInResult> {
    const { ctx } = this;
    const { username, password } = request;
    const typed = { typed: username };
    const stale = (): boolean => this.generation !== generation || this.disposed;
    const superseded = (): SignInResult =>
      this.failSignIn(visitId, typed, 'superseded', { reason: 'throttled', retryAfterSeconds: 1 });

    const station = await ctx.readyStation();
    if (stale()) return superseded();
    if (!station.inService) {
      const reason = station.outOfService?.reason ?? 'starting';
      return this.failSignIn(visitId, typed, `station-${reason}`, toStationSignInFailure(reason));
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

    const uncarried = ctx.duo.canCarry(user.username);
    if (uncarried) {
      // A configuration fact for the admin (this Duo integration cannot carry the name), not an
      // outage: the station stays in service and the person is sent to the helpdesk.
      const sinceStart = ctx.noteDuoUsernameUnsupported(uncarried.warning);
      ctx.logger.warn('duo-username-unsupported', { visit: visitId, sdk: ctx.duo.sdk, sinceStart });
      return this.failSignIn(
        visitId,
        account,
        'duo-username-unsupported',
        { reason: 'see-helpdesk' },
        uncarried.detail,
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

    let step: DuoStep;
    try {
      step = await ctx.duo.begin(user.username, { presentation: this.presentation });
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
      language: request.locale,
      displayName: user.displayName || user.username,
      step,
      idleResetAt: now + idle.duoSeconds * 1000,
      capResetAt: now + idle.visitCapSeconds * 1000,
      warned: false,
    };
    // One visit in progress per account: the same person's older visit elsewhere ends first.
    ctx.endOtherVisitsOf(user.username, this);
    this.state = visit;
    this.scheduleDuoTimers(visit);

    this.trail.visitStarted(visitId, user.username);
    ctx.logger.info('visit-started', { visit: visitId, sdk: ctx.duo.sdk });
    this.emit({ type: 'visit-changed', visit: this.getVisit() });
    return { ok: true, displayName: visit.displayName, duo: step.launch };
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
    this.trail.signInFailed(visitId, subject, preciseReason, failure.reason, reference, adminDetail);
    this.ctx.logger.info('sign-in-failed', { visit: visitId, reason: preciseReason, reference });
    const result: SignInResult = { ok: false, reason: failure.reason, reference };
    if (failure.detail) result.detail = failure.detail;
    if (failure.retryAfterSeconds !== undefined) result.retryAfterSeconds = failure.retryAfterSeconds;
    if (failure.attemptsLeft !== undefined) result.attemptsLeft = failure.attemptsLeft;
    return result;
  }

  // -------------------------------------------------------------------------------------------
  // Duo answers
  // -------------------------------------------------------------------------------------------

  /** A message Duo's frame posted (`request` parsed by the transport with the contract's schema). */
  submitDuoResponse(request: DuoResponseRequest): Promise<DuoResult> {
    return this.answerDuo({ kind: 'frame-message', response: request.response });
  }

  handleDuoCallback(params: CallbackParams): Promise<DuoResult> {
    return this.answerDuo({ kind: 'callback', params });
  }

  /**
   * Hands an answer to the visit's Duo step. A replay is refused whatever the visit state; an
   * answer no step waits for finds no visit; otherwise the step's verdict decides, unless the
   * visit ended while the step was judging.
   */
  private async answerDuo(answer: DuoAnswer): Promise<DuoResult> {
    const state = this.state;
    const visit = state.phase === 'duo' ? state : undefined;
    if (this.ctx.duo.isReplay(answer)) return this.replayed(visit);
    if (!visit || !visit.step.awaits(answer)) return this.rejectDuo(undefined, 'no-visit', 'no-visit');

    let verdict: DuoVerdict;
    try {
      verdict = await visit.step.complete(answer, { rememberUntil: visit.capResetAt });
    } catch (error) {
      verdict = {
        ok: false,
        reason: 'rejected',
        code: 'unreachable',
        detail: `completing the Duo step threw ${errorName(error)}`,
        endsVisit: true,
      };
    }
    if (this.state !== visit) {
      // The visit ended (reset, timeout) while the step was judging the answer.
      return this.rejectDuo(undefined, 'no-visit', 'no-visit', 'visit ended during the exchange');
    }
    if (!verdict.ok) {
      if (!verdict.endsVisit) return this.rejectDuo(visit, verdict.reason, verdict.code, verdict.detail);
      // The person's visit ends as failed with its reference first; only then may a check take
      // the station out of service for whoever comes next.
      const failed = this.failVisit(visit, verdict.reason, verdict.code, verdict.detail);
      if (
        verdict.reason === 'duo-unavailable' &&
        (verdict.code === 'unreachable' || verdict.code === 'credentials-rejected')
      ) {
        this.noteDuoDown(verdict.code, verdict.detail ?? 'Duo could not confirm a visit');
      }
      return failed;
    }
    if (verdict.username !== visit.username) {
      return this.failVisit(visit, 'rejected', 'username-mismatch', 'Duo verified another user');
    }
    return this.verify(visit);
  }

  duoUnreachable(detail: string): void {
    const state = this.state;
    if (state.phase !== 'duo') return;
    const text = duoText(detail);
    this.failVisit(state, 'duo-unavailable', 'unreachable', `Duo's page did not load: ${text}`);
    this.noteDuoDown('unreachable', text);
  }

  /**
   * What the visit just learnt of Duo becomes the station's latest health, after the visit has
   * ended as failed with its reference (the next check, soon while out of service, brings it back).
   */
  private noteDuoDown(code: 'unreachable' | 'credentials-rejected', detail: string): void {
    this.ctx.noteDuoHealth({ ok: false, checkedAt: this.ctx.clock.now(), code, detail });
  }

  private verify(visit: DuoPhase): DuoResult {
    this.trail.duoVerified(visit);
    this.endVisit(
      {
        phase: 'done',
        visitId: visit.visitId,
        username: visit.username,
        language: visit.language,
        displayName: visit.displayName,
        outcome: 'verified',
        resetAt: this.endDeadline('done'),
      },
      'done',
    );
    return { ok: true };
  }

  private replayed(visit: DuoPhase | undefined): DuoResult {
    const reference = newSupportReference();
    this.trail.duoReplayed(visit, reference);
    this.ctx.logger.warn('duo-replayed', { sdk: this.ctx.duo.sdk, reference });
    return { ok: false, reason: 'replayed', reference };
  }

  /** Refuses a Duo answer without changing the visit. */
  private rejectDuo(
    visit: DuoPhase | undefined,
    reason: DuoFailureReason,
    code: DuoRefusal['code'],
    detail?: string,
  ): { ok: false; reason: DuoFailureReason; reference: string } {
    const reference = newSupportReference();
    this.trail.duoRejected(visit, reason, code, reference, detail);
    this.ctx.logger.info('duo-rejected', { code, reference });
    return { ok: false, reason, reference };
  }

  /** Refuses a Duo answer and ends the visit as failed, under the same support reference. */
  private failVisit(
    visit: DuoPhase,
    reason: DuoFailureReason,
    code: DuoRefusal['code'],
    detail?: string,
  ): DuoResult {
    const result = this.rejectDuo(visit, reason, code, detail);
    this.endVisit(
      {
        phase: 'failed',
        visitId: visit.visitId,
        username: visit.username,
        language: visit.language,
        reason,
        reference: result.reference,
        resetAt: this.endDeadline('failed'),
      },
      'failed',
    );
    return result;
  }

  // -------------------------------------------------------------------------------------------
  // Ending, activity, timers
  // -------------------------------------------------------------------------------------------

  /** `request` was parsed by the transport (`finishRequestSchema`, whose default is `finished`). */
  finish(request: FinishRequest): void {
    const { reason } = request;
    const state = this.state;
    if (state.phase === 'duo') {
      this.trail.visitFinished(state, reason);
      if (reason === 'cancelled') {
        this.resetVisit('cancelled');
        return;
      }
      this.endVisit(
        {
          phase: 'done',
          visitId: state.visitId,
          username: state.username,
          language: state.language,
          displayName: state.displayName,
          outcome: 'finished',
          resetAt: this.endDeadline('done'),
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
    this.trail.visitReset(state.visitId, reason);
    this.ctx.logger.info('visit-reset', { visit: state.visitId, reason });
    this.emit({ type: 'visit-reset', reason });
    this.emit({ type: 'visit-changed', visit: { phase: 'idle' } });
  }

  /**
   * When the Done or Failed screen ends (epoch ms): `station.idle.doneSeconds` after Done,
   * `station.idle.failedSeconds` after Failed.
   */
  private endDeadline(phase: 'done' | 'failed'): number {
    const { doneSeconds, failedSeconds } = this.ctx.config.station.idle;
    return this.ctx.clock.now() + (phase === 'done' ? doneSeconds : failedSeconds) * 1000;
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
}
