/**
 * Finds an Electron binary the way the `electron` package would, without throwing: the
 * `ELECTRON_OVERRIDE_DIST_PATH` folder, else the package's own download in
 * node_modules/electron/dist. Undefined when there is none (machines that cannot download it).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');

function executableIn(dist: string): string {
  if (process.platform === 'win32') return path.join(dist, 'electron.exe');
  if (process.platform === 'darwin') return path.join(dist, 'Electron.app', 'Contents', 'MacOS', 'Electron');
  return path.join(dist, 'electron');
}

/** The Electron executable, if one exists on this machine. */
export function findElectronBinary(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const override = env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) {
    const candidate = executableIn(override);
    return existsSync(candidate) ? candidate : undefined;
  }
  const packageDir = path.join(root, 'node_modules', 'electron');
  const pathFile = path.join(packageDir, 'path.txt');
  if (!existsSync(pathFile)) return undefined;
  const candidate = path.join(packageDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(candidate) ? candidate : undefined;
}

/** The reason every spec here gives when it cannot run. */
export const NO_ELECTRON = 'skipped: no Electron binary';
