/**
 * One trust decision for every connection to Duo: the Auth API client and the Web SDK v4 client
 * hand node:https the same CA, Duo's bundle by default or the configured `caFile`, and never
 * leave the choice to the system store. (Against the emulator's private CA the integration tests
 * prove the `caFile` path works, and that neither client trusts it without the file.)
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type * as https from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { constants as duoUniversalConstants } from '@duosecurity/duo_universal';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAuthApiClient } from '../../../../main/core/duo/auth-api';
import { duoTrust } from '../../../../main/core/duo/https-client';
import { createUniversalDuo } from '../../../../main/core/duo/universal/client';
import type { Clock } from '../../../../main/core/ports';

/** Options each request was sent with; every request fails at once, without a socket. */
const sent: Record<string, unknown>[] = [];

vi.mock('node:https', async (importOriginal) => {
  const actual = await importOriginal<typeof https>();
  const { EventEmitter } = await import('node:events');
  return {
    ...actual,
    request: (options: Record<string, unknown>) => {
      sent.push(options);
      const fake = Object.assign(new EventEmitter(), {
        end: () => queueMicrotask(() => fake.emit('error', new Error('no network in this test'))),
        destroy: () => undefined,
      });
      return fake;
    },
  };
});

const clock: Clock = { now: () => Date.now(), sleep: async () => {} };
const API_HOST = 'api-xxxxxxxx.duosecurity.com';
let folder: string | undefined;

afterEach(() => {
  sent.length = 0;
  if (folder) rmSync(folder, { recursive: true, force: true });
  folder = undefined;
});

/** The `ca` option each client's first request carried. */
async function caOfBothClients(caFile: string | undefined): Promise<[unknown, unknown]> {
  const authApi = createAuthApiClient({ apiHost: API_HOST, caFile, timeoutMs: 1000, clock });
  const universal = createUniversalDuo({
    clientId: 'DIXXXXXXXXXXXXXXXXXX',
    clientSecret: 'deadbeefdeadbeefdeadbeefdeadbeefdeadbeef',
    apiHost: API_HOST,
    redirectUri: 'http://127.0.0.1:8787/duo/callback',
    caFile,
    timeoutMs: 1000,
    clock,
  });
  expect(await authApi.ping()).toMatchObject({ ok: false, code: 'unreachable' });
  expect(await universal.checkHealthNow()).toMatchObject({ ok: false, code: 'unreachable' });
  expect(sent).toHaveLength(2);
  return [sent[0]?.['ca'], sent[1]?.['ca']];
}

describe('the trust decision for connections to Duo', () => {
  it("gives both clients Duo's CA bundle when no caFile is configured", async () => {
    const [authApiCa, universalCa] = await caOfBothClients(undefined);
    expect(authApiCa).toBe(duoUniversalConstants.DUO_PINNED_CERT);
    expect(universalCa).toBe(authApiCa);
    expect(duoTrust(undefined)).toEqual({ kind: 'duo-bundle', ca: duoUniversalConstants.DUO_PINNED_CERT });
  });

  it("gives both clients only the configured caFile's CA (the emulator's private CA)", async () => {
    folder = mkdtempSync(path.join(tmpdir(), 'walkup-trust-'));
    const caFile = path.join(folder, 'ca.pem');
    writeFileSync(caFile, '-----BEGIN CERTIFICATE-----\nprivate\n-----END CERTIFICATE-----\n');
    const [authApiCa, universalCa] = await caOfBothClients(caFile);
    expect(authApiCa).toContain('private');
    expect(universalCa).toBe(authApiCa);
    expect(authApiCa).not.toContain(duoUniversalConstants.DUO_PINNED_CERT.slice(0, 200));
  });

  it('sends nothing when the caFile cannot be read, and says which file', async () => {
    const authApi = createAuthApiClient({ apiHost: API_HOST, caFile: '/nonexistent/ca.pem', clock });
    expect(await authApi.ping()).toMatchObject({
      ok: false,
      code: 'unreachable',
      detail: expect.stringContaining('cannot read the CA file /nonexistent/ca.pem (ENOENT)'),
    });
    expect(sent).toEqual([]);
  });
});
