/**
 * The local Duo emulator (test/support/duo-emulator) against Duo's own Node SDK
 * (@duosecurity/duo_universal) and against requests signed here by hand from the published
 * protocol (Duo Web SDK v2 libraries, Duo Universal Prompt docs, Duo Auth API docs). Everything runs over HTTPS on loopback.
 */
import { spawn } from 'node:child_process';
import { skipUnlessServer } from '../support/server-skip';
import { createHash, createHmac } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { Agent, request as httpsRequest } from 'node:https';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { Client, DuoException } from '@duosecurity/duo_universal';
import { jwtVerify, SignJWT } from 'jose';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuthApiSignature, duoHeadersHash } from '../support/duo-emulator/auth-api-signature.js';
import {
  EMULATOR_V2_IKEY,
  EMULATOR_V2_SKEY,
  EMULATOR_V4_CLIENT_ID,
  EMULATOR_V4_CLIENT_SECRET,
  startDuoEmulator,
  type DuoEmulator,
} from '../support/duo-emulator/index.js';

/** Duo-Web-v2.js message formats (Duo-Web-v2.js 2.9), copied here as the spec, not imported. */
const DUO_MESSAGE_FORMAT = /^(?:AUTH|ENROLL)+\|[A-Za-z0-9+/=]+\|[A-Za-z0-9+/=]+$/;
const DUO_ERROR_FORMAT = /^ERR\|[\w\s.()]+$/;

const REDIRECT_URL = 'http://127.0.0.1:9/duo-callback';
const PARENT = 'http://127.0.0.1:5173/visit/duo?step=2';

interface HttpResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

let emulator: DuoEmulator;

/** One HTTPS request that trusts only the emulator's CA; redirects are returned, not followed. */
function fetchEmulator(
  pathOrUrl: string,
  options: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<HttpResult> {
  const url = new URL(pathOrUrl, emulator.baseUrl);
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      url,
      { method: options.method ?? 'GET', headers: options.headers, ca: emulator.caPem },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

function postForm(path: string, fields: Record<string, string>): Promise<HttpResult> {
  return fetchEmulator(path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
}

function json(result: HttpResult): Record<string, unknown> {
  return JSON.parse(result.body) as Record<string, unknown>;
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

function sessionIdIn(html: string): string {
  const match = html.match(/name="sid" value="([^"]+)"/);
  if (!match?.[1]) throw new Error(`no session id in page: ${html}`);
  return match[1];
}

function decodeEntities(text: string): string {
  return text
    .replace(/&#(\d+);/g, (_m, code: string) => String.fromCharCode(Number(code)))
    .replace(/&amp;/g, '&');
}

/** The message the frame page will post, and where to, read from its data attributes. */
function frameMessageIn(html: string): { message: string; origin: string } | null {
  const message = html.match(/data-duo-message="([^"]*)"/)?.[1];
  const origin = html.match(/data-parent-origin="([^"]*)"/)?.[1];
  return message && origin ? { message: decodeEntities(message), origin: decodeEntities(origin) } : null;
}

/** Duo's official client, made to trust the emulator's CA instead of its pinned bundle. */
function officialClient(options: { clientSecret?: string; useDuoCodeAttribute?: boolean } = {}): Client {
  const client = new Client({
    clientId: EMULATOR_V4_CLIENT_ID,
    clientSecret: options.clientSecret ?? EMULATOR_V4_CLIENT_SECRET,
    apiHost: emulator.apiHost,
    redirectUrl: REDIRECT_URL,
    ...(options.useDuoCodeAttribute === undefined
      ? {}
      : { useDuoCodeAttribute: options.useDuoCodeAttribute }),
  });
  // duo_universal 3.0.0 pins Duo's CA bundle in a private axios instance and has no option to
  // change it; replacing that instance's agent is the only way to point it at a test CA.
  const internals = client as unknown as { axios: { defaults: { httpsAgent?: unknown } } };
  internals.axios.defaults.httpsAgent = new Agent({ ca: emulator.caPem });
  return client;
}

/** Follows an authorize URL to the prompt page, like a browser would. */
async function openPrompt(authUrl: string): Promise<{ sid: string; html: string }> {
  const authorize = await fetchEmulator(authUrl);
  expect(authorize.status).toBe(302);
  const page = await fetchEmulator(String(authorize.headers.location));
  expect(page.status).toBe(200);
  return { sid: sessionIdIn(page.body), html: page.body };
}

/** Presses a button of the prompt page and returns the redirect target. */
async function pressPromptButton(sid: string, button: 'finish' | 'cancel'): Promise<URL> {
  const result = await postForm(`/frame/frameless/v4/${button}`, { sid });
  expect(result.status).toBe(303);
  return new URL(String(result.headers.location));
}

/** A request object signed like the SDKs do, with claims a test may override or drop. */
async function requestJwt(
  claims: Record<string, unknown>,
  secret = EMULATOR_V4_CLIENT_SECRET,
  drop: string[] = [],
): Promise<string> {
  const payload: Record<string, unknown> = {
    response_type: 'code',
    scope: 'openid',
    exp: nowSeconds() + 300,
    client_id: EMULATOR_V4_CLIENT_ID,
    redirect_uri: REDIRECT_URL,
    state: 'a'.repeat(36),
    duo_uname: 'carol',
    iss: EMULATOR_V4_CLIENT_ID,
    aud: emulator.baseUrl,
    use_duo_code_attribute: true,
    ...claims,
  };
  for (const name of drop) delete payload[name];
  return new SignJWT(payload).setProtectedHeader({ alg: 'HS512' }).sign(new TextEncoder().encode(secret));
}

function authorizeUrl(request: string, extra: Record<string, string> = {}): string {
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: EMULATOR_V4_CLIENT_ID,
    request,
    ...extra,
  });
  return `/oauth/v1/authorize?${query.toString()}`;
}

/** A client assertion as in §3.3. */
async function clientAssertion(audiencePath: string, secret = EMULATOR_V4_CLIENT_SECRET): Promise<string> {
  const now = nowSeconds();
  return new SignJWT({
    iss: EMULATOR_V4_CLIENT_ID,
    sub: EMULATOR_V4_CLIENT_ID,
    aud: `${emulator.baseUrl}${audiencePath}`,
    jti: 'j'.repeat(36),
    iat: now,
    exp: now + 300,
  })
    .setProtectedHeader({ alg: 'HS512' })
    .sign(new TextEncoder().encode(secret));
}

/** A v2 TX part signed here, per duo_python `_sign_vals`. */
function signTx(
  options: { user?: string; ikey?: string; skey?: string; exp?: number; prefix?: string } = {},
): string {
  const val = `${options.user ?? 'dave'}|${options.ikey ?? EMULATOR_V2_IKEY}|${options.exp ?? nowSeconds() + 300}`;
  const cookie = `${options.prefix ?? 'TX'}|${Buffer.from(val, 'utf8').toString('base64')}`;
  const sig = createHmac('sha1', options.skey ?? EMULATOR_V2_SKEY)
    .update(cookie)
    .digest('hex');
  return `${cookie}|${sig}`;
}

function frameUrl(tx: string, parent = PARENT): string {
  return `/frame/web/v1/auth?${new URLSearchParams({ tx, parent, v: '2.9' }).toString()}`;
}

/** An Auth API request signed per §4.2–4.5. */
function signedCheck(options: {
  ikey?: string;
  skey?: string;
  digest?: 'sha1' | 'sha512';
  version?: 2 | 5;
  date?: Date;
  dateHeader?: 'Date' | 'X-Duo-Date';
}): Promise<HttpResult> {
  const ikey = options.ikey ?? EMULATOR_V2_IKEY;
  const date = (options.date ?? new Date()).toUTCString();
  const dateHeader = options.dateHeader ?? 'Date';
  const lines = [date, 'GET', emulator.apiHost.toLowerCase(), '/auth/v2/check', ''];
  if (options.version === 5) {
    lines.push(createHash('sha512').update('').digest('hex'));
    const duoHeaders = dateHeader === 'X-Duo-Date' ? `x-duo-date\0${date}` : '';
    lines.push(createHash('sha512').update(duoHeaders).digest('hex'));
  }
  const sig = createHmac(options.digest ?? 'sha1', options.skey ?? EMULATOR_V2_SKEY)
    .update(lines.join('\n'))
    .digest('hex');
  return fetchEmulator('/auth/v2/check', {
    headers: {
      [dateHeader]: date,
      Authorization: `Basic ${Buffer.from(`${ikey}:${sig}`).toString('base64')}`,
    },
  });
}

beforeAll(async () => {
  emulator = await startDuoEmulator();
});

afterAll(async () => {
  await emulator?.close();
});

describe('Duo emulator basics', () => {
  it('serves HTTPS on loopback with a certificate signed by the CA it wrote to caFile', async () => {
    expect(emulator.baseUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(emulator.apiHost).toBe(emulator.baseUrl.slice('https://'.length));
    expect(readFileSync(emulator.caFile, 'utf8')).toBe(emulator.caPem);
    const viaLocalhost = await new Promise<number>((resolve, reject) => {
      httpsRequest(
        `https://localhost:${new URL(emulator.baseUrl).port}/auth/v2/ping`,
        { ca: readFileSync(emulator.caFile) },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      )
        .on('error', reject)
        .end();
    });
    expect(viaLocalhost).toBe(200);
  });

  it('exposes fixed integrations with the lengths Duo SDKs require', () => {
    const { v2, v4 } = emulator.integrations;
    expect(v2).toEqual({ ikey: EMULATOR_V2_IKEY, skey: EMULATOR_V2_SKEY });
    expect(v4).toEqual({ clientId: EMULATOR_V4_CLIENT_ID, clientSecret: EMULATOR_V4_CLIENT_SECRET });
    expect(v2.ikey).toMatch(/^DI[A-Z0-9]{18}$/);
    expect(v2.skey).toMatch(/^[A-Za-z0-9]{40}$/);
    expect(v4.clientId).toMatch(/^DI[A-Z0-9]{18}$/);
    expect(v4.clientSecret).toMatch(/^[A-Za-z0-9]{40}$/);
  });

  it('answers every endpoint with 503 while Duo is down, and recovers', async () => {
    emulator.setAvailable(false);
    try {
      for (const [path, method] of [
        ['/auth/v2/ping', 'GET'],
        ['/auth/v2/check', 'GET'],
        ['/oauth/v1/health_check', 'POST'],
        ['/oauth/v1/token', 'POST'],
        [frameUrl(signTx()), 'GET'],
        ['/frame/static/frame.js', 'GET'],
      ] as const) {
        const result = await fetchEmulator(path, { method });
        expect(result.status, path).toBe(503);
        expect(json(result)).toMatchObject({ stat: 'FAIL', code: 50301 });
      }
      await expect(officialClient().healthCheck()).rejects.toBeInstanceOf(DuoException);
    } finally {
      emulator.setAvailable(true);
    }
    expect((await fetchEmulator('/auth/v2/ping')).status).toBe(200);
  });

  it('answers unknown paths with a Duo-style 404', async () => {
    const result = await fetchEmulator('/admin/v1/users');
    expect(result.status).toBe(404);
    expect(json(result)).toMatchObject({ stat: 'FAIL', code: 40401 });
  });
});

describe('Web SDK v4 (Universal Prompt) with Duo’s official Node client', () => {
  it('runs health check, prompt, Finish and code exchange to a verified id_token', async () => {
    const client = officialClient();
    const health = await client.healthCheck();
    expect(health).toMatchObject({ stat: 'OK', response: { timestamp: expect.any(Number) } });

    const state = client.generateState();
    const { sid, html } = await openPrompt(await client.createAuthUrl('alice', state));
    expect(html).toContain('<h1>Manage devices for alice</h1>');
    expect(html).toMatch(/<button type="submit"[^>]*>Add a device<\/button>/);
    expect(html).toMatch(/<button type="submit"[^>]*>Finish<\/button>/);
    expect(html).toMatch(/<button type="submit"[^>]*>Cancel<\/button>/);

    const callback = await pressPromptButton(sid, 'finish');
    expect(`${callback.origin}${callback.pathname}`).toBe(REDIRECT_URL);
    expect(callback.searchParams.get('state')).toBe(state);
    const code = callback.searchParams.get('duo_code');
    expect(code).toBeTruthy();

    const token = await client.exchangeAuthorizationCodeFor2FAResult(code as string, 'alice');
    expect(token.preferred_username).toBe('alice');
    expect(token.aud).toBe(EMULATOR_V4_CLIENT_ID);
    expect(token.iss).toBe(`${emulator.baseUrl}/oauth/v1/token`);
    expect(token.auth_result).toEqual({ result: 'allow', status: 'allow', status_msg: 'Login Successful' });

    // A code is single-use.
    await expect(client.exchangeAuthorizationCodeFor2FAResult(code as string, 'alice')).rejects.toThrow(
      /invalid_grant/,
    );
  });

  it('refuses the official client’s id_token check when the username differs', async () => {
    const client = officialClient();
    const { sid } = await openPrompt(await client.createAuthUrl('alice', client.generateState()));
    const code = (await pressPromptButton(sid, 'finish')).searchParams.get('duo_code') as string;
    await expect(client.exchangeAuthorizationCodeFor2FAResult(code, 'mallory')).rejects.toThrow(
      'The username is invalid',
    );
  });

  it('returns the code as `code` when use_duo_code_attribute is false', async () => {
    const client = officialClient({ useDuoCodeAttribute: false });
    const { sid } = await openPrompt(await client.createAuthUrl('bob', client.generateState()));
    const callback = await pressPromptButton(sid, 'finish');
    expect(callback.searchParams.has('duo_code')).toBe(false);
    const token = await client.exchangeAuthorizationCodeFor2FAResult(
      callback.searchParams.get('code') ?? '',
      'bob',
    );
    expect(token.preferred_username).toBe('bob');
  });

  it('redirects Cancel back with access_denied and the state', async () => {
    const client = officialClient();
    const state = client.generateState();
    const { sid } = await openPrompt(await client.createAuthUrl('alice', state));
    const callback = await pressPromptButton(sid, 'cancel');
    expect(callback.searchParams.get('error')).toBe('access_denied');
    expect(callback.searchParams.get('error_description')).toBeTruthy();
    expect(callback.searchParams.get('state')).toBe(state);
    expect(callback.searchParams.has('duo_code')).toBe(false);
  });

  it('shows the prompt in the language the browser asked for at authorize, and records what it asked', async () => {
    const client = officialClient();
    const authUrl = await client.createAuthUrl('alice', client.generateState());
    const authorize = await fetchEmulator(authUrl, {
      headers: { 'Accept-Language': 'fr-CA,fr;q=0.9,en;q=0.5' },
    });
    expect(authorize.status).toBe(302);
    // The prompt's own page keeps the language asked for at authorize.
    const page = await fetchEmulator(String(authorize.headers.location));
    expect(page.body).toContain('<html lang="fr-CA">');
    expect(emulator.languagesSeen().at(-1)).toEqual({ sdk: 'v4', acceptLanguage: 'fr-CA,fr;q=0.9,en;q=0.5' });

    // No header, or one that is not a language tag: English, and recorded as sent.
    const plain = await openPrompt(await client.createAuthUrl('alice', client.generateState()));
    expect(plain.html).toContain('<html lang="en">');
    expect(emulator.languagesSeen().at(-1)).toEqual({ sdk: 'v4', acceptLanguage: '' });
    const odd = await fetchEmulator(await client.createAuthUrl('alice', client.generateState()), {
      headers: { 'Accept-Language': '"><script>' },
    });
    expect((await fetchEmulator(String(odd.headers.location))).body).toContain('<html lang="en">');
  });

  it('adds a device to the person’s list on "Add a device"', async () => {
    const client = officialClient();
    const { sid, html } = await openPrompt(await client.createAuthUrl('erin', client.generateState()));
    const before = html.match(/<li>/g)?.length ?? 0;
    const added = await postForm('/frame/frameless/v4/devices', { sid });
    expect(added.status).toBe(303);
    const page = await fetchEmulator(String(added.headers.location));
    expect(page.body.match(/<li>/g)?.length).toBe(before + 1);
    expect(page.body).toContain(`<li>Phone ${before + 1}</li>`);
  });

  it('does not let the prompt page be framed', async () => {
    const client = officialClient();
    const authorize = await fetchEmulator(await client.createAuthUrl('alice', client.generateState()));
    const page = await fetchEmulator(String(authorize.headers.location));
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect(String(page.headers['content-security-policy'])).toContain("frame-ancestors 'none'");
  });

  it('refuses a health check whose assertion was signed with the wrong secret', async () => {
    const client = officialClient({ clientSecret: 'x'.repeat(40) });
    await expect(client.healthCheck()).rejects.toThrow(/^invalid_client: /);
    const raw = await postForm('/oauth/v1/health_check', {
      client_id: EMULATOR_V4_CLIENT_ID,
      client_assertion: await clientAssertion('/oauth/v1/health_check', 'y'.repeat(40)),
    });
    expect(raw.status).toBe(400);
    expect(json(raw)).toMatchObject({ stat: 'FAIL', code: 40002, message: 'invalid_client' });
    expect(json(raw).message_detail).toEqual(expect.any(String));
  });

  it('refuses a health check whose assertion names another endpoint as audience', async () => {
    const raw = await postForm('/oauth/v1/health_check', {
      client_id: EMULATOR_V4_CLIENT_ID,
      client_assertion: await clientAssertion('/oauth/v1/token'),
    });
    expect(raw.status).toBe(400);
    expect(json(raw)).toMatchObject({ code: 40002 });
  });

  it('accepts a multipart health check (as the PHP SDK sends it)', async () => {
    const form = new FormData();
    form.set('client_id', EMULATOR_V4_CLIENT_ID);
    form.set('client_assertion', await clientAssertion('/oauth/v1/health_check'));
    const encoded = new Response(form);
    const result = await fetchEmulator('/oauth/v1/health_check', {
      method: 'POST',
      headers: { 'content-type': encoded.headers.get('content-type') as string },
      body: Buffer.from(await encoded.arrayBuffer()),
    });
    expect(result.status).toBe(200);
    expect(json(result)).toMatchObject({ stat: 'OK', response: { timestamp: expect.any(Number) } });
  });

  it('refuses an authorize request whose JWT was signed with the wrong secret', async () => {
    const result = await fetchEmulator(authorizeUrl(await requestJwt({}, 'z'.repeat(40))));
    expect(result.status).toBe(400);
    expect(result.body).toContain('<h1>Invalid request</h1>');
    expect(result.headers.location).toBeUndefined();
  });

  it('refuses an authorize request for an unknown client or an expired request object', async () => {
    const unknown = await fetchEmulator(
      `/oauth/v1/authorize?${new URLSearchParams({
        response_type: 'code',
        client_id: 'DIUNKNOWNCLIENT00000',
        request: await requestJwt({ client_id: 'DIUNKNOWNCLIENT00000' }),
      }).toString()}`,
    );
    expect(unknown.status).toBe(400);
    const expired = await fetchEmulator(authorizeUrl(await requestJwt({ exp: nowSeconds() - 3600 })));
    expect(expired.status).toBe(400);
  });

  it('tolerates request objects from the other SDKs: no iss/aud, float or string exp, "true", nonce in the query', async () => {
    const variants: [string, Record<string, unknown>, string[]][] = [
      ['Java: no iss, no aud', {}, ['iss', 'aud']],
      [
        'C#: aud with /oauth/v1/authorize, string exp and "true"',
        {
          aud: `${emulator.baseUrl}/oauth/v1/authorize`,
          exp: String(nowSeconds() + 300),
          use_duo_code_attribute: 'true',
        },
        [],
      ],
      ['Python: float exp', { exp: nowSeconds() + 300.25 }, []],
    ];
    for (const [name, claims, drop] of variants) {
      const nonce = `nonce-${'n'.repeat(20)}`;
      const { sid } = await openPrompt(authorizeUrl(await requestJwt(claims, undefined, drop), { nonce }));
      const callback = await pressPromptButton(sid, 'finish');
      const code = callback.searchParams.get('duo_code');
      expect(code, name).toBeTruthy();

      const token = await postForm('/oauth/v1/token', {
        grant_type: 'authorization_code',
        code: code as string,
        redirect_uri: REDIRECT_URL,
        client_id: EMULATOR_V4_CLIENT_ID,
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: await clientAssertion('/oauth/v1/token'),
      });
      expect(token.status, name).toBe(200);
      const { payload } = await jwtVerify(
        json(token).id_token as string,
        new TextEncoder().encode(EMULATOR_V4_CLIENT_SECRET),
        { algorithms: ['HS512'] },
      );
      expect(payload.nonce, name).toBe(nonce);
    }
  });

  it('answers the token endpoint with the fields every SDK checks and a complete id_token', async () => {
    const nonce = 'n'.repeat(32);
    const { sid } = await openPrompt(authorizeUrl(await requestJwt({ duo_uname: 'Frank.Ü', nonce })));
    const code = (await pressPromptButton(sid, 'finish')).searchParams.get('duo_code') as string;
    // The Python SDK sends the token fields as the query string of an empty POST; the Java SDK omits client_id.
    const query = new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT_URL,
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: await clientAssertion('/oauth/v1/token'),
    });
    const result = await fetchEmulator(`/oauth/v1/token?${query.toString()}`, { method: 'POST' });
    expect(result.status).toBe(200);
    const body = json(result);
    expect(body).toMatchObject({ token_type: 'Bearer', access_token: expect.any(String) });
    expect(Number.isInteger(body.expires_in) && (body.expires_in as number) > 0).toBe(true);

    const { payload, protectedHeader } = await jwtVerify(
      body.id_token as string,
      new TextEncoder().encode(EMULATOR_V4_CLIENT_SECRET),
      {
        issuer: `${emulator.baseUrl}/oauth/v1/token`,
        audience: EMULATOR_V4_CLIENT_ID,
        algorithms: ['HS512'],
      },
    );
    expect(protectedHeader.alg).toBe('HS512');
    expect(typeof payload.aud).toBe('string');
    expect(payload.preferred_username).toBe('Frank.Ü');
    expect(payload.nonce).toBe(nonce);
    for (const claim of ['exp', 'iat', 'nbf', 'auth_time'] as const)
      expect(payload[claim]).toEqual(expect.any(Number));
    expect(payload.auth_result).toEqual({ result: 'allow', status: 'allow', status_msg: 'Login Successful' });
    expect(payload.auth_context).toMatchObject({
      user: { name: 'Frank.Ü' },
      application: { key: EMULATOR_V4_CLIENT_ID },
    });
  });

  it('accepts multipart token requests (as the PHP SDK sends them)', async () => {
    const { sid } = await openPrompt(authorizeUrl(await requestJwt({})));
    const code = (await pressPromptButton(sid, 'finish')).searchParams.get('duo_code') as string;
    const form = new FormData();
    form.set('grant_type', 'authorization_code');
    form.set('code', code);
    form.set('redirect_uri', REDIRECT_URL);
    form.set('client_id', EMULATOR_V4_CLIENT_ID);
    form.set('client_assertion_type', 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
    form.set('client_assertion', await clientAssertion('/oauth/v1/token'));
    const encoded = new Response(form);
    const result = await fetchEmulator('/oauth/v1/token', {
      method: 'POST',
      headers: { 'content-type': encoded.headers.get('content-type') as string },
      body: Buffer.from(await encoded.arrayBuffer()),
    });
    expect(result.status).toBe(200);
    expect(json(result).id_token).toEqual(expect.any(String));
  });

  it('refuses a code presented with another redirect_uri, and the code is then spent', async () => {
    const { sid } = await openPrompt(authorizeUrl(await requestJwt({})));
    const code = (await pressPromptButton(sid, 'finish')).searchParams.get('duo_code') as string;
    const exchange = async (redirectUri: string) =>
      postForm('/oauth/v1/token', {
        grant_type: 'authorization_code',
        code,
        redirect_uri: redirectUri,
        client_id: EMULATOR_V4_CLIENT_ID,
        client_assertion: await clientAssertion('/oauth/v1/token'),
      });
    const wrong = await exchange('http://127.0.0.1:9/elsewhere');
    expect(wrong.status).toBe(400);
    expect(json(wrong)).toMatchObject({ error: 'invalid_grant' });
    expect((await exchange(REDIRECT_URL)).status).toBe(400);
  });

  it('refuses a token request with a bad client assertion or a client_id that is not its issuer', async () => {
    const { sid } = await openPrompt(authorizeUrl(await requestJwt({})));
    const code = (await pressPromptButton(sid, 'finish')).searchParams.get('duo_code') as string;
    const badSignature = await postForm('/oauth/v1/token', {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT_URL,
      client_id: EMULATOR_V4_CLIENT_ID,
      client_assertion: await clientAssertion('/oauth/v1/token', 'q'.repeat(40)),
    });
    expect(badSignature.status).toBe(400);
    expect(json(badSignature)).toMatchObject({ error: 'invalid_client' });
    const otherClient = await postForm('/oauth/v1/token', {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT_URL,
      client_id: 'DIOTHERCLIENT0000000',
      client_assertion: await clientAssertion('/oauth/v1/token'),
    });
    expect(otherClient.status).toBe(400);
    expect(json(otherClient)).toMatchObject({ error: 'invalid_client' });
  });

  it('dates tokens by its own clock, so a Duo 200 s ahead fails the official client’s nbf check', async () => {
    const client = officialClient();
    emulator.setClockSkewSeconds(200);
    try {
      const before = nowSeconds();
      const { sid } = await openPrompt(await client.createAuthUrl('alice', client.generateState()));
      const code = (await pressPromptButton(sid, 'finish')).searchParams.get('duo_code') as string;
      // Duo's assertions and request objects still pass (their exp is 300 s out), but the
      // id_token's nbf/iat lie beyond the SDK's 60 s leeway.
      await expect(client.exchangeAuthorizationCodeFor2FAResult(code, 'alice')).rejects.toThrow(
        'Error decoding JWT',
      );
      const ping = json(await fetchEmulator('/auth/v2/ping')) as { response: { time: number } };
      expect(ping.response.time).toBeGreaterThanOrEqual(before + 200);
      expect(ping.response.time).toBeLessThanOrEqual(nowSeconds() + 200);
    } finally {
      emulator.setClockSkewSeconds(0);
    }
  });
});

describe('Web SDK v2 frame', () => {
  it('accepts a TX part signed with the skey and shows the device page, frameable by the parent only', async () => {
    const result = await fetchEmulator(frameUrl(signTx({ user: 'dave' })));
    expect(result.status).toBe(200);
    expect(result.body).toMatch(/<h1>[^<]*dave<\/h1>/);
    expect(result.body).toMatch(/<button type="submit"[^>]*>Add a device<\/button>/);
    expect(result.body).toMatch(/<button type="submit"[^>]*>Finish<\/button>/);
    const csp = String(result.headers['content-security-policy']);
    expect(csp).toContain('frame-ancestors http://127.0.0.1:5173');
    expect(csp).toContain("script-src 'self'");
    expect(result.headers['x-frame-options']).toBeUndefined();
    // No inline script: every <script> has a src on the emulator.
    for (const tag of result.body.match(/<script[^>]*>/g) ?? []) expect(tag).toMatch(/ src="\/[^"]+"/);
  });

  it('shows the frame in the language the browser asked for, and records it', async () => {
    const result = await fetchEmulator(frameUrl(signTx({ user: 'dave' })), {
      headers: { 'Accept-Language': 'de-CH, de;q=0.8' },
    });
    expect(result.body).toContain('<html lang="de-CH">');
    expect(emulator.languagesSeen().at(-1)).toEqual({ sdk: 'v2', acceptLanguage: 'de-CH, de;q=0.8' });
  });

  it('posts AUTH|base64(user|ikey|exp)|hmac signed with the skey to the parent origin on Finish', async () => {
    const page = await fetchEmulator(frameUrl(signTx({ user: 'dave' })));
    const finished = await postForm('/frame/web/v1/finish', { sid: sessionIdIn(page.body) });
    expect(finished.status).toBe(200);
    const posted = frameMessageIn(finished.body);
    expect(posted?.origin).toBe('http://127.0.0.1:5173');
    const message = posted?.message ?? '';
    expect(message).toMatch(DUO_MESSAGE_FORMAT);
    const [prefix, b64, sig] = message.split('|') as [string, string, string];
    expect(prefix).toBe('AUTH');
    expect(sig).toBe(createHmac('sha1', EMULATOR_V2_SKEY).update(`AUTH|${b64}`).digest('hex'));
    const [user, ikey, exp] = Buffer.from(b64, 'base64').toString('utf8').split('|');
    expect([user, ikey]).toEqual(['dave', EMULATOR_V2_IKEY]);
    expect(Number(exp)).toBeGreaterThan(nowSeconds());

    // The page's script does the posting and is served from the emulator as JavaScript.
    const script = await fetchEmulator('/frame/static/frame.js');
    expect(script.headers['content-type']).toMatch(/^text\/javascript/);
    expect(script.body).toContain('window.parent.postMessage(message, origin)');

    // Finish ends the session.
    expect((await postForm('/frame/web/v1/finish', { sid: sessionIdIn(page.body) })).status).toBe(404);
  });

  it('answers an ENROLL_REQUEST with an ENROLL part', async () => {
    const page = await fetchEmulator(frameUrl(signTx({ prefix: 'ENROLL_REQUEST' })));
    const finished = await postForm('/frame/web/v1/finish', { sid: sessionIdIn(page.body) });
    expect(frameMessageIn(finished.body)?.message).toMatch(/^ENROLL\|/);
  });

  it('keeps a Walkup app:// parent origin', async () => {
    const result = await fetchEmulator(frameUrl(signTx(), 'app://walkup/index.html#/duo'));
    expect(String(result.headers['content-security-policy'])).toContain('frame-ancestors app://walkup');
  });

  it('adds a device on "Add a device" and shows it in the list', async () => {
    const page = await fetchEmulator(frameUrl(signTx({ user: 'grace' })));
    const before = page.body.match(/<li>/g)?.length ?? 0;
    const added = await postForm('/frame/web/v1/devices', { sid: sessionIdIn(page.body) });
    expect(added.status).toBe(303);
    const after = await fetchEmulator(String(added.headers.location));
    expect(after.body.match(/<li>/g)?.length).toBe(before + 1);
    expect(String(after.headers['content-security-policy'])).toContain(
      'frame-ancestors http://127.0.0.1:5173',
    );
  });

  it('shows the same deterministic devices for the same person', async () => {
    const first = await fetchEmulator(frameUrl(signTx({ user: 'heidi' })));
    const second = await fetchEmulator(frameUrl(signTx({ user: 'heidi' })));
    const devices = (html: string) => html.match(/<li>[^<]*<\/li>/g);
    expect(devices(first.body)?.length).toBeGreaterThan(0);
    expect(devices(second.body)).toEqual(devices(first.body));
  });

  it.each([
    ['an expired TX part', () => signTx({ exp: nowSeconds() - 1 })],
    ['a TX part signed with another skey', () => signTx({ skey: 'w'.repeat(40) })],
    [
      'a TX part whose payload was changed',
      () =>
        signTx({ user: 'dave' }).replace(
          /\|[^|]+\|/,
          `|${Buffer.from(`eve|${EMULATOR_V2_IKEY}|${nowSeconds() + 300}`).toString('base64')}|`,
        ),
    ],
    [
      'an unknown ikey (Duo’s published OLD_REQUEST vector)',
      () =>
        'TX|dGVzdHVzZXJ8RElYWFhYWFhYWFhYWFhYWFhYWFh8MTMwMDE1ODA5OQ==|815423f20909dbff2bc4962fdc3031d5f673bc1b',
    ],
    ['an APP prefix', () => signTx({ prefix: 'APP' })],
    ['four payload fields', () => signTx({ user: 'dave|extra' })],
    ['a whole sig_request instead of the TX part', () => `${signTx()}:APP|x|y`],
  ])('posts an ERR message for %s', async (_name, makeTx) => {
    const result = await fetchEmulator(frameUrl(makeTx()));
    const posted = frameMessageIn(result.body);
    expect(posted?.message).toMatch(DUO_ERROR_FORMAT);
    expect(posted?.origin).toBe('http://127.0.0.1:5173');
    expect(result.body).not.toContain('name="sid"');
  });
});

describe('Auth API', () => {
  it('answers ping without a signature, with its own time', async () => {
    const before = nowSeconds();
    const result = await fetchEmulator('/auth/v2/ping');
    expect(result.status).toBe(200);
    const body = json(result) as { stat: string; response: { time: number } };
    expect(body.stat).toBe('OK');
    expect(body.response.time).toBeGreaterThanOrEqual(before);
    expect(body.response.time).toBeLessThanOrEqual(nowSeconds());
  });

  it('shifts ping time by the clock skew hook', async () => {
    emulator.setClockSkewSeconds(-3600);
    try {
      const { response } = json(await fetchEmulator('/auth/v2/ping')) as { response: { time: number } };
      expect(response.time).toBeLessThanOrEqual(nowSeconds() - 3600);
    } finally {
      emulator.setClockSkewSeconds(0);
    }
  });

  it.each([
    ['v2 HMAC-SHA1', { digest: 'sha1' }],
    ['v2 HMAC-SHA512', { digest: 'sha512' }],
    ['v5 with X-Duo-Date', { digest: 'sha512', version: 5, dateHeader: 'X-Duo-Date' }],
    [
      'the v4 client id and secret',
      { ikey: EMULATOR_V4_CLIENT_ID, skey: EMULATOR_V4_CLIENT_SECRET, digest: 'sha512' },
    ],
  ] as const)('accepts a check signed with %s', async (_name, options) => {
    const result = await signedCheck(options);
    expect(result.status).toBe(200);
    expect(json(result)).toMatchObject({ stat: 'OK', response: { time: expect.any(Number) } });
  });

  it.each([
    ['SHA-1', 'sha1'],
    ['SHA-512', 'sha512'],
  ] as const)('refuses a %s signature made with the wrong skey (40103)', async (_name, digest) => {
    const result = await signedCheck({ skey: 'k'.repeat(40), digest });
    expect(result.status).toBe(401);
    expect(json(result)).toMatchObject({ stat: 'FAIL', code: 40103 });
  });

  it('refuses an unknown ikey (40102)', async () => {
    const result = await signedCheck({ ikey: 'DIUNKNOWNIKEY0000000' });
    expect(result.status).toBe(401);
    expect(json(result)).toMatchObject({ stat: 'FAIL', code: 40102 });
  });

  it('refuses a correctly signed request with a date more than 300 s old', async () => {
    const result = await signedCheck({ date: new Date(Date.now() - 400_000) });
    expect(result.status).toBe(401);
    expect(json(result)).toMatchObject({ stat: 'FAIL' });
  });

  it('refuses a check without credentials', async () => {
    const result = await fetchEmulator('/auth/v2/check');
    expect(result.status).toBe(401);
  });

  it('verifies Duo’s published signing vectors (duo_api_nodejs, §4.6)', () => {
    const date = 'Tue, 21 Aug 2012 17:29:18 -0000';
    const now = Date.parse(date) / 1000;
    const keys = new Map([['test_ikey', 'test_skey']]);
    const base = {
      method: 'POST',
      host: 'test.duosecurity.com',
      path: '/test/v1',
    };
    const v2 = (authorization: string) =>
      verifyAuthApiSignature(
        {
          ...base,
          params: [
            ['realname', 'First Last'],
            ['username', 'root'],
          ],
          body: Buffer.from('realname=First%20Last&username=root'),
          headers: { host: 'test.duosecurity.com', date, authorization },
        },
        keys,
        now,
      );
    expect(
      v2(
        'Basic dGVzdF9pa2V5OjA0MmEzMGM2ODJiZDgzNmZjNWJhNDY3ODkxYTk1NmVhYTEwMDkxY2EwZjczYTdmYjM5NmFlZmQ1NmEzNTI5ZTU2OTMyZGVhNDI3YTY3MjEzYWY2NjRiYTY4NDE2ODlmZjIzMzZiN2EzNzM3NjZlYTVhYjdhYjlmZTI2MzgyMjZi',
      ),
    ).toEqual({ ok: true, ikey: 'test_ikey' });
    expect(v2('Basic dGVzdF9pa2V5OjdkYjEzNTAxY2RhNjI3OGYyNzk4NzQ2ODQwNWZlOGJlNjFiNWUzZTM=')).toEqual({
      ok: true,
      ikey: 'test_ikey',
    });
    const v5 = verifyAuthApiSignature(
      {
        ...base,
        params: [],
        body: Buffer.from('{"realname":"First Last","username":"root"}'),
        headers: {
          host: 'test.duosecurity.com',
          date,
          authorization:
            'Basic dGVzdF9pa2V5OjdkMDI0MDlhMTUyNzY0ODQzY2NjZDgyODRkYTE1M2IzZmI0NDZiYWFkNWY5OTg4ODYzMjVlMjRiYzljZDRhMjQ0ZGU4NWFkNGJmYTdlYTI4NWQ2ODIwOWYxNjA4MzU2NzNkOGI0ZjFlMWIyM2Q5Y2Q1MjFkMjZiZmU3ZjM2NmE0',
        },
      },
      keys,
      now,
    );
    expect(v5).toEqual({ ok: true, ikey: 'test_ikey' });
    expect(duoHeadersHash({ 'X-Duo-Header-1': 'header_value_1' })).toBe(
      '630b4bfe7e9abd03da2eee8f0a5d4e60a254ec880a839bcc2223bb5b9443e8ef24d58f0254f1f5934bf8c017ebd0fd5b1acf86766bdbe74185e712a4092df3ed',
    );
    expect(duoHeadersHash({ 'x-duo-A': 'header_value_1', 'X-Duo-B': 'header_value_2' })).toBe(
      '60be11a30e0756f2ee2afdce1db849b987dcf86c1133394bd7bbbc9877920330c4d78aceacbb377ab8cbd9a8efe6a410fed4047376635ac71226ab46ca10d2b1',
    );
  });
});

const CHROMIUM = '/usr/bin/chromium';
const noChromium = skipUnlessServer(
  'Duo emulator browser checks',
  existsSync(CHROMIUM) ? undefined : `Chromium missing at ${CHROMIUM}: apt-get install chromium`,
);

describe.skipIf(noChromium)('in Chromium', () => {
  let browser: Browser;
  let parentServer: Server;
  let parentPort: number;
  /** What the parent page embeds: set per test. */
  let frameSrc = '';

  beforeAll(async () => {
    // A stand-in for Walkup's page: a strict CSP that allows frames from the emulator only.
    parentServer = createServer((req, res) => {
      if (req.url?.startsWith('/callback')) {
        res.setHeader('content-type', 'text/html');
        res.end('<!doctype html><h1>Callback</h1>');
        return;
      }
      res.setHeader('content-type', 'text/html');
      res.setHeader('content-security-policy', `default-src 'self'; frame-src ${emulator.baseUrl}`);
      res.end(
        `<!doctype html><h1>Walkup</h1><iframe id="duo_iframe" title="Duo" src="${frameSrc}"></iframe>`,
      );
    });
    await new Promise<void>((resolve) => parentServer.listen(0, '127.0.0.1', resolve));
    parentPort = (parentServer.address() as AddressInfo).port;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
      ],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => parentServer?.close(resolve));
  });

  /** A page that records every message it receives, with its origin. */
  async function parentPage(host: string) {
    // The emulator's CA is not in Chromium's store; trusting it there needs an NSS database.
    const context = await browser.newContext({ ignoreHTTPSErrors: true });
    const page = await context.newPage();
    // Browser-side code as strings: this Node-only tsconfig has no DOM types.
    await page.addInitScript(
      "window.received = []; window.addEventListener('message', (e) => window.received.push([e.origin, e.data]));",
    );
    await page.goto(`http://${host}:${parentPort}/visit`);
    return page;
  }

  it('is framed by the parent origin, and Finish posts the AUTH part from the emulator origin', async () => {
    frameSrc = `${emulator.baseUrl}${frameUrl(signTx({ user: 'ivan' }), `http://127.0.0.1:${parentPort}/visit`)}`;
    const page = await parentPage('127.0.0.1');
    try {
      const frame = page.frameLocator('#duo_iframe');
      await expect(frame.getByRole('heading', { level: 1 }).textContent()).resolves.toContain('ivan');
      await frame.getByRole('button', { name: 'Add a device' }).click();
      await frame.getByRole('button', { name: 'Finish' }).click();
      // Functions, not strings: the parent's CSP forbids eval.
      await page.waitForFunction(
        () => (globalThis as unknown as { received: unknown[] }).received.length > 0,
      );
      const received = await page.evaluate(
        () => (globalThis as unknown as { received: [string, string][] }).received,
      );
      expect(received).toHaveLength(1);
      // Duo-Web-v2.js accepts a message only from 'https://' + host.
      expect(received[0]?.[0]).toBe(emulator.baseUrl);
      expect(received[0]?.[1]).toMatch(DUO_MESSAGE_FORMAT);
    } finally {
      await page.context().close();
    }
  });

  it('refuses to be framed by an origin other than the parent it was given', async () => {
    frameSrc = `${emulator.baseUrl}${frameUrl(signTx({ user: 'ivan' }), `http://127.0.0.1:${parentPort}/visit`)}`;
    const page = await parentPage('localhost');
    try {
      await page.waitForLoadState('load');
      const frame = page.frames().find((f) => f !== page.mainFrame());
      await expect(frame?.getByRole('button', { name: 'Finish' }).count()).resolves.toBe(0);
    } finally {
      await page.context().close();
    }
  });

  it('runs the Universal Prompt as a top-level page and redirects Finish to the redirect_uri', async () => {
    const redirectUri = `http://127.0.0.1:${parentPort}/callback`;
    const context = await browser.newContext({ ignoreHTTPSErrors: true });
    try {
      const page = await context.newPage();
      await page.goto(
        `${emulator.baseUrl}${authorizeUrl(await requestJwt({ duo_uname: 'judy', redirect_uri: redirectUri }))}`,
      );
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
        'Manage devices for judy',
      );
      await page.getByRole('button', { name: 'Add a device' }).click();
      await page.getByRole('button', { name: 'Finish' }).click();
      await page.waitForURL(/\/callback\?/);
      const landed = new URL(page.url());
      expect(landed.searchParams.get('duo_code')).toBeTruthy();
      expect(landed.searchParams.get('state')).toBe('a'.repeat(36));
    } finally {
      await context.close();
    }
  });
});

describe('emulator command line', () => {
  it('prints one JSON line, serves until SIGTERM, then closes cleanly', async () => {
    const child = spawn(
      process.execPath,
      ['node_modules/tsx/dist/cli.mjs', 'test/support/duo-emulator/cli.ts', '--port', '0'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    try {
      const lines = createInterface({ input: child.stdout });
      const first = await new Promise<string>((resolve, reject) => {
        lines.once('line', resolve);
        child.once('exit', (code) => reject(new Error(`emulator CLI exited early with ${code}`)));
      });
      const info = JSON.parse(first) as {
        baseUrl: string;
        apiHost: string;
        caFile: string;
        integrations: { v2: { ikey: string; skey: string }; v4: { clientId: string; clientSecret: string } };
      };
      expect(info.baseUrl).toBe(`https://${info.apiHost}`);
      expect(info.integrations.v2.ikey).toBe(EMULATOR_V2_IKEY);
      expect(info.integrations.v4.clientId).toBe(EMULATOR_V4_CLIENT_ID);
      const ca = readFileSync(info.caFile);
      const status = await new Promise<number>((resolve, reject) => {
        httpsRequest(`${info.baseUrl}/auth/v2/ping`, { ca }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        })
          .on('error', reject)
          .end();
      });
      expect(status).toBe(200);

      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(existsSync(info.caFile)).toBe(false);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
