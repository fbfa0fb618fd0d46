// @vitest-environment jsdom
/**
 * "Continue to Duo" on the v4 Duo screen (a page the person came back to from Duo's Universal
 * Prompt, e.g. with Back) leaves the page for Duo as sign-in does, so it keeps the person's
 * language pick for the page that comes back (Done, Failed): found by the e2e screen sweep,
 * where Done showed in English after a German visit that went back and on to Duo.
 */
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createFakeWalkupApi } from './support/fake-walkup-api';
import { findScreen, renderApp, startSignIn, WELCOME_HEADING } from './support/render-app';

afterEach(() => {
  cleanup();
  sessionStorage.clear();
});

describe('Continue to Duo', () => {
  it('keeps the person’s pick for the page that comes back from Duo', async () => {
    const api = createFakeWalkupApi();
    const authUrl = 'https://api-test.duosecurity.com/oauth/v1/authorize?request=abc';
    api.signInResults = [
      { ok: true, displayName: 'Alice', duo: { kind: 'page', presentation: 'redirect', authUrl } },
    ];
    const navigate = vi.fn();
    renderApp(api, { navigate });
    await findScreen(WELCOME_HEADING);
    fireEvent.click(
      within(screen.getByRole('group', { name: 'Language' })).getByRole('button', { name: 'Français' }),
    );
    await startSignIn(
      'Ajoutez ou remplacez votre téléphone ou votre clé de sécurité Duo',
      'Commencer',
      'Connectez-vous pour gérer vos appareils Duo',
    );
    fireEvent.change(screen.getByLabelText('Nom d’utilisateur'), { target: { value: 'alice' } });
    fireEvent.change(screen.getByLabelText('Mot de passe'), { target: { value: 'pw' } });
    fireEvent.click(screen.getByRole('button', { name: 'Se connecter' }));
    await waitFor(() => expect(navigate).toHaveBeenCalledExactlyOnceWith(authUrl));

    // As if this page were the one back from Duo: the kept pick was taken by its load.
    sessionStorage.clear();
    fireEvent.click(await screen.findByRole('button', { name: 'Continuer vers Duo' }));
    expect(navigate).toHaveBeenCalledTimes(2);
    expect(navigate).toHaveBeenLastCalledWith(authUrl);
    expect(sessionStorage.getItem('walkup.visit-language')).toBe('fr');
  });

  it('keeps nothing when the person picked no language', async () => {
    const api = createFakeWalkupApi();
    const authUrl = 'https://api-test.duosecurity.com/oauth/v1/authorize?request=abc';
    api.signInResults = [
      { ok: true, displayName: 'Alice', duo: { kind: 'page', presentation: 'redirect', authUrl } },
    ];
    const navigate = vi.fn();
    renderApp(api, { navigate });
    await findScreen(WELCOME_HEADING);
    await startSignIn();
    fireEvent.change(screen.getByLabelText('Username'), { target: { value: 'alice' } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'pw' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    await waitFor(() => expect(navigate).toHaveBeenCalledOnce());
    fireEvent.click(await screen.findByRole('button', { name: 'Continue to Duo' }));
    expect(navigate).toHaveBeenCalledTimes(2);
    expect(sessionStorage.getItem('walkup.visit-language')).toBeNull();
  });
});
