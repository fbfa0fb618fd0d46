import { describe, expect, it } from 'vitest';
import { MAX_DUO_CALLBACK_PARAM_LENGTH, duoOriginOf } from '../../../main/contract/duo-formats';
import { originOf } from '../../../main/electron/app-origin';
import {
  callbackParamsOf,
  createNavigationPolicy,
  decideDuoViewNavigation,
  decideDefaultSessionRequest,
  decideDuoV2ViewNavigation,
  decideDuoV2ViewRequest,
  decideDuoViewRequest,
  decideWindowNavigation,
  hasExactOrigin,
  matchCallbackUrl,
} from '../../../main/electron/navigation-policy';

const duoOrigin = 'https://api-x.duosecurity.com';
const callbackUrl = 'https://walkup.invalid/duo/callback';
const policy = createNavigationPolicy({ duoOrigin, callbackUrl });

const lookAlikes = [
  'https://api-x.duosecurity.com.evil.test/frame',
  'https://api-x.duosecurity.com@evil.test/',
  'https://user:pw@api-x.duosecurity.com/',
  'https://evil.test/?next=https://api-x.duosecurity.com/',
  'https://evil.test/https://api-x.duosecurity.com',
  'http://api-x.duosecurity.com/',
  'https://api-x.duosecurity.com:8443/',
  'https://xapi-x.duosecurity.com/',
  'https://api-x.duosecurity.co/',
  'wss://api-x.duosecurity.com/',
  'javascript:alert(1)//https://api-x.duosecurity.com',
  'data:text/html,https://api-x.duosecurity.com',
  'file:///etc/passwd',
  'not a url',
  '',
];

describe("the kiosk's Duo origin (the contract's duoOriginOf)", () => {
  it('turns a Duo API host into its https origin', () => {
    expect(duoOriginOf('api-x.duosecurity.com')).toBe('https://api-x.duosecurity.com');
  });
  it('keeps a port (the local emulator)', () => {
    expect(duoOriginOf('127.0.0.1:43123')).toBe('https://127.0.0.1:43123');
  });
  it('refuses anything that is not a bare host', () => {
    for (const host of ['evil.test/path', 'user@host', 'https://host', 'host:port', '']) {
      expect(duoOriginOf(host)).toBeUndefined();
    }
  });
});

describe('originOf', () => {
  it('serializes the app scheme the way Chromium does for a standard scheme', () => {
    expect(originOf(new URL('app://walkup/index.html'))).toBe('app://walkup');
    expect(originOf(new URL('app://WALKUP/x'))).toBe('app://walkup');
  });
  it('gives an opaque origin to other schemes', () => {
    expect(originOf(new URL('file:///etc/passwd'))).toBe('null');
    expect(originOf(new URL('data:text/html,x'))).toBe('null');
  });
});

describe('hasExactOrigin', () => {
  it('accepts the exact origin, whatever the path, case of the host or default port', () => {
    expect(hasExactOrigin('https://api-x.duosecurity.com/frame/web/v1/auth?tx=1', duoOrigin)).toBe(true);
    expect(hasExactOrigin('https://API-X.duosecurity.com/', duoOrigin)).toBe(true);
    expect(hasExactOrigin('https://api-x.duosecurity.com:443/', duoOrigin)).toBe(true);
  });
  it.each(lookAlikes)('rejects the look-alike %j', (url) => {
    expect(hasExactOrigin(url, duoOrigin)).toBe(false);
  });
  it('never matches opaque origins against each other', () => {
    expect(hasExactOrigin('data:text/html,x', 'null')).toBe(false);
  });
});

describe('decideWindowNavigation', () => {
  it('keeps the main frame on app://walkup', () => {
    expect(decideWindowNavigation('app://walkup/index.html', { isMainFrame: true }, policy).action).toBe(
      'allow',
    );
    expect(decideWindowNavigation('app://other/index.html', { isMainFrame: true }, policy).action).toBe(
      'deny',
    );
    expect(decideWindowNavigation(duoOrigin + '/', { isMainFrame: true }, policy).action).toBe('deny');
    expect(decideWindowNavigation('file:///index.html', { isMainFrame: true }, policy).action).toBe('deny');
  });
  it('frames nothing from the network: not even Duo (the v2 frame has its own view)', () => {
    expect(
      decideWindowNavigation(`${duoOrigin}/frame/web/v1/auth?tx=a`, { isMainFrame: false }, policy).action,
    ).toBe('deny');
    expect(decideWindowNavigation('about:blank', { isMainFrame: false }, policy).action).toBe('allow');
    expect(decideWindowNavigation('app://walkup/index.html', { isMainFrame: false }, policy).action).toBe(
      'deny',
    );
  });
  it.each(lookAlikes)('denies a subframe navigation to %j', (url) => {
    expect(decideWindowNavigation(url, { isMainFrame: false }, policy).action).toBe('deny');
  });
  it('denies the redirect_uri in the kiosk window', () => {
    expect(decideWindowNavigation(`${callbackUrl}?state=s`, { isMainFrame: false }, policy).action).toBe(
      'deny',
    );
  });
});

describe('decideDuoViewNavigation', () => {
  it('allows Duo pages', () => {
    expect(decideDuoViewNavigation(`${duoOrigin}/oauth/v1/authorize?x=1`, policy)).toEqual({
      action: 'allow',
    });
  });
  it('turns the redirect_uri into a callback carrying the query', () => {
    const decision = decideDuoViewNavigation(
      `${callbackUrl}?state=abc&duo_code=c0de&error=access_denied&error_description=No+thanks`,
      policy,
    );
    expect(decision).toEqual({
      action: 'callback',
      params: { state: 'abc', duoCode: 'c0de', error: 'access_denied', errorDescription: 'No thanks' },
    });
  });
  it("reads the query with the contract's parser: first value of a repeated name, unknown names dropped", () => {
    expect(decideDuoViewNavigation(`${callbackUrl}?state=a&state=b&code=c&extra=x`, policy)).toEqual({
      action: 'callback',
      params: { state: 'a', code: 'c' },
    });
  });
  it('still intercepts a redirect_uri with an over-long value, handing over an empty query the visit refuses', () => {
    const long = 'x'.repeat(MAX_DUO_CALLBACK_PARAM_LENGTH + 1);
    for (const query of [
      `state=${long}&duo_code=c`,
      `state=s&duo_code=${long}`,
      `state=s&error_description=${long}`,
    ]) {
      const url = `${callbackUrl}?${query}`;
      expect(decideDuoViewNavigation(url, policy)).toEqual({ action: 'callback', params: {} });
      // As a request it is cancelled either way, never loaded.
      expect(decideDuoViewRequest(url, policy, 'mainFrame')).toBe('callback');
      expect(decideDuoViewRequest(url, policy, 'image')).toBe('cancel');
    }
    // At the limit it is read as usual.
    const atLimit = 'y'.repeat(MAX_DUO_CALLBACK_PARAM_LENGTH);
    expect(callbackParamsOf(new URL(`${callbackUrl}?state=${atLimit}`))).toEqual({ state: atLimit });
  });
  it('does not treat a different path or a look-alike host as the callback', () => {
    expect(decideDuoViewNavigation('https://walkup.invalid/duo/callback2?state=a', policy).action).toBe(
      'deny',
    );
    expect(
      decideDuoViewNavigation('https://walkup.invalid.evil.test/duo/callback?state=a', policy).action,
    ).toBe('deny');
    expect(decideDuoViewNavigation('http://walkup.invalid/duo/callback?state=a', policy).action).toBe('deny');
  });
  it.each(lookAlikes)('denies %j', (url) => {
    expect(decideDuoViewNavigation(url, policy).action).toBe('deny');
  });
  it('has no callback at all for Web SDK v2', () => {
    const v2 = createNavigationPolicy({ duoOrigin });
    expect(decideDuoViewNavigation(`${callbackUrl}?state=a`, v2).action).toBe('deny');
    expect(matchCallbackUrl(`${callbackUrl}?state=a`, undefined)).toBeUndefined();
  });
});

describe('decideDuoViewRequest', () => {
  it('lets Duo requests through, cancels the rest and flags the redirect_uri', () => {
    expect(decideDuoViewRequest(`${duoOrigin}/static/app.js`, policy, 'script')).toBe('allow');
    expect(decideDuoViewRequest('https://tracker.evil.test/p.gif', policy, 'image')).toBe('cancel');
    expect(decideDuoViewRequest(`${callbackUrl}?state=a`, policy, 'mainFrame')).toBe('callback');
  });
  it('takes the redirect_uri as the answer only as a main-frame navigation', () => {
    for (const resourceType of ['subFrame', 'image', 'script', 'xhr', 'other']) {
      expect(decideDuoViewRequest(`${callbackUrl}?state=a&duo_code=c`, policy, resourceType)).toBe('cancel');
    }
  });
});

describe('decideDuoV2ViewNavigation', () => {
  it('keeps the main frame on the host page and lets its subframe show Duo only', () => {
    const main = { isMainFrame: true };
    const sub = { isMainFrame: false };
    expect(decideDuoV2ViewNavigation('app://walkup/duo-v2/host.html?host=h&tx=t', main, policy).action).toBe(
      'allow',
    );
    expect(decideDuoV2ViewNavigation('app://walkup/index.html', main, policy).action).toBe('deny');
    expect(decideDuoV2ViewNavigation(`${duoOrigin}/frame/web/v1/auth`, main, policy).action).toBe('deny');
    expect(decideDuoV2ViewNavigation(`${duoOrigin}/frame/web/v1/auth`, sub, policy).action).toBe('allow');
    expect(decideDuoV2ViewNavigation('about:blank', sub, policy).action).toBe('allow');
  });
  it.each(lookAlikes)('denies a v2 frame navigation to %j', (url) => {
    expect(decideDuoV2ViewNavigation(url, { isMainFrame: false }, policy).action).toBe('deny');
  });
});

describe('decideDuoV2ViewRequest', () => {
  it('allows the host page and Duo, cancels the rest', () => {
    expect(decideDuoV2ViewRequest('app://walkup/duo-v2/host.js', policy)).toBe('allow');
    expect(decideDuoV2ViewRequest(`${duoOrigin}/frame/web/v1/auth?tx=a`, policy)).toBe('allow');
    expect(decideDuoV2ViewRequest('https://tracker.evil.test/p.gif', policy)).toBe('cancel');
    expect(decideDuoV2ViewRequest(`${callbackUrl}?state=a`, policy)).toBe('cancel');
  });
});

describe('decideDefaultSessionRequest', () => {
  it('lets the renderer load app://walkup only: Duo never loads in the default session', () => {
    expect(decideDefaultSessionRequest('app://walkup/assets/index.js', policy)).toBe('allow');
    expect(decideDefaultSessionRequest(`${duoOrigin}/frame/web/v1/auth?tx=a`, policy)).toBe('cancel');
    expect(decideDefaultSessionRequest('https://evil.test/', policy)).toBe('cancel');
    expect(decideDefaultSessionRequest('not a url', policy)).toBe('cancel');
  });
  it('leaves Chromium-internal schemes alone (devtools in development)', () => {
    expect(decideDefaultSessionRequest('devtools://devtools/bundled/inspector.html', policy)).toBe('allow');
  });
});
