import { describe, expect, it } from 'vitest';
import { duoOriginFromApiHost, originOf } from '../../../main/electron/app-origin';
import {
  createNavigationPolicy,
  decideDuoViewNavigation,
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

describe('duoOriginFromApiHost', () => {
  it('turns a Duo API host into its https origin', () => {
    expect(duoOriginFromApiHost('api-x.duosecurity.com')).toBe('https://api-x.duosecurity.com');
  });
  it('keeps a port (the local emulator)', () => {
    expect(duoOriginFromApiHost('127.0.0.1:43123')).toBe('https://127.0.0.1:43123');
  });
  it('refuses anything that is not a bare host', () => {
    for (const host of ['evil.test/path', 'user@host', 'https://host', 'host:port', '']) {
      expect(duoOriginFromApiHost(host)).toBeUndefined();
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
  it('lets subframes show only the Duo origin (the v2 frame) or about:blank', () => {
    expect(
      decideWindowNavigation(`${duoOrigin}/frame/web/v1/auth?tx=a`, { isMainFrame: false }, policy).action,
    ).toBe('allow');
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
    expect(decideDuoViewRequest(`${duoOrigin}/static/app.js`, policy)).toBe('allow');
    expect(decideDuoViewRequest('https://tracker.evil.test/p.gif', policy)).toBe('cancel');
    expect(decideDuoViewRequest(`${callbackUrl}?state=a`, policy)).toBe('callback');
  });
});
