// @vitest-environment jsdom
/**
 * The welcome screen and the language picker (issue #12), rendered whole against the fake API.
 */
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createFakeWalkupApi, testStation } from './support/fake-walkup-api';
import { findScreen, renderApp, SIGN_IN_HEADING, startSignIn, WELCOME_HEADING } from './support/render-app';

afterEach(() => {
  cleanup();
  sessionStorage.clear();
});

const FRENCH_WELCOME = 'Ajoutez ou remplacez votre téléphone ou votre clé de sécurité Duo';
const FRENCH_SIGN_IN = 'Connectez-vous pour gérer vos appareils Duo';

function picker(): HTMLElement {
  return screen.getByRole('group', { name: 'Language' });
}

describe('welcome screen', () => {
  it('says what the station is for and how long it takes, with Start, the picker and a built-in helpdesk line when none is set', async () => {
    renderApp(createFakeWalkupApi());
    const heading = await findScreen(WELCOME_HEADING);
    // The heading takes focus, so a screen reader starts at the top.
    expect(document.activeElement).toBe(heading);
    expect(document.body.textContent).toContain('add a new phone or security key to your Duo account');
    expect(document.body.textContent).toContain('It takes a few minutes.');
    expect(screen.getByRole('button', { name: 'Start' })).toBeTruthy();
    expect(picker()).toBeTruthy();
    expect(document.querySelector('.helpdesk-contact')?.textContent).toBe('Need help? Ask your IT helpdesk.');
    expect(screen.queryByLabelText('Username')).toBeNull();
    // Before Start no step of the progress is current or done.
    const steps = within(screen.getByRole('list', { name: 'Your progress' })).getAllByRole('listitem');
    expect(steps.map((step) => step.className)).toEqual(['step', 'step', 'step']);
    expect(steps.some((step) => step.hasAttribute('aria-current'))).toBe(false);
    // The picker's visible label names the group; its globe icon is hidden from screen readers.
    const label = document.querySelector('.language-picker-label');
    expect(label?.textContent).toBe('Language');
    expect(label?.querySelector('svg')?.getAttribute('aria-hidden')).toBe('true');
  });

  it('says whom to ask in each language when the station names no helpdesk', async () => {
    renderApp(createFakeWalkupApi());
    await findScreen(WELCOME_HEADING);
    const lines: string[] = [];
    for (const [autonym, heading] of [
      ['Deutsch', 'Duo-Telefon oder Sicherheitsschlüssel hinzufügen oder ersetzen'],
      ['Español', 'Añada o sustituya su teléfono o llave de seguridad de Duo'],
      ['Français', FRENCH_WELCOME],
    ] as const) {
      fireEvent.click(within(screen.getByRole('group')).getByRole('button', { name: autonym }));
      await findScreen(heading);
      lines.push(document.querySelector('.helpdesk-contact')?.textContent ?? '');
    }
    expect(lines).toEqual([
      'Brauchen Sie Hilfe? Wenden Sie sich an Ihren IT-Helpdesk.',
      '¿Necesita ayuda? Diríjase al servicio de asistencia informática.',
      'Besoin d’aide ? Adressez-vous au service d’assistance informatique.',
    ]);
  });

  it('Failed and out of service say whom to ask in their own text when the station names no helpdesk', async () => {
    renderApp(
      createFakeWalkupApi({
        visit: {
          phase: 'failed',
          reason: 'rejected',
          reference: 'REF-2',
          resetAt: new Date(Date.now() + 60_000).toISOString(),
        },
      }),
    );
    await findScreen("We couldn't confirm your Duo session");
    expect(document.body.textContent).toContain('see the helpdesk and give them the reference below');
    cleanup();
    renderApp(
      createFakeWalkupApi({
        station: {
          ...testStation,
          inService: false,
          outOfService: { reason: 'directory-unreachable', since: new Date().toISOString() },
        },
      }),
    );
    await findScreen('This station is out of service');
    expect(document.body.textContent).toContain('Please see the helpdesk.');
  });

  it("shows the station's welcome text only in the station's language; another pick shows the built-in text", async () => {
    renderApp(
      createFakeWalkupApi({
        station: {
          ...testStation,
          branding: { ...testStation.branding, welcomeText: 'Lost your phone? Start here.' },
        },
      }),
    );
    await findScreen(WELCOME_HEADING);
    expect(screen.getByText('Lost your phone? Start here.')).toBeTruthy();
    fireEvent.click(within(picker()).getByRole('button', { name: 'Français' }));
    await findScreen(FRENCH_WELCOME);
    expect(screen.queryByText('Lost your phone? Start here.')).toBeNull();
    expect(document.body.textContent).toContain('Ici, vous pouvez ajouter un nouveau téléphone');
    fireEvent.click(
      within(screen.getByRole('group', { name: 'Langue' })).getByRole('button', { name: 'English' }),
    );
    await findScreen(WELCOME_HEADING);
    expect(screen.getByText('Lost your phone? Start here.')).toBeTruthy();
  });

  it("shows the station's welcome text and helpdesk contact", async () => {
    renderApp(
      createFakeWalkupApi({
        station: {
          ...testStation,
          branding: {
            ...testStation.branding,
            welcomeText: 'Lost your phone? Set up the new one here.',
            helpdesk: 'IT helpdesk, room 1.04',
          },
        },
      }),
    );
    await findScreen(WELCOME_HEADING);
    expect(screen.getByText('Lost your phone? Set up the new one here.')).toBeTruthy();
    expect(document.body.textContent).not.toContain('add a new phone or security key to your Duo account');
    expect(document.querySelector('.helpdesk-contact')?.textContent).toContain('IT helpdesk, room 1.04');
  });

  it('Start shows the sign-in form with the focus in the username field', async () => {
    renderApp(createFakeWalkupApi());
    await startSignIn();
    await waitFor(() => expect(document.activeElement).toBe(screen.getByLabelText('Username')));
  });
});

describe('language picker', () => {
  it('names each language in itself, with its lang, as toggle buttons; the station’s language is pressed', async () => {
    renderApp(createFakeWalkupApi({ station: { ...testStation, locale: 'de-AT' } }));
    await findScreen('Duo-Telefon oder Sicherheitsschlüssel hinzufügen oder ersetzen');
    const group = screen.getByRole('group', { name: 'Sprache' });
    const buttons = within(group).getAllByRole('button');
    expect(buttons.map((button) => [button.textContent, button.getAttribute('lang')])).toEqual([
      ['English', 'en'],
      ['Deutsch', 'de'],
      ['Español', 'es'],
      ['Français', 'fr'],
    ]);
    // Native buttons (Tab, Enter and Space work), never submit buttons, 48 px by the .button style.
    for (const button of buttons) {
      expect(button.tagName).toBe('BUTTON');
      expect(button.getAttribute('type')).toBe('button');
      expect(button.classList.contains('button')).toBe(true);
    }
    expect(buttons.map((button) => button.getAttribute('aria-pressed'))).toEqual([
      'false',
      'true',
      'false',
      'false',
    ]);
  });

  it('switches the screens to the pick, keeps it on the form, sends it as the locale, and a reset returns to the station’s language', async () => {
    const api = createFakeWalkupApi();
    api.signInResults = [{ ok: false, reason: 'invalid-credentials', reference: 'R1' }];
    renderApp(api);
    await findScreen(WELCOME_HEADING);
    fireEvent.click(within(picker()).getByRole('button', { name: 'Français' }));
    await findScreen(FRENCH_WELCOME);
    expect(document.documentElement.lang).toBe('fr');
    const group = screen.getByRole('group', { name: 'Langue' });
    expect(within(group).getByRole('button', { name: 'Français' }).getAttribute('aria-pressed')).toBe('true');
    expect(within(group).getByRole('button', { name: 'English' }).getAttribute('aria-pressed')).toBe('false');

    await startSignIn(FRENCH_WELCOME, 'Commencer', FRENCH_SIGN_IN);
    // The picker is on the form too.
    expect(
      within(screen.getByRole('group', { name: 'Langue' }))
        .getByRole('button', { name: 'Français' })
        .getAttribute('aria-pressed'),
    ).toBe('true');
    fireEvent.change(screen.getByLabelText('Nom d’utilisateur'), { target: { value: 'alice' } });
    fireEvent.change(screen.getByLabelText('Mot de passe'), { target: { value: 'pw' } });
    fireEvent.click(screen.getByRole('button', { name: 'Se connecter' }));
    await waitFor(() => expect(api.signInCalls).toHaveLength(1));
    expect(api.signInCalls[0]?.locale).toBe('fr');

    act(() => api.emit({ type: 'visit-reset', reason: 'admin' }));
    await findScreen(WELCOME_HEADING);
    expect(document.documentElement.lang).toBe('en');
    expect(within(picker()).getByRole('button', { name: 'English' }).getAttribute('aria-pressed')).toBe(
      'true',
    );
  });

  it('keeps the pick across Duo’s v4 redirect for Done, then the welcome is in the station’s language', async () => {
    const api = createFakeWalkupApi();
    const authUrl = 'https://api-test.duosecurity.com/oauth/v1/authorize?request=abc';
    api.signInResults = [
      { ok: true, displayName: 'Alice', duo: { kind: 'page', presentation: 'redirect', authUrl } },
    ];
    const navigate = vi.fn();
    renderApp(api, { navigate });
    await findScreen(WELCOME_HEADING);
    fireEvent.click(within(picker()).getByRole('button', { name: 'Français' }));
    await startSignIn(FRENCH_WELCOME, 'Commencer', FRENCH_SIGN_IN);
    fireEvent.change(screen.getByLabelText('Nom d’utilisateur'), { target: { value: 'alice' } });
    fireEvent.change(screen.getByLabelText('Mot de passe'), { target: { value: 'pw' } });
    fireEvent.click(screen.getByRole('button', { name: 'Se connecter' }));
    await waitFor(() => expect(navigate).toHaveBeenCalledExactlyOnceWith(authUrl));
    cleanup();

    // The browser comes back from Duo to a page loaded afresh, on Done.
    const back = createFakeWalkupApi({
      visit: {
        phase: 'done',
        displayName: 'Alice',
        outcome: 'verified',
        resetAt: new Date(Date.now() + 8000).toISOString(),
      },
    });
    renderApp(back);
    await findScreen('C’est terminé');
    expect(document.documentElement.lang).toBe('fr');
    act(() => back.emit({ type: 'visit-changed', visit: { phase: 'idle' } }));
    await findScreen(WELCOME_HEADING);
    expect(document.documentElement.lang).toBe('en');
    cleanup();

    // Taken once: a later page starts in the station's language.
    renderApp(createFakeWalkupApi());
    await findScreen(WELCOME_HEADING);
    expect(document.documentElement.lang).toBe('en');
  });

  it('ignores a kept pick when the visit is over by the time the page is back, and anything not a language', async () => {
    sessionStorage.setItem('walkup.visit-language', 'fr');
    renderApp(createFakeWalkupApi());
    await findScreen(WELCOME_HEADING);
    expect(document.documentElement.lang).toBe('en');
    expect(sessionStorage.length).toBe(0);
    cleanup();

    sessionStorage.setItem('walkup.visit-language', '<script>');
    renderApp(
      createFakeWalkupApi({
        visit: {
          phase: 'done',
          displayName: 'Alice',
          outcome: 'verified',
          resetAt: new Date(Date.now() + 8000).toISOString(),
        },
      }),
    );
    await findScreen('All done');
    expect(sessionStorage.length).toBe(0);
  });

  it('can change the language on the sign-in form itself, keeping what was typed', async () => {
    renderApp(createFakeWalkupApi());
    await startSignIn();
    fireEvent.change(screen.getByLabelText('Username'), { target: { value: 'alice' } });
    fireEvent.click(within(picker()).getByRole('button', { name: 'Español' }));
    await findScreen('Inicie sesión para gestionar sus dispositivos de Duo');
    expect(screen.getByLabelText('Nombre de usuario')).toHaveProperty('value', 'alice');
    expect(screen.queryByRole('heading', { name: SIGN_IN_HEADING })).toBeNull();
  });
});

describe('default language in portal mode', () => {
  it('starts in the first supported language of the browser and returns to it after a reset', async () => {
    const api = createFakeWalkupApi({ station: { ...testStation, locale: 'de-DE' } });
    renderApp(api, { browserLanguages: ['it-IT', 'fr-CA', 'en'] });
    await findScreen(FRENCH_WELCOME);
    expect(document.documentElement.lang).toBe('fr');
    fireEvent.click(
      within(screen.getByRole('group', { name: 'Langue' })).getByRole('button', { name: 'English' }),
    );
    await startSignIn();
    act(() => api.emit({ type: 'visit-reset', reason: 'admin' }));
    await findScreen(FRENCH_WELCOME);
    expect(document.documentElement.lang).toBe('fr');
    expect(
      within(screen.getByRole('group', { name: 'Langue' }))
        .getByRole('button', { name: 'Français' })
        .getAttribute('aria-pressed'),
    ).toBe('true');
  });

  it("keeps the station's locale when no browser language is supported, and in the kiosk", async () => {
    renderApp(createFakeWalkupApi({ station: { ...testStation, locale: 'de-DE' } }), {
      browserLanguages: ['it-IT', 'pt'],
    });
    await findScreen('Duo-Telefon oder Sicherheitsschlüssel hinzufügen oder ersetzen');
    cleanup();
    renderApp(createFakeWalkupApi({ station: { ...testStation, locale: 'de-DE' } }), {
      duoShownByMain: true,
    });
    await findScreen('Duo-Telefon oder Sicherheitsschlüssel hinzufügen oder ersetzen');
  });
});
