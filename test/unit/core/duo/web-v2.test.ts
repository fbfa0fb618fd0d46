/**
 * Duo Web SDK v2, pinned to the test vectors Duo published with its server libraries
 * (the shared duo_python / duo_java / duo_dotnet test suites), plus the derived fixed-time vectors.
 */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  ERR_AKEY,
  ERR_IKEY,
  ERR_SKEY,
  ERR_USER,
  ERR_USER_ENCODING,
  signRequest,
  splitSignedRequest,
  verifyResponse,
} from '../../../../main/core/duo/web-v2/signature';

const IKEY = 'DIXXXXXXXXXXXXXXXXXX';
const WRONG_IKEY = 'DIXXXXXXXXXXXXXXXXXY';
const SKEY = 'deadbeefdeadbeefdeadbeefdeadbeefdeadbeef';
const AKEY = 'useacustomerprovidedapplicationsecretkey';
const USER = 'testuser';

const INVALID_RESPONSE = 'AUTH|INVALID|SIG';
const EXPIRED_RESPONSE =
  'AUTH|dGVzdHVzZXJ8RElYWFhYWFhYWFhYWFhYWFhYWFh8MTMwMDE1Nzg3NA==|cb8f4d60ec7c261394cd5ee5a17e46ca7440d702';
const FUTURE_RESPONSE =
  'AUTH|dGVzdHVzZXJ8RElYWFhYWFhYWFhYWFhYWFhYWFh8MjI0NzE0MDkyMQ==|d5fa72f8ba5f3d37d70dad615ff4901a77d46989';
const FUTURE_ENROLL_RESPONSE =
  'ENROLL|dGVzdHVzZXJ8RElYWFhYWFhYWFhYWFhYWFhYWFh8MjI0NzE0MDkyMQ==|8378d1c2835c40f3380315be290ce7fe9b4e4972';
const WRONG_PARAMS_RESPONSE =
  'AUTH|dGVzdHVzZXJ8RElYWFhYWFhYWFhYWFhYWFhYWFh8MTYxNTcyNzI0M3xpbnZhbGlkZXh0cmFkYXRh|6cdbec0fbfa0d3f335c76b0786a4a18eac6cdca7';
const WRONG_PARAMS_APP =
  'APP|dGVzdHVzZXJ8RElYWFhYWFhYWFhYWFhYWFhYWFh8MTYxNTcyNzI0M3xpbnZhbGlkZXh0cmFkYXRh|7c2065ea122d028b03ef0295a4b4c5521823b9b5';
const OLD_REQUEST_APP_SIG =
  'APP|dGVzdHVzZXJ8RElYWFhYWFhYWFhYWFhYWFhYWFh8MTMwMDE2MTM5OQ==|c3648befd92041b26197af8a976300542f00cd5a';
const OLD_REQUEST =
  'TX|dGVzdHVzZXJ8RElYWFhYWFhYWFhYWFhYWFhYWFh8MTMwMDE1ODA5OQ==|815423f20909dbff2bc4962fdc3031d5f673bc1b:APP|dGVzdHVzZXJ8RElYWFhYWFhYWFhYWFhYWFhYWFh8MTMwMDE2MTM5OQ==|c3648befd92041b26197af8a976300542f00cd5a';

// Derived vectors (same keys, fixed times).
const APP_FUTURE =
  'APP|dGVzdHVzZXJ8RElYWFhYWFhYWFhYWFhYWFhYWFh8MjI0NzE0MDkyMQ==|b5eeb27680dd34b9a7e36f3495737a4048f5f4c9';
const APP_FUTURE_WRONG_AKEY =
  'APP|dGVzdHVzZXJ8RElYWFhYWFhYWFhYWFhYWFhYWFh8MjI0NzE0MDkyMQ==|24f25974321fa6474eb8033e26985c8f73dcc1bb';
const TX_UTF8_USER =
  'TX|dMOrc3R8RElYWFhYWFhYWFhYWFhYWFhYWFh8MTMwMDE1ODA5OQ==|445853ad2165df02378a773540c0361c65f000a4';

/** A time well before the FUTURE vectors expire (2041) and after the EXPIRED ones (2011). */
const NOW = 1_800_000_000;

function appPartOf(sigRequest: string): string {
  const split = splitSignedRequest(sigRequest);
  if (!split) throw new Error(`not a signed request: ${sigRequest}`);
  return split.app;
}

const validAppSig = appPartOf(signRequest(IKEY, SKEY, AKEY, USER, NOW));
const invalidAppSig = appPartOf(signRequest(IKEY, SKEY, 'invalid'.repeat(6), USER, NOW));

describe('signRequest', () => {
  it('returns ERR_USER for an empty username', () => {
    expect(signRequest(IKEY, SKEY, AKEY, '')).toBe(ERR_USER);
  });

  it('returns ERR_USER for a username containing "|"', () => {
    expect(signRequest(IKEY, SKEY, AKEY, 'in|valid')).toBe(ERR_USER);
  });

  it('returns ERR_IKEY for an ikey that is not 20 characters', () => {
    expect(signRequest('invalid', SKEY, AKEY, USER)).toBe(ERR_IKEY);
  });

  it('returns ERR_SKEY for an skey that is not 40 characters', () => {
    expect(signRequest(IKEY, 'invalid', AKEY, USER)).toBe(ERR_SKEY);
  });

  it('returns ERR_AKEY for an akey shorter than 40 characters', () => {
    expect(signRequest(IKEY, SKEY, 'invalid', USER)).toBe(ERR_AKEY);
  });

  it('words its errors exactly as duo_python does', () => {
    expect(ERR_USER).toBe('ERR|The username passed to sign_request() is invalid.');
    expect(ERR_IKEY).toBe('ERR|The Duo integration key passed to sign_request() is invalid.');
    expect(ERR_SKEY).toBe('ERR|The Duo secret key passed to sign_request() is invalid.');
    expect(ERR_AKEY).toBe(
      'ERR|The application secret key passed to sign_request() must be at least 40 characters.',
    );
  });

  it('checks the username before the keys (validation order of every Duo library)', () => {
    expect(signRequest('invalid', 'invalid', 'invalid', '')).toBe(ERR_USER);
    expect(signRequest('invalid', 'invalid', 'invalid', USER)).toBe(ERR_IKEY);
    expect(signRequest(IKEY, 'invalid', 'invalid', USER)).toBe(ERR_SKEY);
  });

  it('returns ERR_USER_ENCODING for a username that cannot be encoded as UTF-8', () => {
    expect(signRequest(IKEY, SKEY, AKEY, 'bad\uD800name')).toBe(ERR_USER_ENCODING);
  });

  it('accepts an akey longer than 40 characters', () => {
    expect(signRequest(IKEY, SKEY, `${AKEY}-and-more`, USER, NOW)).toMatch(/^TX\|.+:APP\|.+$/);
  });

  it('reproduces the Duo .NET fixed-time vector OLD_REQUEST exactly (now = 1300157799)', () => {
    expect(signRequest(IKEY, SKEY, AKEY, USER, 1_300_157_874 - 75)).toBe(OLD_REQUEST);
  });

  it('signs a UTF-8 username as base64 of its UTF-8 bytes (derived vector)', () => {
    const signed = signRequest(IKEY, SKEY, AKEY, 'tëst', 1_300_157_799);
    expect(splitSignedRequest(signed)?.tx).toBe(TX_UTF8_USER);
  });

  it('returns a request for the Java library test time 1437678300', () => {
    expect(signRequest(IKEY, SKEY, AKEY, USER, 1_437_678_300)).toMatch(/^TX\|[^:]+:APP\|[^:]+$/);
  });

  it('uses the system clock when no time is given', () => {
    const signed = signRequest(IKEY, SKEY, AKEY, USER);
    const { tx } = splitSignedRequest(signed)!;
    const exp = Number(Buffer.from(tx.split('|')[1]!, 'base64').toString('utf8').split('|')[2]);
    expect(Math.abs(exp - 300 - Date.now() / 1000)).toBeLessThan(5);
  });
});

describe('verifyResponse', () => {
  it('rejects an invalid response', () => {
    expect(verifyResponse(IKEY, SKEY, AKEY, `${INVALID_RESPONSE}:${validAppSig}`, NOW)).toBeNull();
  });

  it('rejects an expired response', () => {
    expect(verifyResponse(IKEY, SKEY, AKEY, `${EXPIRED_RESPONSE}:${validAppSig}`, NOW)).toBeNull();
  });

  it('rejects an APP part signed with another akey', () => {
    expect(verifyResponse(IKEY, SKEY, AKEY, `${FUTURE_RESPONSE}:${invalidAppSig}`, NOW)).toBeNull();
  });

  it('accepts a future response with a valid APP part and returns the username', () => {
    expect(verifyResponse(IKEY, SKEY, AKEY, `${FUTURE_RESPONSE}:${validAppSig}`, NOW)).toBe(USER);
  });

  it('rejects a response whose payload carries a fourth field', () => {
    expect(verifyResponse(IKEY, SKEY, AKEY, `${WRONG_PARAMS_RESPONSE}:${validAppSig}`, NOW)).toBeNull();
  });

  it('rejects an APP part whose payload carries a fourth field', () => {
    expect(verifyResponse(IKEY, SKEY, AKEY, `${FUTURE_RESPONSE}:${WRONG_PARAMS_APP}`, NOW)).toBeNull();
  });

  it('rejects a response for another integration key', () => {
    expect(verifyResponse(WRONG_IKEY, SKEY, AKEY, `${FUTURE_RESPONSE}:${validAppSig}`, NOW)).toBeNull();
  });

  it('accepts the Duo .NET fixed-time pair (EXPIRED_RESPONSE + OLD_REQUEST_APP_SIG at 1300157814)', () => {
    expect(
      verifyResponse(IKEY, SKEY, AKEY, `${EXPIRED_RESPONSE}:${OLD_REQUEST_APP_SIG}`, 1_300_157_874 - 60),
    ).toBe(USER);
  });

  it('rejects at the exact second of expiry (now >= exp fails)', () => {
    expect(
      verifyResponse(IKEY, SKEY, AKEY, `${EXPIRED_RESPONSE}:${OLD_REQUEST_APP_SIG}`, 1_300_157_873),
    ).toBe(USER);
    expect(
      verifyResponse(IKEY, SKEY, AKEY, `${EXPIRED_RESPONSE}:${OLD_REQUEST_APP_SIG}`, 1_300_157_874),
    ).toBeNull();
  });

  it('rejects the future response at the Java library test time 303767830000 (expired)', () => {
    expect(verifyResponse(IKEY, SKEY, AKEY, `${FUTURE_RESPONSE}:${validAppSig}`, 303_767_830_000)).toBeNull();
  });

  it('accepts FUTURE_RESPONSE with the derived APP_FUTURE vector', () => {
    expect(verifyResponse(IKEY, SKEY, AKEY, `${FUTURE_RESPONSE}:${APP_FUTURE}`, NOW)).toBe(USER);
  });

  it('rejects the derived APP part signed with "invalid" x 6', () => {
    expect(verifyResponse(IKEY, SKEY, AKEY, `${FUTURE_RESPONSE}:${APP_FUTURE_WRONG_AKEY}`, NOW)).toBeNull();
  });

  it('rejects a response that is not exactly two ":" pieces', () => {
    expect(verifyResponse(IKEY, SKEY, AKEY, FUTURE_RESPONSE, NOW)).toBeNull();
    expect(verifyResponse(IKEY, SKEY, AKEY, `${FUTURE_RESPONSE}:${validAppSig}:extra`, NOW)).toBeNull();
  });

  it('rejects an ERR message from the frame', () => {
    expect(verifyResponse(IKEY, SKEY, AKEY, `ERR|Something went wrong:${validAppSig}`, NOW)).toBeNull();
  });

  it('rejects the parts swapped (prefix is checked after the MAC)', () => {
    expect(verifyResponse(IKEY, SKEY, AKEY, `${APP_FUTURE}:${FUTURE_RESPONSE}`, NOW)).toBeNull();
  });

  it('rejects a TX part sent back as if it were an AUTH part', () => {
    const [tx, app] = OLD_REQUEST.split(':') as [string, string];
    expect(verifyResponse(IKEY, SKEY, AKEY, `${tx}:${app}`, 1_300_157_800)).toBeNull();
  });

  it('rejects when both parts are genuine but name different users', () => {
    const otherApp = appPartOf(signRequest(IKEY, SKEY, AKEY, 'someoneelse', NOW));
    expect(verifyResponse(IKEY, SKEY, AKEY, `${FUTURE_RESPONSE}:${otherApp}`, NOW)).toBeNull();
  });

  it('rejects a MAC in upper-case hex (exact match, like the libraries)', () => {
    const [prefix, b64, sig] = FUTURE_RESPONSE.split('|') as [string, string, string];
    const upper = `${prefix}|${b64}|${sig.toUpperCase()}`;
    expect(verifyResponse(IKEY, SKEY, AKEY, `${upper}:${validAppSig}`, NOW)).toBeNull();
  });

  it('rejects a truncated MAC', () => {
    expect(
      verifyResponse(IKEY, SKEY, AKEY, `${FUTURE_RESPONSE.slice(0, -2)}:${validAppSig}`, NOW),
    ).toBeNull();
  });

  it('rejects an ENROLL response (Walkup signs only TX requests)', () => {
    expect(verifyResponse(IKEY, SKEY, AKEY, `${FUTURE_ENROLL_RESPONSE}:${validAppSig}`, NOW)).toBeNull();
  });

  it('round-trips a response built the way Duo builds it', () => {
    const now = 1_700_000_000;
    const signed = signRequest(IKEY, SKEY, AKEY, 'alice', now);
    const { app } = splitSignedRequest(signed)!;
    // Duo's AUTH part: same user and ikey, signed with the skey under the AUTH prefix.
    const b64 = Buffer.from(`alice|${IKEY}|${now + 300}`, 'utf8').toString('base64');
    const cookie = `AUTH|${b64}`;
    const authPart = `${cookie}|${createHmac('sha1', SKEY).update(cookie).digest('hex')}`;
    expect(verifyResponse(IKEY, SKEY, AKEY, `${authPart}:${app}`, now + 10)).toBe('alice');
  });
});

describe('splitSignedRequest', () => {
  it('returns null for an ERR string', () => {
    expect(splitSignedRequest(ERR_USER)).toBeNull();
  });
});
