/**
 * Web SDK v4 pieces that need no network: the JWTs we sign, id_token validation (every failure
 * path, with tokens built here with jose), state comparison, and the callback checks that run
 * before any code exchange. The whole flow against the emulator is in
 * test/integration/duo-universal.test.ts.
 */
import { SignJWT, decodeJwt, decodeProtectedHeader, jwtVerify, UnsecuredJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import type { Clock } from '../../../../main/core/ports';
import {
  buildAuthorizeUrl,
  buildClientAssertion,
  createUniversalDuo,
  interpretHealthCheck,
  interpretTokenResponse,
  randomToken,
  statesMatch,
  validateIdToken,
  type IdTokenExpectations,
} from '../../../../main/core/duo/universal/client';
import type { HttpsResult } from '../../../../main/core/duo/https-client';
import type { PendingAuthorization } from '../../../../main/core/duo/types';

const CLIENT_ID = 'DIXXXXXXXXXXXXXXXXXX';
const CLIENT_SECRET = 'deadbeefdeadbeefdeadbeefdeadbeefdeadbeef';
const API_HOST = 'api-xxxxxxx.test.duosecurity.com';
const NOW = 1_700_000_000;
const key = new TextEncoder().encode(CLIENT_SECRET);

const expectations: IdTokenExpectations = {
  clientId: CLIENT_ID,
  clientSecret: CLIENT_SECRET,
  apiHost: API_HOST,
  username: 'alice',
  nonce: 'n'.repeat(43),
};

function goodClaims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    iss: `https://${API_HOST}/oauth/v1/token`,
    aud: CLIENT_ID,
    sub: 'alice',
    exp: NOW + 300,
    iat: NOW,
    nbf: NOW,
    preferred_username: 'alice',
    nonce: expectations.nonce,
    auth_result: { result: 'allow', status: 'allow', status_msg: 'Login Successful' },
    ...overrides,
  };
}

async function idToken(
  claims: Record<string, unknown> = goodClaims(),
  options: { secret?: string; alg?: string } = {},
): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: options.alg ?? 'HS512', typ: 'JWT' })
    .sign(new TextEncoder().encode(options.secret ?? CLIENT_SECRET));
}

describe('validateIdToken', () => {
  it('accepts a well-formed HS512 id_token for the verified user', async () => {
    const result = await validateIdToken(await idToken(), expectations, NOW);
    expect(result).toMatchObject({ ok: true, claims: { preferred_username: 'alice' } });
  });

  it('rejects an expired id_token', async () => {
    const token = await idToken(goodClaims({ iat: NOW - 1000, nbf: NOW - 1000, exp: NOW - 61 }));
    expect(await validateIdToken(token, expectations, NOW)).toMatchObject({
      ok: false,
      code: 'token-invalid',
    });
  });

  it('tolerates 60 seconds of clock difference on exp', async () => {
    const token = await idToken(goodClaims({ iat: NOW - 1000, nbf: NOW - 1000, exp: NOW - 30 }));
    expect(await validateIdToken(token, expectations, NOW)).toMatchObject({ ok: true });
  });

  it('rejects an id_token issued more than 60 seconds in the future', async () => {
    const token = await idToken(goodClaims({ iat: NOW + 120, nbf: undefined, exp: NOW + 400 }));
    expect(await validateIdToken(token, expectations, NOW)).toMatchObject({
      ok: false,
      code: 'token-invalid',
    });
  });

  it('rejects an id_token that is not yet valid (nbf)', async () => {
    const token = await idToken(goodClaims({ nbf: NOW + 120 }));
    expect(await validateIdToken(token, expectations, NOW)).toMatchObject({
      ok: false,
      code: 'token-invalid',
    });
  });

  it('rejects an id_token without iat', async () => {
    const token = await idToken(goodClaims({ iat: undefined }));
    expect(await validateIdToken(token, expectations, NOW)).toMatchObject({
      ok: false,
      code: 'token-invalid',
    });
  });

  it('rejects an id_token without exp', async () => {
    const token = await idToken(goodClaims({ exp: undefined }));
    expect(await validateIdToken(token, expectations, NOW)).toMatchObject({
      ok: false,
      code: 'token-invalid',
    });
  });

  it('rejects a tampered payload', async () => {
    const [header, , signature] = (await idToken()).split('.');
    const forged = Buffer.from(JSON.stringify(goodClaims({ preferred_username: 'mallory' }))).toString(
      'base64url',
    );
    const result = await validateIdToken(`${header}.${forged}.${signature}`, expectations, NOW);
    expect(result).toMatchObject({ ok: false, code: 'token-invalid' });
  });

  it('rejects a tampered signature', async () => {
    const token = await idToken();
    const flipped = token.slice(0, -2) + (token.endsWith('AA') ? 'BB' : 'AA');
    expect(await validateIdToken(flipped, expectations, NOW)).toMatchObject({
      ok: false,
      code: 'token-invalid',
    });
  });

  it('rejects an id_token signed with another key', async () => {
    const token = await idToken(goodClaims(), { secret: 'x'.repeat(40) });
    expect(await validateIdToken(token, expectations, NOW)).toMatchObject({
      ok: false,
      code: 'token-invalid',
    });
  });

  it('rejects alg:none', async () => {
    const token = new UnsecuredJWT(goodClaims()).encode();
    expect(decodeProtectedHeader(token).alg).toBe('none');
    expect(await validateIdToken(token, expectations, NOW)).toMatchObject({
      ok: false,
      code: 'token-invalid',
    });
  });

  it('rejects alg:none even with a signature part appended', async () => {
    const [, payload, signature] = (await idToken()).split('.');
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const result = await validateIdToken(`${header}.${payload}.${signature}`, expectations, NOW);
    expect(result).toMatchObject({ ok: false, code: 'token-invalid' });
  });

  it('rejects HS256 signed with the right secret (HS512 only)', async () => {
    const token = await idToken(goodClaims(), { alg: 'HS256' });
    const result = await validateIdToken(token, expectations, NOW);
    expect(result).toMatchObject({ ok: false, code: 'token-invalid' });
    expect(result.ok || result.detail).toMatch(/alg/i);
  });

  it('rejects the wrong issuer', async () => {
    const token = await idToken(goodClaims({ iss: `https://${API_HOST}/oauth/v1/authorize` }));
    expect(await validateIdToken(token, expectations, NOW)).toMatchObject({
      ok: false,
      code: 'token-invalid',
    });
  });

  it('rejects the wrong audience', async () => {
    const token = await idToken(goodClaims({ aud: 'DIYYYYYYYYYYYYYYYYYY' }));
    expect(await validateIdToken(token, expectations, NOW)).toMatchObject({
      ok: false,
      code: 'token-invalid',
    });
  });

  it('rejects several audiences even when one is ours', async () => {
    const token = await idToken(goodClaims({ aud: [CLIENT_ID, 'DIYYYYYYYYYYYYYYYYYY'] }));
    expect(await validateIdToken(token, expectations, NOW)).toMatchObject({
      ok: false,
      code: 'token-invalid',
    });
  });

  it('rejects another user (username-mismatch)', async () => {
    const token = await idToken(goodClaims({ preferred_username: 'bob' }));
    expect(await validateIdToken(token, expectations, NOW)).toMatchObject({
      ok: false,
      code: 'username-mismatch',
    });
  });

  it('compares usernames exactly (case matters)', async () => {
    const token = await idToken(goodClaims({ preferred_username: 'Alice' }));
    expect(await validateIdToken(token, expectations, NOW)).toMatchObject({
      ok: false,
      code: 'username-mismatch',
    });
  });

  it('rejects a missing preferred_username', async () => {
    const token = await idToken(goodClaims({ preferred_username: undefined }));
    expect(await validateIdToken(token, expectations, NOW)).toMatchObject({
      ok: false,
      code: 'username-mismatch',
    });
  });

  it('rejects another nonce (nonce-mismatch)', async () => {
    const token = await idToken(goodClaims({ nonce: 'm'.repeat(43) }));
    expect(await validateIdToken(token, expectations, NOW)).toMatchObject({
      ok: false,
      code: 'nonce-mismatch',
    });
  });

  it('rejects a missing nonce', async () => {
    const token = await idToken(goodClaims({ nonce: undefined }));
    expect(await validateIdToken(token, expectations, NOW)).toMatchObject({
      ok: false,
      code: 'nonce-mismatch',
    });
  });

  it('rejects garbage', async () => {
    expect(await validateIdToken('not.a.jwt', expectations, NOW)).toMatchObject({
      ok: false,
      code: 'token-invalid',
    });
    expect(await validateIdToken('', expectations, NOW)).toMatchObject({ ok: false, code: 'token-invalid' });
  });

  it('never puts the client secret in a failure detail', async () => {
    const token = await idToken(goodClaims(), { secret: 'x'.repeat(40) });
    const result = await validateIdToken(token, expectations, NOW);
    expect(JSON.stringify(result)).not.toContain(CLIENT_SECRET);
  });
});

describe('buildClientAssertion', () => {
  it('signs iss/sub = client id, aud = endpoint, jti, iat and exp = iat + 300 with HS512', async () => {
    const audience = `https://${API_HOST}/oauth/v1/token`;
    const jwt = await buildClientAssertion(CLIENT_ID, CLIENT_SECRET, audience, NOW);
    const { payload, protectedHeader } = await jwtVerify(jwt, key, {
      algorithms: ['HS512'],
      currentDate: new Date(NOW * 1000),
    });
    expect(protectedHeader.alg).toBe('HS512');
    expect(payload).toMatchObject({
      iss: CLIENT_ID,
      sub: CLIENT_ID,
      aud: audience,
      iat: NOW,
      exp: NOW + 300,
    });
    expect(payload.jti).toMatch(/^[0-9a-f]{36}$/);
  });

  it('uses a fresh jti each time', async () => {
    const a = decodeJwt(await buildClientAssertion(CLIENT_ID, CLIENT_SECRET, 'x', NOW));
    const b = decodeJwt(await buildClientAssertion(CLIENT_ID, CLIENT_SECRET, 'x', NOW));
    expect(a.jti).not.toBe(b.jti);
  });
});

describe('buildAuthorizeUrl', () => {
  it('builds the authorize URL with a signed request object (claims as in duo_universal)', async () => {
    const url = new URL(
      await buildAuthorizeUrl({
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
        apiHost: API_HOST,
        redirectUri: 'https://www.example.com',
        username: 'user1',
        state: 'deadbeefdeadbeefdeadbeefdeadbeefdead',
        nonce: 'noncenoncenoncenonce',
        nowSeconds: 2,
      }),
    );
    expect(`${url.origin}${url.pathname}`).toBe(`https://${API_HOST}/oauth/v1/authorize`);
    expect(url.searchParams.get('response_type')).toBe('code');
    expect(url.searchParams.get('client_id')).toBe(CLIENT_ID);
    expect(url.searchParams.get('redirect_uri')).toBe('https://www.example.com');
    expect(url.searchParams.get('scope')).toBe('openid');
    expect(url.searchParams.get('nonce')).toBe('noncenoncenoncenonce');
    const request = url.searchParams.get('request')!;
    const { payload } = await jwtVerify(request, key, { algorithms: ['HS512'], currentDate: new Date(2000) });
    expect(payload).toEqual({
      scope: 'openid',
      redirect_uri: 'https://www.example.com',
      client_id: CLIENT_ID,
      iss: CLIENT_ID,
      aud: `https://${API_HOST}`,
      exp: 302,
      state: 'deadbeefdeadbeefdeadbeefdeadbeefdead',
      response_type: 'code',
      duo_uname: 'user1',
      use_duo_code_attribute: true,
      nonce: 'noncenoncenoncenonce',
    });
  });
});

describe('state and nonce', () => {
  it('randomToken is URL-safe, long enough for Duo (22..1024) and fresh each time', () => {
    const a = randomToken();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(randomToken()).not.toBe(a);
  });

  it('statesMatch accepts only the identical state', () => {
    expect(statesMatch('abc', 'abc')).toBe(true);
    expect(statesMatch('abd', 'abc')).toBe(false);
    expect(statesMatch('abcd', 'abc')).toBe(false);
    expect(statesMatch(undefined, 'abc')).toBe(false);
    expect(statesMatch('', '')).toBe(false);
  });
});

describe('createUniversalDuo (no network)', () => {
  const clock: Clock = { now: () => NOW * 1000, sleep: async () => {} };
  // Port 9 on loopback (discard) is closed here; any code exchange would fail as unreachable,
  // which these tests would notice: every path below must be decided before the exchange.
  const duo = createUniversalDuo({
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    apiHost: '127.0.0.1:9',
    redirectUri: 'http://127.0.0.1:8787/duo/callback',
    timeoutMs: 2000,
    clock,
  });

  async function pending(): Promise<PendingAuthorization> {
    return duo.startAuthorization('alice');
  }

  it('startAuthorization gives a fresh state and nonce per visit, both in the signed request', async () => {
    const first = await pending();
    const second = await pending();
    expect(first.state).not.toBe(second.state);
    expect(first.nonce).not.toBe(second.nonce);
    expect(first.username).toBe('alice');
    const request = new URL(first.authUrl).searchParams.get('request')!;
    expect(decodeJwt(request)).toMatchObject({ state: first.state, nonce: first.nonce, duo_uname: 'alice' });
  });

  it('refuses to start without a username (a bug in the caller)', async () => {
    await expect(duo.startAuthorization('')).rejects.toThrow();
  });

  it('reports state-mismatch for a callback with another state', async () => {
    const p = await pending();
    const result = await duo.completeAuthorization({ state: `${p.state}x`, duoCode: 'code' }, p);
    expect(result).toMatchObject({ ok: false, code: 'state-mismatch' });
  });

  it('reports state-mismatch for a callback without state', async () => {
    const p = await pending();
    expect(await duo.completeAuthorization({ duoCode: 'code' }, p)).toMatchObject({ code: 'state-mismatch' });
  });

  it('does not believe an error callback that carries another state', async () => {
    const p = await pending();
    const result = await duo.completeAuthorization({ state: 'other', error: 'access_denied' }, p);
    expect(result).toMatchObject({ code: 'state-mismatch' });
  });

  it('maps error=access_denied to access-denied', async () => {
    const p = await pending();
    const result = await duo.completeAuthorization(
      { state: p.state, error: 'access_denied', errorDescription: 'The user cancelled the request.' },
      p,
    );
    expect(result).toEqual({
      ok: false,
      code: 'access-denied',
      detail: 'access_denied: The user cancelled the request.',
    });
  });

  it('maps any other error to duo-error, stripping control characters', async () => {
    const p = await pending();
    const result = await duo.completeAuthorization(
      { state: p.state, error: 'server_error', errorDescription: 'line1\nline2' },
      p,
    );
    expect(result).toEqual({ ok: false, code: 'duo-error', detail: 'server_error: line1 line2' });
  });

  it('reports code-missing when neither duo_code nor code is present', async () => {
    const p = await pending();
    expect(await duo.completeAuthorization({ state: p.state }, p)).toMatchObject({ code: 'code-missing' });
  });

  it('reports unreachable when the token endpoint cannot be reached', async () => {
    const p = await pending();
    expect(await duo.completeAuthorization({ state: p.state, code: 'abc' }, p)).toMatchObject({
      ok: false,
      code: 'unreachable',
    });
  });
});

describe('interpreting Duo answers', () => {
  const answer = (status: number, body: unknown): HttpsResult => ({
    ok: true,
    response: { status, headers: {}, body: JSON.stringify(body) },
  });

  it('health check OK gives Duo timestamp', () => {
    expect(interpretHealthCheck(answer(200, { stat: 'OK', response: { timestamp: 1573068322 } }))).toEqual({
      ok: true,
      duoTimestamp: 1573068322,
    });
  });

  it('health check 40002 invalid_client is credentials-rejected', () => {
    const body = {
      stat: 'FAIL',
      code: 40002,
      message: 'invalid_client',
      message_detail: 'The provided client_assertion was invalid.',
      timestamp: 1573053670,
    };
    expect(interpretHealthCheck(answer(400, body))).toEqual({
      ok: false,
      code: 'credentials-rejected',
      detail: 'HTTP 400 invalid_client: The provided client_assertion was invalid.',
    });
  });

  it('health check OAuth-style invalid_client is credentials-rejected', () => {
    const body = { error: 'invalid_client', error_description: 'Failed to verify signature.' };
    expect(interpretHealthCheck(answer(401, body))).toMatchObject({ code: 'credentials-rejected' });
  });

  it('health check 503 is unreachable', () => {
    expect(interpretHealthCheck(answer(503, { stat: 'FAIL', code: 50301 }))).toMatchObject({
      code: 'unreachable',
    });
  });

  it('token invalid_grant is code-rejected', () => {
    const body = {
      error: 'invalid_grant',
      error_description: 'The provided authorization grant … is invalid.',
    };
    expect(interpretTokenResponse(answer(400, body))).toMatchObject({ ok: false, code: 'code-rejected' });
  });

  it('token invalid_client is credentials-rejected', () => {
    const body = { error: 'invalid_client', error_description: 'Invalid Client assertion' };
    expect(interpretTokenResponse(answer(400, body))).toMatchObject({
      ok: false,
      code: 'credentials-rejected',
    });
  });

  it('token response without token_type Bearer is token-invalid', () => {
    const body = { id_token: 'a', access_token: 'b', expires_in: 3600, token_type: 'MAC' };
    expect(interpretTokenResponse(answer(200, body))).toMatchObject({ ok: false, code: 'token-invalid' });
  });

  it('a complete token response gives the id_token', () => {
    const body = { id_token: 'a.b.c', access_token: 'b', expires_in: 3600, token_type: 'Bearer' };
    expect(interpretTokenResponse(answer(200, body))).toEqual({ ok: true, idToken: 'a.b.c' });
  });
});
