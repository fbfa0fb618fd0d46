/**
 * The renderer as portal mode serves it: hashed assets cached for good, index.html revalidated,
 * brotli or gzip precompressed at build time (scripts/compress-renderer.mjs, run here on a
 * renderer folder of the same shape) chosen by Accept-Encoding, with `Vary: accept-encoding`.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../main/core/ports';
import { createPortalServer } from '../../../main/portal';
import { createFakeEngine } from './fake-engine';

const script = `export const greeting = ${JSON.stringify('walkup '.repeat(500))};\n`;
const html = `<!doctype html><html lang="en"><title>Walkup</title><script type="module" src="./assets/index-Iv5_vr4r.js"></script><div id="root"></div>${' '.repeat(300)}</html>`;

describe('renderer assets in portal mode', () => {
  let dir: string;
  let app: FastifyInstance;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'walkup-renderer-assets-'));
    mkdirSync(path.join(dir, 'assets'));
    writeFileSync(path.join(dir, 'index.html'), html);
    writeFileSync(path.join(dir, 'assets', 'index-Iv5_vr4r.js'), script);
    writeFileSync(
      path.join(dir, 'favicon.svg'),
      `<svg xmlns="http://www.w3.org/2000/svg">${' '.repeat(400)}</svg>`,
    );
    execFileSync(process.execPath, [path.resolve('scripts/compress-renderer.mjs'), dir], { stdio: 'pipe' });
    app = await createPortalServer({ engine: createFakeEngine(), rendererDir: dir, logger: silentLogger });
  });
  afterAll(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the build step writes .br and .gz next to each text file', () => {
    expect(readdirSync(path.join(dir, 'assets')).sort()).toEqual([
      'index-Iv5_vr4r.js',
      'index-Iv5_vr4r.js.br',
      'index-Iv5_vr4r.js.gz',
    ]);
  });

  it('sends brotli to a browser that accepts it, varying on Accept-Encoding, cached for good', async () => {
    const response = await app.inject({
      url: '/assets/index-Iv5_vr4r.js',
      headers: { 'accept-encoding': 'gzip, deflate, br' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-encoding']).toBe('br');
    expect(String(response.headers.vary)).toMatch(/accept-encoding/i);
    expect(response.headers['content-type']).toMatch(/javascript/);
    expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(brotliDecompressSync(response.rawPayload).toString()).toBe(script);
  });

  it('sends gzip to a browser without brotli', async () => {
    const response = await app.inject({
      url: '/assets/index-Iv5_vr4r.js',
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(response.headers['content-encoding']).toBe('gzip');
    expect(String(response.headers.vary)).toMatch(/accept-encoding/i);
    expect(gunzipSync(response.rawPayload).toString()).toBe(script);
  });

  it('sends the plain file to a client that accepts no compression', async () => {
    const response = await app.inject({
      url: '/assets/index-Iv5_vr4r.js',
      headers: { 'accept-encoding': 'identity' },
    });
    expect(response.headers['content-encoding']).toBeUndefined();
    expect(String(response.headers.vary)).toMatch(/accept-encoding/i);
    expect(response.body).toBe(script);
    expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('has index.html revalidated, compressed too, at / and by name', async () => {
    for (const url of ['/', '/index.html']) {
      const response = await app.inject({ url, headers: { 'accept-encoding': 'br' } });
      expect(response.statusCode, url).toBe(200);
      expect(response.headers['cache-control'], url).toBe('no-cache');
      expect(response.headers['content-encoding'], url).toBe('br');
      expect(response.headers['content-type'], url).toMatch(/text\/html/);
      expect(brotliDecompressSync(response.rawPayload).toString(), url).toBe(html);
    }
  });

  it('does not cache files whose name carries no hash for good', async () => {
    const response = await app.inject({ url: '/favicon.svg', headers: { 'accept-encoding': 'gzip' } });
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-cache');
  });
});
