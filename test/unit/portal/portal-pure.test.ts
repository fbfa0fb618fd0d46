import { describe, expect, it } from 'vitest';
import { checkRequestProvenance, csrfTokensMatch, createCsrfToken } from '../../../main/portal/csrf';
import { classifyFastifyError } from '../../../main/portal/errors';
import { hostNameOf, isAllowedHost } from '../../../main/portal/host-check';
import { portalBaseUrl, portalRedirectUri } from '../../../main/portal/redirect-uri';
import { buildSecurityHeaders } from '../../../main/portal/security-headers';
import { buildRendererCsp } from '../../../main/core/renderer-csp';
import { parsePortValue } from '../../../main/portal/start';

describe('CSRF tokens', () => {
  it('are fresh 256-bit values', () => {
    expect(createCsrfToken()).not.toBe(createCsrfToken());
    expect(Buffer.from(createCsrfToken(), 'base64url')).toHaveLength(32);
  });

  it('match only the exact token', () => {
    const token = createCsrfToken();
    expect(csrfTokensMatch(token, token)).toBe(true);
    expect(csrfTokensMatch(`${token}x`, token)).toBe(false);
    expect(csrfTokensMatch(token.slice(1), token)).toBe(false);
    expect(csrfTokensMatch('', token)).toBe(false);
    expect(csrfTokensMatch(undefined, token)).toBe(false);
  });
});

describe('checkRequestProvenance', () => {
  const ours = ['http://127.0.0.1:8787'];

  it('accepts our own origin, case-insensitively', () => {
    expect(
      checkRequestProvenance({ origin: 'http://127.0.0.1:8787', secFetchSite: 'same-origin' }, ours),
    ).toEqual({
      ok: true,
    });
    expect(checkRequestProvenance({ origin: 'HTTP://127.0.0.1:8787' }, ours)).toEqual({ ok: true });
  });

  it('refuses another origin, a null origin and a different port', () => {
    for (const origin of ['https://evil.example', 'null', 'http://127.0.0.1:8788']) {
      expect(checkRequestProvenance({ origin }, ours)).toEqual({ ok: false, reason: 'cross-site-request' });
    }
  });

  it('refuses whatever the browser does not mark same-origin', () => {
    for (const secFetchSite of ['cross-site', 'same-site', 'none']) {
      expect(checkRequestProvenance({ secFetchSite }, ours)).toEqual({
        ok: false,
        reason: 'cross-site-request',
      });
    }
  });

  it('leaves requests without browser provenance headers to the token check', () => {
    expect(checkRequestProvenance({}, ours)).toEqual({ ok: true });
  });
});

describe('buildSecurityHeaders', () => {
  const csp = (duoHost?: string): string =>
    buildSecurityHeaders(duoHost === undefined ? {} : { duoHost })['content-security-policy'] ?? '';

  it("forbids frames for v4 and allows exactly the Duo host's https origin for v2", () => {
    expect(csp()).toContain("frame-src 'none'");
    expect(csp('API-1234abcd.duosecurity.com')).toContain('frame-src https://api-1234abcd.duosecurity.com;');
    expect(csp('127.0.0.1:43123')).toContain('frame-src https://127.0.0.1:43123;');
  });

  it('frames nothing for a Duo host that is not a plain name[:port]', () => {
    for (const host of ['evil.test/x', 'https://api.duosecurity.com', 'a b', 'user@host', '*']) {
      expect(csp(host)).toContain("frame-src 'none'");
    }
  });

  it("is the renderer's one policy, the kiosk's: no form submissions, nothing frames the page", () => {
    expect(csp()).toBe(buildRendererCsp());
    expect(csp()).toContain("form-action 'none'");
    expect(csp()).toContain("frame-ancestors 'none'");
    expect(csp()).not.toMatch(/unsafe-(inline|eval)/);
  });
});

describe('portalRedirectUri', () => {
  it('uses host and port when no public URL is set', () => {
    expect(portalRedirectUri({ host: '127.0.0.1', port: 8787 })).toBe('http://127.0.0.1:8787/duo/callback');
  });

  it('uses the public URL (without a trailing slash) when set', () => {
    expect(portalRedirectUri({ host: '0.0.0.0', port: 80, publicUrl: 'https://enroll.example.com/' })).toBe(
      'https://enroll.example.com/duo/callback',
    );
  });

  it('brackets an IPv6 host', () => {
    expect(portalBaseUrl({ host: '::1', port: 8787 })).toBe('http://[::1]:8787');
  });
});

describe('classifyFastifyError', () => {
  it('maps parser errors to reasons and everything else to internal-error', () => {
    expect(classifyFastifyError({ code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE', statusCode: 415 })).toEqual({
      status: 415,
      reason: 'unsupported-media-type',
    });
    expect(classifyFastifyError({ code: 'FST_ERR_CTP_BODY_TOO_LARGE', statusCode: 413 })).toEqual({
      status: 413,
      reason: 'payload-too-large',
    });
    expect(classifyFastifyError({ code: 'ERR_SOMETHING' })).toEqual({
      status: 500,
      reason: 'internal-error',
    });
  });
});

describe('parsePortValue', () => {
  it('reads valid ports and ignores anything else', () => {
    expect(parsePortValue('8080')).toBe(8080);
    expect(parsePortValue('0')).toBe(0);
    expect(parsePortValue(undefined)).toBeUndefined();
    expect(parsePortValue('70000')).toBeUndefined();
    expect(parsePortValue('80abc')).toBeUndefined();
  });
});

describe('isAllowedHost', () => {
  it('allows IP addresses and localhost on any port', () => {
    for (const host of ['127.0.0.1:8787', '10.1.2.3', '[::1]:8787', 'localhost:8787', 'LOCALHOST']) {
      expect(isAllowedHost(host, [])).toBe(true);
    }
  });

  it('refuses other names unless listed (DNS rebinding)', () => {
    expect(isAllowedHost('evil.example:8787', [])).toBe(false);
    expect(isAllowedHost('localhost.evil.example', [])).toBe(false);
    expect(isAllowedHost('enroll.example.com', ['enroll.example.com'])).toBe(true);
    expect(isAllowedHost('Enroll.Example.com:443', ['enroll.example.com'])).toBe(true);
  });

  it('reads the name out of a Host header', () => {
    expect(hostNameOf('[::1]:8787')).toBe('::1');
    expect(hostNameOf('Example.com:80')).toBe('example.com');
    expect(hostNameOf('example.com')).toBe('example.com');
  });
});
