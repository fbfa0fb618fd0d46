/**
 * The local settings file of `walkup serve --state-dir <dir>`: `<dir>/settings.json`, the
 * `SettingsStore` (main/core/ports.ts) the admin screen writes through `writeSignedSettings`
 * (which signs it) and the station reads through `readSignedSettings` (which refuses a file
 * changed outside Walkup). Written with `writePrivateFileAtomically` (0600, atomic).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseJsonObject } from '../core/config/load';
import type { SettingsStore } from '../core/ports';
import { writePrivateFileAtomically } from '../core/private-file';

/** The settings file's name inside a state folder. */
export const SETTINGS_FILE = 'settings.json';

/**
 * The store over `<stateDir>/settings.json`. `read` gives `undefined` when the file does not
 * exist and throws an Error naming the file and the JSON problem when it is not a JSON object.
 */
export function createSettingsFile(stateDir: string): SettingsStore & { file: string } {
  const file = path.resolve(stateDir, SETTINGS_FILE);
  return {
    file,
    async read() {
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw new Error(`${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`, {
          cause: error,
        });
      }
      const parsed = parseJsonObject(text, file);
      if (!parsed.ok) throw new Error(parsed.error);
      return parsed.value;
    },
    async write(settings) {
      await writePrivateFileAtomically(file, `${JSON.stringify(settings, null, 2)}\n`);
    },
  };
}
