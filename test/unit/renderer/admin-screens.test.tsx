// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AdminGate } from '../../../main/contract/admin';
import {
  createFakeAdminApi,
  TEST_PIN,
  TEST_TOKEN,
  testStatus,
  type FakeAdminApi,
} from './support/fake-admin-api';
import { createFakeWalkupApi, testStation, type FakeWalkupApi } from './support/fake-walkup-api';
import { readSourceFile } from './support/read-source-file';
import { findScreen, renderApp, WELCOME_HEADING } from './support/render-app';

afterEach(cleanup);

function withAdmin(admin: FakeAdminApi, api: FakeWalkupApi = createFakeWalkupApi()): FakeWalkupApi {
  api.admin = admin;
  return api;
}

/** Five clicks in the top-left corner, as a finger or mouse would give them. */
function tapCorner(times = 5, x = 10, y = 10) {
  for (let tap = 0; tap < times; tap += 1) fireEvent.click(document.body, { clientX: x, clientY: y });
}

function type(label: string | RegExp, value: string) {
  fireEvent.change(screen.getByLabelText(label), { target: { value } });
}

function press(name: string | RegExp) {
  fireEvent.click(screen.getByRole('button', { name }));
}

async function settle() {
  await act(() => new Promise<void>((resolve) => setTimeout(resolve, 0)));
}

async function openPinPad(admin: FakeAdminApi, api = withAdmin(admin)) {
  renderApp(api);
  await findScreen(WELCOME_HEADING);
  tapCorner();
  await findScreen('Administrator PIN');
  return api;
}

async function unlock(admin: FakeAdminApi) {
  await openPinPad(admin);
  for (const digit of TEST_PIN) press(digit);
  press('Unlock');
  await findScreen('Station administration');
  await settle();
}

describe('admin trigger', () => {
  it('opens the PIN pad after five taps in the top-left corner, and hides the visit UI', async () => {
    const admin = createFakeAdminApi();
    renderApp(withAdmin(admin));
    const heading = await findScreen(WELCOME_HEADING);
    tapCorner(4);
    await settle();
    expect(screen.queryByRole('heading', { name: 'Administrator PIN' })).toBeNull();
    tapCorner(1);
    await findScreen('Administrator PIN');
    // The visit UI is hidden and inert while the admin overlay is open.
    const visitUi = heading.closest('.app') as HTMLElement;
    expect(visitUi.hidden).toBe(true);
    expect(visitUi.hasAttribute('inert')).toBe(true);
    expect(screen.queryByRole('heading', { name: WELCOME_HEADING })).toBeNull();
    // jsdom applies no stylesheet: the app's own display rules must not undo `hidden`.
    expect(readSourceFile('renderer/styles.css')).toMatch(/\[hidden\]\s*\{\s*display:\s*none !important;/);
  });

  it('ignores taps outside the corner', async () => {
    const admin = createFakeAdminApi();
    renderApp(withAdmin(admin));
    await findScreen(WELCOME_HEADING);
    tapCorner(5, 64, 10);
    tapCorner(5, 10, 200);
    await settle();
    expect(admin.callsOf('gate')).toHaveLength(0);
  });

  it("opens the PIN pad on main's admin-requested event (the kiosk's key chord)", async () => {
    const api = withAdmin(createFakeAdminApi());
    renderApp(api);
    await findScreen(WELCOME_HEADING);
    act(() => api.emit({ type: 'admin-requested' }));
    await findScreen('Administrator PIN');
  });

  it('reads the gate once when the chord and the taps come in the same moment', async () => {
    const admin = createFakeAdminApi();
    const api = withAdmin(admin);
    renderApp(api);
    await findScreen(WELCOME_HEADING);
    act(() => {
      api.emit({ type: 'admin-requested' });
      api.emit({ type: 'admin-requested' });
      tapCorner();
    });
    await findScreen('Administrator PIN');
    expect(admin.callsOf('gate')).toHaveLength(1);
  });

  it("opens nothing while a person's visit is in Duo (the admin waits for the visit to end)", async () => {
    const admin = createFakeAdminApi();
    const inFive = new Date(Date.now() + 300_000).toISOString();
    const api = withAdmin(
      admin,
      createFakeWalkupApi({
        visit: {
          phase: 'duo',
          displayName: 'Alice Example',
          duo: { kind: 'frame', host: 'api-test.duosecurity.com', tx: 'TX|YWxpY2V8|abc' },
          idleResetAt: inFive,
          capResetAt: inFive,
        },
      }),
    );
    renderApp(api);
    await findScreen('Manage your devices');
    act(() => api.emit({ type: 'admin-requested' }));
    tapCorner();
    await settle();
    expect(admin.callsOf('gate')).toHaveLength(0);
    expect(screen.queryByRole('heading', { name: 'Administrator PIN' })).toBeNull();
  });

  it('does nothing where no admin API is served', async () => {
    renderApp(createFakeWalkupApi());
    await findScreen(WELCOME_HEADING);
    tapCorner();
    await settle();
    expect(screen.queryByRole('heading', { name: 'Administrator PIN' })).toBeNull();
  });
});

describe('PIN pad', () => {
  it('takes the PIN from big digit buttons into a masked numeric field, and unlocks', async () => {
    const admin = createFakeAdminApi();
    await openPinPad(admin);
    const field = screen.getByLabelText('PIN');
    expect(field).toHaveProperty('type', 'password');
    expect(field.getAttribute('inputmode')).toBe('numeric');
    expect(screen.getByText('5 attempts left before the PIN pad locks.')).toBeTruthy();
    for (const digit of '12') press(digit);
    press('Delete last digit');
    expect(field).toHaveProperty('value', '1');
    // Typing keeps digits only.
    type('PIN', '24a6810');
    expect(field).toHaveProperty('value', '246810');
    press('Unlock');
    await findScreen('Station administration');
    expect(admin.callsOf('unlock')).toEqual([{ pin: TEST_PIN }]);
  });

  it('says a PIN is wrong, shows the attempts left and clears the field', async () => {
    const admin = createFakeAdminApi();
    await openPinPad(admin);
    type('PIN', '111111');
    press('Unlock');
    expect(await screen.findByText('That PIN is not correct.')).toBeTruthy();
    expect(screen.getByText('4 attempts left before the PIN pad locks.')).toBeTruthy();
    expect(screen.getByLabelText('PIN')).toHaveProperty('value', '');
    await waitFor(() => expect(document.activeElement).toBe(screen.getByLabelText('PIN')));
  });

  it('shows the lockout countdown, with no way to type a PIN', async () => {
    const admin = createFakeAdminApi({ kind: 'locked', retryAfterSeconds: 90 });
    await openPinPad(admin);
    expect(screen.getByText('Too many wrong PINs. Try again in 90 seconds.')).toBeTruthy();
    expect(screen.queryByLabelText('PIN')).toBeNull();
  });

  it.each([
    ['no-pin', /No administrator PIN is set/],
    ['secret-store-unavailable', /cannot read its protected settings/],
  ] as const)('explains why the admin screen is unavailable (%s)', async (reason, text) => {
    const admin = createFakeAdminApi({ kind: 'unavailable', reason } satisfies AdminGate);
    await openPinPad(admin);
    expect(screen.getByRole('alert').textContent).toMatch(text);
  });

  it('goes back to visits on Cancel', async () => {
    await openPinPad(createFakeAdminApi());
    press('Cancel');
    await findScreen(WELCOME_HEADING);
  });
});

describe('admin screen', () => {
  it('shows the status, the checks, the secret store, version and policy sources', async () => {
    const admin = createFakeAdminApi();
    await unlock(admin);
    const status = screen.getByRole('region', { name: 'Status' });
    expect(within(status).getByText('In service')).toBeTruthy();
    expect(within(status).getByText('Version 1.2.3, build abc123')).toBeTruthy();
    expect(
      within(status).getByText(/Secret store: gnome_libsecret \(protected by the operating system\)/),
    ).toBeTruthy();
    expect(within(status).getByText('/etc/walkup/policy.json')).toBeTruthy();
    expect(await within(status).findByText('Server ldaps://dc1.example.test:636')).toBeTruthy();
    expect(within(status).getByText('Service account sign-in: Yes')).toBeTruthy();
    expect(within(status).getByText('Clock difference: 1 s')).toBeTruthy();
    expect(admin.callsOf('check')).toEqual([{ token: TEST_TOKEN }]);
  });

  it('shows every setting with its source; policy-set and trust-widening keys are read-only', async () => {
    await unlock(createFakeAdminApi());
    const name = screen.getByLabelText('station.name');
    expect(name).toHaveProperty('value', 'Helpdesk station 3');
    expect(name).toHaveProperty('disabled', false);
    const locale = screen.getByLabelText('station.locale');
    expect(locale).toHaveProperty('disabled', true);
    expect(locale.getAttribute('aria-describedby')).toBeTruthy();
    const note = document.getElementById(locale.getAttribute('aria-describedby')!.split(' ')[0]!)!;
    expect(note.textContent).toContain('Source: policy');
    expect(note.textContent).toContain('Set by policy');
    // Managed station: a key that widens trust is policy-only.
    expect(screen.getByLabelText('directory.allowInsecure')).toHaveProperty('disabled', true);
    // Secrets are not among the settings, only in Secrets, as set / not set.
    expect(screen.queryByLabelText('duo.clientSecret')).toBeNull();
  });

  it('saves only the edited keys and shows the schema message next to the key', async () => {
    const admin = createFakeAdminApi();
    admin.saveAnswers = [
      {
        ok: false,
        reason: 'invalid',
        errors: [
          { path: 'directory.timeouts.connectMs', message: 'Number must be greater than or equal to 100' },
        ],
      },
      { ok: true, restartNeeded: true },
    ];
    await unlock(admin);
    type('directory.timeouts.connectMs', '5');
    press('Save settings');
    expect(await screen.findByText('Number must be greater than or equal to 100')).toBeTruthy();
    expect(screen.getByLabelText('directory.timeouts.connectMs').getAttribute('aria-invalid')).toBe('true');
    expect(admin.callsOf('save')).toEqual([
      { token: TEST_TOKEN, changes: [{ path: 'directory.timeouts.connectMs', value: 5 }], secrets: {} },
    ]);
    type('directory.timeouts.connectMs', '4000');
    press('Save settings');
    expect(await screen.findByText('Saved. Restart the station to apply the changes.')).toBeTruthy();
  });

  it('puts an error on a part of a key next to that key', async () => {
    const admin = createFakeAdminApi();
    admin.statusAnswer = {
      ...testStatus,
      settings: [
        ...testStatus.settings,
        {
          path: 'directory.servers',
          kind: 'string-list',
          value: [],
          source: 'default',
          locked: false,
          widensTrust: false,
          editable: true,
        },
      ],
    };
    admin.saveAnswers = [
      { ok: false, reason: 'invalid', errors: [{ path: 'directory.servers.1', message: 'is plain LDAP' }] },
    ];
    await unlock(admin);
    type('directory.servers', 'ldaps://a.example.test\nldap://b.example.test');
    press('Save settings');
    expect(await screen.findByText('1: is plain LDAP')).toBeTruthy();
    expect(screen.getByLabelText('directory.servers').getAttribute('aria-invalid')).toBe('true');
    expect(admin.callsOf('save')).toEqual([
      {
        token: TEST_TOKEN,
        changes: [{ path: 'directory.servers', value: ['ldaps://a.example.test', 'ldap://b.example.test'] }],
        secrets: {},
      },
    ]);
  });

  it('formats audit times in the station language', async () => {
    const admin = createFakeAdminApi();
    renderApp(withAdmin(admin, createFakeWalkupApi({ station: { ...testStation, locale: 'de' } })));
    await screen.findByRole('heading', {
      level: 1,
      name: 'Duo-Telefon oder Sicherheitsschlüssel hinzufügen oder ersetzen',
    });
    tapCorner();
    await screen.findByRole('heading', { level: 1, name: 'Administrator-PIN' });
    type('PIN', TEST_PIN);
    press('Entsperren');
    const audit = await screen.findByRole('region', { name: 'Letzte Ereignisse' });
    const time = new Intl.DateTimeFormat('de', { dateStyle: 'medium', timeStyle: 'medium' }).format(
      new Date('2026-12-03T10:10:00.000Z'),
    );
    expect(within(audit).getAllByRole('row')[2]!.textContent).toContain(time);
  });

  it('replaces a secret write-only: never pre-filled, cleared after the save', async () => {
    const admin = createFakeAdminApi();
    await unlock(admin);
    const secrets = screen.getByRole('region', { name: 'Secrets' });
    expect(within(secrets).getByText('Set')).toBeTruthy();
    expect(within(secrets).getByText('Not set')).toBeTruthy();
    const field = screen.getByLabelText('New value for duo.clientSecret');
    expect(field).toHaveProperty('type', 'password');
    expect(field).toHaveProperty('value', '');
    type('New value for duo.clientSecret', 'new-client-secret');
    press('Replace duo.clientSecret');
    expect(await screen.findByText('Replaced. Restart the station to apply.')).toBeTruthy();
    expect(field).toHaveProperty('value', '');
    expect(admin.callsOf('save')).toEqual([
      { token: TEST_TOKEN, changes: [], secrets: { 'duo.clientSecret': 'new-client-secret' } },
    ]);
    expect(document.body.innerHTML).not.toContain('new-client-secret');
  });

  it('lists the audit events with a localised time, the type and the other fields', async () => {
    await unlock(createFakeAdminApi());
    const audit = screen.getByRole('region', { name: 'Recent events' });
    const rows = within(audit).getAllByRole('row');
    expect(rows).toHaveLength(3);
    const time = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'medium' }).format(
      new Date('2026-12-03T10:10:00.000Z'),
    );
    expect(rows[2]!.textContent).toContain(time);
    expect(rows[2]!.textContent).toContain('sign-in-failed');
    expect(rows[2]!.textContent).toContain('reason=throttled');
  });

  it('tests a directory sign-in and shows the result code; the password is cleared', async () => {
    const admin = createFakeAdminApi();
    await unlock(admin);
    const tools = screen.getByRole('region', { name: 'Tools' });
    fireEvent.change(within(tools).getByLabelText('Username'), { target: { value: 'alice' } });
    fireEvent.change(within(tools).getByLabelText('Password'), { target: { value: 'pw-123' } });
    press('Test sign-in');
    expect(await within(tools).findByText('Result: ok (Alice Example)')).toBeTruthy();
    expect(within(tools).getByLabelText('Password')).toHaveProperty('value', '');
    expect(admin.callsOf('testSignIn')).toEqual([
      { token: TEST_TOKEN, username: 'alice', password: 'pw-123' },
    ]);
  });

  it('changes the PIN only when both entries agree', async () => {
    const admin = createFakeAdminApi();
    await unlock(admin);
    type('New PIN', '13579135');
    type('Confirm new PIN', '13579136');
    press('Change PIN');
    expect(await screen.findByText('The two PINs are not the same.')).toBeTruthy();
    expect(admin.callsOf('changePin')).toEqual([]);
    type('New PIN', '13579135');
    type('Confirm new PIN', '13579135');
    press('Change PIN');
    expect(await screen.findByText('The PIN has been changed.')).toBeTruthy();
    expect(admin.callsOf('changePin')).toEqual([{ token: TEST_TOKEN, pin: '13579135' }]);
  });

  it('runs the Duo check on demand', async () => {
    const admin = createFakeAdminApi();
    await unlock(admin);
    press('Run Duo check');
    const tools = screen.getByRole('region', { name: 'Tools' });
    expect(await within(tools).findByText('Credentials accepted: Yes')).toBeTruthy();
    expect(admin.callsOf('check')).toHaveLength(2);
  });

  it.each([
    ['Restart station', 'restart'],
    ['Exit kiosk', 'exit'],
  ] as const)('%s asks main and closes the overlay', async (button, method) => {
    const admin = createFakeAdminApi();
    await unlock(admin);
    press(button);
    await findScreen(WELCOME_HEADING);
    expect(admin.callsOf(method)).toEqual([{ token: TEST_TOKEN }]);
  });

  it('Lock ends the session and goes back to visits', async () => {
    const admin = createFakeAdminApi();
    await unlock(admin);
    press('Lock');
    await findScreen(WELCOME_HEADING);
    expect(admin.callsOf('lock')).toEqual([{ token: TEST_TOKEN }]);
  });

  it('locks itself after the idle time without input, and says why', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      const admin = createFakeAdminApi();
      await unlock(admin);
      // The fake's idle time is 300 s; input restarts it.
      act(() => vi.advanceTimersByTime(299_000));
      fireEvent.keyDown(document.body, { key: 'Tab' });
      act(() => vi.advanceTimersByTime(299_000));
      expect(screen.getByRole('heading', { level: 1, name: 'Station administration' })).toBeTruthy();
      expect(admin.callsOf('lock')).toEqual([]);
      act(() => vi.advanceTimersByTime(2_000));
      await findScreen('Administrator PIN');
      expect(admin.callsOf('lock')).toEqual([{ token: TEST_TOKEN }]);
      expect(screen.getByText(/The admin session ended because it was not used for a while/)).toBeTruthy();
    } finally {
      vi.useRealTimers();
    }
  });

  it('goes back to the PIN pad with a notice when main answers not-unlocked', async () => {
    const admin = createFakeAdminApi();
    await unlock(admin);
    admin.expired = true;
    press('Run checks again');
    await findScreen('Administrator PIN');
    expect(screen.getByText(/The admin session ended because it was not used for a while/)).toBeTruthy();
    // The PIN is asked again; the session's token is gone.
    admin.expired = false;
    type('PIN', TEST_PIN);
    press('Unlock');
    await findScreen('Station administration');
  });
});

describe('first-run setup', () => {
  const setupStation = {
    ...testStation,
    inService: false,
    outOfService: { reason: 'setup-required' as const, since: '2026-12-03T10:00:00.000Z' },
  };

  async function startSetup(admin = createFakeAdminApi({ kind: 'setup' })) {
    const api = withAdmin(admin, createFakeWalkupApi({ station: setupStation }));
    renderApp(api);
    await findScreen('Set up this station');
    await settle();
    return admin;
  }

  it('replaces the out-of-service screen on first run and walks through the five steps', async () => {
    const admin = await startSetup();
    const steps = screen.getByRole('list', { name: 'Setup steps' });
    expect(
      within(steps)
        .getAllByRole('listitem')
        .map((item) => item.textContent),
    ).toEqual(['Administrator PIN', 'Duo', 'Directory', 'Test', 'Save']);
    expect(within(steps).getByText('Administrator PIN').getAttribute('aria-current')).toBe('step');
    expect(document.activeElement).toBe(screen.getByRole('heading', { level: 2, name: 'Administrator PIN' }));

    // 1: the PIN, confirmed.
    type('New PIN', TEST_PIN);
    type('Confirm PIN', TEST_PIN);
    press('Create PIN');
    const duoHeading = await screen.findByRole('heading', { level: 2, name: 'Duo' });
    await waitFor(() => expect(document.activeElement).toBe(duoHeading));
    expect(admin.callsOf('createPin')).toEqual([{ pin: TEST_PIN }]);
    expect(screen.getByText('Step 2 of 5')).toBeTruthy();

    // 2: Duo, v4 by default; the required fields are named when empty.
    expect(screen.getByLabelText('Web SDK v4 (Universal Prompt, recommended)')).toHaveProperty(
      'checked',
      true,
    );
    press('Next');
    expect(screen.getByRole('alert').textContent).toContain('Please fill in: Client ID.');
    type('API hostname', 'api-test.duosecurity.com');
    type('Client ID', 'DIXXXXXXXXXXXXXXXXXX');
    type('Client secret', 'client-secret-value');
    expect(screen.getByLabelText('Client secret')).toHaveProperty('type', 'password');
    press('Next');

    // 3: the directory.
    await screen.findByRole('heading', { level: 2, name: 'Directory' });
    fireEvent.click(screen.getByLabelText('OpenLDAP'));
    type('Server URLs, one per line', 'ldaps://ldap1.example.test:636');
    type('Base DN', 'dc=example,dc=test');
    type('Service account DN', 'cn=walkup,dc=example,dc=test');
    press('Next');
    expect(screen.getByRole('alert').textContent).toContain('Please fill in: Service account password.');
    type('Service account password', 'bind-secret');
    press('Next');

    // 4: the checks against the draft.
    await screen.findByRole('heading', { level: 2, name: 'Test' });
    press('Run the checks');
    expect(await screen.findByText('All checks passed.')).toBeTruthy();
    const [check] = admin.callsOf('check') as { token: string; draft: { secrets: object } }[];
    expect(check?.token).toBe(TEST_TOKEN);
    expect(check?.draft.secrets).toEqual({
      'duo.clientSecret': 'client-secret-value',
      'directory.bindPassword': 'bind-secret',
    });
    press('Next');

    // 5: save, then restart.
    await screen.findByRole('heading', { level: 2, name: 'Save' });
    press('Save configuration');
    expect(await screen.findByText('Saved. Restart the station to start taking visits.')).toBeTruthy();
    expect(admin.callsOf('save')).toHaveLength(1);
    expect(document.body.innerHTML).not.toContain('client-secret-value');
    press('Restart station');
    await waitFor(() => expect(admin.callsOf('restart')).toEqual([{ token: TEST_TOKEN }]));
    await findScreen('This station is out of service');
  });

  it('shows save errors by key with the field they belong to', async () => {
    const admin = await startSetup();
    admin.saveAnswers = [
      {
        ok: false,
        reason: 'invalid',
        errors: [{ path: 'duo.clientId', message: 'must be the 20-character Client ID' }],
      },
    ];
    type('New PIN', TEST_PIN);
    type('Confirm PIN', TEST_PIN);
    press('Create PIN');
    await screen.findByRole('heading', { level: 2, name: 'Duo' });
    type('API hostname', 'api-test.duosecurity.com');
    type('Client ID', 'short');
    type('Client secret', 's');
    press('Next');
    await screen.findByRole('heading', { level: 2, name: 'Directory' });
    type('Server URLs, one per line', 'ldaps://ldap1.example.test');
    type('Base DN', 'dc=example,dc=test');
    press('Next');
    await screen.findByRole('heading', { level: 2, name: 'Test' });
    press('Next');
    await screen.findByRole('heading', { level: 2, name: 'Save' });
    press('Save configuration');
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Some values were not accepted');
    expect(alert.textContent).toContain('Client ID must be the 20-character Client ID');
  });

  it('v2 asks for the integration and secret keys and says Walkup generates the application key', async () => {
    await startSetup();
    type('New PIN', TEST_PIN);
    type('Confirm PIN', TEST_PIN);
    press('Create PIN');
    await screen.findByRole('heading', { level: 2, name: 'Duo' });
    fireEvent.click(screen.getByLabelText('Web SDK v2 (traditional prompt)'));
    expect(screen.getByLabelText('Integration key')).toBeTruthy();
    expect(screen.getByLabelText('Secret key')).toHaveProperty('type', 'password');
    expect(screen.queryByLabelText('Client ID')).toBeNull();
    expect(screen.getByText('Walkup generates the application key when you save.')).toBeTruthy();
  });

  it('asks for the PIN when another PIN was created meanwhile', async () => {
    const admin = await startSetup();
    admin.createPin = async (request) => {
      admin.calls.push({ method: 'createPin', request });
      admin.gateAnswer = { kind: 'pin', attemptsLeft: 5 };
      return { ok: false, reason: 'not-first-run', gate: admin.gateAnswer };
    };
    type('New PIN', TEST_PIN);
    type('Confirm PIN', TEST_PIN);
    press('Create PIN');
    await findScreen('Administrator PIN');
    expect(screen.getByLabelText('PIN')).toBeTruthy();
  });

  it('refuses two PINs that differ, and a PIN main refuses', async () => {
    const admin = await startSetup();
    type('New PIN', '123456');
    type('Confirm PIN', '123457');
    press('Create PIN');
    expect(await screen.findByText('The two PINs are not the same.')).toBeTruthy();
    expect(admin.callsOf('createPin')).toEqual([]);
    type('New PIN', '123');
    type('Confirm PIN', '123');
    press('Create PIN');
    expect(await screen.findByText('A PIN has 6 to 16 digits.')).toBeTruthy();
  });

  it('keeps the out-of-service screen when a PIN exists, and opens the setup after unlock', async () => {
    const admin = createFakeAdminApi({ kind: 'pin', attemptsLeft: 5 });
    renderApp(withAdmin(admin, createFakeWalkupApi({ station: setupStation })));
    await findScreen('This station is out of service');
    await settle();
    tapCorner();
    await findScreen('Administrator PIN');
    type('PIN', TEST_PIN);
    press('Unlock');
    await findScreen('Set up this station');
    expect(await screen.findByRole('heading', { level: 2, name: 'Duo' })).toBeTruthy();
  });

  it('has German for every admin and setup text', async () => {
    const admin = createFakeAdminApi({ kind: 'setup' });
    renderApp(withAdmin(admin, createFakeWalkupApi({ station: { ...setupStation, locale: 'de' } })));
    expect(await screen.findByRole('heading', { level: 1, name: 'Diese Station einrichten' })).toBeTruthy();
    expect(screen.getByLabelText('Neue PIN')).toBeTruthy();
  });
});

describe('admin statuses', () => {
  it('shows an out-of-service reason with its detail', async () => {
    const admin = createFakeAdminApi();
    admin.statusAnswer = {
      ...testStatus,
      station: {
        ...testStatus.station,
        inService: false,
        outOfService: { reason: 'directory-unreachable', detail: 'ldaps://dc1: ECONNREFUSED' },
      },
    };
    await unlock(admin);
    expect(screen.getByText('Out of service: The station cannot reach the sign-in service.')).toBeTruthy();
    expect(screen.getByText('Detail: ldaps://dc1: ECONNREFUSED')).toBeTruthy();
  });
});
