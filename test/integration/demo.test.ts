/**
 * `npm run demo` as a person runs it (scripts/demo.mjs, issue #12 "a demo that just opens"): the
 * real script in its own process, the real Duo emulator and portal, and Debian's Chromium as the
 * browser the demo opens (headless here, driven over its remote debugging port). Each test checks
 * that when the demo ends, no process it started is left and its temporary folders are gone.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { reserveFreePort } from '../../main/portal';
import { skipUnlessServer } from '../support/server-skip';

const root = path.resolve(import.meta.dirname, '../..');
const CHROMIUM = '/usr/bin/chromium';
/** How long to wait for Chromium to start, load or connect on a busy machine (a bound, not a timing). */
const BROWSER_WAIT = { timeout: 30_000, interval: 200 };

/** A running demo: its process, what it printed so far, and its private TMPDIR. */
interface Demo {
  child: ChildProcess;
  tmp: string;
  output(): string;
  /** Resolves with the first match of `pattern` in stdout+stderr. */
  waitFor(pattern: RegExp): Promise<RegExpMatchArray>;
  exited: Promise<number | null>;
}

const started: Demo[] = [];

/** Starts `node scripts/demo.mjs <args>` with a TMPDIR of its own. */
async function startDemo(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Demo> {
  const tmp = await mkdtemp(path.join(tmpdir(), 'walkup-demo-test-'));
  const child = spawn(process.execPath, ['scripts/demo.mjs', ...args], {
    cwd: root,
    env: { ...process.env, TMPDIR: tmp, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  const waiters: { pattern: RegExp; resolve: (match: RegExpMatchArray) => void }[] = [];
  const onData = (chunk: Buffer): void => {
    text += chunk.toString('utf8');
    for (const waiter of [...waiters]) {
      const match = waiter.pattern.exec(text);
      if (match) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(match);
      }
    }
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const demo: Demo = {
    child,
    tmp,
    output: () => text,
    exited,
    waitFor: (pattern) =>
      new Promise((resolve, reject) => {
        const match = pattern.exec(text);
        if (match) return resolve(match);
        waiters.push({ pattern, resolve });
        void exited.then(() =>
          setTimeout(() => reject(new Error(`the demo ended without printing ${pattern}:\n${text}`)), 100),
        );
      }),
  };
  started.push(demo);
  return demo;
}

/** Pids of live processes whose environment mentions `dir` (every process the demo started inherits its TMPDIR). */
async function processesMentioning(dir: string): Promise<number[]> {
  const found: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const environ = await readFile(`/proc/${entry}/environ`, 'utf8');
      if (environ.includes(dir)) found.push(Number(entry));
    } catch {
      // Gone meanwhile, or not ours to read.
    }
  }
  return found;
}

/** What is left in the demo's TMPDIR, besides tsx's compile cache (tsx's own, kept on purpose). */
async function leftovers(tmp: string): Promise<string[]> {
  return (await readdir(tmp)).filter((name) => !name.startsWith('tsx-'));
}

/** The demo is over: exited, no process of its own alive, no temporary folder left. */
async function expectAllGone(demo: Demo): Promise<void> {
  await demo.exited;
  await expect.poll(() => processesMentioning(demo.tmp), { timeout: 10_000 }).toEqual([]);
  expect(await leftovers(demo.tmp)).toEqual([]);
}

function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** GET over HTTPS trusting only `caPem`; resolves with the status. */
function httpsStatus(url: string, caPem: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca: caPem, agent: false }, (response) => {
      response.resume();
      response.once('end', () => resolve(response.statusCode ?? 0));
    });
    req.once('error', reject);
    req.end();
  });
}

beforeAll(() => {
  if (!existsSync(path.join(root, 'out', 'renderer', 'index.html'))) {
    throw new Error('out/renderer is missing: run `npm run build:renderer` first (npm test builds it)');
  }
});

afterEach(async () => {
  for (const demo of started.splice(0)) {
    if (demo.child.exitCode === null && demo.child.signalCode === null) {
      demo.child.kill('SIGTERM');
      await demo.exited;
    }
    await rm(demo.tmp, { recursive: true, force: true });
  }
});

describe('demo flags', () => {
  it.each([
    [['portal', '--port', '8788', '--', '--v2'], '"--v2" comes after a second "--"'],
    [['portal', '--bogus'], 'unknown option "--bogus"'],
    [['portal', '--emulator-port', '70000'], '--emulator-port must be an integer 0-65535'],
    [['portal', '--port', 'x'], '--port must be an integer 0-65535, got "x"'],
  ])('%j exits 2 with "%s" and the usage, starting nothing', async (args, message) => {
    const demo = await startDemo(args);
    expect(await demo.exited).toBe(2);
    expect(demo.output()).toContain(`walkup demo: ${message}`);
    expect(demo.output()).toContain('Usage: node scripts/demo.mjs');
    expect(demo.output()).not.toContain('Duo emulator:');
    await expectAllGone(demo);
  });

  it('a --browser that is no program exits 2 naming it, starting nothing', async () => {
    const demo = await startDemo(['portal', '--browser', '/nonexistent/chromium']);
    expect(await demo.exited).toBe(2);
    expect(demo.output()).toContain('walkup demo: --browser /nonexistent/chromium: no such program');
    expect(demo.output()).not.toContain('Duo emulator:');
    await expectAllGone(demo);
  });

  it('portal-only flags given to an Electron kiosk that would start exit 2 naming npm run demo:portal', async () => {
    // An Electron binary where ELECTRON_OVERRIDE_DIST_PATH says; the demo stops before running it.
    const dist = await mkdtemp(path.join(tmpdir(), 'walkup-demo-electron-'));
    try {
      await writeFile(path.join(dist, 'electron'), '#!/bin/sh\nexit 3\n', { mode: 0o755 });
      const demo = await startDemo(['electron', '--v2', '--port', '8788', '--no-browser'], {
        ELECTRON_OVERRIDE_DIST_PATH: dist,
      });
      expect(await demo.exited).toBe(2);
      expect(demo.output()).toContain(
        'walkup demo: --port, --no-browser are for portal mode only: the Electron kiosk has no portal port',
      );
      expect(demo.output()).toContain('npm run demo:portal -- --v2 --port 8788 --no-browser');
      expect(demo.output()).not.toContain('Duo emulator:');
      await expectAllGone(demo);
    } finally {
      await rm(dist, { recursive: true, force: true });
    }
  });

  it('without an Electron binary the demo runs portal mode, where those flags apply', async () => {
    const dist = await mkdtemp(path.join(tmpdir(), 'walkup-demo-electron-'));
    try {
      const demo = await startDemo(['electron', '--port', '0', '--no-browser'], {
        ELECTRON_OVERRIDE_DIST_PATH: dist,
      });
      const [, url] = await demo.waitFor(/Walkup portal: (\S+)/);
      expect(demo.output()).toContain('no Electron binary here');
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
      expect(url).not.toContain(':8787/');
      expect(demo.output()).not.toContain('Opened ');
      demo.child.kill('SIGTERM');
      await expectAllGone(demo);
    } finally {
      await rm(dist, { recursive: true, force: true });
    }
  });
});

describe('demo ports and clean-up', () => {
  it('--emulator-port puts the emulator there; SIGTERM stops it and leaves nothing behind', async () => {
    const emulatorPort = await reserveFreePort();
    const demo = await startDemo([
      'portal',
      '--no-browser',
      '--port',
      '0',
      '--emulator-port',
      String(emulatorPort),
    ]);
    const [, baseUrl, caFile] = await demo.waitFor(/Duo emulator: (\S+) \(Web SDK v4; its test CA: (\S+)\)/);
    expect(baseUrl).toBe(`https://127.0.0.1:${emulatorPort}`);
    await demo.waitFor(/Press Ctrl-C to stop\./);
    // --no-browser: the URL and how to open it, not "none found".
    expect(demo.output()).toMatch(
      /--ignore-certificate-errors-spki-list=[A-Za-z0-9+/]{43}= http:\/\/127\.0\.0\.1:\d+\//,
    );
    expect(demo.output()).not.toContain('was found');
    expect(await httpsStatus(`${baseUrl}/auth/v2/ping`, await readFile(caFile!, 'utf8'))).toBe(200);

    demo.child.kill('SIGTERM');
    expect(await demo.exited).toBe(0);
    await expectAllGone(demo);
    expect(await isListening(emulatorPort)).toBe(false);
  });

  it('an --emulator-port already taken is named, and nothing is left', async () => {
    const emulatorPort = await reserveFreePort();
    const holder = await startDemo([
      'portal',
      '--no-browser',
      '--port',
      '0',
      '--emulator-port',
      String(emulatorPort),
    ]);
    await holder.waitFor(/Press Ctrl-C to stop\./);
    const demo = await startDemo([
      'portal',
      '--no-browser',
      '--port',
      '0',
      '--emulator-port',
      String(emulatorPort),
    ]);
    expect(await demo.exited).toBe(1);
    expect(demo.output()).toContain(
      `the Duo emulator cannot listen on 127.0.0.1:${emulatorPort} (EADDRINUSE)`,
    );
    await expectAllGone(demo);
  });

  it('a browser that fails ends the demo with exit 1 and says so, leaving nothing behind', async () => {
    const demo = await startDemo(['portal', '--port', '0', '--browser', '/bin/false']);
    expect(await demo.exited).toBe(1);
    expect(demo.output()).toContain('walkup demo: the browser ended with exit code 1');
    await expectAllGone(demo);
  });

  it('with no browser on PATH, prints the URL and the one step, and keeps serving', async () => {
    // PATH holds node alone: no chromium, chrome or edge to find.
    const demo = await startDemo(['portal', '--port', '0'], { PATH: path.dirname(process.execPath) });
    const [, url] = await demo.waitFor(/Walkup portal: (\S+)/);
    await demo.waitFor(/Press Ctrl-C to stop\./);
    expect(demo.output()).toContain('No Chromium, Google Chrome or Microsoft Edge was found');
    expect(demo.output()).toContain(`--ignore-certificate-errors-spki-list=`);
    expect((await fetch(url!)).status).toBe(200);
    demo.child.kill('SIGINT');
    expect(await demo.exited).toBe(0);
    await expectAllGone(demo);
  });
});

const skipBrowser = skipUnlessServer(
  'the demo in Chromium',
  existsSync(CHROMIUM) ? undefined : `Chromium missing at ${CHROMIUM}: apt-get install chromium`,
);

/** The DevTools port the demo's browser chose (its profile's DevToolsActivePort, first line), once written. */
async function devToolsPort(demoTmp: string): Promise<string | undefined> {
  const folders = await readdir(demoTmp).catch(() => [] as string[]);
  for (const folder of folders.filter((name) => name.startsWith('walkup-demo-browser-'))) {
    const text = await readFile(path.join(demoTmp, folder, 'profile', 'DevToolsActivePort'), 'utf8').catch(
      () => '',
    );
    const port = text.split('\n')[0]?.trim();
    if (port && /^\d+$/.test(port)) return port;
  }
  return undefined;
}

describe.skipIf(skipBrowser)('the demo opens Chromium trusting the emulator only', () => {
  /** Starts the demo with headless Chromium and connects to that browser over CDP. */
  async function demoInChromium(
    extra: string[],
    browserArgs: string[] = [],
  ): Promise<{ demo: Demo; browser: Browser; page: Page; baseUrl: string }> {
    const demo = await startDemo(['portal', '--port', '0', '--browser', CHROMIUM, ...extra], {
      WALKUP_DEMO_BROWSER_ARGS: [
        '--headless',
        // Port 0: Chromium picks a free port itself and writes it to DevToolsActivePort in its
        // profile (a port reserved here and freed could be taken by another process meanwhile).
        '--remote-debugging-port=0',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        ...browserArgs,
      ].join(' '),
    });
    const [, baseUrl] = await demo.waitFor(/Duo emulator: (\S+) /);
    const [, url] = await demo.waitFor(/Opened (\S+) in \S+ \(pid \d+\)/);
    let browser: Browser | undefined;
    await expect
      .poll(async () => {
        const cdpPort = await devToolsPort(demo.tmp);
        if (cdpPort === undefined) return false;
        browser = await chromium.connectOverCDP(`http://127.0.0.1:${cdpPort}`).catch(() => undefined);
        return browser !== undefined;
      }, BROWSER_WAIT)
      .toBe(true);
    // The app window the demo opened, on the portal's URL.
    let page: Page | undefined;
    await expect
      .poll(() => {
        page = browser!
          .contexts()
          .flatMap((context) => context.pages())
          .find((p) => p.url() === url);
        return page !== undefined;
      }, BROWSER_WAIT)
      .toBe(true);
    return { demo, browser: browser!, page: page!, baseUrl: baseUrl! };
  }

  /** From the welcome screen (the first of every visit): Start, then the sign-in form. */
  async function signIn(page: Page, username: string, password: string): Promise<void> {
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  it("v4: the visit reaches Duo's page with no certificate error; closing the browser ends the demo", async () => {
    const { demo, browser, page, baseUrl } = await demoInChromium([]);
    const failed: string[] = [];
    page.on('requestfailed', (request) => failed.push(`${request.url()}: ${request.failure()?.errorText}`));
    const duoAnswer = page.waitForResponse((response) =>
      response.url().startsWith(`${baseUrl}/oauth/v1/authorize`),
    );
    await signIn(page, 'alice', 'enroll-alice');
    // Any answer at all means Chromium accepted the emulator's certificate.
    expect((await duoAnswer).status()).toBeLessThan(400);
    await page.waitForURL((url) => url.href.startsWith(baseUrl));
    await expect
      .poll(() => page.getByRole('heading', { name: /alice/ }).count(), BROWSER_WAIT)
      .toBeGreaterThan(0);
    expect(failed).toEqual([]);

    // Closing the browser (its last window) ends the demo by itself.
    const session = await browser.newBrowserCDPSession();
    await session.send('Browser.close').catch(() => undefined);
    expect(await demo.exited).toBe(0);
    await expectAllGone(demo);
  });

  it('the same visit with another key trusted fails on the certificate (the check above can fail)', async () => {
    // Chromium reads the last of a repeated switch: this one replaces the demo's key.
    const otherKey = Buffer.alloc(32, 7).toString('base64');
    const { demo, page, baseUrl } = await demoInChromium(
      [],
      [`--ignore-certificate-errors-spki-list=${otherKey}`],
    );
    const failed: string[] = [];
    page.on('requestfailed', (request) => failed.push(`${request.url()} ${request.failure()?.errorText}`));
    await signIn(page, 'alice', 'enroll-alice');
    await expect
      .poll(() => failed.find((line) => line.startsWith(baseUrl)) ?? '', BROWSER_WAIT)
      .toContain('ERR_CERT_AUTHORITY_INVALID');
    demo.child.kill('SIGTERM');
    expect(await demo.exited).toBe(0);
    await expectAllGone(demo);
  });

  it("v2: Duo's frame loads with no certificate error; Ctrl-C ends the demo and the browser", async () => {
    const { demo, browser, page, baseUrl } = await demoInChromium(['--v2']);
    const failed: string[] = [];
    page.on('requestfailed', (request) => failed.push(`${request.url()}: ${request.failure()?.errorText}`));
    await signIn(page, 'bob', 'enroll-bob');
    const frame = page.frameLocator('iframe[title="Duo device management"]');
    await expect.poll(() => frame.getByRole('button', { name: 'Finish' }).count(), BROWSER_WAIT).toBe(1);
    expect(page.frames().some((f) => f.url().startsWith(baseUrl))).toBe(true);
    expect(failed).toEqual([]);

    await browser.close();
    demo.child.kill('SIGINT');
    expect(await demo.exited).toBe(0);
    await expectAllGone(demo);
  });
});
