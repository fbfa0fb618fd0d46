import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../../main/core/config/schema';

const base = {
  directory: { type: 'demo' },
  duo: {
    apiHost: 'api-12345678.duosecurity.com',
    clientId: 'DIXXXXXXXXXXXXXXXXXX',
    clientSecret: { env: 'S' },
  },
};

describe('portal.adminScreen', () => {
  it('is off by default and may be turned on for a portal without a proxy', () => {
    const off = parseConfig(base);
    expect(off.ok && off.config.portal.adminScreen).toBe(false);
    expect(parseConfig({ ...base, portal: { adminScreen: true } }).ok).toBe(true);
  });

  it('is refused behind a reverse proxy (publicUrl or trustProxy), where every client looks local', () => {
    for (const portal of [
      { adminScreen: true, publicUrl: 'https://walkup.example.edu/' },
      { adminScreen: true, trustProxy: true },
    ]) {
      const parsed = parseConfig({ ...base, portal });
      expect(parsed.ok).toBe(false);
      expect(!parsed.ok && parsed.errors).toEqual([
        expect.stringMatching(/^portal\.adminScreen: cannot be combined with publicUrl or trustProxy/),
      ]);
    }
  });
});
