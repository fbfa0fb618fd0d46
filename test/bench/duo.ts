/**
 * Section 3: the Duo cryptography per second, each beside a reference in the same run:
 * - Web SDK v2: sign_request + verify_response (Walkup's web-v2/signature.ts) vs the bare HMAC-SHA1 calls
 *   the protocol needs (four HMACs), so the ratio is Walkup's overhead over the protocol's cost.
 * - Web SDK v4: authorize URL (request JWT, HS512) vs Duo's own SDK (@duosecurity/duo_universal
 *   createAuthUrl); id_token validation (Walkup's validateIdToken) vs a bare jose jwtVerify.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { Client } from '@duosecurity/duo_universal';
import { jwtVerify, SignJWT } from 'jose';
import { buildAuthorizeUrl, validateIdToken } from '../../main/core/duo/universal/client';
import { signRequest, verifyResponse } from '../../main/core/duo/web-v2/signature';
import { round, type SectionOutput } from './report';

const IKEY = 'DIXXXXXXXXXXXXXXXXXX';
const SKEY = 'S'.repeat(40);
const AKEY = randomBytes(20).toString('hex');
const CLIENT_ID = 'DIYYYYYYYYYYYYYYYYYY';
const CLIENT_SECRET = 'c'.repeat(40);
const API_HOST = 'api-12345678.duo.example.test';
const REDIRECT = 'https://walkup.example.test/duo/callback';

/**
 * Operations per second of `a` and of `b`, each given `ms` in all: four alternating rounds after
 * a warm-up, so a burst of load from other processes falls on both.
 */
async function rates(a: () => unknown, b: () => unknown, ms: number): Promise<[number, number]> {
  const counts = [0, 0];
  const times = [0, 0];
  for (const op of [a, b]) for (let index = 0; index < 200; index += 1) await op();
  for (let round = 0; round < 4; round += 1) {
    for (const [which, op] of [a, b].entries()) {
      const started = performance.now();
      const until = started + ms / 4;
      while (performance.now() < until) {
        for (let index = 0; index < 50; index += 1) await op();
        counts[which]! += 50;
      }
      times[which]! += performance.now() - started;
    }
  }
  return [counts[0]! / (times[0]! / 1000), counts[1]! / (times[1]! / 1000)];
}

const hmacSha1 = (key: string, message: string) => createHmac('sha1', key).update(message).digest('hex');

/** What Duo's frame returns for `username` (the AUTH part, signed with the skey). */
function authPart(username: string, nowSeconds: number): string {
  const cookie = `AUTH|${Buffer.from(`${username}|${IKEY}|${nowSeconds + 300}`).toString('base64')}`;
  return `${cookie}|${hmacSha1(SKEY, cookie)}`;
}

export async function runDuoBench(options: { ms: number }, out: SectionOutput): Promise<void> {
  const now = Math.floor(Date.now() / 1000);
  const secret = new TextEncoder().encode(CLIENT_SECRET);

  const [v2Walkup, v2Bare] = await rates(
    () => {
      const request = signRequest(IKEY, SKEY, AKEY, 'alice', now);
      const app = request.split(':')[1]!;
      if (verifyResponse(IKEY, SKEY, AKEY, `${authPart('alice', now)}:${app}`, now) !== 'alice') {
        throw new Error('v2 verify failed');
      }
    },
    () => {
      // The protocol's own cost: two HMACs to sign (TX, APP), two to verify (AUTH, APP), plus
      // the frame's AUTH signature made here too, as above.
      const value = Buffer.from(`alice|${IKEY}|${now + 300}`).toString('base64');
      hmacSha1(SKEY, `TX|${value}`);
      hmacSha1(AKEY, `APP|${value}`);
      const auth = authPart('alice', now);
      hmacSha1(SKEY, auth.slice(0, auth.lastIndexOf('|')));
      hmacSha1(AKEY, `APP|${value}`);
    },
    options.ms,
  );

  const sdk = new Client({
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    apiHost: API_HOST,
    redirectUrl: REDIRECT,
  });
  const [v4UrlWalkup, v4UrlSdk] = await rates(
    () =>
      buildAuthorizeUrl({
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
        apiHost: API_HOST,
        redirectUri: REDIRECT,
        username: 'alice',
        state: randomBytes(24).toString('base64url'),
        nonce: randomBytes(24).toString('base64url'),
        nowSeconds: now,
      }),
    () => sdk.createAuthUrl('alice', randomBytes(24).toString('base64url')),
    options.ms,
  );

  const nonce = 'n'.repeat(32);
  const token = await new SignJWT({ preferred_username: 'alice', nonce, auth_time: now })
    .setProtectedHeader({ alg: 'HS512', typ: 'JWT' })
    .setIssuer(`https://${API_HOST}/oauth/v1/token`)
    .setAudience(CLIENT_ID)
    .setIssuedAt(now)
    .setExpirationTime(now + 300)
    .sign(secret);
  const expected = {
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    apiHost: API_HOST,
    username: 'alice',
    nonce,
  };
  const [v4TokenWalkup, v4TokenBare] = await rates(
    async () => {
      const result = await validateIdToken(token, expected, now);
      if (!result.ok) throw new Error(`token rejected: ${result.detail}`);
    },
    () =>
      jwtVerify(token, secret, {
        algorithms: ['HS512'],
        issuer: `https://${API_HOST}/oauth/v1/token`,
        audience: CLIENT_ID,
      }),
    options.ms,
  );

  const row = (name: string, walkup: number, reference: number, referenceName: string) => {
    out.print(
      `${name.padEnd(34)}${Math.round(walkup).toLocaleString('en').padStart(10)}/s   ${referenceName.padEnd(30)}${Math.round(reference).toLocaleString('en').padStart(10)}/s   ratio ${round(walkup / reference, 2)}`,
    );
  };
  out.print(
    'Walkup vs reference, operations per second on one core (higher is better; ratio = Walkup / reference)',
  );
  row('v2 sign_request + verify_response', v2Walkup, v2Bare, 'bare HMAC-SHA1 calls');
  row('v4 authorize URL', v4UrlWalkup, v4UrlSdk, 'duo_universal createAuthUrl');
  row('v4 id_token validation', v4TokenWalkup, v4TokenBare, 'bare jose jwtVerify');
  out.figure('v2SignVerifyPerSecond', { walkup: Math.round(v2Walkup), bareHmac: Math.round(v2Bare) });
  out.figure('v4AuthorizeUrlPerSecond', {
    walkup: Math.round(v4UrlWalkup),
    duoUniversalSdk: Math.round(v4UrlSdk),
  });
  out.figure('v4TokenValidationPerSecond', {
    walkup: Math.round(v4TokenWalkup),
    bareJose: Math.round(v4TokenBare),
  });
}
