// @vitest-environment jsdom
/**
 * Every screen that holds something typed or something of a person is bounded in time, and its
 * reset wipes all of it from the DOM (issue #7). Fake timers; the station's timings are
 * testStation's: signInSeconds 60, refusedSeconds 20, warningSeconds 20, duoSeconds 300,
 * visitCapSeconds 900, doneSeconds 8, failedSeconds 60.
 */
import { act, cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  MAX_PASSWORD_LENGTH,
  MAX_USERNAME_LENGTH,
  type SignInResult,
  type VisitView,
} from '../../../main/contract';
import { SessionRenewedError } from '../../../renderer/api/transport-error';
import { CHECKING_MIN_SECONDS, LOCAL_RESET_GRACE_MS } from '../../../renderer/state/app-state';
import { createFakeWalkupApi, testStation, type FakeWalkupApi } from './support/fake-walkup-api';
import { renderApp, SIGN_IN_HEADING, WELCOME_HEADING } from './support/render-app';

const { signInSeconds, refusedSeconds, warningSeconds, failedSeconds } = testStation.idle;
const welcomeHeading = WELCOME_HEADING;
const typedUsername = 'first-person-name';
const typedPassword = 'first-person-secret';

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

async function advance(ms: number) {
  await act(async () => {
    await vi.advanceTimersByTimeAsync(ms);
  });
}

/** Renders the app; on the welcome, presses Start unless `start` is false (as a person would). */
async function show(api: FakeWalkupApi = createFakeWalkupApi(), start = true) {
  const view = renderApp(api);
  await advance(0);
  const startButton = screen.queryByRole('button', { name: 'Start' });
  if (start && startButton) {
    fireEvent.click(startButton);
    await advance(0);
  }
  return { api, view };
}

function type(label: string, value: string) {
  fireEvent.change(screen.getByLabelText(label), { target: { value } });
}

/** Everything of the first person the page could still show or hold. */
function traces(...strings: string[]): string[] {
  const inputs = [...document.querySelectorAll('input')].map((input) => input.value);
  const text = document.body.textContent ?? '';
  return strings.filter((value) => text.includes(value) || inputs.some((input) => input.includes(value)));
}

/** Presses Start on the welcome, as the next person would, to see the form behind it. */
async function startAgain() {
  expect(screen.getByRole('heading', { level: 1, name: welcomeHeading })).toBeTruthy();
  fireEvent.click(screen.getByRole('button', { name: 'Start' }));
  await advance(0);
}

function expectPasswordHidden() {
  expect(screen.getByLabelText('Password')).toHaveProperty('type', 'password');
  expect(screen.getByRole('button', { name: 'Show password' }).classList.contains('shown')).toBe(false);
  expect(screen.queryByRole('button', { name: 'Hide password' })).toBeNull();
}

describe('sign-in with something typed', () => {
  it('warns, then wipes both fields and the show-password state after signInSeconds without input', async () => {
    await show();
    type('Username', typedUsername);
    type('Password', typedPassword);
    fireEvent.click(screen.getByRole('button', { name: 'Show password' }));
    expect(screen.getByLabelText('Password')).toHaveProperty('type', 'text');

    await advance((signInSeconds - warningSeconds) * 1000 - 100);
    expect(screen.queryByRole('alertdialog')).toBeNull();
    await advance(100);
    const dialog = screen.getByRole('alertdialog', { name: 'Are you still there?' });
    expect(dialog.textContent).toContain(`What you typed will be cleared in ${warningSeconds} seconds.`);

    await advance(warningSeconds * 1000);
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(screen.getByRole('heading', { level: 1, name: welcomeHeading })).toBeTruthy();
    expect(traces(typedUsername, typedPassword)).toEqual([]);
    expect(screen.getByRole('status').textContent).toContain('nobody was using the station');
    await startAgain();
    expect(traces(typedUsername, typedPassword)).toEqual([]);
    expectPasswordHidden();
  });

  it("keeps what was typed when the person says I'm still here, and counts from then", async () => {
    await show();
    type('Username', typedUsername);
    await advance((signInSeconds - warningSeconds) * 1000);
    fireEvent.click(screen.getByRole('button', { name: "I'm still here" }));
    await advance(0);
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(screen.getByLabelText('Username')).toHaveProperty('value', typedUsername);

    await advance((signInSeconds - warningSeconds) * 1000 - 100);
    expect(screen.queryByRole('alertdialog')).toBeNull();
    await advance(signInSeconds * 1000);
    expect(traces(typedUsername)).toEqual([]);
  });

  it('counts from the last input, so a person still typing is never interrupted', async () => {
    await show();
    for (let second = 0; second < 3 * signInSeconds; second += 10) {
      type('Username', `${typedUsername}-${second}`);
      await advance(10_000);
    }
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect((screen.getByLabelText('Username') as HTMLInputElement).value).toMatch(/^first-person-name-/);
  });

  it('returns an untouched form to the welcome after signInSeconds, without warning', async () => {
    await show();
    expect(screen.getByRole('heading', { level: 1, name: SIGN_IN_HEADING })).toBeTruthy();
    await advance(signInSeconds * 1000 - 100);
    expect(screen.getByRole('heading', { level: 1, name: SIGN_IN_HEADING })).toBeTruthy();
    expect(screen.queryByRole('alertdialog')).toBeNull();
    await advance(100);
    expect(screen.getByRole('heading', { level: 1, name: welcomeHeading })).toBeTruthy();
    expect(screen.queryByRole('status')).toBeNull();
  });

  it('leaves an untouched welcome alone, and drops a notice after signInSeconds', async () => {
    const { api } = await show(undefined, false);
    const set = vi.spyOn(globalThis, 'setTimeout');
    await advance(signInSeconds * 1000);
    expect(set).not.toHaveBeenCalled();

    act(() => api.emit({ type: 'visit-reset', reason: 'idle' }));
    expect(screen.getByRole('status')).toBeTruthy();
    await advance(signInSeconds * 1000);
    expect(screen.queryByRole('status')).toBeNull();
    expect(screen.queryByRole('alertdialog')).toBeNull();
    // One timer, for the notice; no warning for a form with nothing typed.
    expect(set).toHaveBeenCalledTimes(1);
  });

  it('counts input on the welcome, so a language pick is not taken back while the person reads', async () => {
    await show(undefined, false);
    // The pressed language button: the pick in the state (its translation loads on its own time).
    const picked = () => document.querySelector('button[aria-pressed="true"][lang]')?.textContent;
    fireEvent.click(screen.getByRole('button', { name: 'Français' }));
    await advance(0);
    expect(picked()).toBe('Français');
    // Reading and scrolling, past the pick's own bound.
    for (let elapsed = 0; elapsed < signInSeconds * 2; elapsed += 10) {
      await advance(10_000);
      fireEvent.pointerDown(document.body);
    }
    expect(picked()).toBe('Français');
    // Then nobody: back to the station's language, on the welcome.
    await advance(signInSeconds * 1000 + 1000);
    expect(picked()).toBe('English');
    expect(screen.getByRole('heading', { level: 1, name: welcomeHeading })).toBeTruthy();
  });

  it('clears its timers when the page goes away', async () => {
    const { view } = await show();
    const set = vi.spyOn(globalThis, 'setTimeout');
    const clear = vi.spyOn(globalThis, 'clearTimeout');
    type('Username', typedUsername);
    await advance(0);
    // One for the warning, one for the reset.
    const started = set.mock.results.map((result) => result.value as unknown);
    expect(started).toHaveLength(2);
    view.unmount();
    const cleared = clear.mock.calls.map(([handle]) => handle as unknown);
    expect(started.filter((handle) => !cleared.includes(handle))).toEqual([]);
  });
});

describe('refused sign-in', () => {
  function refused(api: FakeWalkupApi, result: Omit<Extract<SignInResult, { ok: false }>, 'ok'>) {
    api.signInResults = [{ ok: false, ...result }];
  }

  it('clears the password at once and the username, message and reference after refusedSeconds', async () => {
    const { api } = await show();
    refused(api, { reason: 'invalid-credentials', reference: 'REF-FIRST' });
    type('Username', typedPassword); // a password typed into the username field by mistake
    type('Password', typedPassword);
    fireEvent.click(screen.getByRole('button', { name: 'Show password' }));
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    await advance(0);

    expect(screen.getByRole('alert').textContent).toContain('REF-FIRST');
    expect(screen.getByLabelText('Password')).toHaveProperty('value', '');
    expect(screen.getByLabelText('Username')).toHaveProperty('value', typedPassword);
    expectPasswordHidden();

    await advance(refusedSeconds * 1000 - 100);
    expect(screen.getByRole('alert').textContent).toContain('REF-FIRST');
    await advance(100);
    expect(traces(typedPassword, 'REF-FIRST', 'incorrect')).toEqual([]);
    expect(screen.queryByRole('alertdialog')).toBeNull();
    await startAgain();
    expect(traces(typedPassword, 'REF-FIRST', 'incorrect')).toEqual([]);
    expectPasswordHidden();
  });

  it('treats typing after a refusal as a new attempt: warning, then the sign-in bound', async () => {
    const { api } = await show();
    refused(api, { reason: 'invalid-credentials', reference: 'REF-2' });
    type('Username', typedUsername);
    type('Password', 'wrong');
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    await advance(1000);
    type('Password', typedPassword);

    await advance(refusedSeconds * 1000);
    expect(screen.getByLabelText('Username')).toHaveProperty('value', typedUsername);
    await advance((signInSeconds - warningSeconds - refusedSeconds) * 1000);
    expect(screen.getByRole('alertdialog', { name: 'Are you still there?' })).toBeTruthy();
    await advance(warningSeconds * 1000);
    expect(traces(typedUsername, typedPassword, 'REF-2')).toEqual([]);
  });
});

describe('checking', () => {
  it('abandons a sign-in that never answers, asks main to drop it, and ignores a late answer', async () => {
    const api = createFakeWalkupApi();
    let answer: (result: SignInResult) => void = () => undefined;
    api.signIn = (request) => {
      api.signInCalls.push(request);
      return new Promise((resolve) => (answer = resolve));
    };
    await show(api);
    type('Username', typedUsername);
    type('Password', typedPassword);
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    await advance(0);
    expect(screen.getByRole('heading', { level: 1, name: 'Checking your details…' })).toBeTruthy();

    await advance(Math.max(signInSeconds, CHECKING_MIN_SECONDS) * 1000);
    expect(screen.getByRole('heading', { level: 1, name: welcomeHeading })).toBeTruthy();
    expect(screen.getByRole('status').textContent).toContain('Checking took too long');
    expect(api.finishCalls).toEqual([{ reason: 'cancelled' }]);
    expect(traces(typedUsername, typedPassword)).toEqual([]);

    await act(async () =>
      answer({
        ok: true,
        displayName: 'First Person',
        duo: { kind: 'frame', host: 'api.test', tx: 'TX|a|b' },
      }),
    );
    expect(screen.getByRole('heading', { level: 1, name: welcomeHeading })).toBeTruthy();
    expect(traces('First Person')).toEqual([]);
  });
});

describe('Duo, when main’s reset never reaches the page', () => {
  function duoVisit(idleSeconds: number, capSeconds: number): VisitView {
    return {
      phase: 'duo',
      displayName: 'First Person',
      duo: { kind: 'frame', host: 'api-test.duosecurity.com', tx: 'TX|Zmlyc3Q=|abc' },
      idleResetAt: new Date(Date.now() + idleSeconds * 1000).toISOString(),
      capResetAt: new Date(Date.now() + capSeconds * 1000).toISOString(),
    };
  }

  it('leaves the Duo view on its own clock, reads the visit again, and never shows that visit again', async () => {
    const visit = duoVisit(45, 900);
    const api = createFakeWalkupApi({ visit });
    const getVisit = vi.fn(async () => api.visit);
    api.getVisit = getVisit;
    await show(api);
    expect(screen.getByTitle('Duo device management')).toBeTruthy();
    const readsBefore = getVisit.mock.calls.length;

    await advance(45_000 + LOCAL_RESET_GRACE_MS - 100);
    expect(screen.getByTitle('Duo device management')).toBeTruthy();
    await advance(100);
    expect(screen.getByRole('heading', { level: 1, name: welcomeHeading })).toBeTruthy();
    expect(screen.queryByTitle('Duo device management')).toBeNull();
    expect(traces('First Person')).toEqual([]);
    // The page asked main for the visit; main's answer (stale here: the same visit) is not shown.
    expect(getVisit.mock.calls.length).toBe(readsBefore + 1);
    await advance(0);
    expect(screen.queryByTitle('Duo device management')).toBeNull();
    expect(screen.getByRole('status').textContent).toContain('nobody was using the station');
  });

  it('ends at the visit cap when that comes first, whatever the activity', async () => {
    const api = createFakeWalkupApi({ visit: duoVisit(300, 60) });
    await show(api);
    for (let second = 0; second < 55; second += 5) {
      fireEvent.keyDown(document.body, { key: 'a' });
      await advance(5000);
    }
    await advance(5000 + LOCAL_RESET_GRACE_MS);
    expect(screen.getByRole('heading', { level: 1, name: welcomeHeading })).toBeTruthy();
    expect(screen.getByRole('status').textContent).toContain('reached its time limit');
  });
});

describe('after main’s reset', () => {
  it('reads the visit once, so the browser picks up the session main renewed', async () => {
    const api = createFakeWalkupApi();
    const getVisit = vi.fn(async () => api.visit);
    api.getVisit = getVisit;
    await show(api);
    const before = getVisit.mock.calls.length;
    act(() => api.emit({ type: 'visit-reset', reason: 'idle' }));
    await advance(0);
    expect(getVisit.mock.calls.length).toBe(before + 1);
  });
});

describe('Failed', () => {
  it('keeps the reference at least failedSeconds, then wipes it', async () => {
    const api = createFakeWalkupApi({
      visit: {
        phase: 'failed',
        reason: 'rejected',
        reference: 'REF-FAILED',
        resetAt: new Date().toISOString(),
      },
    });
    await show(api);
    expect(screen.getByText(/REF-FAILED/)).toBeTruthy();
    await advance(failedSeconds * 1000 + LOCAL_RESET_GRACE_MS - 100);
    expect(screen.getByText(/REF-FAILED/)).toBeTruthy();
    await advance(100);
    expect(traces('REF-FAILED')).toEqual([]);
  });
});

describe('input bounds', () => {
  it('limits both fields to the lengths main enforces', async () => {
    await show();
    expect(screen.getByLabelText('Username').getAttribute('maxlength')).toBe(String(MAX_USERNAME_LENGTH));
    expect(screen.getByLabelText('Password').getAttribute('maxlength')).toBe(String(MAX_PASSWORD_LENGTH));
    expect(screen.getByLabelText('Username').getAttribute('autocapitalize')).toBe('none');
  });

  it('says what to fix for an over-long username, not that the station is out of service', async () => {
    const { api } = await show();
    api.signInResults = [
      { ok: false, reason: 'invalid-input', detail: 'username-too-long', reference: 'L1' },
    ];
    type('Username', 'x'.repeat(MAX_USERNAME_LENGTH));
    type('Password', 'secret');
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    await advance(0);
    expect(screen.getByRole('alert').textContent).toContain('That username is too long');
    expect(screen.getByRole('alert').textContent).toContain('only your username');
    expect(screen.queryByText(/out of service/)).toBeNull();
  });
});

describe('a renewed browser session', () => {
  it('keeps the form and asks for one more press, without re-sending the password', async () => {
    const api = createFakeWalkupApi();
    api.signIn = async (request) => {
      api.signInCalls.push(request);
      throw new SessionRenewedError('signIn', 'the session was renewed');
    };
    await show(api);
    type('Username', typedUsername);
    type('Password', typedPassword);
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    await advance(0);
    expect(api.signInCalls).toHaveLength(1);
    expect(screen.getByRole('status').textContent).toContain('Sign in" once more');
    expect(screen.getByLabelText('Username')).toHaveProperty('value', typedUsername);
    expect(screen.getByLabelText('Password')).toHaveProperty('value', typedPassword);
    expect(screen.queryByText(/out of service/)).toBeNull();
  });
});
