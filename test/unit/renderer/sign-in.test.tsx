// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { SignInResult } from '../../../main/contract';
import { createFakeWalkupApi, testStation, type FakeWalkupApi } from './support/fake-walkup-api';
import { findScreen, renderApp, startSignIn, WELCOME_HEADING } from './support/render-app';

afterEach(cleanup);

async function showSignIn(api: FakeWalkupApi = createFakeWalkupApi()) {
  renderApp(api);
  await startSignIn();
  return api;
}

function type(label: string, value: string) {
  fireEvent.change(screen.getByLabelText(label), { target: { value } });
}

async function submit(username: string, password: string) {
  type('Username', username);
  type('Password', password);
  fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
  // The form comes back (or another screen appears) once the answer is in.
  await act(async () => undefined);
}

function failure(result: Omit<Extract<SignInResult, { ok: false }>, 'ok'>): SignInResult {
  return { ok: false, ...result };
}

describe('SignIn', () => {
  it('shows labelled fields, the station name, and puts focus in the username field', async () => {
    await showSignIn();
    expect(screen.getByLabelText('Username')).toHaveProperty('type', 'text');
    expect(screen.getByLabelText('Password')).toHaveProperty('type', 'password');
    expect(screen.getByText('Helpdesk station 3')).toBeTruthy();
    // Focus moves in an effect, just after the screen appears.
    await waitFor(() => expect(document.activeElement).toBe(screen.getByLabelText('Username')));
  });

  it('sends the username and password byte-exact, without trimming', async () => {
    const api = createFakeWalkupApi();
    api.signInResults = [failure({ reason: 'invalid-credentials', reference: 'R1' })];
    await showSignIn(api);
    await submit('  alice ', ' pass word\t');
    expect(api.signInCalls).toEqual([{ username: '  alice ', password: ' pass word\t', locale: 'en' }]);
  });

  it('sends the language the screen is shown in, so the kiosk can ask Duo for it', async () => {
    const api = createFakeWalkupApi();
    api.station = { ...api.station, locale: 'fr-CA' };
    api.signInResults = [failure({ reason: 'invalid-credentials', reference: 'R1' })];
    renderApp(api);
    await startSignIn(
      'Ajoutez ou remplacez votre téléphone ou votre clé de sécurité Duo',
      'Commencer',
      'Connectez-vous pour gérer vos appareils Duo',
    );
    type('Nom d’utilisateur', 'alice');
    type('Mot de passe', 'pw');
    fireEvent.click(screen.getByRole('button', { name: 'Se connecter' }));
    await waitFor(() => expect(api.signInCalls).toHaveLength(1));
    expect(api.signInCalls).toEqual([{ username: 'alice', password: 'pw', locale: 'fr' }]);
  });

  it('shows one generic message and the support reference for invalid credentials, and clears only the password', async () => {
    const api = createFakeWalkupApi();
    api.signInResults = [failure({ reason: 'invalid-credentials', reference: 'K7F3' })];
    await showSignIn(api);
    await submit('alice', 'wrong');

    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('username or password is incorrect');
    expect(alert.textContent).toContain('K7F3');
    expect(screen.getByLabelText('Username')).toHaveProperty('value', 'alice');
    expect(screen.getByLabelText('Password')).toHaveProperty('value', '');
    expect(screen.getByLabelText('Password').getAttribute('aria-invalid')).toBe('true');
    // Focus moves in an effect, just after the screen appears.
    await waitFor(() => expect(document.activeElement).toBe(screen.getByLabelText('Password')));
  });

  it('clears the password after invalid-input too, names the field at fault and focuses it', async () => {
    const api = createFakeWalkupApi();
    api.signInResults = [
      failure({ reason: 'invalid-input', detail: 'username-control-characters', reference: 'B2' }),
    ];
    await showSignIn(api);
    await submit('al\u0007ice', 'secret');

    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('That username contains characters that are not allowed.');
    expect(screen.getByLabelText('Password').getAttribute('aria-invalid')).toBeNull();
    expect(alert.textContent).toContain('B2');
    expect(screen.getByLabelText('Password')).toHaveProperty('value', '');
    expect(screen.getByLabelText('Username').getAttribute('aria-invalid')).toBe('true');
    // Focus moves in an effect, just after the screen appears.
    await waitFor(() => expect(document.activeElement).toBe(screen.getByLabelText('Username')));
  });

  const specificMessages: [string, SignInResult, string[]][] = [
    [
      'throttled, with the wait in seconds',
      failure({ reason: 'throttled', retryAfterSeconds: 42, reference: 'T1' }),
      ['Too many sign-in attempts.', 'Please wait 42 seconds, then try again.'],
    ],
    [
      'throttled, with a long wait in minutes',
      failure({ reason: 'throttled', retryAfterSeconds: 601, reference: 'T2' }),
      ['Please wait 11 minutes, then try again.'],
    ],
    [
      'not-allowed',
      failure({ reason: 'not-allowed', reference: 'N1' }),
      ['Your account cannot manage Duo devices at this station.'],
    ],
    [
      'see-helpdesk with the condition',
      failure({ reason: 'see-helpdesk', detail: 'password-expired', reference: 'S1' }),
      ['Your password has expired.', 'Please see the helpdesk.'],
    ],
    [
      'see-helpdesk without a condition',
      failure({ reason: 'see-helpdesk', reference: 'S2' }),
      ['Your account needs attention before you can continue.'],
    ],
    [
      'invalid-input without detail',
      failure({ reason: 'invalid-input', reference: 'I1' }),
      ['Please check your username and password'],
    ],
    [
      'directory-unavailable',
      failure({ reason: 'directory-unavailable', reference: 'D1' }),
      ['The sign-in service cannot be reached right now.'],
    ],
    [
      'duo-unavailable',
      failure({ reason: 'duo-unavailable', reference: 'U1' }),
      ['Duo cannot be reached right now.'],
    ],
  ];

  it.each(specificMessages)('explains %s, with the reference', async (_name, result, texts) => {
    const api = createFakeWalkupApi();
    api.signInResults = [result];
    await showSignIn(api);
    await submit('alice', 'secret');

    const alert = await screen.findByRole('alert');
    for (const text of texts) expect(alert.textContent).toContain(text);
    expect(alert.textContent).not.toContain('username or password is incorrect');
    expect(alert.textContent).toContain(result.ok ? '' : result.reference);
  });

  it('clears the password after any refusal', async () => {
    const api = createFakeWalkupApi();
    api.signInResults = [failure({ reason: 'throttled', retryAfterSeconds: 30, reference: 'T3' })];
    await showSignIn(api);
    await submit('alice', 'secret');
    await screen.findByRole('alert');
    expect(screen.getByLabelText('Password')).toHaveProperty('value', '');
  });

  it('toggles the password between hidden and shown, and its name says what a press does', async () => {
    await showSignIn();
    const toggle = screen.getByRole('button', { name: 'Show password' });
    // A toggle whose name changes carries no aria-pressed (WAI-ARIA APG, Button).
    expect(toggle.hasAttribute('aria-pressed')).toBe(false);
    fireEvent.click(toggle);
    expect(screen.getByLabelText('Password')).toHaveProperty('type', 'text');
    expect(toggle.textContent).toBe('Hide password');
    expect(toggle.classList.contains('shown')).toBe(true);
    expect(screen.queryByRole('button', { name: 'Show password' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Hide password' }));
    expect(screen.getByLabelText('Password')).toHaveProperty('type', 'password');
    expect(screen.getByRole('button', { name: 'Show password' }).classList.contains('shown')).toBe(false);
  });

  it('warns politely while Caps Lock is on in the password field, and not after it is off or left', async () => {
    await showSignIn();
    const password = screen.getByLabelText('Password');
    const region = document.querySelector('.caps-lock');
    expect(region?.getAttribute('aria-live')).toBe('polite');
    expect(region?.textContent).toBe('');

    fireEvent.keyDown(password, { key: 'A', modifierCapsLock: true });
    expect(region?.textContent).toBe('Caps Lock is on.');
    expect(password.getAttribute('aria-describedby')).toBe(region?.id);
    fireEvent.keyUp(password, { key: 'CapsLock', modifierCapsLock: false });
    expect(region?.textContent).toBe('');
    expect(password.hasAttribute('aria-describedby')).toBe(false);

    fireEvent.keyDown(password, { key: 'A', modifierCapsLock: true });
    fireEvent.blur(password);
    expect(region?.textContent).toBe('');
  });

  it('sets the touch and typing hints of both fields: no capitals, corrections or spell checks', async () => {
    await showSignIn();
    for (const label of ['Username', 'Password']) {
      const field = screen.getByLabelText(label);
      expect(field.getAttribute('inputmode'), label).toBe('text');
      expect(field.getAttribute('autocapitalize'), label).toBe('none');
      expect(field.getAttribute('autocorrect'), label).toBe('off');
      expect(field.getAttribute('spellcheck'), label).toBe('false');
      expect(field.getAttribute('autocomplete'), label).toBe('off');
    }
  });

  const emptyForms: [string, string, string, string[], string][] = [
    ['both fields', '', '', ['Please enter your username.', 'Please enter your password.'], 'Username'],
    ['the username (white space only)', ' \t', 'secret', ['Please enter your username.'], 'Username'],
    ['the password', 'alice', '', ['Please enter your password.'], 'Password'],
  ];

  it.each(emptyForms)(
    'sends nothing when %s is empty, names each empty field and focuses the first',
    async (_name, username, password, texts, first) => {
      const api = await showSignIn();
      await submit(username, password);

      expect(api.signInCalls).toEqual([]);
      expect(
        screen.getByRole('heading', { level: 1, name: 'Sign in to manage your Duo devices' }),
      ).toBeTruthy();
      const alert = screen.getByRole('alert');
      expect([...alert.querySelectorAll('p')].map((p) => p.textContent)).toEqual(texts);
      expect(alert.textContent).not.toContain('Support reference');
      for (const label of ['Username', 'Password']) {
        const named = texts.some((text) => text.includes(label.toLowerCase()));
        expect(screen.getByLabelText(label).getAttribute('aria-invalid'), label).toBe(named ? 'true' : null);
      }
      expect(document.activeElement).toBe(screen.getByLabelText(first));
      // What was typed stays, so only the missing field needs filling in.
      expect(screen.getByLabelText('Username')).toHaveProperty('value', username);
      expect(screen.getByLabelText('Password')).toHaveProperty('value', password);
    },
  );

  it('drops the empty-field message of a field once it is filled, and then sends', async () => {
    const api = await showSignIn();
    api.signInResults = [failure({ reason: 'invalid-credentials', reference: 'E1' })];
    await submit('', '');
    type('Username', 'alice');
    expect(screen.getByRole('alert').textContent).toBe('Please enter your password.');
    expect(screen.getByLabelText('Username').getAttribute('aria-invalid')).toBeNull();
    await submit('alice', 'secret');
    expect(api.signInCalls).toEqual([{ username: 'alice', password: 'secret', locale: 'en' }]);
    expect((await screen.findByRole('alert')).textContent).toContain('E1');
  });

  const notAboutThePassword: SignInResult[] = [
    failure({ reason: 'throttled', retryAfterSeconds: 30, reference: 'P1' }),
    failure({ reason: 'station-paused', retryAfterSeconds: 30, reference: 'P2' }),
    failure({ reason: 'see-helpdesk', detail: 'password-expired', reference: 'P3' }),
    failure({ reason: 'not-allowed', reference: 'P4' }),
    failure({ reason: 'directory-unavailable', reference: 'P5' }),
    failure({ reason: 'duo-unavailable', reference: 'P6' }),
  ];

  it.each(notAboutThePassword)('does not mark the password invalid for $reason', async (result) => {
    const api = createFakeWalkupApi();
    api.signInResults = [result];
    await showSignIn(api);
    await submit('alice', 'right-password');
    await screen.findByRole('alert');
    expect(screen.getByLabelText('Password').getAttribute('aria-invalid')).toBeNull();
    expect(screen.getByLabelText('Username').getAttribute('aria-invalid')).toBeNull();
  });

  it('says a paused station is the station pausing, not too many attempts by the person', async () => {
    const api = createFakeWalkupApi();
    api.signInResults = [failure({ reason: 'station-paused', retryAfterSeconds: 120, reference: 'SP' })];
    await showSignIn(api);
    await submit('alice', 'secret');
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Sign-in at this station is paused for a short while.');
    // A per-address pause (portal mode) can come from this very person: no claim about them.
    expect(alert.textContent).not.toMatch(/anything you did/i);
    expect(alert.textContent).toContain('Please wait 2 minutes, then try again.');
    expect(alert.textContent).not.toMatch(/too many/i);
  });

  it('returns to the welcome, with the notice there, after main resets the station; Start shows an empty form', async () => {
    const api = createFakeWalkupApi();
    api.signInResults = [failure({ reason: 'invalid-input', detail: 'password-too-long', reference: 'R9' })];
    await showSignIn(api);
    await submit('alice', 'kept');
    await screen.findByRole('alert');

    act(() => api.emit({ type: 'visit-reset', reason: 'admin' }));
    await findScreen(WELCOME_HEADING);
    expect(screen.queryByText(/R9/)).toBeNull();
    expect(screen.queryByText(/alice/)).toBeNull();
    expect(screen.getByRole('status').textContent).toContain('reset by an administrator');

    await startSignIn();
    expect(screen.getByLabelText('Username')).toHaveProperty('value', '');
    expect(screen.getByLabelText('Password')).toHaveProperty('value', '');
    expect(screen.queryByText(/R9/)).toBeNull();
    // The notice was for the welcome: the form itself is clean.
    expect(screen.queryByRole('status')).toBeNull();
  });

  it('lists the demo accounts only in demo mode', async () => {
    await showSignIn();
    expect(screen.queryByRole('heading', { name: 'Demo accounts' })).toBeNull();
    cleanup();

    await showSignIn(
      createFakeWalkupApi({
        station: {
          ...testStation,
          demo: { users: [{ username: 'demo.alice', password: 'Correct-Horse-1' }] },
        },
      }),
    );
    expect(screen.getByRole('heading', { name: 'Demo accounts' })).toBeTruthy();
    expect(screen.getByText('demo.alice')).toBeTruthy();
    expect(screen.getByText('Correct-Horse-1')).toBeTruthy();
  });

  it('shows the Checking screen while main is signing in', async () => {
    const api = createFakeWalkupApi();
    let answer: (result: SignInResult) => void = () => undefined;
    api.signIn = (request) => {
      api.signInCalls.push(request);
      return new Promise((resolve) => (answer = resolve));
    };
    await showSignIn(api);
    type('Username', 'alice');
    type('Password', 'secret');
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(screen.getByRole('heading', { level: 1, name: 'Checking your details…' })).toBeTruthy();

    await act(async () => answer(failure({ reason: 'directory-unavailable', reference: 'X' })));
    expect(
      screen.getByRole('heading', { level: 1, name: 'Sign in to manage your Duo devices' }),
    ).toBeTruthy();
  });

  it('shows the out-of-service screen instead of a crash when the station cannot be reached', async () => {
    const api = createFakeWalkupApi();
    api.signInResults = [failure({ reason: 'invalid-credentials', reference: 'R' })];
    api.signIn = async () => {
      throw new TypeError('Failed to fetch');
    };
    await showSignIn(api);
    await submit('alice', 'secret');
    expect(await findScreen('This station is out of service')).toBeTruthy();
    expect(screen.getByText(/lost contact with the station/)).toBeTruthy();
  });
});
