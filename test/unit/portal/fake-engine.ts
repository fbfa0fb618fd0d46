/**
 * A small in-memory stand-in for the enrollment engine, so portal tests can check the transport
 * (cookies, CSRF, headers, routing) without a directory or Duo. Records what the portal asked for.
 * Emits the events the real engine emits when a visit starts (`visit-changed` to duo) and ends
 * (`visit-reset`, then `visit-changed` to idle); `reset` stands in for a timer-driven reset.
 * Its sessions live in the engine's real registry (`createVisitRegistry`), so portal tests check
 * the one list of visits with its real bounds, expiry and eviction.
 */
import type {
  DuoLaunch,
  DuoResult,
  FinishRequest,
  SignInRequest,
  SignInResult,
  StationInfo,
  VisitView,
  WalkupEvent,
} from '../../../main/contract';
import type { CallbackParams } from '../../../main/core/duo/types';
import type { EnrollmentEngine, VisitSession } from '../../../main/core/enrollment/types';
import { createVisitRegistry } from '../../../main/core/enrollment/visit-registry';
import { systemClock, type Clock } from '../../../main/core/ports';

export const fakeStation: StationInfo = {
  name: 'Test station',
  locale: 'en',
  duoSdk: 'v4',
  inService: true,
  warnings: [],
  idle: {
    signInSeconds: 60,
    refusedSeconds: 20,
    duoSeconds: 300,
    visitCapSeconds: 900,
    warningSeconds: 20,
    doneSeconds: 8,
    failedSeconds: 60,
  },
  branding: { organisation: 'Walkup', accentColor: '#0b4a8b' },
  onScreenKeyboard: 'auto',
};

export interface FakeVisitSession extends VisitSession {
  signIns: SignInRequest[];
  callbacks: CallbackParams[];
  duoResponses: string[];
  finishes: FinishRequest[];
  activityCount: number;
  disposed: boolean;
  emit(event: WalkupEvent): void;
  /** Ends the visit as the engine's idle timer would (no request involved). */
  reset(reason?: 'idle' | 'visit-cap' | 'done'): void;
  listenerCount(): number;
}

export interface FakeEngine extends EnrollmentEngine {
  /** Every session ever opened, in order (ended ones included). */
  sessions: FakeVisitSession[];
  /** What the next sign-in launches. */
  launch: DuoLaunch;
  /** Makes every sign-in throw (an engine bug). */
  failSignIn: boolean;
  /** Makes every sign-in answer `invalid-credentials` (the visit stays idle). */
  refuseSignIn: boolean;
  /** When set, every sign-in waits for it (the visit is in progress, signing in, meanwhile). */
  signInGate: Promise<void> | undefined;
  /** The `state` a visit in Duo expects back (what `expectsDuoCallback` accepts). */
  pendingState: string;
  emitStation(station: StationInfo): void;
}

/** A v4 authorize URL (what the browser is sent to; the portal never reads it). */
export const FAKE_AUTHORIZE_URL =
  'https://duo.test/oauth/v1/authorize?response_type=code&client_id=DIXXXXXXXXXXXXXXXXXX&request=opaque';

/** A fake engine; `clock` drives its registry's expiry (the portal's clock in tests). */
export function createFakeEngine(options: { clock?: Clock; maxSessions?: number } = {}): FakeEngine {
  const stationListeners = new Set<(station: StationInfo) => void>();
  const registry = createVisitRegistry<FakeVisitSession>({
    clock: options.clock ?? systemClock,
    maxSessions: options.maxSessions ?? 1000,
  });

  const engine: FakeEngine = {
    sessions: [],
    launch: {
      kind: 'page',
      presentation: 'redirect',
      authUrl: FAKE_AUTHORIZE_URL,
    },
    failSignIn: false,
    refuseSignIn: false,
    signInGate: undefined,
    pendingState: 'state-0123456789abcdefghij',
    getStation: () => fakeStation,
    openSession(options) {
      const opened = registry.open(createSession, options.id === undefined ? {} : { id: options.id });
      if (!opened.ok) throw new Error('an unbounded session was refused');
      return opened.session;
    },
    findSession: (id) => registry.find(id),
    visits: {
      open: ({ bounds }) => registry.open(createSession, { bounds }),
      find: (id) => registry.find(id),
      touch: (id) => registry.touch(id),
      hold: (id) => registry.hold(id),
      admitVisit: (id, client, max) => registry.admitVisit(id, client, max),
      onEnded: (listener) => registry.onEnded(listener),
      sweep: () => registry.sweep(),
      get size() {
        return registry.size;
      },
    },
    refreshHealth: async () => fakeStation,
    onStationChanged(listener) {
      stationListeners.add(listener);
      return () => stationListeners.delete(listener);
    },
    close() {
      registry.close();
    },
    emitStation(station) {
      // Like the real engine: station changes go to the station listeners and to every session.
      for (const listener of stationListeners) listener(station);
      for (const session of registry.values()) session.emit({ type: 'station-changed', station });
    },
  };

  function createSession(id: string): FakeVisitSession {
    const listeners = new Set<(event: WalkupEvent) => void>();
    let visit: VisitView = { phase: 'idle' };
    // Signing in counts as a visit in progress, as in the real engine.
    let signingIn = false;
    const emitAll = (event: WalkupEvent): void => {
      for (const listener of [...listeners]) listener(event);
    };
    const reset = (reason: 'finished' | 'cancelled' | 'idle' | 'visit-cap' | 'done'): void => {
      if (visit.phase === 'idle') return;
      visit = { phase: 'idle' };
      emitAll({ type: 'visit-reset', reason });
      emitAll({ type: 'visit-changed', visit });
    };
    const session: FakeVisitSession = {
      id,
      signIns: [],
      callbacks: [],
      duoResponses: [],
      finishes: [],
      activityCount: 0,
      disposed: false,
      get inProgress() {
        return signingIn || visit.phase !== 'idle';
      },
      getVisit: () => visit,
      expectsDuoCallback: (params) => visit.phase === 'duo' && params.state === engine.pendingState,
      async signIn(request): Promise<SignInResult> {
        session.signIns.push(request);
        if (engine.failSignIn) throw new Error('engine bug: secret detail /srv/walkup');
        reset('cancelled');
        signingIn = true;
        try {
          await Promise.resolve();
          if (engine.signInGate) await engine.signInGate;
        } finally {
          signingIn = false;
        }
        if (engine.refuseSignIn) return { ok: false, reason: 'invalid-credentials', reference: 'REF-1' };
        visit = {
          phase: 'duo',
          displayName: 'Alice',
          duo: engine.launch,
          idleResetAt: new Date(0).toISOString(),
          capResetAt: new Date(0).toISOString(),
        };
        emitAll({ type: 'visit-changed', visit });
        return { ok: true, displayName: 'Alice', duo: engine.launch };
      },
      async submitDuoResponse(request): Promise<DuoResult> {
        session.duoResponses.push(request.response);
        return { ok: true };
      },
      async handleDuoCallback(params): Promise<DuoResult> {
        session.callbacks.push(params);
        visit = {
          phase: 'done',
          displayName: 'Alice',
          outcome: 'verified',
          resetAt: new Date(0).toISOString(),
        };
        emitAll({ type: 'visit-changed', visit });
        return { ok: true };
      },
      finish(request) {
        session.finishes.push(request);
        reset(request.reason);
      },
      activity() {
        session.activityCount += 1;
      },
      // Portal mode never calls it: the browser, not Walkup, loads Duo's page there.
      duoUnreachable: () => undefined,
      pendingDuoUrl: () => undefined,
      onEvent(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      dispose() {
        if (session.disposed) return;
        reset('cancelled');
        session.disposed = true;
        listeners.clear();
        registry.forget(session.id);
      },
      emit: emitAll,
      reset(reason = 'idle') {
        reset(reason);
      },
      listenerCount: () => listeners.size,
    };
    engine.sessions.push(session);
    return session;
  }
  return engine;
}
