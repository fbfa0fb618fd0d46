// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { VisitView } from '../../../main/contract';
import { buildDuoFrameSrc } from '../../../main/contract/duo-formats';
import { createFakeWalkupApi, testStation } from './support/fake-walkup-api';
import { findScreen, renderApp, SIGN_IN_HEADING, startSignIn, WELCOME_HEADING } from './support/render-app';

afterEach(cleanup);

const host = '127.0.0.1:43123';
const authMessage =
  'AUTH|YWxpY2V8RElYWFhYWFhYWFhYWFhYWFhYWFh8MTYxNTcyNzI0Mw==|d20ad0d1e62d84b00a3e74ec201a5917e77b6aef';

function duoVisit(duo: Extract<VisitView, { phase: 'duo' }>['duo']): VisitView {
  const inFive = new Date(Date.now() + 300_000).toISOString();
  return { phase: 'duo', displayName: 'Alice Example', duo, idleResetAt: inFive, capResetAt: inFive };
}

async function showV2Frame(tx = 'TX|YWxpY2V8RElYWFhYWFhYWFhYWFhYWFhYWFh8MTYxNTcyNzI0Mw==|abc+/=') {
  const api = createFakeWalkupApi({ visit: duoVisit({ kind: 'frame', host, tx }) });
  renderApp(api);
  await findScreen('Manage your devices');
  const frame = screen.getByTitle('Duo device management') as HTMLIFrameElement;
  return { api, frame };
}

function post(data: unknown, origin: string, source: MessageEventSource | null) {
  act(() => {
    window.dispatchEvent(new MessageEvent('message', { data, origin, source }));
  });
}

async function settle() {
  await act(async () => undefined);
}

describe('Duo Web SDK v2 frame URL', () => {
  it('encodes tx and parent with encodeURIComponent and asks for v2.9', () => {
    const src = buildDuoFrameSrc(host, 'TX|a+b/c=|sig', 'http://127.0.0.1:8787/?a=1&b=2');
    expect(src).toBe(
      'https://127.0.0.1:43123/frame/web/v1/auth?tx=TX%7Ca%2Bb%2Fc%3D%7Csig&parent=http%3A%2F%2F127.0.0.1%3A8787%2F%3Fa%3D1%26b%3D2&v=2.9',
    );
    expect(src).not.toContain('parent=http://');
  });

  it('frames Duo with that URL, titled for assistive technology, under the Walkup bar', async () => {
    const { frame } = await showV2Frame('TX|x+y/z=|s');
    const expected = `https://${host}/frame/web/v1/auth?tx=${encodeURIComponent('TX|x+y/z=|s')}&parent=${encodeURIComponent(window.location.href)}&v=2.9`;
    expect(frame.getAttribute('src')).toBe(expected);
    expect(screen.getByText('Signed in as Alice Example')).toBeTruthy();
    expect(screen.getByRole('button', { name: "I'm done" })).toBeTruthy();
    expect(screen.getByRole('timer').textContent).toMatch(/Time left: [45]:\d\d/);
  });

  it('never frames a host that is not a plain host name', async () => {
    const api = createFakeWalkupApi({
      visit: duoVisit({ kind: 'frame', host: 'evil.test/x?', tx: 'TX|a|b' }),
    });
    renderApp(api);
    await findScreen('Manage your devices');
    expect(screen.queryByTitle('Duo device management')).toBeNull();
    expect(screen.getByRole('alert').textContent).toContain('Duo cannot be shown right now');
  });
});

describe('Duo Web SDK v2 frame messages', () => {
  it('submits a correct AUTH message from the frame exactly once', async () => {
    const { api, frame } = await showV2Frame();
    post(authMessage, `https://${host}`, frame.contentWindow);
    post(authMessage, `https://${host}`, frame.contentWindow);
    await settle();
    expect(api.duoResponses).toEqual([{ response: authMessage }]);
  });

  it('ignores a message from another origin', async () => {
    const { api, frame } = await showV2Frame();
    post(authMessage, 'https://evil.example', frame.contentWindow);
    post(authMessage, `http://${host}`, frame.contentWindow);
    post(authMessage, 'https://127.0.0.1:43124', frame.contentWindow);
    await settle();
    expect(api.duoResponses).toEqual([]);
  });

  it('ignores a message from a window other than the Duo frame', async () => {
    const { api } = await showV2Frame();
    post(authMessage, `https://${host}`, window);
    post(authMessage, `https://${host}`, null);
    await settle();
    expect(api.duoResponses).toEqual([]);
  });

  it('ignores messages in other formats, DUO_OPEN_WINDOW included', async () => {
    const { api, frame } = await showV2Frame();
    const source = frame.contentWindow;
    for (const data of [
      'DUO_OPEN_WINDOW|https://duo.com/x',
      'AUTH|not base64!|abc',
      'AUTH|abc',
      'XAUTH|abc|def',
      'ERR|<script>',
      { response: authMessage },
      42,
    ]) {
      post(data, `https://${host}`, source);
    }
    await settle();
    expect(api.duoResponses).toEqual([]);
  });

  it('submits an ERR message too, so main can record the failure, then shows Failed', async () => {
    const { api, frame } = await showV2Frame();
    api.duoResult = { ok: false, reason: 'duo-error', reference: 'E-42' };
    post('ERR|Access denied (policy).', `https://${host}`, frame.contentWindow);
    await settle();
    expect(api.duoResponses).toEqual([{ response: 'ERR|Access denied (policy).' }]);
    expect(await findScreen("We couldn't confirm your Duo session")).toBeTruthy();
    expect(screen.getByText(/E-42/)).toBeTruthy();
  });

  it.each([
    ['duo-error', 'Duo reported an error before your devices were confirmed. Please try again.'],
    ['no-visit', 'Your session had already ended. Choose "Try again" to sign in again.'],
    ['malformed', 'Please try again.'],
    ['rejected', 'Please try again.'],
    ['replayed', 'Choose "Try again" to sign in again.'],
  ] as const)(
    'says what to do next after a %s refusal, keeps the reference, and Try again returns to sign-in (not the welcome)',
    async (reason, text) => {
      const { api, frame } = await showV2Frame();
      api.duoResult = { ok: false, reason, reference: 'F-7' };
      post('ERR|Cancelled.', `https://${host}`, frame.contentWindow);
      await settle();
      await findScreen("We couldn't confirm your Duo session");
      expect(document.querySelector('.lead')?.textContent).toContain(text);
      expect(screen.queryByText(/Duo reported a problem/)).toBeNull();
      expect(screen.getByText('Support reference: F-7')).toBeTruthy();

      api.visit = { phase: 'idle' };
      fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
      await settle();
      expect(api.finishCalls).toEqual([{ reason: 'finished' }]);
      act(() => api.emit({ type: 'visit-reset', reason: 'finished' }));
      expect(await findScreen(SIGN_IN_HEADING)).toBeTruthy();
      expect(screen.queryByRole('heading', { name: WELCOME_HEADING })).toBeNull();
      expect(screen.getByLabelText('Username')).toHaveProperty('value', '');
      expect(screen.queryByText(/F-7/)).toBeNull();
    },
  );

  it('gives a cancel in Duo its own heading, not the error one, and still offers Try again', async () => {
    const { api, frame } = await showV2Frame();
    api.duoResult = { ok: false, reason: 'cancelled', reference: 'C-1' };
    post('ERR|Cancelled.', `https://${host}`, frame.contentWindow);
    await settle();
    await findScreen('You cancelled Duo');
    expect(screen.queryByRole('heading', { name: "We couldn't confirm your Duo session" })).toBeNull();
    expect(document.querySelector('.lead')?.textContent).toContain('nothing was changed');
    expect(screen.getByText('Support reference: C-1')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Try again' })).toBeTruthy();
  });

  it('no longer mentions a cancel for a Duo error', async () => {
    const { api, frame } = await showV2Frame();
    api.duoResult = { ok: false, reason: 'duo-error', reference: 'E-1' };
    post('ERR|Access denied (policy).', `https://${host}`, frame.contentWindow);
    await settle();
    await findScreen("We couldn't confirm your Duo session");
    expect(document.querySelector('.lead')?.textContent).not.toMatch(/cancel/i);
  });

  it('shows All done when main accepts the result', async () => {
    const { api, frame } = await showV2Frame();
    api.visit = {
      phase: 'done',
      displayName: 'Alice Example',
      outcome: 'verified',
      resetAt: new Date(Date.now() + 8000).toISOString(),
    };
    post(authMessage, `https://${host}`, frame.contentWindow);
    await settle();
    expect(await findScreen('All done')).toBeTruthy();
  });
});

describe('Duo screen', () => {
  it("asks main to finish when the person chooses I'm done", async () => {
    const { api } = await showV2Frame();
    api.visit = {
      phase: 'done',
      displayName: 'Alice Example',
      outcome: 'finished',
      resetAt: new Date(Date.now() + 8000).toISOString(),
    };
    fireEvent.click(screen.getByRole('button', { name: "I'm done" }));
    await settle();
    expect(api.finishCalls).toEqual([{ reason: 'finished' }]);
    expect(await findScreen('All done')).toBeTruthy();
  });

  it('sends the browser to Duo right after sign-in with a v4 redirect launch', async () => {
    const api = createFakeWalkupApi({ station: { ...testStation, duoSdk: 'v4' } });
    const authUrl = `https://${host}/oauth/v1/authorize?response_type=code&request=abc`;
    api.signInResults = [
      { ok: true, displayName: 'Alice', duo: { kind: 'page', presentation: 'redirect', authUrl } },
    ];
    const navigate = vi.fn();
    renderApp(api, { navigate });
    await startSignIn();
    fireEvent.change(screen.getByLabelText('Username'), { target: { value: 'alice' } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'secret' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    await settle();
    expect(navigate).toHaveBeenCalledExactlyOnceWith(authUrl);
  });

  it('shows Done for a browser that comes back from the v4 redirect', async () => {
    const api = createFakeWalkupApi({
      visit: {
        phase: 'done',
        displayName: 'Alice Example',
        outcome: 'verified',
        resetAt: new Date(Date.now() + 8000).toISOString(),
      },
    });
    renderApp(api);
    expect(await findScreen('All done')).toBeTruthy();
    expect(screen.getByText(/Thank you, Alice Example/)).toBeTruthy();
  });

  it("counts down on Done to the screen's bound (doneSeconds 8), when the next person can start", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      const api = createFakeWalkupApi({
        visit: {
          phase: 'done',
          displayName: 'Alice Example',
          outcome: 'finished',
          resetAt: new Date(Date.now() + 60_000).toISOString(),
        },
      });
      renderApp(api);
      await findScreen('All done');
      const timer = screen.getByRole('timer');
      const seconds = () => Number(/in (\d+) seconds?\./.exec(timer.textContent ?? '')?.[1]);
      expect(timer.textContent).toMatch(/^This station will be ready for the next person in \d+ seconds?\.$/);
      // The bound is doneSeconds after Done appeared, not main's later resetAt.
      expect(seconds()).toBeGreaterThanOrEqual(7);
      expect(seconds()).toBeLessThanOrEqual(8);
      const before = seconds();
      await act(async () => vi.advanceTimersByTimeAsync(3000));
      expect(seconds()).toBe(before - 3);
    } finally {
      vi.useRealTimers();
    }
  });

  it('says beside the v2 frame what one can do there and how to end the visit', async () => {
    await showV2Frame();
    const aside = screen.getByRole('complementary', { name: 'What you can do here' });
    expect([...aside.querySelectorAll('li')].map((item) => item.textContent)).toEqual([
      'Add a new phone, tablet or security key.',
      'Replace a phone you have changed or lost.',
      'Remove a device you no longer use.',
    ]);
    expect(aside.textContent).toContain("choose “I'm done”");
    // Frame and aside share one area, so the frame is not stretched across a wide screen.
    expect(screen.getByTitle('Duo device management').parentElement).toBe(aside.parentElement);
  });

  it('makes "Continue to Duo" the strong button of the v4 redirect screen and "I\'m done" the weak one', async () => {
    const authUrl = `https://${host}/oauth/v1/authorize?response_type=code&request=abc`;
    const api = createFakeWalkupApi({ visit: duoVisit({ kind: 'page', presentation: 'redirect', authUrl }) });
    const navigate = vi.fn();
    renderApp(api, { navigate });
    await findScreen('Manage your devices');
    const continueButton = screen.getByRole('button', { name: 'Continue to Duo' });
    expect(continueButton.className).toContain('primary');
    expect(screen.getByRole('button', { name: "I'm done" }).className).toContain('secondary');
    expect(screen.getByRole('button', { name: "I'm done" }).className).not.toContain('primary');
    fireEvent.click(continueButton);
    expect(navigate).toHaveBeenCalledExactlyOnceWith(authUrl);
  });

  it('keeps "I\'m done" the strong button where Duo is on screen (v2 frame)', async () => {
    await showV2Frame();
    expect(screen.getByRole('button', { name: "I'm done" }).className).toContain('primary');
  });

  it('frames nothing for v2 in the kiosk: only the bar, main draws the frame in its own view', async () => {
    const api = createFakeWalkupApi({ visit: duoVisit({ kind: 'frame', host, tx: 'TX|a|b' }) });
    renderApp(api, { duoShownByMain: true });
    await findScreen('Manage your devices');
    expect(screen.queryByTitle('Duo device management')).toBeNull();
    expect(document.querySelector('iframe')).toBeNull();
    expect(screen.getByRole('banner').className).toContain('fixed-height');
  });

  it('shows only the bar for a v4 view launch (main draws Duo)', async () => {
    const api = createFakeWalkupApi({ visit: duoVisit({ kind: 'page', presentation: 'view' }) });
    renderApp(api);
    await findScreen('Manage your devices');
    expect(screen.queryByTitle('Duo device management')).toBeNull();
    expect(screen.getByRole('banner').className).toContain('fixed-height');
  });
});
