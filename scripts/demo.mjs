#!/usr/bin/env node
/**
 * Try Walkup without a directory or a Duo account, from a checkout:
 *
 *   npm run demo            the Electron kiosk (portal mode when there is no Electron binary)
 *   npm run demo:portal     portal mode in your browser
 *   … -- --v2               Duo Web SDK v2 (iframe) instead of v4 (Universal Prompt)
 *   … -- --port 8787        portal port (default 8787; 0 = any free port)
 *   … -- --verbose          portal mode: log every operational event (JSON lines on stderr)
 *
 * Starts the local Duo emulator (test/support/duo-emulator), writes a demo policy (demo
 * directory, Duo pointed at the emulator with its test CA) to a private temporary folder, builds
 * what is missing, then runs the station. Ctrl-C stops everything and deletes the temporary files.
 * TypeScript modules are loaded through tsx, so no build of main/ is needed for portal mode.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const say = (line) => process.stdout.write(`${line}\n`);
const fail = (line, code = 2) => {
  process.stderr.write(`walkup demo: ${line}\n`);
  process.exit(code);
};

let parsed;
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: {
      v2: { type: 'boolean', default: false },
      port: { type: 'string', default: '8787' },
      verbose: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
} catch (error) {
  fail(error.message);
}
let mode = parsed.positionals[0] ?? 'portal';
if (parsed.values.help || !['portal', 'electron'].includes(mode)) {
  say('Usage: node scripts/demo.mjs <portal|electron> [--v2] [--port N] [--verbose]');
  process.exit(parsed.values.help ? 0 : 2);
}
const port = Number(parsed.values.port);
if (!/^\d{1,5}$/.test(parsed.values.port) || port > 65535)
  fail(`--port must be 0-65535, got ${parsed.values.port}`);

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

// tsx lets this script import the TypeScript emulator, engine and CLI straight from the checkout.
const { register } = await import('tsx/esm/api');
const unregister = register();
const { startDuoEmulator } = await import('../test/support/duo-emulator/index.ts');

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

try {
  const emulator = await startDuoEmulator();
  cleanups.push(() => emulator.close());
  const workDir = await mkdtemp(path.join(tmpdir(), 'walkup-demo-'));
  cleanups.push(() => rm(workDir, { recursive: true, force: true }));

  const { v2, v4 } = emulator.integrations;
  const duo = parsed.values.v2
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
    portal: { host: '127.0.0.1', port },
    audit: { file: path.join(workDir, 'audit.jsonl') },
  };
  const policyFile = path.join(workDir, 'policy.json');
  await writeFile(policyFile, `${JSON.stringify(policy, null, 2)}\n`, { mode: 0o600 });
  await chmod(policyFile, 0o600);

  say(`Duo emulator: ${emulator.baseUrl} (Web SDK ${duo.sdk})`);
  say(
    `  Your browser does not know the emulator's test CA (${emulator.caFile}): accept its certificate warning ` +
      `once by opening ${emulator.baseUrl}/auth/v2/ping, or import the CA.`,
  );

  if (!existsSync(path.join(root, 'out', 'renderer', 'index.html'))) {
    say('Building the renderer (out/renderer is missing)…');
    await npmRun('build:renderer');
  }

  if (mode === 'portal') {
    const { processIo } = await import('../main/cli/io.ts');
    const { runServe } = await import('../main/cli/serve.ts');
    const io = processIo();
    startedUp();
    // runServe prints the URL and the demo accounts, and returns when Ctrl-C is pressed.
    const code = await runServe(
      ['--config', policyFile, ...(parsed.values.verbose ? ['--verbose'] : [])],
      io,
    );
    await stopAll(code);
  } else {
    // The main process bundle is quick to build and must match the checkout: always rebuild it.
    say('Building the main process…');
    await npmRun('build:main');
    say(`Starting the Electron kiosk with --policy ${policyFile}`);
    say('Demo accounts are shown on the welcome screen. Ctrl-C here stops the kiosk.');
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
