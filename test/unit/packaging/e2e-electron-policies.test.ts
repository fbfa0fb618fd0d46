/**
 * The Electron suite cannot run here; the policies it starts the station with are still checked
 * here against the one config schema, so a runner never meets an out-of-service station by typo.
 */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../main/core/config/schema';
import { EMULATOR_INTEGRATIONS } from '../../support/duo-emulator/integrations';
import { adminPolicy, demoPolicy, demoPolicyV2, shortIdleStation } from '../../e2e-electron/policies';

const emulator = {
  apiHost: '127.0.0.1:43123',
  caFile: '/tmp/emulator-ca.pem',
  integrations: EMULATOR_INTEGRATIONS,
};

describe('the Electron suite policies', () => {
  it.each([
    ['v4', demoPolicy(emulator)],
    ['v2', demoPolicyV2(emulator)],
    ['v4, short idle', demoPolicy(emulator, { station: shortIdleStation })],
    ['v4, admin suite', adminPolicy(emulator)],
  ])('%s is a valid configuration', (_name, policy) => {
    const parsed = parseConfig({ ...policy, audit: { file: '/tmp/audit.jsonl' } });
    expect(parsed.ok ? [] : parsed.errors).toEqual([]);
  });

  it('the short idle really is the schema minimum (one second less is refused)', () => {
    const tooShort = demoPolicy(emulator, { station: { ...shortIdleStation, idle: { duoSeconds: 29 } } });
    expect(parseConfig(tooShort).ok).toBe(false);
  });
});
