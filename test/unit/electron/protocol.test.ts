import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../../main/core/ports';
import { registerAppScheme, setupAppProtocol } from '../../../main/electron/protocol';
import { protocol, resetElectronFake } from './support/electron-fake';

vi.mock('electron', () => import('./support/electron-fake'));

describe('the app:// protocol', () => {
  let dir: string;
  let rootDir: string;

  beforeAll(async () => {
    resetElectronFake();
    dir = await mkdtemp(path.join(tmpdir(), 'walkup-protocol-'));
    rootDir = path.join(dir, 'renderer');
    await mkdir(path.join(rootDir, 'assets'), { recursive: true });
    await writeFile(path.join(rootDir, 'index.html'), '<!doctype html><title>Walkup</title>');
    await writeFile(path.join(rootDir, 'assets', 'app.js'), 'console.log(1)');
    await writeFile(path.join(dir, 'secret.json'), '{"skey":"x"}');
    registerAppScheme();
    setupAppProtocol({ rootDir, csp: () => "default-src 'self'", logger: silentLogger });
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const fetchApp = async (url: string) => {
    const handler = protocol.handlers.get('app');
    if (!handler) throw new Error('app: is not handled');
    return handler({ url });
  };

  it('registers app: as a standard, secure scheme', () => {
    expect(protocol.privileged).toEqual([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ]);
  });

  it('serves the renderer with the CSP and nosniff headers', async () => {
    const response = await fetchApp('app://walkup/');
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<title>Walkup</title>');
    expect(response.headers.get('content-security-policy')).toBe("default-src 'self'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    const script = await fetchApp('app://walkup/assets/app.js');
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  });

  it('never serves files outside the renderer folder', async () => {
    expect((await fetchApp('app://walkup/..%2fsecret.json')).status).toBe(403);
    const dotted = await fetchApp('app://walkup/../secret.json');
    expect(dotted.status).toBe(404);
  });

  it('answers 404 for missing files', async () => {
    expect((await fetchApp('app://walkup/missing.js')).status).toBe(404);
  });

  it('serves the built-in out-of-service page even without a renderer build', async () => {
    const response = await fetchApp('app://walkup/__walkup/out-of-service.html');
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('out of service');
    expect(response.headers.get('content-security-policy')).toBe("default-src 'self'");
  });
});

describe('the app:// protocol without a renderer build', () => {
  it('shows the out-of-service page instead of a blank window', async () => {
    resetElectronFake();
    setupAppProtocol({
      rootDir: path.join(tmpdir(), 'walkup-no-such-build'),
      csp: () => "default-src 'self'",
      logger: silentLogger,
    });
    const response = await protocol.handlers.get('app')?.({ url: 'app://walkup/index.html' });
    expect(response?.status).toBe(503);
    expect(await response?.text()).toContain('out of service');
  });
});
