/**
 * Launches the station for one spec file, the same way against either target (electron-binary.ts):
 * - this checkout under a downloaded Electron: `electron <root> --policy <file>` (a development
 *   run: `--windowed` allowed, the admin chord exits);
 * - a packaged test build: the policy goes where a packaged station reads it, the managed policy
 *   file for this OS (config-policy.ts), which the workflow makes writable; it is removed again
 *   at close.
 * It collects the shell's JSON log lines (stderr) so tests can see what a policy logged.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { _electron as electron, type ElectronApplication, type Page } from '@playwright/test';
import { managedPolicyPath } from '../../main/electron/config-policy';
import { startDuoEmulator, type DuoEmulator } from '../support/duo-emulator';
import { findElectronTarget, NO_ELECTRON, type ElectronTarget } from './electron-binary';

const root = path.resolve(import.meta.dirname, '../..');

/** What this machine can run, or undefined (then every spec skips with {@link NO_ELECTRON}). */
export const target: ElectronTarget | undefined = findElectronTarget();
export { NO_ELECTRON };

/** A running station and what the test needs around it. */
export interface RunningStation {
  app: ElectronApplication;
  /** The kiosk window's renderer. */
  page: Page;
  workDir: string;
  auditFile: string;
  /** True for a packaged test build (production mode: kiosk forced, admin chord does not exit). */
  packaged: boolean;
  /** The shell's log lines so far, parsed (main/electron/logger.ts writes one JSON object a line). */
  logEvents(): { event: string; [field: string]: unknown }[];
  /** Ends the process from the outside (the window refuses to close without an admin exit). */
  close(): Promise<void>;
}

export interface LaunchOptions {
  /** The policy; `null` starts with none at all (a first run). */
  policy: Record<string, unknown> | null;
  /** A normal window instead of the fullscreen kiosk (development runs only). Default true. */
  windowed?: boolean;
  /** Development runs: the user data folder; default a fresh one in workDir (packaged: the account's). */
  userDataDir?: string;
}

export { demoPolicy, demoPolicyV2 } from './policies';
export { startDuoEmulator, type DuoEmulator };

/** Starts the station; needs `npm run build` first when not packaged. */
export async function launchStation(options: LaunchOptions): Promise<RunningStation> {
  if (!target) throw new Error(NO_ELECTRON);
  if (!target.packaged) {
    for (const built of ['out/main/index.cjs', 'out/preload/index.cjs', 'out/renderer/index.html']) {
      if (!existsSync(path.join(root, built)))
        throw new Error(`${built} is missing: run npm run build first`);
    }
  }
  const workDir = await mkdtemp(path.join(tmpdir(), 'walkup-e2e-electron-'));
  const auditFile = path.join(workDir, 'audit.jsonl');
  // A packaged station refuses --user-data-dir (issue #9): it uses the account's own folder.
  const userDataDir = options.userDataDir ?? path.join(workDir, 'user-data');
  const args = target.packaged ? [] : [`--user-data-dir=${userDataDir}`];
  let managedFile: string | undefined;

  if (options.policy !== null) {
    const policy = { audit: { file: auditFile }, ...options.policy };
    if (target.packaged) {
      managedFile = managedPolicyPath(process.platform, process.env);
      await mkdir(path.dirname(managedFile), { recursive: true });
      await writeFile(managedFile, JSON.stringify(policy));
    } else {
      const policyFile = path.join(workDir, 'policy.json');
      await writeFile(policyFile, JSON.stringify(policy));
      args.unshift('--policy', policyFile);
    }
  }
  if (!target.packaged) {
    args.unshift(root);
    if (options.windowed ?? true) args.push('--windowed');
  }

  const app = await electron.launch({ executablePath: target.executablePath, args, cwd: root });
  const lines: string[] = [];
  let partial = '';
  app.process().stderr?.on('data', (chunk: Buffer) => {
    const text = partial + chunk.toString('utf8');
    const parts = text.split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts);
  });
  const page = await app.firstWindow();
  await page.waitForLoadState('domcontentloaded');

  return {
    app,
    page,
    workDir,
    auditFile,
    packaged: target.packaged,
    logEvents() {
      const events: { event: string; [field: string]: unknown }[] = [];
      for (const line of lines) {
        if (!line.startsWith('{')) continue;
        try {
          const parsed = JSON.parse(line) as { event?: unknown };
          if (typeof parsed.event === 'string') events.push(parsed as { event: string });
        } catch {
          // Chromium's own stderr lines are not JSON; only the shell's logger is read.
        }
      }
      return events;
    },
    async close() {
      await app.evaluate(({ app: electronApp }) => electronApp.exit(0)).catch(() => undefined);
      await app.close().catch(() => undefined);
      if (managedFile) await rm(managedFile, { force: true });
      await rm(workDir, { recursive: true, force: true });
    },
  };
}

/** From the welcome screen (the first of every visit): Start, then signs in as the demo user alice. */
export async function signInAsAlice(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  await page.getByLabel('Username').fill('alice');
  await page.getByLabel('Password', { exact: true }).fill('enroll-alice');
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** The URL of the Duo v4 view's web contents once it shows Duo's page (polls), from main. */
export async function duoViewUrl(app: ElectronApplication, duoBaseUrl: string): Promise<string | undefined> {
  return app.evaluate(
    ({ webContents }, base) =>
      webContents
        .getAllWebContents()
        .find((c) => c.getURL().startsWith(base))
        ?.getURL(),
    duoBaseUrl,
  );
}
