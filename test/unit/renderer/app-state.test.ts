// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import type { StationInfo, VisitView } from '../../../main/contract';
import {
  appReducer,
  initialAppState,
  selectDuoDeadline,
  selectScreen,
  type AppAction,
  type AppState,
} from '../../../renderer/state/app-state';
import { testStation } from './support/fake-walkup-api';

const duoVisit: VisitView = {
  phase: 'duo',
  displayName: 'Alice',
  duo: { kind: 'v2', host: 'api-test.duosecurity.com', tx: 'TX|a|b' },
  idleResetAt: '2030-01-01T00:05:00.000Z',
  capResetAt: '2030-01-01T00:15:00.000Z',
};

function run(actions: AppAction[], start: AppState = initialAppState): AppState {
  return actions.reduce(appReducer, start);
}

const ready = (station: StationInfo = testStation): AppAction => ({
  type: 'loaded',
  station,
  visit: { phase: 'idle' },
});

describe('app state', () => {
  it('starts on the starting screen and shows sign-in once the station has answered', () => {
    expect(selectScreen(initialAppState)).toBe('starting');
    expect(selectScreen(run([ready()]))).toBe('sign-in');
  });

  it('shows out of service whatever the visit, while the station says so', () => {
    const state = run([
      ready({ ...testStation, inService: false, outOfService: { reason: 'starting', since: '' } }),
    ]);
    expect(selectScreen(state)).toBe('out-of-service');
  });

  it('ignores a sign-in answer that arrives after the station was reset', () => {
    const state = run([
      ready(),
      { type: 'form-changed', field: 'username', value: 'alice' },
      { type: 'sign-in-started' },
      { type: 'event', event: { type: 'visit-reset', reason: 'idle' }, now: 0 },
      { type: 'sign-in-finished', result: { ok: true, displayName: 'Alice', duo: duoVisit.duo } },
    ]);
    expect(selectScreen(state)).toBe('sign-in');
    expect(state.form).toEqual({ username: '', password: '' });
  });

  it('drops both fields once signed in, so no password stays in the renderer', () => {
    const state = run([
      ready(),
      { type: 'form-changed', field: 'username', value: 'alice' },
      { type: 'form-changed', field: 'password', value: 'secret' },
      { type: 'sign-in-started' },
      { type: 'sign-in-finished', result: { ok: true, displayName: 'Alice', duo: duoVisit.duo } },
    ]);
    expect(state.form).toEqual({ username: '', password: '' });
    expect(selectScreen(state)).toBe('duo');
  });

  it('lets an event win over a slower first read of the visit', () => {
    const state = run([
      { type: 'event', event: { type: 'visit-changed', visit: duoVisit }, now: 0 },
      ready(),
    ]);
    expect(selectScreen(state)).toBe('duo');
  });

  it('returns to sign-in when main reports the visit idle again after Done', () => {
    const done: VisitView = { phase: 'done', displayName: 'Alice', outcome: 'verified', resetAt: '' };
    const state = run([
      ready(),
      { type: 'event', event: { type: 'visit-changed', visit: done }, now: 0 },
      { type: 'event', event: { type: 'visit-changed', visit: { phase: 'idle' } }, now: 0 },
    ]);
    expect(selectScreen(state)).toBe('sign-in');
  });

  it("keeps what the next person typed when main's reset of a finished visit arrives late", () => {
    const done: VisitView = { phase: 'done', displayName: 'Alice', outcome: 'verified', resetAt: '' };
    const state = run([
      ready(),
      { type: 'event', event: { type: 'visit-changed', visit: done }, now: 0 },
      { type: 'local-reset' },
      { type: 'form-changed', field: 'username', value: 'bob' },
      { type: 'event', event: { type: 'visit-reset', reason: 'done' }, now: 0 },
    ]);
    expect(state.form.username).toBe('bob');

    const idle = appReducer(state, { type: 'event', event: { type: 'visit-reset', reason: 'idle' }, now: 0 });
    expect(idle.form.username).toBe('');
  });

  it('extends the Duo countdown with reported activity, but never past the visit cap', () => {
    const loaded = run([
      ready(),
      { type: 'event', event: { type: 'visit-changed', visit: duoVisit }, now: 0 },
    ]);
    expect(selectDuoDeadline(loaded)).toBe(Date.parse(duoVisit.idleResetAt));

    const active = appReducer(loaded, { type: 'activity-sent', now: Date.parse('2030-01-01T00:04:00.000Z') });
    expect(selectDuoDeadline(active)).toBe(Date.parse('2030-01-01T00:09:00.000Z'));

    const late = appReducer(loaded, { type: 'activity-sent', now: Date.parse('2030-01-01T00:14:00.000Z') });
    expect(selectDuoDeadline(late)).toBe(Date.parse(duoVisit.capResetAt));
  });

  it('shows the unavailable screen after a transport failure and recovers on the next good read', () => {
    const down = run([ready(), { type: 'transport-failed' }]);
    expect(selectScreen(down)).toBe('unavailable');
    const back = appReducer(down, { type: 'loaded', station: testStation, visit: duoVisit });
    expect(selectScreen(back)).toBe('duo');
  });
});
