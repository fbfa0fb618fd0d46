/**
 * The kiosk window: created from `getMainWindowOptions()`, shown only once its first paint is
 * ready (no white flash, no half-drawn UI), loading the renderer from `app://walkup`.
 */
import { BrowserWindow } from 'electron';
import { APP_START_URL } from './app-origin';
import { assignRole } from './roles';
import { getMainWindowOptions, type MainWindowOptionsInput } from './window-policy';

/** Creates, registers and loads the kiosk window. */
export function createMainWindow(input: MainWindowOptionsInput): BrowserWindow {
  const window = new BrowserWindow(getMainWindowOptions(input));
  assignRole(window.webContents, { kind: 'window' });
  window.once('ready-to-show', () => {
    window.show();
    window.focus();
  });
  void window.loadURL(APP_START_URL);
  return window;
}
