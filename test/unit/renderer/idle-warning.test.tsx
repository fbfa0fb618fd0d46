// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { VisitView } from '../../../main/contract';
import { LOCAL_RESET_GRACE_MS } from '../../../renderer/state/app-state';
import { createFakeWalkupApi, testStation, type FakeWalkupApi } from './support/fake-walkup-api';
import { renderApp, SIGN_IN_HEADING, WELCOME_HEADING } from './support/render-app';

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

/** Lets pending promises and timers up to `ms` run inside React's act(). */
async function advance(ms: number) {
  await act(async () => {
    await vi.advanceTimersByTimeAsync(ms);
  });
}

async function showSignIn() {
  const api = createFakeWalkupApi();
  renderApp(api);
  await advance(0);
  fireEvent.click(screen.getByRole('button', { name: 'Start' }));
  await advance(0);
  expect(screen.getByRole('heading', { level: 1, name: SIGN_IN_HEADING })).toBeTruthy();
  return api;
}

/** A v2 Duo visit whose idle reset and cap are `idleSeconds` and `capSeconds` from now. */
function duoVisit(idleSeconds: number, capSeconds: number): VisitView {
  return {
    phase: 'duo',
    displayName: 'Alice Example',
    duo: { kind: 'frame', host: 'api-test.duosecurity.com', tx: 'TX|YWxpY2V8|abc' },
    idleResetAt: new Date(Date.now() + idleSeconds * 1000).toISOString(),
    capResetAt: new Date(Date.now() + capSeconds * 1000).toISOString(),
  };
}

async function showDuo(idleSeconds = 300, capSeconds = 900): Promise<FakeWalkupApi> {
  const api = createFakeWalkupApi({ visit: duoVisit(idleSeconds, capSeconds) });
  renderApp(api);
  await advance(0);
  expect(screen.getByRole('heading', { level: 1, name: 'Manage your devices' })).toBeTruthy();
  return api;
}

describe('idle warning', () => {
  it('asks "Are you still there?" with a countdown when main warns', async () => {
    const api = await showDuo();
    act(() => api.emit({ type: 'idle-warning', secondsLeft: 20, ending: 'idle' }));

    const dialog = screen.getByRole('alertdialog', { name: 'Are you still there?' });
    expect(dialog.textContent).toContain('This station will reset in 20 seconds.');
    expect(document.activeElement).toBe(screen.getByRole('button', { name: "I'm still here" }));

    await advance(3000);
    expect(dialog.textContent).toContain('This station will reset in 17 seconds.');
  });

  it('makes the screen behind the dialog inert', async () => {
    const api = await showSignIn();
    act(() => api.emit({ type: 'idle-warning', secondsLeft: 20, ending: 'idle' }));
    const form = screen.getByLabelText('Username').closest('.app');
    expect(form?.hasAttribute('inert')).toBe(true);
  });

  it("reports activity and closes when the person chooses I'm still here", async () => {
    const api = await showDuo();
    act(() => api.emit({ type: 'idle-warning', secondsLeft: 20, ending: 'idle' }));
    const before = api.activityCalls;

    fireEvent.click(screen.getByRole('button', { name: "I'm still here" }));
    await advance(0);
    expect(api.activityCalls).toBeGreaterThan(before);
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(screen.getByRole('banner').closest('.app')?.hasAttribute('inert')).toBe(false);
  });

  it('closes and returns to the welcome when main resets the station', async () => {
    const api = await showSignIn();
    fireEvent.change(screen.getByLabelText('Username'), { target: { value: 'alice' } });
    act(() => api.emit({ type: 'idle-warning', secondsLeft: 5, ending: 'idle' }));
    await advance(5000);
    expect(screen.getByRole('alertdialog').textContent).toContain('cleared in 0 seconds');

    act(() => api.emit({ type: 'visit-reset', reason: 'admin' }));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(screen.getByRole('heading', { level: 1, name: WELCOME_HEADING })).toBeTruthy();
    expect(document.body.textContent).not.toContain('alice');
  });

  it('says the visit will end at its cap and offers Finish now, not a button that pretends to extend', async () => {
    const api = await showDuo(300, 900);
    act(() => api.emit({ type: 'idle-warning', secondsLeft: 20, ending: 'visit-cap' }));

    const dialog = screen.getByRole('alertdialog', { name: 'Your visit is about to end' });
    expect(dialog.textContent).toContain('ends in 20 seconds and cannot be extended');
    expect(screen.queryByRole('button', { name: "I'm still here" })).toBeNull();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Finish now' }));

    fireEvent.click(screen.getByRole('button', { name: 'Finish now' }));
    await advance(0);
    expect(api.finishCalls).toEqual([{ reason: 'finished' }]);
  });

  it('lets the person close the cap warning to use the time left, without extending anything', async () => {
    const api = await showDuo(300, 900);
    act(() => api.emit({ type: 'idle-warning', secondsLeft: 20, ending: 'visit-cap' }));
    const before = api.activityCalls;
    fireEvent.click(screen.getByRole('button', { name: 'Use the time left' }));
    await advance(0);
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(api.finishCalls).toEqual([]);
    expect(api.activityCalls).toBe(before);
  });

  it('shows its own cap warning when main’s does not arrive, and "Time left" counts down to the cap', async () => {
    // Idle reset in 300 s, but the cap in 100 s: the cap ends first.
    await showDuo(300, 100);
    expect(screen.getByRole('timer').textContent).toBe('Time left: 1:40');

    await advance((100 - testStation.idle.warningSeconds) * 1000);
    const dialog = screen.getByRole('alertdialog', { name: 'Your visit is about to end' });
    expect(dialog.textContent).toContain('ends in 20 seconds');
  });

  it('shows its own idle warning when main’s does not arrive; I’m still here reports activity', async () => {
    const api = await showDuo(60, 900);
    await advance((60 - testStation.idle.warningSeconds) * 1000 - 500);
    expect(screen.queryByRole('alertdialog')).toBeNull();
    await advance(500);
    expect(screen.getByRole('alertdialog', { name: 'Are you still there?' })).toBeTruthy();

    const before = api.activityCalls;
    fireEvent.click(screen.getByRole('button', { name: "I'm still here" }));
    await advance(0);
    expect(api.activityCalls).toBe(before + 1);
    expect(screen.queryByRole('alertdialog')).toBeNull();
    // The countdown follows main's rule: duoSeconds from the activity sent.
    expect(screen.getByRole('timer').textContent).toBe('Time left: 5:00');
  });
});

describe('activity reporting', () => {
  it('reports input at most once every five seconds', async () => {
    const api = await showSignIn();
    const field = screen.getByLabelText('Username');

    fireEvent.keyDown(field, { key: 'a' });
    fireEvent.keyDown(field, { key: 'b' });
    fireEvent.pointerDown(field);
    await advance(0);
    expect(api.activityCalls).toBe(1);

    await advance(4000);
    fireEvent.keyDown(field, { key: 'c' });
    await advance(0);
    expect(api.activityCalls).toBe(1);

    await advance(1000);
    fireEvent.keyDown(field, { key: 'd' });
    await advance(0);
    expect(api.activityCalls).toBe(2);
  });

  it('reports nothing on screens where nobody is working, such as out of service', async () => {
    const api = createFakeWalkupApi();
    api.station = {
      ...api.station,
      inService: false,
      outOfService: { reason: 'directory-unreachable', since: new Date().toISOString() },
    };
    renderApp(api);
    await advance(0);
    expect(screen.getByRole('heading', { level: 1, name: 'This station is out of service' })).toBeTruthy();
    expect(screen.getByText('The station cannot reach the sign-in service.')).toBeTruthy();
    fireEvent.keyDown(document.body, { key: 'a' });
    await advance(0);
    expect(api.activityCalls).toBe(0);
  });

  it('leaves out of service when main says the station is back', async () => {
    const api = createFakeWalkupApi();
    const healthy = api.station;
    api.station = { ...healthy, inService: false, outOfService: { reason: 'starting', since: '' } };
    renderApp(api);
    await advance(0);
    expect(screen.getByRole('heading', { level: 1, name: 'This station is out of service' })).toBeTruthy();

    act(() => api.emit({ type: 'station-changed', station: healthy }));
    expect(screen.getByRole('heading', { level: 1, name: WELCOME_HEADING })).toBeTruthy();
  });
});

describe('Done', () => {
  it('returns to the welcome after the station’s done time, with nothing of the person', async () => {
    const api = createFakeWalkupApi({
      visit: {
        phase: 'done',
        displayName: 'Alice',
        outcome: 'finished',
        resetAt: new Date(Date.now() + 60_000).toISOString(),
      },
    });
    renderApp(api);
    await advance(0);
    expect(screen.getByRole('heading', { level: 1, name: 'All done' })).toBeTruthy();

    // Main resets at doneSeconds; without its reset the page leaves a moment later by itself.
    await advance(api.station.idle.doneSeconds * 1000 + LOCAL_RESET_GRACE_MS - 100);
    expect(screen.getByRole('heading', { level: 1, name: 'All done' })).toBeTruthy();
    await advance(100);
    expect(screen.getByRole('heading', { level: 1, name: WELCOME_HEADING })).toBeTruthy();
    expect(document.body.textContent).not.toContain('Alice');
  });
});
