import { describe, expect, it } from 'vitest';
/**
 * The CSPs the kiosk serves, as `deriveShellPolicies` builds them with the shared
 * `buildRendererCsp` (main/core/renderer-csp.ts, portal mode's builder too): the renderer's page
 * (frames nothing) and the v2 view's host page (frames the Duo origin only).
 */
import { parseConfig, type WalkupConfig } from '../../../main/core/config/schema';
import { deriveShellPolicies } from '../../../main/electron/shell-policy';

function directives(csp: string): Map<string, string> {
  return new Map(
    csp.split(';').map((part) => {
      const [name = '', ...values] = part.trim().split(/\s+/);
      return [name, values.join(' ')];
    }),
  );
}

function config(duo: Record<string, unknown>): WalkupConfig {
  const parsed = parseConfig({ directory: { type: 'demo' }, duo });
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  return parsed.config;
}
const v2 = deriveShellPolicies(
  config({
    sdk: 'v2',
    apiHost: 'api-x.duosecurity.com',
    ikey: 'D'.repeat(20),
    skey: 's'.repeat(40),
    akey: 'a'.repeat(40),
  }),
);
const v4 = deriveShellPolicies(
  config({ apiHost: 'api-x.duosecurity.com', clientId: 'C'.repeat(20), clientSecret: 's'.repeat(40) }),
);
const served = [v2.csp, v4.csp, deriveShellPolicies(undefined).csp];

describe("the kiosk's CSPs", () => {
  const hostPage = v2.duoV2HostCsp;
  if (hostPage === undefined) throw new Error('no v2 host page CSP');
  const csp = directives(hostPage);

  it('loads scripts, styles and connections from the app bundle only', () => {
    expect(csp.get('default-src')).toBe("'self'");
    expect(csp.get('script-src')).toBe("'self'");
    expect(csp.get('style-src')).toBe("'self'");
    expect(csp.get('connect-src')).toBe("'self'");
  });
  it('frames only the Duo origin, on the v2 host page', () => {
    expect(csp.get('frame-src')).toBe('https://api-x.duosecurity.com');
  });
  it('forbids plugins, base rewriting, form posts and being framed', () => {
    expect(csp.get('object-src')).toBe("'none'");
    expect(csp.get('base-uri')).toBe("'none'");
    expect(csp.get('form-action')).toBe("'none'");
    expect(csp.get('frame-ancestors')).toBe("'none'");
  });
  it('never allows inline or eval', () => {
    for (const policy of [hostPage, ...served]) expect(policy).not.toMatch(/unsafe-(inline|eval)/);
  });
  it("the renderer's page frames nothing, with or without a configuration, and is otherwise the host page's", () => {
    for (const policy of served) {
      const renderer = directives(policy);
      expect(renderer.get('frame-src')).toBe("'none'");
      expect(new Map([...renderer].filter(([name]) => name !== 'frame-src'))).toEqual(
        new Map([...csp].filter(([name]) => name !== 'frame-src')),
      );
    }
  });
  it('images only from the bundle or data: URLs, fonts from the bundle', () => {
    expect(csp.get('img-src')).toBe("'self' data:");
    expect(csp.get('font-src')).toBe("'self'");
  });
});
