import { act, configure, render, screen, type RenderResult } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { App } from '../../../../renderer/app';
import { createWalkupI18n } from '../../../../renderer/i18n';
import type { AppEnvironment } from '../../../../renderer/state/use-walkup-app';
import type { FakeWalkupApi } from './fake-walkup-api';

// Waiting is not asserting speed: leave room for a machine busy with other suites.
configure({ asyncUtilTimeout: 5000 });

/** Renders the whole renderer against a fake API, as main.tsx does against the real one. */
export function renderApp(api: FakeWalkupApi, environment?: AppEnvironment): RenderResult {
  return render(
    <I18nextProvider i18n={createWalkupI18n('en')}>
      <App api={api} environment={environment} />
    </I18nextProvider>,
  );
}

/**
 * Waits for the screen whose h1 is `name`, then for React's passive effects (listeners, focus),
 * which run just after the screen appears.
 */
export async function findScreen(name: string): Promise<HTMLElement> {
  const heading = await screen.findByRole('heading', { level: 1, name });
  await act(() => new Promise<void>((resolve) => setTimeout(resolve, 0)));
  return heading;
}

/** The welcome screen's heading (English): the first screen of every visit (issue #12). */
export const WELCOME_HEADING = 'Add or replace your Duo phone or security key';
/** The sign-in screen's heading (English). */
export const SIGN_IN_HEADING = 'Sign in to manage your Duo devices';

/**
 * Waits for the welcome screen (`welcomeHeading`, English unless given), presses its Start
 * button (`start`), and waits for the sign-in form (`signInHeading`): what a person does first.
 */
export async function startSignIn(
  welcomeHeading = WELCOME_HEADING,
  start = 'Start',
  signInHeading = SIGN_IN_HEADING,
): Promise<HTMLElement> {
  await findScreen(welcomeHeading);
  act(() => screen.getByRole('button', { name: start }).click());
  return findScreen(signInHeading);
}
