import { describe, expect, it, vi } from 'vitest';
import { parseConfig, type WalkupConfig } from '../../../main/core/config/schema';
import { duoDisplayOf } from '../../../main/core/duo/registry';
import type * as Registry from '../../../main/core/duo/registry';
import { deriveShellPolicies } from '../../../main/electron/shell-policy';

function config(duo: Record<string, unknown>, kiosk?: Record<string, unknown>): WalkupConfig {
  const parsed = parseConfig({ directory: { type: 'demo' }, duo, ...(kiosk ? { kiosk } : {}) });
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  return parsed.config;
}

const v4 = config({
  apiHost: 'api-x.duosecurity.com',
  clientId: 'C'.repeat(20),
  clientSecret: 's'.repeat(40),
});
const v2 = config({
  sdk: 'v2',
  apiHost: '127.0.0.1:43123',
  ikey: 'D'.repeat(20),
  skey: 's'.repeat(40),
  akey: 'a'.repeat(40),
  caFile: '/tmp/ca.pem',
});

describe('deriveShellPolicies', () => {
  it('takes the admin chord from kiosk.adminChord, and the default without a configuration', () => {
    const custom = config(
      { apiHost: 'api-x.duosecurity.com', clientId: 'C'.repeat(20), clientSecret: 's'.repeat(40) },
      {
        adminChord: 'Ctrl+Shift+F9',
      },
    );
    expect(deriveShellPolicies(custom).adminChord).toEqual({
      code: 'F9',
      control: true,
      shift: true,
      alt: false,
      meta: false,
    });
    expect(deriveShellPolicies(undefined).adminChord).toEqual({
      code: 'KeyK',
      control: true,
      shift: true,
      alt: true,
      meta: false,
    });
  });

  it('v4: allows the Duo origin, intercepts the redirect_uri, frames nothing', () => {
    const policies = deriveShellPolicies(v4);
    expect(policies.navigation).toEqual({
      appOrigin: 'app://walkup',
      duoOrigin: 'https://api-x.duosecurity.com',
      callbackUrl: 'https://walkup.invalid/duo/callback',
    });
    expect(policies.csp).toContain("frame-src 'none'");
    expect(policies.permissions).toEqual({
      duoOrigin: 'https://api-x.duosecurity.com',
      allowSecurityKeys: false,
    });
  });
  it("v2: the renderer frames nothing; only the v2 view's host page frames the Duo origin", () => {
    const policies = deriveShellPolicies(v2);
    expect(policies.navigation.callbackUrl).toBeUndefined();
    expect(policies.csp).toContain("frame-src 'none'");
    expect(policies.duoV2HostCsp).toContain('frame-src https://127.0.0.1:43123;');
    expect(deriveShellPolicies(v4).duoV2HostCsp).toBeUndefined();
    expect(policies.duoCaFile).toBe('/tmp/ca.pem');
  });
  it('decides by how the integration shows Duo (duoDisplayOf), for each registered SDK', () => {
    for (const station of [v4, v2]) {
      const display = duoDisplayOf(station.duo);
      const policies = deriveShellPolicies(station);
      expect(policies.navigation.callbackUrl !== undefined).toBe(display === 'page');
      expect(policies.duoV2HostCsp !== undefined).toBe(display === 'frame');
    }
  });
  it('follows duoDisplayOf, not the SDK name: a v4 station whose entry showed a frame gets framing', async () => {
    vi.resetModules();
    vi.doMock('../../../main/core/duo/registry', async (importOriginal) => ({
      ...(await importOriginal<typeof Registry>()),
      duoDisplayOf: () => 'frame',
    }));
    try {
      const { deriveShellPolicies: derive } = await import('../../../main/electron/shell-policy');
      const policies = derive(v4);
      expect(policies.navigation.callbackUrl).toBeUndefined();
      expect(policies.duoV2HostCsp).toContain('frame-src https://api-x.duosecurity.com;');
    } finally {
      vi.doUnmock('../../../main/core/duo/registry');
      vi.resetModules();
    }
  });
  it('keeps security keys off unless policy turns them on', () => {
    expect(deriveShellPolicies(v4).permissions.allowSecurityKeys).toBe(false);
    const relaxed = config(
      { apiHost: 'api-x.duosecurity.com', clientId: 'C'.repeat(20), clientSecret: 's'.repeat(40) },
      { allowSecurityKeys: true, allowInsecureSecretStorage: true },
    );
    expect(deriveShellPolicies(relaxed).permissions.allowSecurityKeys).toBe(true);
  });
  it('without a valid configuration, allows no Duo content at all', () => {
    const policies = deriveShellPolicies(undefined);
    expect(policies.navigation.duoOrigin).toBeUndefined();
    expect(policies.csp).toContain("frame-src 'none'");
    expect(policies.permissions.duoOrigin).toBeUndefined();
  });
});
