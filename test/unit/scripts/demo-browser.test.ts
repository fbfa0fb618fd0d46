/**
 * The demo's browser helpers (scripts/demo-browser.mjs): the emulator key it trusts (checked
 * against openssl's own SPKI hash), where it looks for a browser, the command line it starts the
 * browser with, and reading a TLS server's certificate in one handshake that is closed after.
 */
import { spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  browserArgs,
  browserCandidates,
  fetchServerCertificate,
  findBrowser,
  manualBrowserSteps,
  spkiSha256,
} from '../../../scripts/demo-browser.mjs';
import { createTestPki, type TestPki } from '../../support/certs';

/**
 * `openssl x509 -pubkey | openssl pkey -pubin -outform der | openssl dgst -sha256 -binary | base64`,
 * one openssl at a time (no shell, so it runs on Windows too); only the base64 step is Node's.
 */
function opensslSpkiHash(certFile: string): string {
  const step = (args: string[], input?: Buffer): Buffer => {
    const result = spawnSync('openssl', args, { input });
    if (result.status !== 0) throw new Error(`openssl ${args[0]} failed: ${result.stderr.toString()}`);
    return result.stdout;
  };
  const publicKeyPem = step(['x509', '-in', certFile, '-noout', '-pubkey']);
  const spkiDer = step(['pkey', '-pubin', '-outform', 'der'], publicKeyPem);
  return step(['dgst', '-sha256', '-binary'], spkiDer).toString('base64');
}

let pki: TestPki;
beforeAll(async () => {
  pki = await createTestPki();
});
afterAll(async () => {
  await pki?.cleanup();
});

describe('spkiSha256', () => {
  it("is openssl's SHA-256 of the SubjectPublicKeyInfo, base64, for PEM and DER alike", async () => {
    const expected = opensslSpkiHash(pki.server.certFile);
    expect(expected).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(spkiSha256(pki.server.certPem)).toBe(expected);
    expect(spkiSha256(new X509Certificate(pki.server.certPem).raw)).toBe(expected);
  });

  it("tells the server's key from its CA's", () => {
    expect(spkiSha256(pki.ca.certPem)).toBe(opensslSpkiHash(pki.ca.certFile));
    expect(spkiSha256(pki.ca.certPem)).not.toBe(spkiSha256(pki.server.certPem));
  });

  it('refuses what is not a certificate', () => {
    expect(() => spkiSha256('not a certificate')).toThrow();
  });
});

describe('fetchServerCertificate', () => {
  let server: Server;
  let port: number;
  beforeAll(async () => {
    server = createServer({ cert: pki.server.certPem, key: pki.server.keyPem }, (_request, response) =>
      response.end('ok'),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  const openConnections = (): Promise<number> =>
    new Promise((resolve, reject) =>
      server.getConnections((error, count) => (error ? reject(error) : resolve(count))),
    );

  it('returns the leaf the server presents, verified against the CA, and closes the connection', async () => {
    const leaf = await fetchServerCertificate({ host: '127.0.0.1', port, caPem: pki.ca.certPem });
    expect(leaf.fingerprint256).toBe(new X509Certificate(pki.server.certPem).fingerprint256);
    await expect.poll(openConnections).toBe(0);
  });

  it('refuses a server the CA did not sign for, and closes that connection too', async () => {
    const other = await createTestPki();
    try {
      await expect(
        fetchServerCertificate({ host: '127.0.0.1', port, caPem: other.ca.certPem }),
      ).rejects.toThrow();
    } finally {
      await other.cleanup();
    }
    await expect.poll(openConnections).toBe(0);
  });
});

/** The Linux search checks the executable bit, which Windows files do not have. */
const EXEC_BITS_UNKNOWN = process.platform === 'win32';
if (EXEC_BITS_UNKNOWN) console.log('skipped: the Linux browser search case (executable bits are POSIX)');

describe('finding a browser', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'walkup-demo-browser-test-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.skipIf(EXEC_BITS_UNKNOWN)(
    'Linux: the first executable of chromium, chromium-browser, google-chrome, microsoft-edge on PATH',
    async () => {
      const first = path.join(dir, 'a');
      const second = path.join(dir, 'b');
      await mkdir(first);
      await mkdir(second);
      // Not executable: skipped. Order of names wins over order of PATH entries.
      await writeFile(path.join(first, 'chromium'), '#!/bin/sh\n', { mode: 0o644 });
      await writeFile(path.join(second, 'google-chrome'), '#!/bin/sh\n', { mode: 0o755 });
      await writeFile(path.join(first, 'microsoft-edge'), '#!/bin/sh\n', { mode: 0o755 });
      const env = { PATH: [first, second].join(path.delimiter) };
      expect(findBrowser({ platform: 'linux', env, home: dir })).toBe(path.join(second, 'google-chrome'));
      await chmod(path.join(first, 'chromium'), 0o755);
      expect(findBrowser({ platform: 'linux', env, home: dir })).toBe(path.join(first, 'chromium'));
      expect(
        findBrowser({ platform: 'linux', env: { PATH: path.join(dir, 'nowhere') }, home: dir }),
      ).toBeUndefined();
      expect(findBrowser({ platform: 'linux', env: {}, home: dir })).toBeUndefined();
    },
  );

  it('macOS: Chrome, Chromium and Edge app bundles in /Applications, then ~/Applications', () => {
    const candidates = browserCandidates({ platform: 'darwin', env: {}, home: '/Users/lee' });
    expect(candidates[0]).toBe('/Applications/Google Chrome.app/Contents/MacOS/Google Chrome');
    expect(candidates).toContain('/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge');
    expect(candidates).toContain('/Users/lee/Applications/Chromium.app/Contents/MacOS/Chromium');
  });

  it('Windows: chrome.exe and msedge.exe under Program Files, Program Files (x86) and LocalAppData', () => {
    const candidates = browserCandidates({
      platform: 'win32',
      env: {
        ProgramFiles: 'C:\\Program Files',
        'ProgramFiles(x86)': 'C:\\Program Files (x86)',
        LOCALAPPDATA: 'C:\\Users\\lee\\AppData\\Local',
      },
      home: 'C:\\Users\\lee',
    });
    expect(candidates).toContain('C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe');
    expect(candidates).toContain('C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe');
    expect(candidates).toContain('C:\\Users\\lee\\AppData\\Local\\Google\\Chrome\\Application\\chrome.exe');
    expect(browserCandidates({ platform: 'win32', env: {}, home: '' })).toEqual([]);
  });
});

describe('the browser command line', () => {
  const options = { url: 'http://127.0.0.1:8787/', profileDir: '/tmp/p', spkiHash: 'abc=' };

  it('an app window on the URL, its own profile, and trust for the one key', () => {
    const args = browserArgs(options);
    expect(args).toContain('--app=http://127.0.0.1:8787/');
    expect(args).toContain('--user-data-dir=/tmp/p');
    expect(args.filter((arg) => arg.startsWith('--ignore-certificate-errors'))).toEqual([
      '--ignore-certificate-errors-spki-list=abc=',
    ]);
    expect(args).not.toContain('--no-sandbox');
  });

  it('turns the sandbox off only for root, and adds extra switches last', () => {
    const args = browserArgs({ ...options, runningAsRoot: true, extraArgs: ['--headless'] });
    expect(args).toContain('--no-sandbox');
    expect(args.at(-1)).toBe('--headless');
  });

  it('without a browser, names the URL, the key and the one step; with --no-browser, no "not found"', () => {
    const searched = manualBrowserSteps({
      url: 'http://127.0.0.1:8787/',
      spkiHash: 'abc=',
      searched: true,
    }).join('\n');
    expect(searched).toContain('No Chromium, Google Chrome or Microsoft Edge was found');
    expect(searched).toContain('--ignore-certificate-errors-spki-list=abc= http://127.0.0.1:8787/');
    expect(searched).toContain('--user-data-dir=');
    const wanted = manualBrowserSteps({
      url: 'http://127.0.0.1:8787/',
      spkiHash: 'abc=',
      searched: false,
    }).join('\n');
    expect(wanted).not.toContain('was found');
    expect(wanted).toContain('--ignore-certificate-errors-spki-list=abc= http://127.0.0.1:8787/');
  });
});
