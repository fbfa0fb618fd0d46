/**
 * The v2 (traditional iframe) side of the Duo gateway against the emulator's frame: the TX part
 * we sign is accepted by the frame, and the AUTH part the frame posts back verifies with the APP
 * part kept in main.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDuoGateway } from '../../main/core/duo';
import { httpsRequest, type HttpsResponse } from '../../main/core/duo/https-client';
import type { DuoConfig } from '../../main/core/config/schema';
import { silentLogger, systemClock } from '../../main/core/ports';
import { startDuoEmulator, type DuoEmulator } from '../support/duo-emulator/index.js';

const AKEY = 'walkup-test-application-key-0123456789abcdef';
const PARENT = 'http://127.0.0.1:8787/visit/duo';

let emulator: DuoEmulator;

beforeAll(async () => {
  emulator = await startDuoEmulator();
});

afterAll(async () => {
  await emulator?.close();
});

function gateway(akey = AKEY) {
  const config: DuoConfig = {
    sdk: 'v2',
    apiHost: emulator.apiHost,
    ikey: emulator.integrations.v2.ikey,
    skey: { env: 'WALKUP_DUO_SKEY' },
    akey: { env: 'WALKUP_DUO_AKEY' },
    caFile: emulator.caFile,
    healthCacheSeconds: 30,
  };
  return createDuoGateway(
    config,
    { skey: emulator.integrations.v2.skey, akey },
    { clock: systemClock, logger: silentLogger, redirectUri: '', timeoutMs: 5000 },
  );
}

async function frame(path: string, form?: Record<string, string>): Promise<HttpsResponse> {
  const result = await httpsRequest(
    { apiHost: emulator.apiHost, caFile: emulator.caFile, timeoutMs: 5000 },
    form
      ? {
          method: 'POST',
          path,
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams(form).toString(),
        }
      : { method: 'GET', path },
  );
  if (!result.ok) throw new Error(result.error);
  return result.response;
}

function unescapeHtml(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** Opens the frame the way Duo-Web-v2.js 2.9 does, presses Finish, returns the posted message. */
async function frameMessageFor(tx: string): Promise<string> {
  const query = new URLSearchParams({ tx, parent: PARENT, v: '2.9' });
  const page = await frame(`/frame/web/v1/auth?${query.toString()}`);
  expect(page.status).toBe(200);
  const sid = page.body.match(
    /action="\/frame\/web\/v1\/finish"><input type="hidden" name="sid" value="([^"]+)"/,
  )?.[1];
  if (!sid) throw new Error(`no Finish form in:\n${page.body}`);
  const done = await frame('/frame/web/v1/finish', { sid });
  const message = done.body.match(/data-duo-message="([^"]*)"/)?.[1];
  if (!message) throw new Error(`no message in:\n${done.body}`);
  return unescapeHtml(message);
}

describe('Duo v2 gateway against the emulator frame', () => {
  it('signs a request the frame accepts and verifies the AUTH message it posts back', async () => {
    const duo = gateway();
    const request = duo.signV2Request('alice');
    expect(request.host).toBe(emulator.apiHost);
    expect(request.tx).toMatch(/^TX\|/);
    expect(request.app).toMatch(/^APP\|/);
    const message = await frameMessageFor(request.tx);
    expect(message).toMatch(/^AUTH\|/);
    expect(duo.verifyV2Response(message, request.app)).toBe('alice');
  });

  it("refuses the AUTH message with another visit's APP part (other user)", async () => {
    const duo = gateway();
    const alice = duo.signV2Request('alice');
    const bob = duo.signV2Request('bob');
    const message = await frameMessageFor(alice.tx);
    expect(duo.verifyV2Response(message, bob.app)).toBeNull();
  });

  it('refuses an APP part signed with another akey', async () => {
    const request = gateway().signV2Request('alice');
    const message = await frameMessageFor(request.tx);
    const otherStation = gateway('another-application-key-0123456789abcdefgh');
    expect(otherStation.verifyV2Response(message, request.app)).toBeNull();
  });

  it('refuses an ERR message from the frame', async () => {
    const duo = gateway();
    const request = duo.signV2Request('alice');
    const query = new URLSearchParams({ tx: `${request.tx}x`, parent: PARENT, v: '2.9' });
    const page = await frame(`/frame/web/v1/auth?${query.toString()}`);
    const message = unescapeHtml(page.body.match(/data-duo-message="([^"]*)"/)?.[1] ?? '');
    expect(message).toMatch(/^ERR\|/);
    expect(duo.verifyV2Response(message, request.app)).toBeNull();
  });

  it('throws when a v4 method is called on a v2 gateway (a bug in the caller)', async () => {
    const duo = gateway();
    expect(() => duo.startAuthorization('alice')).toThrow(/v2 gateway/);
    expect(() => duo.completeAuthorization({}, { authUrl: '', state: '', nonce: '', username: '' })).toThrow(
      /v2 gateway/,
    );
  });
});
