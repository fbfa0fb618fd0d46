/**
 * The SettingsStore port on electron-store 12: the admin screen's local settings, main process
 * only (no `initRenderer`), checked on the way in and out (no secrets, known sections only).
 * electron-store's `encryptionKey` is not used: it is obfuscation, and nothing secret is stored
 * here anyway.
 */
import Store from 'electron-store';
import type { Logger, SettingsStore } from '../core/ports';
import { checkLocalSettings } from './settings-policy';

/** Creates the store in the app's user-data folder (`settings.json`). */
export function createElectronSettingsStore(logger: Logger, options: { cwd?: string } = {}): SettingsStore {
  let store: Store<Record<string, unknown>>;
  try {
    store = new Store<Record<string, unknown>>({
      name: 'settings',
      // A corrupt file is kept for the admin to inspect, not silently replaced.
      clearInvalidConfig: false,
      ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
    });
  } catch (error) {
    logger.error('settings-unreadable', { error: error instanceof Error ? error.name : 'unknown' });
    return {
      read: async () => ({}),
      write: async () => {
        throw new Error('settings refused: the settings file is unreadable');
      },
    };
  }
  return {
    async read() {
      const checked = checkLocalSettings(store.store);
      if (!checked.ok) {
        // A hand-edited file with a secret or junk in it: ignore it rather than trust it.
        logger.warn('settings-ignored', { reason: checked.reason, path: checked.path });
        return {};
      }
      return checked.settings;
    },
    async write(settings) {
      const checked = checkLocalSettings(settings);
      if (!checked.ok)
        throw new Error(`settings refused: ${checked.reason}${checked.path ? ` at ${checked.path}` : ''}`);
      store.store = checked.settings;
    },
  };
}
