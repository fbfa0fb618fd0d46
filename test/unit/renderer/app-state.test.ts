// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import type { StationInfo, VisitView } from '../../../main/contract';
import {
  appReducer,
  CHECKING_MIN_SECONDS,
  initialAppState,
  LOCAL_RESET_GRACE_MS,
  selectDuoDeadline,
  selectIdleBound,
  selectIdleWarning,
  selectScreen,
  type AppAction,
  type AppState,
} from '../../../renderer/state/app-state';
import { testStation } from './support/fake-walkup-api';

const duoVisit: VisitView = {
  phase: 'duo',
  displayName: 'Alice',
  duo: { kind: 'frame', host: 'api-test.duosecurity.com', tx: 'TX|a|b' },
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
  now: 0,
});

/** "Start" on the welcome screen. */
const start = (now = 0): AppAction => ({ type: 'started', now });

describe('app state', () => {
  it('starts on the starting screen, shows the welcome once the station has answered, and sign-in after Start', () => {
    expect(selectScreen(initialAppState)).toBe('starting');
    expect(selectScreen(run([ready()]))).toBe('welcome');
    expect(selectScreen(run([ready(), start()]))).toBe('sign-in');
  });

  it('shows out of service whatever the visit, while the station says so', () => {
    const state = run([
      ready({ ...testStation, inService: false, outOfService: { reason: 'starting', since: '' } }),
    ]);
    expect(selectScreen(state)).toBe('out-of-service');
  });

  it('keeps a failed visit and its reference on screen when the station leaves service, then shows out of service', () => {
    const outOfService: StationInfo = {
      ...testStation,
      inService: false,
      outOfService: { reason: 'duo-unreachable', since: '' },
    };
    const failed: VisitView = {
      phase: 'failed',
      reason: 'duo-unavailable',
      reference: 'DOWN-1234',
      resetAt: '2030-01-01T00:00:08.000Z',
    };
    const state = run([
      ready(),
      { type: 'event', event: { type: 'visit-changed', visit: failed }, now: 1000 },
      { type: 'event', event: { type: 'station-changed', station: outOfService }, now: 1001 },
    ]);
    expect(selectScreen(state)).toBe('failed');
    expect(state.visit).toMatchObject({ reference: 'DOWN-1234' });
    const after = run(
      [{ type: 'event', event: { type: 'visit-changed', visit: { phase: 'idle' } }, now: 9000 }],
      state,
    );
    expect(selectScreen(after)).toBe('out-of-service');
  });

  it('wipes what was typed, the password toggle and a refusal when the station leaves service (issue #7)', () => {
    const outOfService: StationInfo = {
      ...testStation,
      inService: false,
      outOfService: { reason: 'directory-unreachable', since: '' },
    };
    const typed = run([
      ready(),
      start(),
      { type: 'form-changed', field: 'username', value: 'personA', now: 1000 },
      { type: 'form-changed', field: 'password', value: 'SecretA', now: 2000 },
      { type: 'password-visibility-toggled', now: 3000 },
    ]);
    const viaEvent = appReducer(typed, {
      type: 'event',
      event: { type: 'station-changed', station: outOfService },
      now: 4000,
    });
    expect(selectScreen(viaEvent)).toBe('out-of-service');
    expect(viaEvent.form).toEqual({ username: '', password: '' });
    expect(viaEvent.passwordShown).toBe(false);
    expect(viaEvent.formGeneration).toBeGreaterThan(typed.formGeneration);
    // Back an hour later: the welcome, and nothing of the first person on the form behind it.
    const back = appReducer(viaEvent, {
      type: 'event',
      event: { type: 'station-changed', station: testStation },
      now: 3_600_000,
    });
    expect(selectScreen(back)).toBe('welcome');
    expect(back.form).toEqual({ username: '', password: '' });
    expect(back.passwordShown).toBe(false);

    const refused = run([
      ready(),
      start(),
      { type: 'form-changed', field: 'username', value: 'personA', now: 0 },
      { type: 'sign-in-started', now: 0 },
      {
        type: 'sign-in-finished',
        result: { ok: false, reason: 'invalid-credentials', reference: 'R1' },
        now: 0,
      },
    ]);
    for (const action of [
      { type: 'station-loaded', station: outOfService },
      { type: 'loaded', station: outOfService, visit: { phase: 'idle' }, now: 5 },
    ] as AppAction[]) {
      const wiped = appReducer(refused, action);
      expect(wiped.form.username).toBe('');
      expect(wiped.failure).toBeUndefined();
      expect(JSON.stringify(wiped)).not.toContain('personA');
      expect(JSON.stringify(wiped)).not.toContain('R1');
    }
  });

  it('ignores a sign-in answer that arrives after the station was reset', () => {
    const state = run([
      ready(),
      { type: 'form-changed', field: 'username', value: 'alice', now: 0 },
      { type: 'sign-in-started', now: 0 },
      { type: 'event', event: { type: 'visit-reset', reason: 'admin' }, now: 0 },
      { type: 'sign-in-finished', result: { ok: true, displayName: 'Alice', duo: duoVisit.duo }, now: 0 },
    ]);
    expect(selectScreen(state)).toBe('welcome');
    expect(state.form).toEqual({ username: '', password: '' });
  });

  it('drops both fields once signed in, so no password stays in the renderer', () => {
    const state = run([
      ready(),
      { type: 'form-changed', field: 'username', value: 'alice', now: 0 },
      { type: 'form-changed', field: 'password', value: 'secret', now: 0 },
      { type: 'sign-in-started', now: 0 },
      { type: 'sign-in-finished', result: { ok: true, displayName: 'Alice', duo: duoVisit.duo }, now: 0 },
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

  it('returns to the welcome when main reports the visit idle again after Done', () => {
    const done: VisitView = { phase: 'done', displayName: 'Alice', outcome: 'verified', resetAt: '' };
    const state = run([
      ready(),
      { type: 'event', event: { type: 'visit-changed', visit: done }, now: 0 },
      { type: 'event', event: { type: 'visit-changed', visit: { phase: 'idle' } }, now: 0 },
    ]);
    expect(selectScreen(state)).toBe('welcome');
  });

  it("keeps what the next person typed when main's reset of a finished visit arrives late", () => {
    const done: VisitView = { phase: 'done', displayName: 'Alice', outcome: 'verified', resetAt: '' };
    const state = run([
      ready(),
      { type: 'event', event: { type: 'visit-changed', visit: done }, now: 0 },
      { type: 'bound-reached', now: 10_000 },
      start(10_001),
      { type: 'form-changed', field: 'username', value: 'bob', now: 0 },
      { type: 'event', event: { type: 'visit-reset', reason: 'done' }, now: 0 },
    ]);
    expect(state.form.username).toBe('bob');

    // Main's idle reset ends a Duo visit, which this page no longer shows: the form stays too.
    const idle = appReducer(state, { type: 'event', event: { type: 'visit-reset', reason: 'idle' }, now: 0 });
    expect(idle.form.username).toBe('bob');
    // An administrator's reset ends everything.
    const admin = appReducer(state, {
      type: 'event',
      event: { type: 'visit-reset', reason: 'admin' },
      now: 0,
    });
    expect(admin.form.username).toBe('');
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
    const down = run([ready(), { type: 'transport-failed', now: 0 }]);
    expect(selectScreen(down)).toBe('unavailable');
    const back = appReducer(down, { type: 'loaded', station: testStation, visit: duoVisit, now: 0 });
    expect(selectScreen(back)).toBe('duo');
  });
});

describe('screen bounds (issue #7)', () => {
  const { signInSeconds, refusedSeconds, warningSeconds, doneSeconds, failedSeconds } = testStation.idle;
  const s = (seconds: number) => seconds * 1000;
  const t0 = 1_000_000;

  const typed = run([
    ready(),
    start(t0),
    { type: 'form-changed', field: 'username', value: 'alice', now: t0 },
    { type: 'form-changed', field: 'password', value: 'secret', now: t0 },
    { type: 'password-visibility-toggled', now: t0 },
  ]);

  it('has no bound for an untouched welcome (the resting screen)', () => {
    expect(selectIdleBound(run([ready()]))).toBeUndefined();
  });

  it('returns an empty sign-in form to the welcome signInSeconds after Start, without warning', () => {
    const form = run([ready(), start(t0)]);
    expect(selectIdleBound(form)).toEqual({
      screen: 'sign-in',
      deadline: t0 + s(signInSeconds),
      endsAt: t0 + s(signInSeconds),
      ending: 'idle',
    });
    expect(selectIdleWarning(form, t0 + s(signInSeconds) - 1)).toBeUndefined();
    expect(appReducer(form, { type: 'bound-reached', now: t0 + s(signInSeconds) - 1000 })).toBe(form);
    const back = appReducer(form, { type: 'bound-reached', now: t0 + s(signInSeconds) });
    expect(selectScreen(back)).toBe('welcome');
    expect(back.resetNotice).toBeUndefined();
    expect(selectIdleBound(back)).toBeUndefined();
  });

  it('bounds a typed form by signInSeconds from the last input, warning in the last warningSeconds', () => {
    expect(selectIdleBound(typed)).toEqual({
      screen: 'sign-in',
      warnAt: t0 + s(signInSeconds - warningSeconds),
      deadline: t0 + s(signInSeconds),
      endsAt: t0 + s(signInSeconds),
      ending: 'idle',
    });
    const later = appReducer(typed, { type: 'input-seen', now: t0 + 5000 });
    expect(selectIdleBound(later)?.deadline).toBe(t0 + 5000 + s(signInSeconds));
  });

  it('never warns for longer than half the sign-in bound', () => {
    const station = { ...testStation, idle: { ...testStation.idle, signInSeconds: 10, warningSeconds: 300 } };
    const state = run([
      ready(station),
      start(t0),
      { type: 'form-changed', field: 'username', value: 'a', now: t0 },
    ]);
    expect(selectIdleBound(state)?.warnAt).toBe(t0 + 5000);
  });

  it('wipes everything at the bound: fields, the password toggle, failure, reference and Duo', () => {
    const early = appReducer(typed, { type: 'bound-reached', now: t0 + s(signInSeconds) - 1000 });
    expect(early).toBe(typed);
    const reset = appReducer(typed, { type: 'bound-reached', now: t0 + s(signInSeconds) });
    expect(reset.form).toEqual({ username: '', password: '' });
    expect(reset.passwordShown).toBe(false);
    expect(reset.failure).toBeUndefined();
    expect(reset.pendingDuo).toBeUndefined();
    expect(reset.formGeneration).toBe(typed.formGeneration + 1);
    expect(reset.resetNotice).toBe('idle');
    expect(JSON.stringify(reset)).not.toMatch(/alice|secret/);
  });

  it('bounds a refusal by refusedSeconds, until the person types again', () => {
    const refused = run(
      [
        { type: 'sign-in-started', now: t0 + 1000 },
        {
          type: 'sign-in-finished',
          result: { ok: false, reason: 'invalid-credentials', reference: 'REF' },
          now: t0 + 2000,
        },
      ],
      typed,
    );
    expect(refused.form.password).toBe('');
    expect(selectIdleBound(refused)).toMatchObject({
      screen: 'refused',
      deadline: t0 + 2000 + s(refusedSeconds),
    });
    expect(selectIdleBound(refused)?.warnAt).toBeUndefined();
    const wiped = appReducer(refused, { type: 'bound-reached', now: t0 + 2000 + s(refusedSeconds) });
    expect(JSON.stringify(wiped)).not.toMatch(/alice|REF/);

    const retyping = appReducer(refused, {
      type: 'form-changed',
      field: 'password',
      value: 'x',
      now: t0 + 3000,
    });
    expect(selectIdleBound(retyping)).toMatchObject({
      screen: 'sign-in',
      deadline: t0 + 3000 + s(signInSeconds),
    });
  });

  it('abandons a sign-in in flight after signInSeconds, never sooner than the checking minimum', () => {
    const checking = appReducer(typed, { type: 'sign-in-started', now: t0 });
    expect(selectIdleBound(checking)).toMatchObject({
      screen: 'checking',
      deadline: t0 + s(Math.max(signInSeconds, CHECKING_MIN_SECONDS)),
    });
    const reset = appReducer(checking, { type: 'bound-reached', now: t0 + s(600) });
    expect(selectScreen(reset)).toBe('welcome');
    expect(reset.resetNotice).toBe('checking-timeout');
  });

  it('keeps its own notice when main’s reset of the abandoned sign-in arrives on the empty form', () => {
    const checking = appReducer(typed, { type: 'sign-in-started', now: t0 });
    const reset = appReducer(checking, { type: 'bound-reached', now: t0 + s(600) });
    const after = appReducer(reset, {
      type: 'event',
      event: { type: 'visit-reset', reason: 'cancelled' },
      now: 0,
    });
    expect(after.resetNotice).toBe('checking-timeout');
    expect(after.formGeneration).toBe(reset.formGeneration);
  });

  it('lets the next person’s sign-in in flight alone when main’s reset of the previous visit arrives late', () => {
    const done: VisitView = { phase: 'done', displayName: 'Alice', outcome: 'finished', resetAt: '' };
    const next = run([
      ready(),
      { type: 'visit-loaded', visit: done, now: t0 },
      { type: 'bound-reached', now: t0 + s(600) },
      start(t0 + s(601)),
      { type: 'form-changed', field: 'username', value: 'bob', now: t0 + s(601) },
      { type: 'sign-in-started', now: t0 + s(602) },
      { type: 'event', event: { type: 'visit-reset', reason: 'finished' }, now: t0 + s(602) },
    ]);
    expect(selectScreen(next)).toBe('checking');
    expect(next.form.username).toBe('bob');
    // The stale answer describing the Done visit the page left does not bring it back either.
    expect(selectScreen(appReducer(next, { type: 'visit-loaded', visit: done, now: t0 + s(603) }))).toBe(
      'checking',
    );
  });

  it('ends Duo at the idle reset or the cap, whichever comes first, a grace after zero', () => {
    const duo = run([ready(), { type: 'event', event: { type: 'visit-changed', visit: duoVisit }, now: 0 }]);
    const idleAt = Date.parse(duoVisit.idleResetAt);
    expect(selectIdleBound(duo)).toEqual({
      screen: 'duo',
      warnAt: idleAt - s(warningSeconds),
      deadline: idleAt,
      endsAt: idleAt + LOCAL_RESET_GRACE_MS,
      ending: 'idle',
    });
    const busy = appReducer(duo, { type: 'activity-sent', now: Date.parse('2030-01-01T00:12:00.000Z') });
    expect(selectIdleBound(busy)).toMatchObject({
      deadline: Date.parse(duoVisit.capResetAt),
      ending: 'visit-cap',
    });
    expect(selectIdleWarning(busy, Date.parse(duoVisit.capResetAt) - 1000)).toEqual({
      deadline: Date.parse(duoVisit.capResetAt),
      ending: 'visit-cap',
    });
    const dismissed = appReducer(busy, { type: 'cap-warning-dismissed' });
    expect(selectIdleWarning(dismissed, Date.parse(duoVisit.capResetAt) - 1000)).toBeUndefined();
  });

  it('never shows again the Duo visit it left on its own clock, but shows the visit main extended', () => {
    const duo = run([ready(), { type: 'event', event: { type: 'visit-changed', visit: duoVisit }, now: 0 }]);
    const left = appReducer(duo, { type: 'bound-reached', now: Date.parse(duoVisit.idleResetAt) + 5000 });
    expect(selectScreen(left)).toBe('welcome');
    expect(left.resetNotice).toBe('idle');
    const stale = appReducer(left, { type: 'visit-loaded', visit: duoVisit, now: 0 });
    expect(selectScreen(stale)).toBe('welcome');
    const extended: VisitView = { ...duoVisit, idleResetAt: '2030-01-01T00:10:00.000Z' };
    expect(selectScreen(appReducer(left, { type: 'visit-loaded', visit: extended, now: 0 }))).toBe('duo');
  });

  it('bounds Done by main’s resetAt, at most doneSeconds; Failed by resetAt, at least failedSeconds', () => {
    const done: VisitView = {
      phase: 'done',
      displayName: 'Alice',
      outcome: 'verified',
      resetAt: new Date(t0 + s(60)).toISOString(),
    };
    const doneState = run([ready(), { type: 'visit-loaded', visit: done, now: t0 }]);
    expect(selectIdleBound(doneState)?.deadline).toBe(t0 + s(doneSeconds));
    const soon = run([
      ready(),
      { type: 'visit-loaded', visit: { ...done, resetAt: new Date(t0 + 2000).toISOString() }, now: t0 },
    ]);
    expect(selectIdleBound(soon)?.deadline).toBe(t0 + 2000);

    const failed: VisitView = {
      phase: 'failed',
      reason: 'rejected',
      reference: 'R',
      resetAt: new Date(t0).toISOString(),
    };
    const failedState = run([ready(), { type: 'visit-loaded', visit: failed, now: t0 }]);
    expect(failedSeconds).not.toBe(doneSeconds);
    expect(selectIdleBound(failedState)?.deadline).toBe(t0 + s(failedSeconds));
    const late = run([
      ready(),
      {
        type: 'visit-loaded',
        visit: { ...failed, resetAt: new Date(t0 + s(failedSeconds + 30)).toISOString() },
        now: t0,
      },
    ]);
    expect(selectIdleBound(late)?.deadline).toBe(t0 + s(failedSeconds + 30));
  });
});
