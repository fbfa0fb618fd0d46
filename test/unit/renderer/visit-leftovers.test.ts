/**
 * Nothing of one person outlasts them through the renderer's own state (issue #12 review): a
 * failed visit that Try again has left never comes back, whichever of main's event and the HTTP
 * answer came first; Try again during an outage keeps nothing of the person; a station-wide reset
 * takes back a language picked on the welcome. Pure reducer, time passed in.
 */
import { describe, expect, it } from 'vitest';
import type { StationInfo, VisitView } from '../../../main/contract';
import {
  appReducer,
  initialAppState,
  selectScreen,
  type AppAction,
  type AppState,
} from '../../../renderer/state/app-state';
import { testStation } from './support/fake-walkup-api';

const t0 = 1_000_000;
const seconds = (n: number) => n * 1000;
const run = (actions: AppAction[], start: AppState = initialAppState) => actions.reduce(appReducer, start);
const loaded: AppAction = { type: 'loaded', station: testStation, visit: { phase: 'idle' }, now: t0 };
const outOfService: StationInfo = {
  ...testStation,
  inService: false,
  outOfService: { reason: 'duo-unreachable', since: new Date(t0).toISOString() },
};
const duo: VisitView = {
  phase: 'duo',
  displayName: 'A Person',
  duo: { kind: 'frame', host: 'api-12345678.duosecurity.test', tx: 'TX|a|b' },
  idleResetAt: new Date(t0 + seconds(300)).toISOString(),
  capResetAt: new Date(t0 + seconds(900)).toISOString(),
};
const mainFailed: VisitView = {
  phase: 'failed',
  reason: 'rejected',
  reference: 'REF-A',
  resetAt: new Date(t0 + 100 + seconds(60)).toISOString(),
};

describe('a failed visit Try again has left', () => {
  for (const order of ['event first', 'answer first'] as const) {
    it(`never shows again when main's description arrives later (${order})`, () => {
      const event: AppAction = {
        type: 'event',
        event: { type: 'visit-changed', visit: mainFailed },
        now: t0 + 100,
      };
      const answer: AppAction = {
        type: 'duo-refused',
        reason: 'rejected',
        reference: 'REF-A',
        now: t0 + 130,
      };
      let state = run([
        loaded,
        { type: 'event', event: { type: 'visit-changed', visit: duo }, now: t0 + 50 },
        ...(order === 'event first' ? [event, answer] : [answer, event]),
      ]);
      expect(selectScreen(state)).toBe('failed');
      state = run(
        [
          { type: 'try-again', now: t0 + seconds(5) },
          { type: 'form-changed', field: 'username', value: 'next-person', now: t0 + seconds(6) },
          // The event stream reconnects and replays main's failed visit before main has the finish.
          { type: 'event', event: { type: 'visit-changed', visit: mainFailed }, now: t0 + seconds(6) + 10 },
          { type: 'visit-loaded', visit: mainFailed, now: t0 + seconds(6) + 20 },
        ],
        state,
      );
      expect(selectScreen(state)).toBe('sign-in');
      expect(state.form.username).toBe('next-person');
    });
  }

  it("keeps main's own reset time when main's event came before the answer", () => {
    const state = run([
      loaded,
      { type: 'event', event: { type: 'visit-changed', visit: duo }, now: t0 + 50 },
      { type: 'event', event: { type: 'visit-changed', visit: mainFailed }, now: t0 + 100 },
      { type: 'duo-refused', reason: 'rejected', reference: 'REF-A', now: t0 + 130 },
    ]);
    expect(state.visit).toEqual(mainFailed);
  });
});

describe('Try again during an outage', () => {
  it('returns to the welcome in the station’s language, keeping no pick', () => {
    let state = run([
      loaded,
      { type: 'language-picked', language: 'de', now: t0 + 1 },
      { type: 'started', now: t0 + 2 },
      {
        type: 'event',
        event: { type: 'visit-changed', visit: { ...mainFailed, reason: 'duo-unavailable' } },
        now: t0 + 3,
      },
      { type: 'event', event: { type: 'station-changed', station: outOfService }, now: t0 + 4 },
    ]);
    expect(selectScreen(state)).toBe('failed');
    state = appReducer(state, { type: 'try-again', now: t0 + 5 });
    expect(selectScreen(state)).toBe('out-of-service');
    expect(state.language).toBeUndefined();
    expect(state.welcomed).toBe(false);
    // Hours later the station is back: the welcome, not the person's form.
    state = appReducer(state, {
      type: 'event',
      event: { type: 'station-changed', station: testStation },
      now: t0 + seconds(3 * 3600),
    });
    expect(selectScreen(state)).toBe('welcome');
  });

  it('in service, goes straight to the form in the person’s language', () => {
    const state = run([
      loaded,
      { type: 'language-picked', language: 'de', now: t0 + 1 },
      { type: 'started', now: t0 + 2 },
      { type: 'event', event: { type: 'visit-changed', visit: mainFailed }, now: t0 + 3 },
      { type: 'try-again', now: t0 + 5 },
    ]);
    expect(selectScreen(state)).toBe('sign-in');
    expect(state.language).toBe('de');
  });
});

describe('a reset while the welcome is untouched', () => {
  for (const reason of ['admin', 'renderer-crash', 'cancelled'] as const) {
    it(`takes back a picked language (${reason})`, () => {
      const state = run([
        loaded,
        { type: 'language-picked', language: 'fr', now: t0 + 10 },
        { type: 'event', event: { type: 'visit-reset', reason }, now: t0 + 20 },
      ]);
      expect(state.language).toBeUndefined();
      expect(selectScreen(state)).toBe('welcome');
    });
  }

  it("keeps the next person's pick when main's reset of a visit this page already left arrives", () => {
    const state = run([
      loaded,
      { type: 'language-picked', language: 'fr', now: t0 + 10 },
      { type: 'event', event: { type: 'visit-reset', reason: 'done' }, now: t0 + 20 },
    ]);
    expect(state.language).toBe('fr');
  });
});
