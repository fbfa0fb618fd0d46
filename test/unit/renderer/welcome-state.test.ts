// @vitest-environment jsdom
/**
 * The welcome screen and the person's language in the app state (issue #12): every reset returns
 * to the welcome in the station's language, "Start" leads to the form, a pick is input with the
 * welcome's bound, and "Try again" on Failed returns straight to the form in the picked language.
 */
import { describe, expect, it } from 'vitest';
import type { StationInfo, VisitView } from '../../../main/contract';
import {
  appReducer,
  initialAppState,
  selectIdleBound,
  selectScreen,
  type AppAction,
  type AppState,
} from '../../../renderer/state/app-state';
import { testStation } from './support/fake-walkup-api';

const { signInSeconds, failedSeconds, doneSeconds } = testStation.idle;
const s = (seconds: number) => seconds * 1000;
const t0 = 1_000_000;

function run(actions: AppAction[], start: AppState = initialAppState): AppState {
  return actions.reduce(appReducer, start);
}

const ready = (station: StationInfo = testStation, now = t0): AppAction => ({
  type: 'loaded',
  station,
  visit: { phase: 'idle' },
  now,
});
const start = (now = t0): AppAction => ({ type: 'started', now });
const pick = (language: 'en' | 'de' | 'es' | 'fr', now = t0): AppAction => ({
  type: 'language-picked',
  language,
  now,
});
const failedVisit: VisitView = {
  phase: 'failed',
  reason: 'cancelled',
  reference: 'REF-FAILED',
  resetAt: new Date(t0 + s(failedSeconds)).toISOString(),
};
const duoVisit: VisitView = {
  phase: 'duo',
  displayName: 'First Person',
  duo: { kind: 'frame', host: 'api-test.duosecurity.com', tx: 'TX|a|b' },
  idleResetAt: new Date(t0 + s(300)).toISOString(),
  capResetAt: new Date(t0 + s(900)).toISOString(),
};
const outOfService: StationInfo = {
  ...testStation,
  inService: false,
  outOfService: { reason: 'directory-unreachable', since: '' },
};

describe('welcome', () => {
  it('is the first screen; Start leads to the form, and only from the welcome', () => {
    const welcome = run([ready()]);
    expect(selectScreen(welcome)).toBe('welcome');
    const form = appReducer(welcome, start(t0 + 5));
    expect(selectScreen(form)).toBe('sign-in');
    expect(form.lastInputAt).toBe(t0 + 5);
    // A Start that arrives on another screen (a late click) changes nothing.
    const duo = run([{ type: 'event', event: { type: 'visit-changed', visit: duoVisit }, now: t0 }], welcome);
    expect(appReducer(duo, start())).toBe(duo);
  });

  it('shows the notice of a reset there, and Start leaves it behind', () => {
    const welcome = run([
      ready(),
      { type: 'event', event: { type: 'visit-reset', reason: 'idle' }, now: t0 },
    ]);
    expect(selectScreen(welcome)).toBe('welcome');
    expect(welcome.resetNotice).toBe('idle');
    const form = appReducer(welcome, start(t0 + 1));
    expect(form.resetNotice).toBeUndefined();
    // A late idle reset of a previous visit does not bring a notice onto the form of the person now
    // there; an administrator's reset ends everything and says so on the welcome.
    const late = appReducer(form, {
      type: 'event',
      event: { type: 'visit-reset', reason: 'idle' },
      now: t0 + 2,
    });
    expect(selectScreen(late)).toBe('sign-in');
    expect(late.resetNotice).toBeUndefined();
    const admin = appReducer(form, {
      type: 'event',
      event: { type: 'visit-reset', reason: 'admin' },
      now: t0 + 2,
    });
    expect(selectScreen(admin)).toBe('welcome');
    expect(admin.resetNotice).toBe('admin');
  });

  it('returns to the welcome from every reset: main’s events, Done, the visit cap, a transport failure', () => {
    const typed = run([
      ready(),
      start(),
      pick('fr'),
      { type: 'form-changed', field: 'username', value: 'first-person', now: t0 },
    ]);
    const ends: AppAction[] = [
      { type: 'event', event: { type: 'visit-reset', reason: 'admin' }, now: t0 + 1 },
      { type: 'event', event: { type: 'visit-reset', reason: 'renderer-crash' }, now: t0 + 1 },
      { type: 'transport-failed', now: t0 + 1 },
      { type: 'bound-reached', now: t0 + s(signInSeconds) },
    ];
    for (const end of ends) {
      const after = appReducer(typed, end);
      expect(after.welcomed, end.type).toBe(false);
      expect(after.language, end.type).toBeUndefined();
      expect(JSON.stringify(after), end.type).not.toContain('first-person');
    }
    // After an outage the station answers again: the welcome.
    const back = run([{ type: 'transport-failed', now: t0 + 1 }, ready(testStation, t0 + 2)], typed);
    expect(selectScreen(back)).toBe('welcome');

    const visit = run([{ type: 'event', event: { type: 'visit-changed', visit: duoVisit }, now: t0 }], typed);
    expect(visit.language).toBe('fr');
    const done: VisitView = { phase: 'done', displayName: 'First Person', outcome: 'verified', resetAt: '' };
    const shown = run([{ type: 'event', event: { type: 'visit-changed', visit: done }, now: t0 + 1 }], visit);
    expect(selectScreen(shown)).toBe('done');
    expect(shown.language).toBe('fr');
    const idle = run(
      [{ type: 'event', event: { type: 'visit-changed', visit: { phase: 'idle' } }, now: t0 + 2 }],
      shown,
    );
    expect(selectScreen(idle)).toBe('welcome');
    expect(idle.language).toBeUndefined();
    // Done left on the page's own clock, too.
    const left = appReducer(shown, { type: 'bound-reached', now: t0 + s(doneSeconds) + 5000 });
    expect(selectScreen(left)).toBe('welcome');
    expect(left.language).toBeUndefined();
  });

  it('returns to the welcome when the station leaves service, dropping the language, but keeps Failed readable in it', () => {
    const form = run([ready(), pick('de'), start()]);
    const out = appReducer(form, { type: 'station-loaded', station: outOfService });
    expect(selectScreen(out)).toBe('out-of-service');
    expect(out.language).toBeUndefined();
    const back = appReducer(out, { type: 'station-loaded', station: testStation });
    expect(selectScreen(back)).toBe('welcome');

    const failed = run(
      [{ type: 'event', event: { type: 'visit-changed', visit: failedVisit }, now: t0 }],
      run([ready(), pick('de')]),
    );
    const failedOut = appReducer(failed, { type: 'station-loaded', station: outOfService });
    expect(selectScreen(failedOut)).toBe('failed');
    expect(failedOut.language).toBe('de');
  });
});

describe('language pick', () => {
  it('is kept from the welcome to the form and through the visit', () => {
    const state = run([ready(), pick('es'), start(), { type: 'sign-in-started', now: t0 }]);
    expect(state.language).toBe('es');
    expect(selectScreen(state)).toBe('checking');
  });

  it('is input: it gives the welcome a bound of signInSeconds, after which the station’s language is back', () => {
    const picked = run([ready(), pick('fr', t0 + 1000)]);
    expect(selectIdleBound(picked)).toEqual({
      screen: 'welcome',
      deadline: t0 + 1000 + s(signInSeconds),
      endsAt: t0 + 1000 + s(signInSeconds),
      ending: 'idle',
    });
    const again = appReducer(picked, pick('de', t0 + 5000));
    expect(selectIdleBound(again)?.deadline).toBe(t0 + 5000 + s(signInSeconds));
    expect(appReducer(again, { type: 'bound-reached', now: t0 + 5000 + s(signInSeconds) - 1000 })).toBe(
      again,
    );
    const back = appReducer(again, { type: 'bound-reached', now: t0 + 5000 + s(signInSeconds) });
    expect(selectScreen(back)).toBe('welcome');
    expect(back.language).toBeUndefined();
    expect(selectIdleBound(back)).toBeUndefined();
  });

  it('extends the form’s bound on the sign-in screen, and is ignored elsewhere', () => {
    const form = run([ready(), start()]);
    const picked = appReducer(form, pick('de', t0 + 7000));
    expect(picked.language).toBe('de');
    expect(selectIdleBound(picked)?.deadline).toBe(t0 + 7000 + s(signInSeconds));
    const checking = appReducer(picked, { type: 'sign-in-started', now: t0 + 8000 });
    expect(appReducer(checking, pick('fr', t0 + 9000))).toBe(checking);
  });
});

describe('language kept across the v4 redirect', () => {
  it('is applied on load to a visit that is still the person’s, never to an idle one', () => {
    const done: VisitView = { phase: 'done', displayName: 'First Person', outcome: 'verified', resetAt: '' };
    const back = appReducer(initialAppState, {
      type: 'loaded',
      station: testStation,
      visit: done,
      now: t0,
      language: 'fr',
    });
    expect(selectScreen(back)).toBe('done');
    expect(back.language).toBe('fr');
    const idle = appReducer(initialAppState, {
      type: 'loaded',
      station: testStation,
      visit: { phase: 'idle' },
      now: t0,
      language: 'fr',
    });
    expect(selectScreen(idle)).toBe('welcome');
    expect(idle.language).toBeUndefined();
    // The visit ends: the station's language again.
    const reset = appReducer(back, {
      type: 'event',
      event: { type: 'visit-changed', visit: { phase: 'idle' } },
      now: t0 + 1,
    });
    expect(reset.language).toBeUndefined();
  });
});

describe('Failed', () => {
  it('is bounded by failedSeconds when the Duo result is refused locally', () => {
    const refused = run([
      ready(),
      pick('fr'),
      start(),
      { type: 'sign-in-started', now: t0 },
      {
        type: 'sign-in-finished',
        result: { ok: true, displayName: 'First Person', duo: duoVisit.duo },
        now: t0,
      },
      { type: 'duo-refused', reason: 'cancelled', reference: 'REF-LOCAL', now: t0 + 1000 },
    ]);
    expect(selectScreen(refused)).toBe('failed');
    expect(refused.visit).toMatchObject({ resetAt: new Date(t0 + 1000 + s(failedSeconds)).toISOString() });
    expect(selectIdleBound(refused)?.deadline).toBe(t0 + 1000 + s(failedSeconds));
  });

  it('Try again returns straight to an empty form in the picked language; a stale answer does not bring Failed back', () => {
    const failed = run([
      ready(),
      pick('fr'),
      start(),
      { type: 'event', event: { type: 'visit-changed', visit: failedVisit }, now: t0 },
    ]);
    const again = appReducer(failed, { type: 'try-again', now: t0 + 2000 });
    expect(selectScreen(again)).toBe('sign-in');
    expect(again.language).toBe('fr');
    expect(again.form).toEqual({ username: '', password: '' });
    expect(JSON.stringify({ ...again, leftVisit: undefined })).not.toContain('REF-FAILED');
    expect(selectIdleBound(again)?.deadline).toBe(t0 + 2000 + s(signInSeconds));
    // Main's own end of the failed visit, and a slower read still describing it, change nothing.
    const stale = run(
      [
        { type: 'visit-loaded', visit: failedVisit, now: t0 + 2001 },
        { type: 'event', event: { type: 'visit-reset', reason: 'finished' }, now: t0 + 2002 },
        { type: 'visit-loaded', visit: { phase: 'idle' }, now: t0 + 2003 },
      ],
      again,
    );
    expect(selectScreen(stale)).toBe('sign-in');
    expect(stale.language).toBe('fr');
    // Only from Failed.
    const form = run([ready(), start()]);
    expect(appReducer(form, { type: 'try-again', now: t0 })).toBe(form);
  });
});
