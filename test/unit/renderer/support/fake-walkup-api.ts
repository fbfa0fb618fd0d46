/**
 * An in-memory WalkupApi for renderer tests: it answers with what the test says and records
 * every call, and `emit` pushes events the way main would.
 */
import type {
  DuoResponseRequest,
  DuoResult,
  FinishRequest,
  SignInRequest,
  SignInResult,
  StationInfo,
  VisitView,
  WalkupApi,
  WalkupEvent,
} from '../../../../main/contract';

export const testStation: StationInfo = {
  name: 'Helpdesk station 3',
  locale: 'en',
  duoSdk: 'v2',
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
  onScreenKeyboard: 'off',
};

export interface FakeWalkupApi extends WalkupApi {
  station: StationInfo;
  visit: VisitView;
  /** The next answers to signIn(), in order; the last one repeats. */
  signInResults: SignInResult[];
  duoResult: DuoResult;
  signInCalls: SignInRequest[];
  duoResponses: DuoResponseRequest[];
  finishCalls: FinishRequest[];
  activityCalls: number;
  emit(event: WalkupEvent): void;
}

export function createFakeWalkupApi(
  overrides: Partial<Pick<FakeWalkupApi, 'station' | 'visit'>> = {},
): FakeWalkupApi {
  const listeners = new Set<(event: WalkupEvent) => void>();
  const fake: FakeWalkupApi = {
    station: overrides.station ?? testStation,
    visit: overrides.visit ?? { phase: 'idle' },
    signInResults: [],
    duoResult: { ok: true },
    signInCalls: [],
    duoResponses: [],
    finishCalls: [],
    activityCalls: 0,
    getStation: async () => fake.station,
    getVisit: async () => fake.visit,
    async signIn(request) {
      fake.signInCalls.push(request);
      const result = fake.signInResults.length > 1 ? fake.signInResults.shift() : fake.signInResults[0];
      if (!result) throw new Error('the test gave no sign-in result');
      return result;
    },
    async submitDuoResponse(request) {
      fake.duoResponses.push(request);
      return fake.duoResult;
    },
    async finish(request) {
      fake.finishCalls.push(request);
    },
    async activity() {
      fake.activityCalls += 1;
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    emit(event) {
      for (const listener of [...listeners]) listener(event);
    },
  };
  return fake;
}
