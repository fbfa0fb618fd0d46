/**
 * The fixed test integrations the emulator accepts. They are constants so that configs, fixtures
 * and end-to-end tests can name them without starting an emulator first. They are test values:
 * never real Duo credentials.
 */

/** Web SDK v2 integration key (20 characters, starts with DI like Duo's). */
export const EMULATOR_V2_IKEY = 'DIEMULATORV2WALKUP01';
/** Web SDK v2 secret key (40 characters). */
export const EMULATOR_V2_SKEY = 'v2EmulatorSkeyWalkup0123456789abcdefABCD';
/** Web SDK v4 (Universal Prompt) client ID (20 characters, alphanumeric, starts with DI). */
export const EMULATOR_V4_CLIENT_ID = 'DIEMULATORV4WALKUP01';
/** Web SDK v4 client secret (40 characters, alphanumeric). */
export const EMULATOR_V4_CLIENT_SECRET = 'v4EmulatorSecretWalkup0123456789abcdefAB';

/** Both integrations, in the shape of `DuoEmulator.integrations`. */
export interface EmulatorIntegrations {
  v2: { ikey: string; skey: string };
  v4: { clientId: string; clientSecret: string };
}

/** The integrations every emulator instance serves. */
export const EMULATOR_INTEGRATIONS: EmulatorIntegrations = Object.freeze({
  v2: Object.freeze({ ikey: EMULATOR_V2_IKEY, skey: EMULATOR_V2_SKEY }),
  v4: Object.freeze({ clientId: EMULATOR_V4_CLIENT_ID, clientSecret: EMULATOR_V4_CLIENT_SECRET }),
});

/** Web SDK v2 frames: ikey -> skey. Only the v2 integration may open the frame. */
export const FRAME_KEYS: ReadonlyMap<string, string> = new Map([[EMULATOR_V2_IKEY, EMULATOR_V2_SKEY]]);

/** OIDC clients: client id -> client secret. */
export const OIDC_CLIENTS: ReadonlyMap<string, string> = new Map([
  [EMULATOR_V4_CLIENT_ID, EMULATOR_V4_CLIENT_SECRET],
]);

/**
 * Auth API credentials: Duo treats "Client ID / Client secret" and "ikey / skey" as the same pair
 * (Duo Web SDK v2 libraries' key lengths), so both integrations may sign Auth API calls.
 */
export const AUTH_API_KEYS: ReadonlyMap<string, string> = new Map([
  [EMULATOR_V2_IKEY, EMULATOR_V2_SKEY],
  [EMULATOR_V4_CLIENT_ID, EMULATOR_V4_CLIENT_SECRET],
]);
