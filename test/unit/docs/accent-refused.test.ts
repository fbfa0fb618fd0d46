/**
 * What the README and docs/deploy.md say of an accent colour below WCAG 2.1 AA (issue #12, "refused
 * with a clear message"): the configuration is invalid, so the station is out of service as
 * `configuration-invalid` (never a fallback colour, never "waiting for configuration"), and the
 * message names the ratio, exactly as the README quotes it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../main/core/config/load';

const root = path.resolve(import.meta.dirname, '../../..');
const readme = readFileSync(path.join(root, 'README.md'), 'utf8');

const policy = {
  directory: { type: 'demo' },
  duo: { apiHost: 'api-1.duosecurity.com', clientId: 'D'.repeat(20), clientSecret: 'x' },
};
/** The line the README quotes for `#777777`. */
const QUOTED =
  'branding.accentColor: has a contrast of 4.47:1 with white text (#ffffff); WCAG 2.1 AA needs at least 4.5:1, so choose a darker colour';

describe('an accent colour below AA', () => {
  it('makes the managed policy configuration-invalid with the ratio, as the README quotes it', () => {
    const loaded = loadConfig({ policy: { ...policy, branding: { accentColor: '#777777' } } });
    expect(loaded).toMatchObject({ ok: false, reason: 'configuration-invalid', errors: [QUOTED] });
    expect(readme).toContain(`\`${QUOTED}\``);
    expect(readme).toContain('goes out of service as `configuration-invalid`');
  });

  it('is configuration-invalid even in a managed policy still missing required keys', () => {
    const loaded = loadConfig({
      policy: { directory: { type: 'demo' }, branding: { accentColor: '#777777' } },
    });
    expect(loaded.ok).toBe(false);
    if (loaded.ok) return;
    expect(loaded.reason).toBe('configuration-invalid');
    expect(loaded.errors).toContain(QUOTED);
  });

  it('is refused from local settings too, naming the same ratio', () => {
    const loaded = loadConfig({ policy, local: { branding: { accentColor: '#777777' } } });
    expect(loaded).toMatchObject({ ok: false, reason: 'configuration-invalid', errors: [QUOTED] });
  });
});
