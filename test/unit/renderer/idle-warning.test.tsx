// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createFakeWalkupApi } from './support/fake-walkup-api';
import { renderApp } from './support/render-app';

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
  expect(screen.getByRole('heading', { level: 1, name: 'Sign in to manage your Duo devices' })).toBeTruthy();
  return api;
}

describe('idle warning', () => {
  it('asks "Are you still there?" with a countdown when main warns', async () => {
    const api = await showSignIn();
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
    const api = await showSignIn();
    act(() => api.emit({ type: 'idle-warning', secondsLeft: 20, ending: 'idle' }));
    const before = api.activityCalls;

    fireEvent.click(screen.getByRole('button', { name: "I'm still here" }));
    await advance(0);
    expect(api.activityCalls).toBeGreaterThan(before);
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(screen.getByLabelText('Username').closest('.app')?.hasAttribute('inert')).toBe(false);
  });

  it('closes and shows an empty form when main resets the station', async () => {
    const api = await showSignIn();
    fireEvent.change(screen.getByLabelText('Username'), { target: { value: 'alice' } });
    act(() => api.emit({ type: 'idle-warning', secondsLeft: 5, ending: 'idle' }));
    await advance(5000);
    expect(screen.getByRole('alertdialog').textContent).toContain('reset in 0 seconds');

    act(() => api.emit({ type: 'visit-reset', reason: 'idle' }));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(screen.getByLabelText('Username')).toHaveProperty('value', '');
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
    expect(
      screen.getByRole('heading', { level: 1, name: 'Sign in to manage your Duo devices' }),
    ).toBeTruthy();
  });
});

describe('Done', () => {
  it('returns to an empty sign-in form after the station’s done time', async () => {
    const api = createFakeWalkupApi({
      visit: { phase: 'done', displayName: 'Alice', outcome: 'finished', resetAt: new Date().toISOString() },
    });
    renderApp(api);
    await advance(0);
    expect(screen.getByRole('heading', { level: 1, name: 'All done' })).toBeTruthy();

    await advance(api.station.idle.doneSeconds * 1000 - 100);
    expect(screen.getByRole('heading', { level: 1, name: 'All done' })).toBeTruthy();
    await advance(100);
    expect(
      screen.getByRole('heading', { level: 1, name: 'Sign in to manage your Duo devices' }),
    ).toBeTruthy();
    expect(screen.getByLabelText('Username')).toHaveProperty('value', '');
  });
});
