/**
 * Auth API request signing, pinned to the vectors of Duo's own clients (duo_api_nodejs
 * `tests/duo_sig.js`, duo_client_python `tests/test_client.py`; Duo Auth API docs, "Authentication"),
 * and the mapping of Duo's answers to failure codes.
 */
import { describe, expect, it } from 'vitest';
import {
  basicAuthorization,
  canonParams,
  canonicalize,
  encodeParam,
  hashXDuoHeaders,
  interpretAuthApiResponse,
  normalizeParams,
  rfc2822Date,
  sha512Hex,
  signAuthApiRequest,
} from '../../../../main/core/duo/auth-api';
import type { HttpsResult } from '../../../../main/core/duo/https-client';

const NODE_VECTOR = {
  ikey: 'test_ikey',
  skey: 'test_skey',
  method: 'POST',
  host: 'test.duosecurity.com',
  path: '/test/v1',
  date: 'Tue, 21 Aug 2012 17:29:18 -0000',
};

const PY_VECTOR = {
  ikey: 'test_ikey',
  skey: 'gtdfxv9YgVBYcF6dl2Eq17KUQJN2PLM2ODVTkvoT',
  date: 'Fri, 07 Dec 2012 17:18:00 -0000',
  method: 'PoSt',
  host: 'foO.BAr52.cOm',
  path: '/Foo/BaR2/qux',
  params: {
    '\u469a\u287b\u35d0\u8ef3\u6727\u502a\u0810\ud091\xc8\uc170': [
      '\u0f45\u1a76\u341a\u654c\uc23f\u9b09\uabe2\u8343\u1b27\u60d0',
    ],
    '\u7449\u7e4b\uccfb\u59ff\ufe5f\u83b7\uadcc\u900c\ucfd1\u7813': [
      '\u8db7\u5022\u92d3\u42ef\u207d\u8730\uacfe\u5617\u0946\u4e30',
    ],
    '\u7470\u9314\u901c\u9eae\u40d8\u4201\u82d8\u8c70\u1d31\ua042': [
      '\u17d9\u0ba8\u9358\uaadf\ua42a\u48be\ufb96\u6fe9\ub7ff\u32f3',
    ],
    '\uc2c5\u2c1d\u2620\u3617\u96b3F\u8605\u20e8\uac21\u5934': [
      '\ufba9\u41aa\ubd83\u840b\u2615\u3e6e\u652d\ua8b5\ud56bU',
    ],
  },
};

const EMPTY_SHA512 =
  'cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e';

describe('canonParams', () => {
  it('gives an empty line for no parameters', () => {
    expect(canonParams({})).toBe('');
  });

  it('encodes a space as %20', () => {
    expect(canonParams({ realname: ['First Last'] })).toBe('realname=First%20Last');
  });

  it('escapes every printable ASCII punctuation character except _ . - ~', () => {
    const punctuation = ' !"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~'.slice(1);
    expect(canonParams({ a: punctuation })).toBe(
      'a=%21%22%23%24%25%26%27%28%29%2A%2B%2C-.%2F%3A%3B%3C%3D%3E%3F%40%5B%5C%5D%5E_%60%7B%7C%7D~',
    );
  });

  it('escapes whitespace', () => {
    expect(canonParams({ a: '\t\n\x0b\x0c\r ' })).toBe('a=%09%0A%0B%0C%0D%20');
  });

  it('sorts by encoded key, so foo comes before foo_bar', () => {
    expect(canonParams({ foo_bar: '2', foo: '1' })).toBe('foo=1&foo_bar=2');
    expect(canonParams({ ip_whitelist_enroll_policy: 'b', ip_whitelist: 'a' })).toBe(
      'ip_whitelist=a&ip_whitelist_enroll_policy=b',
    );
  });

  it('sorts several values of one key by encoded value', () => {
    expect(canonParams({ k: ['b', 'a c', 'a'] })).toBe('k=a&k=a%20c&k=b');
  });

  it('writes booleans as true/false and numbers in decimal', () => {
    expect(normalizeParams({ a: true, b: false, c: 42 })).toEqual({ a: ['true'], b: ['false'], c: ['42'] });
    expect(canonParams({ b: false, a: true, c: 42 })).toBe('a=true&b=false&c=42');
  });

  it('encodes UTF-8 with upper-case hex', () => {
    expect(encodeParam('é@x')).toBe('%C3%A9%40x');
  });
});

describe('hashXDuoHeaders', () => {
  it('hashes the empty string when there are no x-duo headers', () => {
    expect(hashXDuoHeaders({})).toBe(EMPTY_SHA512);
    expect(hashXDuoHeaders({ Date: 'x', 'Content-Type': 'application/json' })).toBe(EMPTY_SHA512);
  });

  it('matches the duo_client_python vector for one header', () => {
    expect(hashXDuoHeaders({ 'X-Duo-Header-1': 'header_value_1' })).toBe(
      '630b4bfe7e9abd03da2eee8f0a5d4e60a254ec880a839bcc2223bb5b9443e8ef24d58f0254f1f5934bf8c017ebd0fd5b1acf86766bdbe74185e712a4092df3ed',
    );
  });

  it('matches the duo_client_python vector for two headers (lower-cased and sorted)', () => {
    expect(hashXDuoHeaders({ 'x-duo-A': 'header_value_1', 'X-Duo-B': 'header_value_2' })).toBe(
      '60be11a30e0756f2ee2afdce1db849b987dcf86c1133394bd7bbbc9877920330c4d78aceacbb377ab8cbd9a8efe6a410fed4047376635ac71226ab46ca10d2b1',
    );
  });

  it('refuses duplicate names that differ only in case', () => {
    expect(() => hashXDuoHeaders({ 'X-Duo-A': '1', 'x-duo-a': '2' })).toThrow(/duplicate/);
  });

  it('refuses a NUL in a header value', () => {
    expect(() => hashXDuoHeaders({ 'X-Duo-A': 'a\0b' })).toThrow(/NUL/);
  });
});

describe('canonicalize', () => {
  it('builds the v2 canonical string of the duo_api_nodejs vector', () => {
    expect(
      canonicalize({ ...NODE_VECTOR, version: 2, params: { realname: 'First Last', username: 'root' } }),
    ).toBe(
      'Tue, 21 Aug 2012 17:29:18 -0000\nPOST\ntest.duosecurity.com\n/test/v1\nrealname=First%20Last&username=root',
    );
  });

  it('v1 has no date line and normalises method and host case', () => {
    expect(
      canonicalize({ version: 1, method: 'get', host: 'API.Example.COM', path: '/A/b', params: { x: '1' } }),
    ).toBe('GET\napi.example.com\n/A/b\nx=1');
  });

  it('v4 has an empty params line and the SHA-512 of the body (duo_client_python example)', () => {
    const body = '{"alpha":["a","b","c","d"],"data":"abc123","info":{"another":2,"test":1}}';
    expect(
      canonicalize({
        version: 4,
        date: 'Tue, 04 Jul 2017 14:12:00',
        method: 'POST',
        host: 'foO.BAr52.cOm',
        path: '/Foo/BaR2/qux',
        body,
      }),
    ).toBe(
      ['Tue, 04 Jul 2017 14:12:00', 'POST', 'foo.bar52.com', '/Foo/BaR2/qux', '', sha512Hex(body)].join('\n'),
    );
  });

  it('v5 appends the x-duo header hash', () => {
    const lines = canonicalize({
      version: 5,
      date: 'd',
      method: 'GET',
      host: 'h',
      path: '/p',
      headers: { 'X-Duo-Header-1': 'header_value_1' },
    }).split('\n');
    expect(lines).toHaveLength(7);
    expect(lines[5]).toBe(EMPTY_SHA512);
    expect(lines[6]).toBe(hashXDuoHeaders({ 'X-Duo-Header-1': 'header_value_1' }));
  });
});

describe('signAuthApiRequest', () => {
  it('matches the duo_api_nodejs v2 HMAC-SHA512 Authorization header', () => {
    const signed = signAuthApiRequest({
      ...NODE_VECTOR,
      version: 2,
      params: { realname: 'First Last', username: 'root' },
    });
    expect(signed.signature.startsWith('042a30c6')).toBe(true);
    expect(signed.signature.endsWith('38226b')).toBe(true);
    expect(signed.authorization).toBe(
      'Basic dGVzdF9pa2V5OjA0MmEzMGM2ODJiZDgzNmZjNWJhNDY3ODkxYTk1NmVhYTEwMDkxY2EwZjczYTdmYjM5NmFlZmQ1NmEzNTI5ZTU2OTMyZGVhNDI3YTY3MjEzYWY2NjRiYTY4NDE2ODlmZjIzMzZiN2EzNzM3NjZlYTVhYjdhYjlmZTI2MzgyMjZi',
    );
  });

  it('matches the derived v2 HMAC-SHA1 vector for the same inputs', () => {
    const signed = signAuthApiRequest({
      ...NODE_VECTOR,
      version: 2,
      digest: 'sha1',
      params: { realname: 'First Last', username: 'root' },
    });
    expect(signed.signature).toBe('7db13501cda6278f27987468405fe8be61b5e3e3');
    expect(signed.authorization).toBe(
      'Basic dGVzdF9pa2V5OjdkYjEzNTAxY2RhNjI3OGYyNzk4NzQ2ODQwNWZlOGJlNjFiNWUzZTM=',
    );
  });

  it('matches the duo_api_nodejs v5 Authorization header for a JSON body', () => {
    const signed = signAuthApiRequest({
      ...NODE_VECTOR,
      version: 5,
      params: {},
      body: '{"realname":"First Last","username":"root"}',
    });
    expect(signed.authorization).toBe(
      'Basic dGVzdF9pa2V5OjdkMDI0MDlhMTUyNzY0ODQzY2NjZDgyODRkYTE1M2IzZmI0NDZiYWFkNWY5OTg4ODYzMjVlMjRiYzljZDRhMjQ0ZGU4NWFkNGJmYTdlYTI4NWQ2ODIwOWYxNjA4MzU2NzNkOGI0ZjFlMWIyM2Q5Y2Q1MjFkMjZiZmU3ZjM2NmE0',
    );
  });

  it('uses SHA-512 for v5 even when SHA-1 is asked for', () => {
    const signed = signAuthApiRequest({ ...NODE_VECTOR, version: 5, digest: 'sha1', body: '' });
    expect(signed.signature).toHaveLength(128);
  });

  it('matches the duo_client_python unicode-params vector with HMAC-SHA1', () => {
    const signed = signAuthApiRequest({ ...PY_VECTOR, version: 2, digest: 'sha1' });
    expect(signed.signature).toBe('f01811cbbf9561623ab45b893096267fd46a5178');
    expect(signed.authorization).toBe(
      basicAuthorization('test_ikey', 'f01811cbbf9561623ab45b893096267fd46a5178'),
    );
  });

  it('matches the duo_client_python unicode-params vector with HMAC-SHA512', () => {
    const signed = signAuthApiRequest({ ...PY_VECTOR, version: 2, digest: 'sha512' });
    expect(signed.signature).toBe(
      '0508065035a03b2a1de2f453e629e791d180329e157f65df6b3e0f08299d4321e1c5c7a7c7ee6b9e5fc80d1fb6fbf3ad5eb7c44dd3b3985a02c37aca53ec3698',
    );
  });

  it('writes Basic base64(ikey:hexsig)', () => {
    expect(basicAuthorization('ikey', 'abc')).toBe(`Basic ${Buffer.from('ikey:abc').toString('base64')}`);
  });
});

describe('rfc2822Date', () => {
  it('formats like Date.toUTCString', () => {
    expect(rfc2822Date(Date.UTC(2012, 7, 21, 17, 29, 18))).toBe('Tue, 21 Aug 2012 17:29:18 GMT');
  });
});

describe('interpretAuthApiResponse', () => {
  const answer = (status: number, body: unknown): HttpsResult => ({
    ok: true,
    response: { status, headers: {}, body: typeof body === 'string' ? body : JSON.stringify(body) },
  });

  it('returns Duo time from an OK envelope', () => {
    expect(interpretAuthApiResponse(answer(200, { stat: 'OK', response: { time: 1454437771 } }))).toEqual({
      ok: true,
      duoTime: 1454437771,
    });
  });

  it('maps a connection error to unreachable', () => {
    expect(interpretAuthApiResponse({ ok: false, error: 'ECONNREFUSED' })).toMatchObject({
      ok: false,
      code: 'unreachable',
    });
  });

  it('maps HTTP 503 to unreachable', () => {
    expect(interpretAuthApiResponse(answer(503, 'Service Unavailable'))).toMatchObject({
      code: 'unreachable',
      status: 503,
    });
  });

  it('maps code 40102 (invalid integration key) to credentials-rejected', () => {
    const result = interpretAuthApiResponse(
      answer(401, { stat: 'FAIL', code: 40102, message: 'Invalid integration key in request credentials' }),
    );
    expect(result).toMatchObject({ ok: false, code: 'credentials-rejected', duoCode: 40102 });
  });

  it('maps code 40103 (invalid signature) to credentials-rejected', () => {
    const result = interpretAuthApiResponse(
      answer(401, { stat: 'FAIL', code: 40103, message: 'Invalid signature in request credentials' }),
    );
    expect(result).toMatchObject({ ok: false, code: 'credentials-rejected', duoCode: 40103 });
  });

  it('maps a bare HTTP 401 to credentials-rejected', () => {
    expect(interpretAuthApiResponse(answer(401, ''))).toMatchObject({ code: 'credentials-rejected' });
  });

  it('maps a 200 that is not a Duo envelope to unexpected-response', () => {
    expect(interpretAuthApiResponse(answer(200, '<html>'))).toMatchObject({ code: 'unexpected-response' });
  });
});
