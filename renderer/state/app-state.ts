/**
 * What the renderer knows, as one pure reducer. Main owns the truth (station, visit, idle
 * timers); the renderer keeps only what is needed to draw it and the few things that are local:
 * a sign-in in flight, the last failure, and the idle-warning countdown.
 */
import type {
  DuoLaunch,
  ResetReason,
  SignInRequest,
  SignInResult,
  StationInfo,
  VisitView,
  WalkupEvent,
} from '../../main/contract';

/** A sign-in failure as the form shows it. */
export type SignInFailure = Extract<SignInResult, { ok: false }>;

/** The screens, one at a time. */
export type Screen =
  'starting' | 'unavailable' | 'out-of-service' | 'sign-in' | 'checking' | 'duo' | 'done' | 'failed';

/** Duo as the Duo screen draws it, whether it came from the visit or straight from sign-in. */
export interface DuoSession {
  displayName: string;
  duo: DuoLaunch;
  /** Epoch ms; absent until main has reported the visit. */
  idleResetAt?: number;
  capResetAt?: number;
}

export interface AppState {
  /** 'connecting' until the first station answer; 'unavailable' after a transport failure. */
  connection: 'connecting' | 'ready' | 'unavailable';
  station?: StationInfo;
  visit: VisitView;
  /** True once an event has described the visit, so a slower initial read cannot undo it. */
  visitFromEvent: boolean;
  /** The sign-in form's fields, byte-exact (never trimmed). */
  form: SignInRequest;
  submitting: boolean;
  failure?: SignInFailure;
  /** Sign-in succeeded and Duo may be shown before main's visit-changed event arrives. */
  pendingDuo?: { displayName: string; duo: DuoLaunch };
  /** Changes on every reset so the sign-in form is mounted afresh (empty fields). */
  formGeneration: number;
  resetNotice?: ResetReason;
  /** Idle warning from main: seconds left when received, and when (epoch ms). */
  idleWarning?: { secondsLeft: number; receivedAt: number };
  /** Epoch ms of the last activity() sent; extends the Duo countdown shown in the bar. */
  lastActivityAt?: number;
}

export type AppAction =
  | { type: 'loaded'; station: StationInfo; visit: VisitView }
  | { type: 'station-loaded'; station: StationInfo }
  | { type: 'visit-loaded'; visit: VisitView }
  | { type: 'transport-failed' }
  | { type: 'form-changed'; field: keyof SignInRequest; value: string }
  | { type: 'sign-in-started' }
  | { type: 'sign-in-finished'; result: SignInResult }
  | {
      type: 'duo-refused';
      reason: Extract<VisitView, { phase: 'failed' }>['reason'];
      reference: string;
      now: number;
    }
  | { type: 'event'; event: WalkupEvent; now: number }
  | { type: 'activity-sent'; now: number }
  | { type: 'idle-warning-dismissed' }
  | { type: 'local-reset' };

export const initialAppState: AppState = {
  connection: 'connecting',
  visit: { phase: 'idle' },
  visitFromEvent: false,
  form: { username: '', password: '' },
  submitting: false,
  formGeneration: 0,
};

/** Back to an empty sign-in form; `reason` is shown as a short notice when given. */
function resetToSignIn(state: AppState, reason?: ResetReason): AppState {
  return {
    ...state,
    visit: { phase: 'idle' },
    form: { username: '', password: '' },
    submitting: false,
    failure: undefined,
    pendingDuo: undefined,
    idleWarning: undefined,
    lastActivityAt: undefined,
    formGeneration: state.formGeneration + 1,
    resetNotice: reason,
  };
}

/** A new visit description; a visit that moved on makes the local sign-in bookkeeping obsolete. */
function withVisit(state: AppState, visit: VisitView): AppState {
  if (visit.phase === 'idle') {
    // An idle visit while Duo was just opened locally is an older answer, not a reset (resets
    // come as visit-reset events).
    if (state.pendingDuo || state.submitting) return { ...state, visit };
    if (state.visit.phase !== 'idle') return resetToSignIn(state);
    return { ...state, visit };
  }
  return {
    ...state,
    visit,
    pendingDuo: undefined,
    submitting: false,
    failure: undefined,
    resetNotice: undefined,
  };
}

/** The reducer. Pure: time comes in with the actions that need it. */
export function appReducer(state: AppState, action: AppAction): AppState {
  switch (action.type) {
    case 'loaded': {
      const next = { ...state, connection: 'ready' as const, station: action.station };
      // After an outage the fresh read is the truth; otherwise an event may already be newer.
      return state.visitFromEvent && state.connection !== 'unavailable'
        ? next
        : withVisit(next, action.visit);
    }
    case 'station-loaded':
      return { ...state, connection: 'ready', station: action.station };
    case 'visit-loaded':
      return withVisit({ ...state, connection: 'ready' }, action.visit);
    case 'transport-failed':
      // Whatever was typed is dropped: the person starts over once the station is back.
      return { ...resetToSignIn(state), connection: 'unavailable' };
    case 'form-changed':
      return { ...state, form: { ...state.form, [action.field]: action.value } };
    case 'sign-in-started':
      return { ...state, submitting: true, failure: undefined, resetNotice: undefined };
    case 'sign-in-finished': {
      const { result } = action;
      if (!state.submitting) return state; // reset while waiting: the answer is stale
      if (!result.ok) {
        // The password is cleared after every refused attempt, except invalid-input: then the
        // directory was never asked and the person only needs to fix the field named.
        const password = result.reason === 'invalid-input' ? state.form.password : '';
        return { ...state, submitting: false, failure: result, form: { ...state.form, password } };
      }
      return {
        ...state,
        // Signed in: nothing typed is kept.
        form: { username: '', password: '' },
        submitting: false,
        failure: undefined,
        pendingDuo: { displayName: result.displayName, duo: result.duo },
      };
    }
    case 'duo-refused':
      return withVisit(state, {
        phase: 'failed',
        reason: action.reason,
        reference: action.reference,
        resetAt: new Date(action.now + (state.station?.idle.doneSeconds ?? 10) * 1000).toISOString(),
      });
    case 'event':
      return applyEvent(state, action.event, action.now);
    case 'activity-sent':
      return { ...state, lastActivityAt: action.now };
    case 'idle-warning-dismissed':
      return { ...state, idleWarning: undefined };
    case 'local-reset':
      return resetToSignIn(state);
  }
}

function applyEvent(state: AppState, event: WalkupEvent, now: number): AppState {
  switch (event.type) {
    case 'visit-changed':
      return { ...withVisit(state, event.visit), visitFromEvent: true, idleWarning: undefined };
    case 'visit-reset':
      // The renderer leaves Done and Failed on its own timer; main's own reset of that visit
      // arrives about then and must not wipe what the next person has begun to type.
      if (
        (event.reason === 'done' || event.reason === 'failed') &&
        state.visit.phase === 'idle' &&
        !state.pendingDuo &&
        !state.submitting
      ) {
        return { ...state, visitFromEvent: true };
      }
      return { ...resetToSignIn(state, event.reason), visitFromEvent: true };
    case 'idle-warning':
      return { ...state, idleWarning: { secondsLeft: event.secondsLeft, receivedAt: now } };
    case 'station-changed':
      return { ...state, connection: 'ready', station: event.station };
  }
}

/** Which screen to show. */
export function selectScreen(state: AppState): Screen {
  if (state.connection === 'unavailable') return 'unavailable';
  if (!state.station) return 'starting';
  if (!state.station.inService) return 'out-of-service';
  switch (state.visit.phase) {
    case 'duo':
      return 'duo';
    case 'done':
      return 'done';
    case 'failed':
      return 'failed';
    case 'idle':
      if (state.submitting) return 'checking';
      if (state.pendingDuo) return 'duo';
      return 'sign-in';
  }
}

/** The Duo session to draw on the Duo screen, or undefined when there is none. */
export function selectDuoSession(state: AppState): DuoSession | undefined {
  const { visit } = state;
  if (visit.phase === 'duo') {
    const idleResetAt = Date.parse(visit.idleResetAt);
    const capResetAt = Date.parse(visit.capResetAt);
    return {
      displayName: visit.displayName,
      duo: visit.duo,
      idleResetAt: Number.isNaN(idleResetAt) ? undefined : idleResetAt,
      capResetAt: Number.isNaN(capResetAt) ? undefined : capResetAt,
    };
  }
  return state.pendingDuo;
}

/**
 * When the Duo visit will end without further activity, for the bar's countdown (epoch ms).
 * Main extends its idle timer on every activity() it receives but may not announce the new time,
 * so the renderer extends its estimate the same way, never past the hard cap.
 */
export function selectDuoDeadline(state: AppState): number | undefined {
  const session = selectDuoSession(state);
  if (!session || session.idleResetAt === undefined) return undefined;
  let deadline = session.idleResetAt;
  if (state.lastActivityAt !== undefined && state.station) {
    deadline = Math.max(deadline, state.lastActivityAt + state.station.idle.duoSeconds * 1000);
  }
  if (session.capResetAt !== undefined) deadline = Math.min(deadline, session.capResetAt);
  return deadline;
}
