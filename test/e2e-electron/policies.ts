/**
 * The policies the Electron suite starts the station with: the built-in demo directory (alice /
 * enroll-alice) and the Duo emulator. Kept apart from the launcher (no Playwright import) so
 * test/unit/packaging/e2e-electron-policies.test.ts can check them against the config schema
 * here, where the suite itself cannot run.
 */
import { randomBytes } from 'node:crypto';

/** What the policies need of a running Duo emulator (test/support/duo-emulator). */
export interface EmulatorEndpoints {
  apiHost: string;
  caFile: string;
  integrations: { v4: { clientId: string; clientSecret: string }; v2: { ikey: string; skey: string } };
}

/** A v4 policy; `extra` replaces whole top-level sections (e.g. `station`). */
export function demoPolicy(
  emulator: EmulatorEndpoints,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    station: { name: 'Electron e2e' },
    directory: { type: 'demo' },
    duo: {
      sdk: 'v4',
      apiHost: emulator.apiHost,
      clientId: emulator.integrations.v4.clientId,
      clientSecret: emulator.integrations.v4.clientSecret,
      caFile: emulator.caFile,
    },
    ...extra,
  };
}

/** The same with Duo Web SDK v2 (Duo framed in the renderer). */
export function demoPolicyV2(emulator: EmulatorEndpoints): Record<string, unknown> {
  return {
    ...demoPolicy(emulator),
    duo: {
      sdk: 'v2',
      apiHost: emulator.apiHost,
      ikey: emulator.integrations.v2.ikey,
      skey: emulator.integrations.v2.skey,
      akey: randomBytes(32).toString('hex'),
      caFile: emulator.caFile,
    },
  };
}

/** The idle settings visit-reset.spec.ts uses: the shortest the schema allows during Duo. */
export const shortIdleStation = { name: 'Electron e2e', idle: { duoSeconds: 30, warningSeconds: 5 } };

/** The admin PIN the admin suite provisions (admin.spec.ts), and the policy's attempts before the lockout. */
export const E2E_ELECTRON_ADMIN_PIN = '482916';
export const E2E_ELECTRON_MAX_PIN_ATTEMPTS = 3;

/**
 * The admin suite's policy: the v4 demo, with three PIN attempts and, for Linux runners without a
 * keyring (safeStorage's `basic_text`), the insecure secret store allowed by policy.
 */
export function adminPolicy(emulator: EmulatorEndpoints): Record<string, unknown> {
  return demoPolicy(emulator, {
    kiosk: { allowInsecureSecretStorage: true },
    admin: { maxPinAttempts: E2E_ELECTRON_MAX_PIN_ATTEMPTS },
  });
}
