/**
 * The demo's browser (issue #12, "a demo that just opens"): find a local Chromium, Google Chrome or
 * Microsoft Edge, and open the portal in an app window of a fresh, throwaway profile that trusts
 * only the Duo emulator's key, so Duo's v2 frame and v4 page load with no certificate warning.
 *
 * Chromium's `--ignore-certificate-errors-spki-list` takes base64 SHA-256 hashes of a certificate's
 * SubjectPublicKeyInfo (the same pin format as RFC 7469's pin-sha256); a chain that fails to verify
 * is accepted only when one of its certificates has such a key. Chromium honours the switch only
 * together with `--user-data-dir`, which the fresh profile gives anyway.
 *
 * Written by hand: finding a browser is a few fixed paths per platform, and the packages that do it
 * (chrome-launcher and the like) bring their own profile, flag and process handling we would have
 * to undo.
 */
import { spawn } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { accessSync, constants } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isIP } from 'node:net';
import { connect } from 'node:tls';

/**
 * The base64 SHA-256 hash of a certificate's SubjectPublicKeyInfo (DER), the format of
 * `--ignore-certificate-errors-spki-list` and RFC 7469's pin-sha256.
 * @param {string | Buffer} certificate PEM text or DER bytes of one X.509 certificate
 * @returns {string} 44 characters of base64
 * @throws {Error} when `certificate` is not an X.509 certificate
 */
export function spkiSha256(certificate) {
  const spki = new X509Certificate(certificate).publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(spki).digest('base64');
}

/**
 * The certificate a TLS server presents (its leaf), read in one handshake that verifies it
 * against `caPem`. The socket is closed on every outcome.
 * @param {{ host: string, port: number, caPem: string, timeoutMs?: number }} options
 * @returns {Promise<X509Certificate>}
 */
export function fetchServerCertificate({ host, port, caPem, timeoutMs = 5000 }) {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port, ca: caPem, servername: isIP(host) ? undefined : host });
    const done = (error, certificate) => {
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error);
      else resolve(certificate);
    };
    const timer = setTimeout(
      () => done(new Error(`no TLS handshake with ${host}:${port} within ${timeoutMs} ms`)),
      timeoutMs,
    );
    socket.once('secureConnect', () => {
      const raw = socket.getPeerCertificate().raw;
      if (!raw) done(new Error(`${host}:${port} presented no certificate`));
      else done(undefined, new X509Certificate(raw));
    });
    socket.once('error', (error) => done(error));
  });
}

/** Linux: program names looked up on PATH, in this order. */
export const LINUX_BROWSERS = [
  'chromium',
  'chromium-browser',
  'google-chrome',
  'google-chrome-stable',
  'microsoft-edge',
  'microsoft-edge-stable',
];

/** macOS: app bundles, under /Applications and then ~/Applications. */
const MAC_BROWSERS = [
  'Google Chrome.app/Contents/MacOS/Google Chrome',
  'Chromium.app/Contents/MacOS/Chromium',
  'Microsoft Edge.app/Contents/MacOS/Microsoft Edge',
];

/** Windows: relative to Program Files, Program Files (x86) and the user's LocalAppData. */
const WINDOWS_BROWSERS = [
  'Google\\Chrome\\Application\\chrome.exe',
  'Microsoft\\Edge\\Application\\msedge.exe',
  'Chromium\\Application\\chrome.exe',
];

/**
 * The places a browser is looked for on `platform`, in order.
 * @param {{ platform: NodeJS.Platform, env: NodeJS.ProcessEnv, home: string }} where
 * @returns {string[]} absolute paths
 */
export function browserCandidates({ platform, env, home }) {
  if (platform === 'darwin') {
    return ['/Applications', path.posix.join(home, 'Applications')].flatMap((dir) =>
      MAC_BROWSERS.map((app) => path.posix.join(dir, app)),
    );
  }
  if (platform === 'win32') {
    const bases = [env.ProgramFiles ?? env.PROGRAMFILES, env['ProgramFiles(x86)'], env.LOCALAPPDATA];
    return bases
      .filter((base) => typeof base === 'string' && base !== '')
      .flatMap((base) => WINDOWS_BROWSERS.map((exe) => path.win32.join(base, exe)));
  }
  const dirs = (env.PATH ?? '').split(path.delimiter).filter((dir) => path.isAbsolute(dir));
  return LINUX_BROWSERS.flatMap((name) => dirs.map((dir) => path.join(dir, name)));
}

/** True when `file` exists and (off Windows) may be executed. */
export function isExecutable(file, platform = process.platform) {
  try {
    accessSync(file, platform === 'win32' ? constants.F_OK : constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The first local Chromium, Chrome or Edge, or undefined.
 * @param {{ platform?: NodeJS.Platform, env?: NodeJS.ProcessEnv, home?: string }} [where]
 * @returns {string | undefined}
 */
export function findBrowser(where = {}) {
  const platform = where.platform ?? process.platform;
  const env = where.env ?? process.env;
  const home = where.home ?? env.HOME ?? '';
  return browserCandidates({ platform, env, home }).find((file) => isExecutable(file, platform));
}

/**
 * The browser's command line: an app window on `url`, a profile of its own, and trust for the
 * one key `spkiHash` (nothing else is exempted from certificate checks).
 * @param {{ url: string, profileDir: string, spkiHash: string, runningAsRoot?: boolean, extraArgs?: string[] }} options
 * @returns {string[]}
 */
export function browserArgs({ url, profileDir, spkiHash, runningAsRoot = false, extraArgs = [] }) {
  return [
    `--app=${url}`,
    `--user-data-dir=${profileDir}`,
    `--ignore-certificate-errors-spki-list=${spkiHash}`,
    '--no-first-run',
    '--no-default-browser-check',
    // Chromium refuses to start as root with its sandbox on (a container, a CI machine).
    ...(runningAsRoot ? ['--no-sandbox'] : []),
    ...extraArgs,
  ];
}

/**
 * What to do when no browser was found or wanted: open `url` in a Chromium-family browser that
 * was started with the flags that make it trust the emulator.
 * @param {{ url: string, spkiHash: string, searched: boolean }} options `searched`: a browser was
 *   looked for and none found (else none was wanted: `--no-browser`)
 * @returns {string[]} lines to print
 */
export function manualBrowserSteps({ url, spkiHash, searched }) {
  return [
    ...(!searched
      ? []
      : [
          'No Chromium, Google Chrome or Microsoft Edge was found, so no window opens. One step: install one ' +
            'and run the demo again (or name it with --browser <path>), or open the portal as below.',
        ]),
    'To open it yourself in Chromium, Chrome or Edge, start the browser with an empty profile folder and trust for the emulator only:',
    `  <browser> --user-data-dir=<an empty folder> --ignore-certificate-errors-spki-list=${spkiHash} ${url}`,
    'Another browser shows "Your connection is not private" for Duo (the emulator has a test certificate).',
  ];
}

/**
 * Starts the browser in an app window on `url` with a fresh profile in the temporary folder.
 * The profile is `profileDir`, inside a folder of its own that `stop()` deletes whole.
 * `exited` resolves when the browser ends (its window was closed); `stop()` ends it (SIGTERM,
 * which Chromium answers by closing its helper processes too; SIGKILL after 5 s) and deletes the
 * profile. Both are safe to call at any time and more than once. The browser stays in the
 * terminal's process group, so Ctrl-C reaches it even if this process is killed.
 * @param {{ executable: string, url: string, spkiHash: string, extraArgs?: string[], verbose?: boolean }} options
 * @returns {Promise<{ pid: number, profileDir: string, exited: Promise<number | null>, stop(): Promise<void> }>}
 */
export async function launchBrowser({ executable, url, spkiHash, extraArgs = [], verbose = false }) {
  const folder = await mkdtemp(path.join(tmpdir(), 'walkup-demo-browser-'));
  const profileDir = path.join(folder, 'profile');
  // On Linux Chromium keeps its single-instance socket in TMPDIR and leaves it there when it is
  // stopped by a signal: give it a TMPDIR that goes with the profile. (Not on macOS, whose long
  // TMPDIR would push the socket's path past the 104-byte limit.)
  const browserTmp = path.join(folder, 'tmp');
  await mkdir(browserTmp);
  const child = spawn(
    executable,
    browserArgs({
      url,
      profileDir,
      spkiHash,
      runningAsRoot: process.getuid?.() === 0,
      extraArgs,
    }),
    // The browser's own chatter (D-Bus, GPU) only with --verbose.
    {
      stdio: ['ignore', verbose ? 'inherit' : 'ignore', verbose ? 'inherit' : 'ignore'],
      env: process.platform === 'linux' ? { ...process.env, TMPDIR: browserTmp } : process.env,
    },
  );
  const exited = new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.once('error', (error) => {
      process.stderr.write(`walkup demo: could not start ${executable}: ${error.message}\n`);
      resolve(null);
    });
  });
  await new Promise((resolve) => {
    child.once('spawn', resolve);
    child.once('error', resolve);
  });
  let stopped;
  const stop = () =>
    (stopped ??= (async () => {
      if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
      // A browser that just exited may still be writing its profile for a moment.
      await rm(folder, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
    })());
  return { pid: child.pid ?? -1, profileDir, exited, stop };
}
