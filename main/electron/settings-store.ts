/**
 * The SettingsStore port on electron-store 12: the admin screen's local settings, main process
 * only (no `initRenderer`), as the signed envelope the admin service writes
 * (`core/admin/signed-settings.ts`), checked on the way in and out (`checkSettingsFile`: no
 * secrets, known sections only, in the inner settings). A file that fails the checks, or cannot
 * be parsed, makes `read` throw with the reason and the key (never a value): core reports it and
 * the station stays out of service rather than run on other settings than its admin saved.
 * electron-store's `encryptionKey` is not used: it is obfuscation, and nothing secret is stored
 * here anyway.
 */
import { renameSync } from 'node:fs';
import path from 'node:path';
// The default import, as electron-store itself uses (its bundle test stands in for exactly that).
import electron from 'electron';
import Store from 'electron-store';
import type { Logger, SettingsStore } from '../core/ports';
import { checkSettingsFile } from './settings-policy';

/** Creates the store in the app's user-data folder (`settings.json`). */
export function createElectronSettingsStore(logger: Logger, options: { cwd?: string } = {}): SettingsStore {
  const open = (): Store<Record<string, unknown>> =>
    new Store<Record<string, unknown>>({
      name: 'settings',
      // A corrupt file is kept for the admin to inspect, not silently replaced.
      clearInvalidConfig: false,
      ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
    });
  let store: Store<Record<string, unknown>>;
  try {
    store = open();
  } catch (error) {
    logger.error('settings-unreadable', { error: error instanceof Error ? error.name : 'unknown' });
    return {
      read: async () => {
        throw new Error('the settings file is unreadable');
      },
      // Only the admin service writes (a PIN-authenticated save): it replaces the unreadable file,
      // whose bytes are kept beside it (`settings.json.unreadable-<time>`) for inspection.
      write: async (file) => {
        const checked = checkSettingsFile(file, { writing: true });
        if (!checked.ok)
          throw new Error(`settings refused: ${checked.reason}${checked.path ? ` at ${checked.path}` : ''}`);
        const current = path.join(options.cwd ?? electron.app.getPath('userData'), 'settings.json');
        const kept = `${current}.unreadable-${new Date().toISOString().replaceAll(':', '-')}`;
        renameSync(current, kept);
        logger.warn('settings-unreadable-replaced', { kept: path.basename(kept) });
        store = open();
        store.store = checked.file;
      },
    };
  }
  return {
    async read() {
      const checked = checkSettingsFile(store.store, { writing: false });
      if (!checked.ok) {
        // A hand-edited file with a secret or junk in it: refused (and reported), never trusted.
        logger.warn('settings-ignored', { reason: checked.reason, path: checked.path });
        throw new Error(`settings refused: ${checked.reason}${checked.path ? ` at ${checked.path}` : ''}`);
      }
      return checked.file;
    },
    async write(file) {
      const checked = checkSettingsFile(file, { writing: true });
      if (!checked.ok)
        throw new Error(`settings refused: ${checked.reason}${checked.path ? ` at ${checked.path}` : ''}`);
      store.store = checked.file;
    },
  };
}
