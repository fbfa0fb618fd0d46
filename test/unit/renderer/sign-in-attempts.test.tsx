// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { SignInResult } from '../../../main/contract';
import { createFakeWalkupApi } from './support/fake-walkup-api';
import { renderApp, startSignIn } from './support/render-app';

afterEach(cleanup);

async function refusedWith(result: SignInResult): Promise<HTMLElement> {
  const api = createFakeWalkupApi();
  api.signInResults = [result];
  renderApp(api);
  await startSignIn();
  fireEvent.change(screen.getByLabelText('Username'), { target: { value: 'alice' } });
  fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'wrong' } });
  fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
  await act(async () => undefined);
  return screen.findByRole('alert');
}

const lastTry = 'This is your last try for now';
const paused = 'Sign-in for this username now pauses for a while.';

describe('the warning before a per-user lockout (attemptsLeft)', () => {
  it('warns that the next wrong password is the last try when 1 is left, with the reference', async () => {
    const alert = await refusedWith({
      ok: false,
      reason: 'invalid-credentials',
      attemptsLeft: 1,
      reference: 'L1',
    });
    expect(alert.textContent).toContain('username or password is incorrect');
    expect(alert.textContent).toContain(lastTry);
    expect(alert.textContent).toContain('see the helpdesk');
    expect(alert.textContent).toContain('L1');
  });

  it('says sign-in for the name now pauses when none is left', async () => {
    const alert = await refusedWith({
      ok: false,
      reason: 'invalid-credentials',
      attemptsLeft: 0,
      reference: 'L0',
    });
    expect(alert.textContent).toContain(paused);
    expect(alert.textContent).not.toContain(lastTry);
  });

  it.each([2, undefined])('says nothing of tries when attemptsLeft is %s', async (attemptsLeft) => {
    const alert = await refusedWith({
      ok: false,
      reason: 'invalid-credentials',
      ...(attemptsLeft === undefined ? {} : { attemptsLeft }),
      reference: 'L2',
    });
    expect(alert.textContent).toContain('username or password is incorrect');
    expect(alert.textContent).not.toContain(lastTry);
    expect(alert.textContent).not.toContain(paused);
  });
});
