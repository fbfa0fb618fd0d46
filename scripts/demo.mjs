/**
 * Try Walkup without a directory or a Duo account, from a checkout:
 *
 *   npm run demo            the Electron kiosk; with no Electron binary, portal mode in a browser window
 *   npm run demo:portal     portal mode in a browser window
 *   … -- --v2               Duo Web SDK v2 (iframe) instead of v4 (Universal Prompt)
 *   … -- --port 8787        portal port (default 8787; 0 = any free port)
 *   … -- --emulator-port N  the Duo emulator's port (default 0 = any free port)
 *   … -- --browser PATH     the Chromium, Chrome or Edge to open (default: the first one found)
 *   … -- --no-browser       open no window: print the URL and how to open it
 *   … -- --verbose          portal mode: log every operational event (JSON lines on stderr), and
 *                           pass the browser's own messages through
 *
 * --port, --browser, --no-browser and --verbose are portal mode's: given to an Electron kiosk that
 * starts, they stop the demo with an error naming `npm run demo:portal`; when the demo falls back
 * to portal mode for want of an Electron binary, they apply.
 *
 * Starts the local Duo emulator (test/support/duo-emulator), writes a demo policy (demo
 * directory, Duo pointed at the emulator with its test CA) to a private temporary folder, builds
 * what is missing, then runs the station. In portal mode it opens the station in a Chromium, Chrome
 * or Edge app window with a fresh profile that trusts only the emulator's key
 * (scripts/demo-browser.mjs). Closing that window, or Ctrl-C, stops everything and deletes the
 * temporary files and the profile. TypeScript modules are loaded through tsx, so no build of main/
 * is needed for portal mode.
 *
 * `WALKUP_DEMO_BROWSER_ARGS` (space-separated) adds browser switches, e.g. `--headless` for tests.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  fetchServerCertificate,
  findBrowser,
  isExecutable,
  launchBrowser,
  manualBrowserSteps,
  spkiSha256,
} from './demo-browser.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const say = (line) => process.stdout.write(`${line}\n`);
const fail = (line, code = 2) => {
  process.stderr.write(`walkup demo: ${line}\n`);
  process.exit(code);
};

// tsx lets this script import the TypeScript emulator, engine and CLI straight from the checkout.
const { register } = await import('tsx/esm/api');
const unregister = register();
const { DEMO_USAGE, electronOptionsError, parseDemoArgs } = await import('./demo-args.mjs');

const parsed = parseDemoArgs(process.argv.slice(2));
if (!parsed.ok) fail(`${parsed.error}\n${DEMO_USAGE}`);
const options = parsed.options;
if (options.help) {
  say(DEMO_USAGE);
  process.exit(0);
}
let mode = options.mode;
if (options.browser !== undefined && !isExecutable(options.browser)) {
  fail(`--browser ${options.browser}: no such program (or it may not be run)`);
}

/** Path of the Electron binary the `electron` package would run, without triggering its download. */
function findElectronBinary() {
  const pkg = path.join(root, 'node_modules', 'electron');
  const pathFile = path.join(pkg, 'path.txt');
  const defaultName =
    {
      win32: 'electron.exe',
      darwin: 'Electron.app/Contents/MacOS/Electron',
    }[process.platform] ?? 'electron';
  const name = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : defaultName;
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const binary = override ? path.join(override, name) : path.join(pkg, 'dist', name);
  return existsSync(binary) ? binary : undefined;
}

/** Runs `npm run <script>` in the checkout, inheriting the terminal. */
function npmRun(script) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', '-s', script], {
      cwd: root,
      stdio: 'inherit',
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`npm run ${script} exited with ${code}`)),
    );
  });
}

// Decide about Electron before starting anything. Without a binary the demo still shows the
// whole visit: the same engine and UI in portal mode, opened in a browser.
const electronBinary = mode === 'electron' ? findElectronBinary() : undefined;
if (mode === 'electron' && !electronBinary) {
  process.stderr.write(
    'walkup demo: no Electron binary here (node_modules/electron/dist is missing and ELECTRON_OVERRIDE_DIST_PATH is not set), ' +
      'so the kiosk window cannot open. Starting portal mode instead: the same engine and screens, in your browser.\n',
  );
  mode = 'portal';
}
// The kiosk will really start: a portal-only option would be dropped, so it is an error instead.
const electronError = electronBinary ? electronOptionsError(options) : undefined;
if (electronError) fail(`${electronError}\n${DEMO_USAGE}`);

const { startDuoEmulator } = await import('../test/support/duo-emulator/index.ts');

// The browser, decided before anything starts: the one named, else the first one found.
const browserExecutable =
  mode === 'portal' && options.openBrowser ? (options.browser ?? findBrowser()) : undefined;
const extraBrowserArgs = (process.env.WALKUP_DEMO_BROWSER_ARGS ?? '').split(/\s+/).filter(Boolean);

const cleanups = [];
let stopping = false;
async function stopAll(code) {
  if (stopping) return;
  stopping = true;
  for (const cleanup of cleanups.reverse()) {
    try {
      await cleanup();
    } catch (error) {
      process.stderr.write(
        `walkup demo: cleanup failed: ${error instanceof Error ? error.message : error}\n`,
      );
    }
  }
  await unregister();
  process.exit(code);
}

// Ctrl-C while starting up still cleans up; once a station runs, its own handler takes over.
const stopWhileStarting = () => void stopAll(130);
process.on('SIGINT', stopWhileStarting);
process.on('SIGTERM', stopWhileStarting);
const startedUp = () => {
  process.off('SIGINT', stopWhileStarting);
  process.off('SIGTERM', stopWhileStarting);
};

/** Starts the emulator on the chosen port, naming the port when it is taken. */
async function startEmulator() {
  try {
    return await startDuoEmulator({ port: options.emulatorPort });
  } catch (error) {
    const code = error && typeof error === 'object' && 'code' in error ? error.code : undefined;
    if (!['EADDRINUSE', 'EACCES', 'EADDRNOTAVAIL'].includes(code)) throw error;
    throw new Error(
      `the Duo emulator cannot listen on 127.0.0.1:${options.emulatorPort} (${code}); ` +
        'choose another --emulator-port, or 0 for any free port',
      { cause: error },
    );
  }
}

/**
 * Runs `walkup serve` in this process with the browser as part of its life: once the portal
 * prints its URL the browser opens on it, and closing the browser stops the portal like Ctrl-C.
 */
async function servePortal(policyFile, spkiHash) {
  const { processIo } = await import('../main/cli/io.ts');
  const { runServe } = await import('../main/cli/serve.ts');
  const base = processIo();
  let browserClosed = () => {};
  let browserFailed = false;
  const browserGone = new Promise((resolve) => {
    browserClosed = resolve;
  });
  const openOn = async (url) => {
    if (!browserExecutable) {
      for (const line of manualBrowserSteps({ url, spkiHash, searched: options.openBrowser })) say(line);
      return;
    }
    const browser = await launchBrowser({
      executable: browserExecutable,
      url,
      spkiHash,
      extraArgs: extraBrowserArgs,
      verbose: options.verbose,
    });
    cleanups.push(() => browser.stop());
    say(`Opened ${url} in ${browserExecutable} (pid ${browser.pid}), trusting only the emulator's key.`);
    say(
      process.platform === 'darwin'
        ? 'Quit that browser (Cmd-Q) or press Ctrl-C here to stop the demo.'
        : 'Close its window or press Ctrl-C here to stop the demo.',
    );
    void browser.exited.then((code) => {
      if (code !== 0) {
        browserFailed = true;
        process.stderr.write(
          `walkup demo: the browser ended with ${code === null ? 'an error' : `exit code ${code}`}` +
            `${options.verbose ? '' : ' (--verbose shows its messages)'}; stopping the demo.\n`,
        );
      }
      browserClosed();
    });
  };
  const io = {
    ...base,
    out(line) {
      base.out(line);
      const announced = /^Walkup portal: (\S+)$/.exec(line);
      if (announced) {
        openOn(announced[1]).catch((error) => {
          process.stderr.write(
            `walkup demo: the browser did not open: ${error instanceof Error ? error.message : error}\n`,
          );
          browserClosed();
        });
      }
    },
    // Ctrl-C, SIGTERM or the browser window closing, whichever comes first; the listeners go
    // with it, so a second Ctrl-C ends the process at once as in `walkup serve`.
    waitForStop: () =>
      new Promise((resolve) => {
        const stop = (why) => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          resolve(why);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
        void browserGone.then(() => stop('browser-closed'));
      }),
  };
  startedUp();
  // runServe prints the URL and the demo accounts, and returns once asked to stop.
  const code = await runServe(['--config', policyFile, ...(options.verbose ? ['--verbose'] : [])], io);
  return code === 0 && browserFailed ? 1 : code;
}

try {
  const emulator = await startEmulator();
  cleanups.push(() => emulator.close());
  const workDir = await mkdtemp(path.join(tmpdir(), 'walkup-demo-'));
  cleanups.push(() => rm(workDir, { recursive: true, force: true }));

  const { v2, v4 } = emulator.integrations;
  const duo = options.v2
    ? {
        sdk: 'v2',
        apiHost: emulator.apiHost,
        ikey: v2.ikey,
        skey: v2.skey,
        // The application key is ours: any random value of at least 40 characters.
        akey: randomBytes(30).toString('hex'),
        caFile: emulator.caFile,
      }
    : {
        sdk: 'v4',
        apiHost: emulator.apiHost,
        clientId: v4.clientId,
        clientSecret: v4.clientSecret,
        caFile: emulator.caFile,
      };
  const policy = {
    station: { name: 'Walkup demo' },
    directory: { type: 'demo' },
    duo,
    portal: { host: '127.0.0.1', port: options.port },
    audit: { file: path.join(workDir, 'audit.jsonl') },
  };
  const policyFile = path.join(workDir, 'policy.json');
  await writeFile(policyFile, `${JSON.stringify(policy, null, 2)}\n`, { mode: 0o600 });
  await chmod(policyFile, 0o600);

  say(`Duo emulator: ${emulator.baseUrl} (Web SDK ${duo.sdk}; its test CA: ${emulator.caFile})`);

  if (!existsSync(path.join(root, 'out', 'renderer', 'index.html'))) {
    say('Building the renderer (out/renderer is missing)…');
    await npmRun('build:renderer');
  }

  if (mode === 'portal') {
    // The key the browser is told to trust: the emulator's own certificate, as it presents it.
    const { hostname, port } = new URL(emulator.baseUrl);
    const leaf = await fetchServerCertificate({
      host: hostname.replace(/^\[|\]$/g, ''),
      port: Number(port),
      caPem: emulator.caPem,
    });
    const code = await servePortal(policyFile, spkiSha256(leaf.raw));
    await stopAll(code);
  } else {
    // The main process bundle is quick to build and must match the checkout: always rebuild it.
    say('Building the main process…');
    await npmRun('build:main');
    say(`Starting the Electron kiosk with --policy ${policyFile}`);
    say(
      'Demo accounts are shown on the sign-in screen (after Start on the welcome screen). ' +
        'Ctrl-C here stops the kiosk.',
    );
    const child = spawn(electronBinary, [root, '--policy', policyFile], { cwd: root, stdio: 'inherit' });
    cleanups.push(
      () =>
        new Promise((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
        }),
    );
    startedUp();
    process.on('SIGINT', () => void stopAll(0));
    process.on('SIGTERM', () => void stopAll(0));
    child.on('exit', (code) => void stopAll(code ?? 0));
  }
} catch (error) {
  process.stderr.write(`walkup demo: ${error instanceof Error ? error.message : String(error)}\n`);
  await stopAll(1);
}
