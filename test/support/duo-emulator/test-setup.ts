/**
 * The Duo emulator as integration test files use it: one emulator per file (or per `describe`),
 * put back to "up, no clock skew" after every test, and Walkup Duo configurations pointing at it.
 */
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { DuoConfig } from '../../../main/core/config/schema';
import { startDuoEmulator, type DuoEmulator } from './index.js';

/** Walkup's v2 Duo configuration. */
export type V2DuoConfig = Extract<DuoConfig, { sdk: 'v2' }>;
/** Walkup's v4 (Universal Prompt) Duo configuration. */
export type V4DuoConfig = Extract<DuoConfig, { sdk: 'v4' }>;

/**
 * Registers hooks that start an emulator before the tests of the enclosing file or `describe`,
 * reset it (available, no clock skew) after each test, and close it at the end. Returns a handle
 * that stands for the running emulator; reading it before `beforeAll` has run throws.
 * Call it before any `beforeAll` of your own that uses the emulator: hooks run in order.
 */
export function useDuoEmulator(): DuoEmulator {
  let started: DuoEmulator | undefined;
  const current = (): DuoEmulator => {
    if (!started)
      throw new Error('the Duo emulator is used outside the tests (before beforeAll or after afterAll)');
    return started;
  };
  beforeAll(async () => {
    started = await startDuoEmulator();
  });
  afterEach(() => {
    started?.setAvailable(true);
    started?.setClockSkewSeconds(0);
  });
  afterAll(async () => {
    await started?.close();
    started = undefined;
  });
  return {
    get baseUrl() {
      return current().baseUrl;
    },
    get apiHost() {
      return current().apiHost;
    },
    get caFile() {
      return current().caFile;
    },
    get caPem() {
      return current().caPem;
    },
    get integrations() {
      return current().integrations;
    },
    setAvailable: (up) => current().setAvailable(up),
    setClockSkewSeconds: (seconds) => current().setClockSkewSeconds(seconds),
    languagesSeen: () => current().languagesSeen(),
    close: () => current().close(),
  };
}

/**
 * A v2 configuration for the emulator's v2 integration; the skey and akey are env references
 * (WALKUP_DUO_SKEY, WALKUP_DUO_AKEY) for the caller to resolve.
 */
export function emulatorV2Config(emulator: DuoEmulator, overrides: Partial<V2DuoConfig> = {}): V2DuoConfig {
  return {
    sdk: 'v2',
    apiHost: emulator.apiHost,
    ikey: emulator.integrations.v2.ikey,
    skey: { env: 'WALKUP_DUO_SKEY' },
    akey: { env: 'WALKUP_DUO_AKEY' },
    caFile: emulator.caFile,
    healthCacheSeconds: 30,
    ...overrides,
  };
}

/**
 * A v4 configuration for the emulator's Universal Prompt integration; the client secret is an env
 * reference (WALKUP_DUO_CLIENT_SECRET) for the caller to resolve.
 */
export function emulatorV4Config(emulator: DuoEmulator, overrides: Partial<V4DuoConfig> = {}): V4DuoConfig {
  return {
    sdk: 'v4',
    apiHost: emulator.apiHost,
    clientId: emulator.integrations.v4.clientId,
    clientSecret: { env: 'WALKUP_DUO_CLIENT_SECRET' },
    caFile: emulator.caFile,
    healthCacheSeconds: 30,
    ...overrides,
  };
}
