/**
 * Finds what the Electron suite runs, without throwing:
 * - `WALKUP_E2E_APP`: a packaged test build's executable (electron-builder --dir with the Node
 *   inspector fuse on; the release workflow builds one); the app is inside it;
 * - else the `ELECTRON_OVERRIDE_DIST_PATH` folder, else the `electron` package's own download in
 *   node_modules/electron/dist, running this checkout's out/.
 * Undefined when there is none (machines that cannot download it). With
 * `WALKUP_E2E_REQUIRE_ELECTRON=1` (the CI workflows) a missing binary fails instead of skipping.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');

function executableIn(dist: string): string {
  if (process.platform === 'win32') return path.join(dist, 'electron.exe');
  if (process.platform === 'darwin') return path.join(dist, 'Electron.app', 'Contents', 'MacOS', 'Electron');
  return path.join(dist, 'electron');
}

/** What to launch: a packaged app (the app is built in), or Electron plus this checkout. */
export interface ElectronTarget {
  executablePath: string;
  packaged: boolean;
}

/** The Electron executable or packaged test build, if one exists on this machine. */
export function findElectronTarget(env: NodeJS.ProcessEnv = process.env): ElectronTarget | undefined {
  if (env.WALKUP_E2E_APP) {
    if (existsSync(env.WALKUP_E2E_APP)) return { executablePath: env.WALKUP_E2E_APP, packaged: true };
    throw new Error(`WALKUP_E2E_APP=${env.WALKUP_E2E_APP} does not exist`);
  }
  const binary = findElectronBinary(env);
  if (binary === undefined && env.WALKUP_E2E_REQUIRE_ELECTRON === '1') {
    throw new Error(
      'WALKUP_E2E_REQUIRE_ELECTRON=1 but no Electron binary was found (did npm ci download it?)',
    );
  }
  return binary === undefined ? undefined : { executablePath: binary, packaged: false };
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
