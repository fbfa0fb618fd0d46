/**
 * The kiosk's admin screen on a real Electron (issue #11): the admin chord (policy's
 * `kiosk.adminChord`, main/electron/key-policy.ts) is swallowed before the page sees it and asks
 * the renderer to open the PIN pad (`admin-requested`); a wrong PIN shows the attempts left; the
 * right one opens the admin screen, which names the secret store's backend (Electron safeStorage,
 * main/electron/kiosk-secret-store.ts); Exit kiosk quits the process with code 0
 * (main/electron/admin.ts).
 *
 * The PIN hash is provisioned the way `walkup import-secrets` does it: a pending import in the
 * station's userData, moved into the vault when the secret store first opens (the chord's gate).
 * On Linux runners without a keyring safeStorage is `basic_text`, which the suite's policy allows.
 */
import { expect, test } from '@playwright/test';
import { hashPin } from '../../main/core/secrets/pin-hash';
import { writePendingImport } from '../../main/core/secrets/provisioning';
import { adminPolicy, E2E_ELECTRON_ADMIN_PIN, E2E_ELECTRON_MAX_PIN_ATTEMPTS } from './policies';
import {
  launchStation,
  NO_ELECTRON,
  startDuoEmulator,
  target,
  type DuoEmulator,
  type RunningStation,
} from './station';

test.skip(target === undefined, NO_ELECTRON);

const WRONG_PIN = '000000';

let emulator: DuoEmulator;
let station: RunningStation;

test.beforeAll(async () => {
  emulator = await startDuoEmulator();
  station = await launchStation({ policy: adminPolicy(emulator) });
  // The vault opens lazily (nothing at start needs it), so an import written now is taken in
  // when the PIN pad first asks the secret store.
  const userData = await station.app.evaluate(({ app }) => app.getPath('userData'));
  const written = await writePendingImport(userData, {
    'admin.pinHash': await hashPin(E2E_ELECTRON_ADMIN_PIN),
  });
  if (!written.ok) throw new Error(`cannot provision the admin PIN: ${JSON.stringify(written)}`);
});

test.afterAll(async () => {
  await station?.close();
  await emulator?.close();
});

/** Types the admin chord (Ctrl+Shift+Alt+K, the default) into the kiosk window, as a keyboard would. */
async function typeAdminChord(): Promise<void> {
  await station.app.evaluate(({ BrowserWindow }) => {
    const contents = BrowserWindow.getAllWindows()[0]?.webContents;
    contents?.focus();
    contents?.sendInputEvent({ type: 'keyDown', keyCode: 'K', modifiers: ['control', 'shift', 'alt'] });
    contents?.sendInputEvent({ type: 'keyUp', keyCode: 'K', modifiers: ['control', 'shift', 'alt'] });
  });
}

async function enterPin(pin: string): Promise<void> {
  await station.page.getByLabel('PIN', { exact: true }).fill(pin);
  await station.page.getByRole('button', { name: 'Unlock' }).click();
}

test('key-policy classifyKeyInput: the admin chord opens the PIN pad and never quits the station', async () => {
  await expect(
    station.page.getByRole('heading', { name: 'Add or replace your Duo phone or security key' }),
  ).toBeVisible();
  await typeAdminChord();
  await expect(station.page.getByRole('heading', { name: 'Administrator PIN' })).toBeVisible();
  await expect(
    station.page.getByText(`${E2E_ELECTRON_MAX_PIN_ATTEMPTS} attempts left before the PIN pad locks.`),
  ).toBeVisible();
  expect(station.app.process().exitCode).toBeNull();
  expect(station.logEvents().map((line) => line.event)).toContain('admin-chord');
});

test('admin setupAdmin: a wrong PIN shows the attempts left; the right one opens the admin screen with the secret store', async () => {
  await enterPin(WRONG_PIN);
  await expect(station.page.getByText('That PIN is not correct.')).toBeVisible();
  await expect(
    station.page.getByText(`${E2E_ELECTRON_MAX_PIN_ATTEMPTS - 1} attempts left before the PIN pad locks.`),
  ).toBeVisible();

  await enterPin(E2E_ELECTRON_ADMIN_PIN);
  await expect(station.page.getByRole('heading', { name: 'Station administration' })).toBeVisible();
  const backend = { linux: /basic_text|gnome_libsecret|kwallet/, darwin: /keychain/, win32: /dpapi/ }[
    process.platform as 'linux' | 'darwin' | 'win32'
  ];
  await expect(station.page.getByText(/^Secret store: /)).toContainText(backend ?? /./);
  // Nothing the renderer holds carries the PIN.
  expect(await station.page.content()).not.toContain(E2E_ELECTRON_ADMIN_PIN);
});

test('admin setupAdmin: Exit kiosk stops the station and quits with code 0', async () => {
  const exited = new Promise<number | null>((resolve) =>
    station.app.process().once('exit', (code) => resolve(code)),
  );
  await station.page.getByRole('button', { name: 'Exit kiosk' }).click();
  expect(await exited).toBe(0);
  expect(station.logEvents().map((line) => line.event)).toContain('admin-exit');
});
