/**
 * What the renderer knows, as one pure reducer. Main owns the truth (station, visit, idle
 * timers); the renderer keeps only what is needed to draw it and the few things that are local:
 * a sign-in in flight, the last failure, the idle-warning countdown, and the bound of every
 * screen (issue #7: nothing of one person may reach the next, even when main's events do not
 * reach this page). Time comes in with the actions (`now`, epoch ms), so the reducer stays pure.
 *
 * Every visit begins on the welcome screen (issue #12): what the station is for, the language
 * picker and "Start". Every reset returns there, in the station's own language; only "Try again"
 * on Failed returns straight to the sign-in form, in the language the person picked.
 */
import type {
  DuoLaunch,
  ResetReason,
  SignInFields,
  SignInResult,
  StationInfo,
  VisitView,
  WalkupEvent,
} from '../../main/contract';
import type { SupportedLanguage } from '../../main/contract/languages';

/** A sign-in failure as the form shows it. */
export type SignInFailure = Extract<SignInResult, { ok: false }>;

/** The screens, one at a time. */
export type Screen =
  | 'starting'
  | 'unavailable'
  | 'out-of-service'
  | 'welcome'
  | 'sign-in'
  | 'checking'
  | 'duo'
  | 'done'
  | 'failed';

/**
 * The quiet notice on the welcome screen (or, for a renewed session, above the sign-in form). Main's reset reasons, plus two the renderer gives
 * itself: a sign-in that took too long and was abandoned, and a sign-in refused because the
 * browser session had just been renewed (nothing was checked; the person only presses again).
 * A notice never names a person.
 */
export type SignInNotice = ResetReason | 'checking-timeout' | 'session-renewed';

/** Duo as the Duo screen draws it, whether it came from the visit or straight from sign-in. */
export interface DuoSession {
  displayName: string;
  duo: DuoLaunch;
  /** Epoch ms; estimated from the station's timings until main has reported the visit. */
  idleResetAt: number;
  capResetAt: number;
}

export interface AppState {
  /** 'connecting' until the first station answer; 'unavailable' after a transport failure. */
  connection: 'connecting' | 'ready' | 'unavailable';
  station?: StationInfo;
  visit: VisitView;
  /** Epoch ms at which this screen's visit phase began (Done and Failed are bounded from it). */
  visitSince: number;
  /** True once an event has described the visit, so a slower initial read cannot undo it. */
  visitFromEvent: boolean;
  /**
   * True once the person pressed "Start" on the welcome screen (or "Try again" on Failed): an
   * idle visit then shows the sign-in form instead of the welcome. Every reset clears it.
   */
  welcomed: boolean;
  /**
   * The language the person picked on the welcome or sign-in screen; absent: the station's
   * (`station.locale`). Every reset drops it, except "Try again".
   */
  language?: SupportedLanguage;
  /** The sign-in form's fields, byte-exact (never trimmed). */
  form: SignInFields;
  /** The "Show password" toggle. Part of what a reset wipes: it always returns hidden. */
  passwordShown: boolean;
  /** Epoch ms of the last input seen on this page, or of the last reset of the form. */
  lastInputAt: number;
  /** Epoch ms of the last change to a field or to the password toggle. */
  typedAt?: number;
  submitting: boolean;
  /** Epoch ms the sign-in in flight was sent. */
  submittedAt?: number;
  failure?: SignInFailure;
  /** Epoch ms the failure arrived. */
  failureAt?: number;
  /** Sign-in succeeded and Duo may be shown before main's visit-changed event arrives. */
  pendingDuo?: { displayName: string; duo: DuoLaunch; receivedAt: number };
  /**
   * The visit (Duo, Done or Failed) this page left on its own when its time was up, as JSON. A
   * later answer describing exactly that visit is stale and never shows it again; a visit main
   * has since extended (a later `idleResetAt`) differs and is shown.
   */
  leftVisit?: string;
  /** Changes on every reset so the sign-in form is mounted afresh (empty fields). */
  formGeneration: number;
  resetNotice?: SignInNotice;
  /** Idle warning from main: seconds left when received, when (epoch ms), and what ends. */
  idleWarning?: { secondsLeft: number; receivedAt: number; ending: 'idle' | 'visit-cap' };
  /** The visit cap (epoch ms) whose warning the person closed: it is not shown again. */
  capWarningDismissedFor?: number;
  /** Epoch ms of the last activity() sent; extends the Duo countdown shown in the bar. */
  lastActivityAt?: number;
}

export type AppAction =
  | {
      type: 'loaded';
      station: StationInfo;
      visit: VisitView;
      now: number;
      /** The person's pick kept across Duo's v4 redirect (language-across-redirect.ts). */
      language?: SupportedLanguage;
    }
  | { type: 'station-loaded'; station: StationInfo }
  | { type: 'visit-loaded'; visit: VisitView; now: number }
  | { type: 'transport-failed'; now: number }
  | { type: 'started'; now: number }
  | { type: 'language-picked'; language: SupportedLanguage; now: number }
  | { type: 'try-again'; now: number }
  | { type: 'form-changed'; field: keyof SignInFields; value: string; now: number }
  | { type: 'password-visibility-toggled'; now: number }
  | { type: 'input-seen'; now: number }
  | { type: 'sign-in-started'; now: number }
  | { type: 'sign-in-finished'; result: SignInResult; now: number }
  | { type: 'sign-in-interrupted'; now: number }
  | {
      type: 'duo-refused';
      reason: Extract<VisitView, { phase: 'failed' }>['reason'];
      reference: string;
      now: number;
    }
  | { type: 'event'; event: WalkupEvent; now: number }
  | { type: 'activity-sent'; now: number }
  | { type: 'idle-warning-dismissed'; now: number }
  | { type: 'cap-warning-dismissed' }
  | { type: 'bound-reached'; now: number };

/**
 * Where main resets the visit itself (Duo, Done, Failed), the renderer waits this much longer
 * before it resets on its own: main's reset normally arrives first, and the page never ends a
 * visit main still holds. When main's events are lost, the page still leaves one second after the
 * countdown's zero.
 */
export const LOCAL_RESET_GRACE_MS = 1000;

/**
 * A sign-in in flight is abandoned after `station.idle.signInSeconds`, but never sooner than this:
 * a slow directory with failover (connect plus operation timeouts, per server) must still answer.
 */
export const CHECKING_MIN_SECONDS = 30;

/**
 * Resets that only ever end a visit in Duo, Done or Failed (main's timers, "I'm done", a verified
 * or refused Duo result); the others (an admin, a crash, a cancelled sign-in) may also end what
 * the screen shows otherwise.
 */
const endsOnlyAShownVisit: readonly ResetReason[] = ['idle', 'visit-cap', 'finished', 'done', 'failed'];

/** How early a timer may fire and still count as on time. */
const TIMER_SLACK_MS = 20;

export const initialAppState: AppState = {
  connection: 'connecting',
  visit: { phase: 'idle' },
  visitSince: 0,
  visitFromEvent: false,
  welcomed: false,
  form: { username: '', password: '' },
  passwordShown: false,
  lastInputAt: 0,
  submitting: false,
  formGeneration: 0,
};

/**
 * Back to the welcome screen in the station's language: every field, the password toggle, the
 * failure and its support reference, the person's name and Duo launch, their language and every
 * countdown are dropped. Only a notice (which names nobody) may remain.
 */
function resetToWelcome(state: AppState, now: number, notice?: SignInNotice): AppState {
  return {
    connection: state.connection,
    station: state.station,
    visit: { phase: 'idle' },
    visitSince: now,
    visitFromEvent: state.visitFromEvent,
    welcomed: false,
    form: { username: '', password: '' },
    passwordShown: false,
    lastInputAt: now,
    submitting: false,
    formGeneration: state.formGeneration + 1,
    resetNotice: notice,
    ...(state.leftVisit === undefined ? {} : { leftVisit: state.leftVisit }),
  };
}

/**
 * The station as main reports it. When it is out of service the sign-in form is not shown, and
 * what was typed must not wait unseen for the station's return (issue #7): the fields, the
 * password toggle and a refusal with its support reference are wiped at once, as a transport
 * failure wipes them, and the station returns to its welcome. The person's language goes too,
 * unless Done or Failed is still on screen (they stay readable in it until their bound). The
 * visit itself is main's to end.
 */
function withStation(state: AppState, station: StationInfo): AppState {
  const next: AppState = { ...state, connection: 'ready', station };
  if (station.inService) return next;
  const visitShown = state.visit.phase === 'done' || state.visit.phase === 'failed';
  const dropLanguage = state.language !== undefined && !visitShown;
  const typed =
    state.form.username !== '' ||
    state.form.password !== '' ||
    state.passwordShown ||
    state.failure ||
    state.welcomed ||
    dropLanguage;
  if (!typed) return next;
  return {
    ...next,
    welcomed: false,
    ...(dropLanguage ? { language: undefined } : {}),
    form: { username: '', password: '' },
    passwordShown: false,
    typedAt: undefined,
    failure: undefined,
    failureAt: undefined,
    formGeneration: state.formGeneration + 1,
  };
}

/** Whether the sign-in screen shows nothing but the empty form (and, perhaps, a notice). */
function formIsEmpty(state: AppState): boolean {
  return (
    state.form.username === '' &&
    state.form.password === '' &&
    !state.passwordShown &&
    state.failure === undefined &&
    !state.submitting &&
    state.pendingDuo === undefined
  );
}

/**
 * What identifies a visit this page has left. A failed visit is its support reference: the page's
 * own copy of a refusal (`duo-refused`) and main's description of it differ only in `resetAt`, and
 * either may arrive first; a Duo or Done visit is its whole description (main may extend a Duo visit).
 */
function visitFingerprint(visit: VisitView): string {
  return visit.phase === 'failed' ? `failed ${visit.reference}` : JSON.stringify(visit);
}

/** A new visit description; a visit that moved on makes the local sign-in bookkeeping obsolete. */
function withVisit(state: AppState, visit: VisitView, now: number): AppState {
  if (visit.phase === 'idle') {
    // An idle visit while Duo was just opened locally is an older answer, not a reset (resets
    // come as visit-reset events).
    if (state.pendingDuo || state.submitting) return { ...state, visit };
    if (state.visit.phase !== 'idle') return resetToWelcome(state, now);
    return { ...state, visit };
  }
  // The visit this page already left because its time was up: a stale answer.
  if (visitFingerprint(visit) === state.leftVisit) return state;
  return {
    ...state,
    visit,
    visitSince: state.visit.phase === visit.phase ? state.visitSince : now,
    form: { username: '', password: '' },
    passwordShown: false,
    pendingDuo: undefined,
    submitting: false,
    submittedAt: undefined,
    failure: undefined,
    failureAt: undefined,
    resetNotice: undefined,
    leftVisit: undefined,
  };
}

/** The reducer. Pure: time comes in with the actions that need it. */
export function appReducer(state: AppState, action: AppAction): AppState {
  switch (action.type) {
    case 'loaded': {
      const next = withStation(state, action.station);
      // After an outage the fresh read is the truth; otherwise an event may already be newer.
      const loaded =
        state.visitFromEvent && state.connection !== 'unavailable'
          ? next
          : withVisit(next, action.visit, action.now);
      // Back from Duo's redirect: the person's language, only while the visit is still theirs.
      return action.language !== undefined && loaded.visit.phase !== 'idle' && loaded.language === undefined
        ? { ...loaded, language: action.language }
        : loaded;
    }
    case 'station-loaded':
      return withStation(state, action.station);
    case 'visit-loaded':
      return withVisit({ ...state, connection: 'ready' }, action.visit, action.now);
    case 'transport-failed':
      // Whatever was typed is dropped: the person starts over once the station is back.
      return { ...resetToWelcome(state, action.now), connection: 'unavailable' };
    case 'started':
      // "Start" on the welcome: the notice was read there; the form's own bound begins now.
      if (selectScreen(state) !== 'welcome') return state;
      return { ...state, welcomed: true, resetNotice: undefined, lastInputAt: action.now };
    case 'language-picked': {
      // A pick is input: it extends the welcome's or the form's bound.
      const screen = selectScreen(state);
      if (screen !== 'welcome' && screen !== 'sign-in') return state;
      return { ...state, language: action.language, lastInputAt: Math.max(state.lastInputAt, action.now) };
    }
    case 'try-again': {
      // Failed's "Try again": straight back to an empty sign-in form in the person's language;
      // the failed visit itself is ended by main (finish), and an answer still describing it is
      // stale.
      if (selectScreen(state) !== 'failed') return state;
      // Out of service, there is no form to go to: the welcome, in the station's language, shows
      // the station's state (a person's pick must not outlast them through an outage).
      if (state.station?.inService === false) {
        return { ...resetToWelcome(state, action.now), leftVisit: visitFingerprint(state.visit) };
      }
      return {
        ...resetToWelcome(state, action.now),
        welcomed: true,
        ...(state.language === undefined ? {} : { language: state.language }),
        leftVisit: visitFingerprint(state.visit),
      };
    }
    case 'form-changed':
      return {
        ...state,
        form: { ...state.form, [action.field]: action.value },
        lastInputAt: action.now,
        typedAt: action.now,
      };
    case 'password-visibility-toggled':
      return { ...state, passwordShown: !state.passwordShown, lastInputAt: action.now, typedAt: action.now };
    case 'input-seen':
      return action.now > state.lastInputAt ? { ...state, lastInputAt: action.now } : state;
    case 'sign-in-started':
      return {
        ...state,
        submitting: true,
        submittedAt: action.now,
        failure: undefined,
        failureAt: undefined,
        resetNotice: undefined,
      };
    case 'sign-in-finished': {
      const { result } = action;
      if (!state.submitting) return state; // reset while waiting: the answer is stale
      if (!result.ok) {
        // A refused attempt clears the password at once, whatever the reason (issue #7): the
        // person at the station may already have walked away.
        return {
          ...state,
          submitting: false,
          submittedAt: undefined,
          failure: result,
          failureAt: action.now,
          form: { ...state.form, password: '' },
          passwordShown: false,
        };
      }
      return {
        ...state,
        // Signed in: nothing typed is kept.
        form: { username: '', password: '' },
        passwordShown: false,
        submitting: false,
        submittedAt: undefined,
        failure: undefined,
        failureAt: undefined,
        pendingDuo: { displayName: result.displayName, duo: result.duo, receivedAt: action.now },
      };
    }
    case 'sign-in-interrupted':
      // Nothing was checked (the browser session had just been renewed): the person's fields stay
      // so that one more press signs in; the password is never re-sent without that press.
      if (!state.submitting) return state;
      return {
        ...state,
        submitting: false,
        submittedAt: undefined,
        resetNotice: 'session-renewed',
        lastInputAt: action.now,
      };
    case 'duo-refused':
      // Main's description of this very refusal may have come first (its event is written before
      // the HTTP answer): it stays, with main's own reset time.
      if (state.visit.phase === 'failed' && state.visit.reference === action.reference) return state;
      return withVisit(
        state,
        {
          phase: 'failed',
          reason: action.reason,
          reference: action.reference,
          resetAt: new Date(action.now + (state.station?.idle.failedSeconds ?? 60) * 1000).toISOString(),
        },
        action.now,
      );
    case 'event':
      return applyEvent(state, action.event, action.now);
    case 'activity-sent':
      return { ...state, lastActivityAt: action.now };
    case 'idle-warning-dismissed':
      // "I'm still here" is input too: it extends the sign-in bound as it extends main's timer.
      return { ...state, idleWarning: undefined, lastInputAt: Math.max(state.lastInputAt, action.now) };
    case 'cap-warning-dismissed': {
      const session = selectDuoSession(state);
      return {
        ...state,
        idleWarning: state.idleWarning?.ending === 'visit-cap' ? undefined : state.idleWarning,
        capWarningDismissedFor: session?.capResetAt,
      };
    }
    case 'bound-reached':
      return applyBoundReached(state, action.now);
  }
}

function applyEvent(state: AppState, event: WalkupEvent, now: number): AppState {
  switch (event.type) {
    case 'visit-changed':
      return { ...withVisit(state, event.visit, now), visitFromEvent: true, idleWarning: undefined };
    case 'visit-reset':
      // The end of a visit this page no longer shows: it left Done, Failed or an expired Duo
      // visit on its own timer, and main's reset of that visit arrives about then (or later). It
      // must not wipe what the next person has begun to type, nor a sign-in they have sent. On an
      // untouched welcome it only sets the notice, if there is none yet; a person who has just
      // pressed Start keeps their empty form (the notice was for the welcome).
      if (
        state.visit.phase === 'idle' &&
        !state.pendingDuo &&
        (endsOnlyAShownVisit.includes(event.reason) || (formIsEmpty(state) && !state.welcomed))
      ) {
        const untouchedWelcome = formIsEmpty(state) && !state.welcomed;
        return {
          ...state,
          visitFromEvent: true,
          idleWarning: undefined,
          resetNotice: untouchedWelcome ? (state.resetNotice ?? event.reason) : state.resetNotice,
          // A reset of the whole station (an administrator, a crashed renderer, a cancelled
          // sign-in) also takes back a language picked on the untouched welcome.
          ...(untouchedWelcome && !endsOnlyAShownVisit.includes(event.reason) ? { language: undefined } : {}),
        };
      }
      return { ...resetToWelcome(state, now, event.reason), visitFromEvent: true };
    case 'idle-warning':
      return {
        ...state,
        idleWarning: { secondsLeft: event.secondsLeft, receivedAt: now, ending: event.ending },
      };
    case 'station-changed':
      return withStation(state, event.station);
    case 'admin-requested':
      // The admin PIN pad is the admin screen's own state (renderer/admin), not the visit's.
      return state;
  }
}

/** What the screen's bound does when it is reached (see {@link selectIdleBound}). */
function applyBoundReached(state: AppState, now: number): AppState {
  const bound = selectIdleBound(state);
  if (!bound || !boundHasRunOut(bound, now)) return state;
  switch (bound.screen) {
    case 'welcome':
      // The notice and the person's language go; the welcome stays, in the station's language.
      return resetToWelcome(state, now);
    case 'sign-in':
      // A form with something typed returns to the welcome with a notice; an empty one without.
      return resetToWelcome(state, now, formIsEmpty(state) ? undefined : 'idle');
    case 'refused':
      return resetToWelcome(state, now);
    case 'checking':
      return resetToWelcome(state, now, 'checking-timeout');
    case 'duo':
    case 'done':
    case 'failed': {
      const reset = resetToWelcome(state, now, bound.screen === 'duo' ? bound.ending : undefined);
      return state.visit.phase === 'idle' ? reset : { ...reset, leftVisit: visitFingerprint(state.visit) };
    }
  }
}

/**
 * Which screen to show. A visit that has ended (Done, or Failed with its support reference) stays
 * on screen for its bound even when the station leaves service meanwhile: Duo going down during a
 * visit fails that visit and then takes the station out of service, and the person must still read
 * what happened and note the reference. Out of service shows after that.
 */
export function selectScreen(state: AppState): Screen {
  if (state.connection === 'unavailable') return 'unavailable';
  if (!state.station) return 'starting';
  if (!state.station.inService && state.visit.phase !== 'done' && state.visit.phase !== 'failed')
    return 'out-of-service';
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
      return state.welcomed ? 'sign-in' : 'welcome';
  }
}

/** The Duo session to draw on the Duo screen, or undefined when there is none. */
export function selectDuoSession(state: AppState): DuoSession | undefined {
  const { visit } = state;
  const idle = state.station?.idle;
  if (visit.phase === 'duo') {
    const idleResetAt = Date.parse(visit.idleResetAt);
    const capResetAt = Date.parse(visit.capResetAt);
    // An unreadable time is taken as "now": the page leaves rather than keep Duo without bound.
    return {
      displayName: visit.displayName,
      duo: visit.duo,
      idleResetAt: Number.isNaN(idleResetAt) ? state.visitSince : idleResetAt,
      capResetAt: Number.isNaN(capResetAt) ? state.visitSince : capResetAt,
    };
  }
  const pending = state.pendingDuo;
  if (!pending) return undefined;
  // Main has not described the visit yet: its clocks started about when the answer arrived.
  return {
    displayName: pending.displayName,
    duo: pending.duo,
    idleResetAt: pending.receivedAt + (idle?.duoSeconds ?? 0) * 1000,
    capResetAt: pending.receivedAt + (idle?.visitCapSeconds ?? 0) * 1000,
  };
}

/**
 * When the Duo visit will end (epoch ms), for the bar's "Time left": whichever comes first, the
 * idle reset or the visit cap. Main extends its idle timer on every activity() it receives but
 * may not announce the new time, so the renderer extends its estimate the same way, never past
 * the hard cap.
 */
export function selectDuoDeadline(state: AppState): number | undefined {
  return selectDuoEnd(state)?.deadline;
}

function selectDuoEnd(state: AppState): { deadline: number; ending: 'idle' | 'visit-cap' } | undefined {
  const session = selectDuoSession(state);
  if (!session) return undefined;
  let idleDeadline = session.idleResetAt;
  if (state.lastActivityAt !== undefined && state.station) {
    idleDeadline = Math.max(idleDeadline, state.lastActivityAt + state.station.idle.duoSeconds * 1000);
  }
  return session.capResetAt <= idleDeadline
    ? { deadline: session.capResetAt, ending: 'visit-cap' }
    : { deadline: idleDeadline, ending: 'idle' };
}

/**
 * The time bound of the screen shown: when a countdown warning appears, when it reaches zero and
 * when the renderer resets on its own. Every screen that holds something typed or something of a
 * person has one (issue #7):
 * - `welcome`: a notice or a picked language: both go `signInSeconds` after the last input (or
 *   the reset that set the notice), without warning. A pristine welcome has none: it is the
 *   station's resting screen.
 * - `sign-in`: something typed (or the password shown): `signInSeconds` after the last input,
 *   with the warning in the last `warningSeconds` (at most half of it); an empty form returns
 *   to the welcome `signInSeconds` after "Start" or the last input, without warning.
 * - `refused`: a refusal with nothing typed since: the username, message and support reference
 *   go `refusedSeconds` after the refusal or the last input, whichever is later (the password
 *   was cleared at once). Typing again makes it a `sign-in` bound.
 * - `checking`: a sign-in in flight is abandoned after `signInSeconds` (at least
 *   {@link CHECKING_MIN_SECONDS}).
 * - `duo`: the idle reset or the visit cap, whichever comes first, from main's visit (extended by
 *   the activity this page sent); warning `warningSeconds` before; the page leaves
 *   {@link LOCAL_RESET_GRACE_MS} after zero if main's reset has not arrived.
 * - `done`: main's `resetAt`, at most `doneSeconds` after Done appeared.
 * - `failed`: main's `resetAt`, at least `failedSeconds` after Failed appeared (the reference
 *   must be readable).
 * Where main resets too (Duo, Done, Failed), the page resets by itself {@link LOCAL_RESET_GRACE_MS}
 * after zero, so that main's reset (and its renewal of the browser session) normally comes first.
 * Undefined while the station is starting, unreachable or out of service (nothing is kept then).
 */
export interface IdleBound {
  screen: 'welcome' | 'sign-in' | 'refused' | 'checking' | 'duo' | 'done' | 'failed';
  /** Epoch ms the countdown warning appears; absent when nothing would be lost by surprise. */
  warnAt?: number;
  /** Epoch ms the countdown reaches zero. */
  deadline: number;
  /** Epoch ms the renderer resets by itself (the deadline, or a grace later where main resets). */
  endsAt: number;
  /** `visit-cap` cannot be extended; `idle` can, by input. */
  ending: 'idle' | 'visit-cap';
}

export function selectIdleBound(state: AppState): IdleBound | undefined {
  const idle = state.station?.idle;
  if (!idle) return undefined;
  const seconds = (value: number) => value * 1000;
  switch (selectScreen(state)) {
    case 'welcome': {
      if (state.resetNotice === undefined && state.language === undefined) return undefined;
      const deadline = state.lastInputAt + seconds(idle.signInSeconds);
      return { screen: 'welcome', deadline, endsAt: deadline, ending: 'idle' };
    }
    case 'sign-in': {
      if (formIsEmpty(state)) {
        const deadline = state.lastInputAt + seconds(idle.signInSeconds);
        return { screen: 'sign-in', deadline, endsAt: deadline, ending: 'idle' };
      }
      const typedSinceRefusal =
        state.failureAt !== undefined && state.typedAt !== undefined && state.typedAt > state.failureAt;
      if (state.failure && state.failureAt !== undefined && !typedSinceRefusal) {
        const deadline = Math.max(state.failureAt, state.lastInputAt) + seconds(idle.refusedSeconds);
        return { screen: 'refused', deadline, endsAt: deadline, ending: 'idle' };
      }
      const deadline = state.lastInputAt + seconds(idle.signInSeconds);
      const typed = state.form.username !== '' || state.form.password !== '' || state.passwordShown;
      const warning = Math.min(seconds(idle.warningSeconds), seconds(idle.signInSeconds) / 2);
      return {
        screen: 'sign-in',
        ...(typed ? { warnAt: deadline - warning } : {}),
        deadline,
        endsAt: deadline,
        ending: 'idle',
      };
    }
    case 'checking': {
      const deadline =
        (state.submittedAt ?? state.lastInputAt) +
        seconds(Math.max(idle.signInSeconds, CHECKING_MIN_SECONDS));
      return { screen: 'checking', deadline, endsAt: deadline, ending: 'idle' };
    }
    case 'duo': {
      const end = selectDuoEnd(state);
      if (!end) return undefined;
      return {
        screen: 'duo',
        warnAt: end.deadline - seconds(idle.warningSeconds),
        deadline: end.deadline,
        endsAt: end.deadline + LOCAL_RESET_GRACE_MS,
        ending: end.ending,
      };
    }
    case 'done': {
      const byStation = state.visitSince + seconds(idle.doneSeconds);
      const resetAt = state.visit.phase === 'done' ? Date.parse(state.visit.resetAt) : Number.NaN;
      const deadline = Number.isNaN(resetAt) ? byStation : Math.min(resetAt, byStation);
      return { screen: 'done', deadline, endsAt: deadline + LOCAL_RESET_GRACE_MS, ending: 'idle' };
    }
    case 'failed': {
      const byStation = state.visitSince + seconds(idle.failedSeconds);
      const resetAt = state.visit.phase === 'failed' ? Date.parse(state.visit.resetAt) : Number.NaN;
      const deadline = Number.isNaN(resetAt) ? byStation : Math.max(resetAt, byStation);
      return { screen: 'failed', deadline, endsAt: deadline + LOCAL_RESET_GRACE_MS, ending: 'idle' };
    }
    default:
      return undefined;
  }
}

/** Whether `bound` has run out at `now` (a browser timer may fire a millisecond early). */
export function boundHasRunOut(bound: IdleBound, now: number): boolean {
  return now >= bound.endsAt - TIMER_SLACK_MS;
}

/** The countdown dialog to show at `now`, if any. */
export interface IdleWarning {
  /** Epoch ms the countdown reaches zero. */
  deadline: number;
  /** `idle`: "I'm still here" extends. `visit-cap`: the visit ends; "Finish now" is offered. */
  ending: 'idle' | 'visit-cap';
}

/**
 * The warning to show at `now`: main's (from its idle-warning event) or, when main's did not
 * arrive, the renderer's own from the screen's bound. A cap warning the person closed stays closed.
 */
export function selectIdleWarning(state: AppState, now: number): IdleWarning | undefined {
  const screen = selectScreen(state);
  if (screen !== 'sign-in' && screen !== 'checking' && screen !== 'duo') return undefined;
  const capDismissed = (ending: 'idle' | 'visit-cap') =>
    ending === 'visit-cap' &&
    state.capWarningDismissedFor !== undefined &&
    state.capWarningDismissedFor === selectDuoSession(state)?.capResetAt;

  if (state.idleWarning && !capDismissed(state.idleWarning.ending)) {
    return {
      deadline: state.idleWarning.receivedAt + state.idleWarning.secondsLeft * 1000,
      ending: state.idleWarning.ending,
    };
  }
  const bound = selectIdleBound(state);
  if (!bound || bound.warnAt === undefined || now < bound.warnAt || now >= bound.endsAt) return undefined;
  if (capDismissed(bound.ending)) return undefined;
  return { deadline: bound.deadline, ending: bound.ending };
}
