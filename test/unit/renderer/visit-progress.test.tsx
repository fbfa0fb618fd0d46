// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { SignInResult, VisitView } from '../../../main/contract';
import { createFakeWalkupApi } from './support/fake-walkup-api';
import { findScreen, renderApp, startSignIn } from './support/render-app';

afterEach(cleanup);

const inFive = () => new Date(Date.now() + 300_000).toISOString();

function duoVisit(duo: Extract<VisitView, { phase: 'duo' }>['duo']): VisitView {
  return { phase: 'duo', displayName: 'Alice Example', duo, idleResetAt: inFive(), capResetAt: inFive() };
}

/** The steps as shown, and which one is the current step. */
function progress() {
  const list = screen.getByRole('list', { name: 'Your progress' });
  const items = within(list).getAllByRole('listitem');
  return {
    steps: items.map((item) => item.textContent),
    current: items
      .filter((item) => item.getAttribute('aria-current') === 'step')
      .map((item) => item.textContent),
    past: items.filter((item) => item.classList.contains('past')).map((item) => item.textContent),
  };
}

describe('visit progress', () => {
  it('shows the three steps on sign-in, with Sign in as the current step', async () => {
    renderApp(createFakeWalkupApi());
    await startSignIn();
    expect(progress()).toEqual({
      steps: ['1Sign in', '2Manage your devices', '3Done'],
      current: ['1Sign in'],
      past: [],
    });
  });

  it('stays on Sign in while Checking', async () => {
    const api = createFakeWalkupApi();
    api.signIn = (request) => {
      api.signInCalls.push(request);
      return new Promise<SignInResult>(() => undefined);
    };
    renderApp(api);
    await startSignIn();
    fireEvent.change(screen.getByLabelText('Username'), { target: { value: 'alice' } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'secret' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    await act(async () => undefined);
    expect(screen.getByRole('heading', { level: 1, name: 'Checking your details…' })).toBeTruthy();
    expect(progress().current).toEqual(['1Sign in']);
  });

  it('marks Manage your devices on the Duo screen, with Sign in done', async () => {
    renderApp(
      createFakeWalkupApi({ visit: duoVisit({ kind: 'frame', host: '127.0.0.1:43123', tx: 'TX|a|b' }) }),
    );
    await findScreen('Manage your devices');
    expect(progress()).toMatchObject({ current: ['2Manage your devices'], past: ['1Sign in'] });
  });

  it('marks Done on the Done screen, with both steps before it done', async () => {
    renderApp(
      createFakeWalkupApi({
        visit: { phase: 'done', displayName: 'Alice', outcome: 'verified', resetAt: inFive() },
      }),
    );
    await findScreen('All done');
    expect(progress()).toMatchObject({ current: ['3Done'], past: ['1Sign in', '2Manage your devices'] });
  });

  it('leaves the steps out where main draws Duo below a bar of fixed height', async () => {
    renderApp(createFakeWalkupApi({ visit: duoVisit({ kind: 'page', presentation: 'view' }) }));
    await findScreen('Manage your devices');
    expect(screen.queryByRole('list', { name: 'Your progress' })).toBeNull();
  });
});
