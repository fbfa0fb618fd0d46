/**
 * A station that cannot work with its settings (invalid configuration, secrets that cannot be
 * read) still starts: it shows "out of service" with the precise reason for the admin, and
 * audits every refused sign-in, instead of crashing.
 */
import type { OutOfServiceReason } from '../../contract';
import type { AuditLog } from '../audit/types';
import { parseConfig, type WalkupConfig } from '../config/schema';
import type { Directory } from '../directory/types';
import type { DuoGateway } from '../duo/types';
import type { Clock, Logger } from '../ports';
import { createEnrollmentEngine } from './engine';
import type { EnrollmentEngine } from './types';

/** A directory that refuses everything: it stands in when the real one cannot be built. */
export const unconfiguredDirectory: Directory = {
  authenticate: async () => ({
    ok: false,
    reason: 'configuration',
    detail: 'the directory is not configured',
  }),
  checkHealth: async () => [],
};

/** A Duo gateway that is never reachable: it stands in when the real one cannot be built. */
export function unconfiguredDuo(sdk: 'v2' | 'v4'): DuoGateway {
  const refuse = (): never => {
    throw new Error('Duo is not configured');
  };
  return {
    sdk,
    health: async () => ({
      ok: false,
      checkedAt: Date.now(),
      code: 'unreachable',
      detail: 'Duo is not configured',
    }),
    startAuthorization: async () => refuse(),
    completeAuthorization: async () => ({ ok: false, code: 'unreachable', detail: 'Duo is not configured' }),
    signV2Request: () => refuse(),
    verifyV2Response: () => null,
  };
}

/** Settings for the out-of-service screen when the real ones are unusable. */
function fallbackConfig(station: { name?: string; locale?: string }, sdk: 'v2' | 'v4'): WalkupConfig {
  const parsed = parseConfig({
    station: { name: station.name ?? 'Walkup', locale: station.locale ?? 'en' },
    directory: { type: 'demo' },
    duo:
      sdk === 'v4'
        ? { sdk, apiHost: 'unconfigured.invalid', clientId: '0'.repeat(20), clientSecret: '0'.repeat(40) }
        : {
            sdk,
            apiHost: 'unconfigured.invalid',
            ikey: '0'.repeat(20),
            skey: '0'.repeat(40),
            akey: '0'.repeat(40),
          },
  });
  if (!parsed.ok) {
    // The name or locale broke the schema; the plain defaults always parse.
    return fallbackConfig({}, sdk);
  }
  return parsed.config;
}

/**
 * An engine that stays out of service with `reason` and refuses every sign-in (audited, with a
 * support reference). `station` may carry the name and locale when they are known.
 */
export function createOutOfServiceEngine(options: {
  reason: OutOfServiceReason;
  /** Admin detail (the configuration errors), logged and audited. */
  detail?: string;
  station?: { name?: string; locale?: string };
  /** The configured SDK when known (the UI shows it on the admin screen). */
  sdk?: 'v2' | 'v4';
  clock: Clock;
  logger: Logger;
  audit: AuditLog;
}): EnrollmentEngine {
  const sdk = options.sdk ?? 'v4';
  return createEnrollmentEngine({
    config: fallbackConfig(options.station ?? {}, sdk),
    directory: unconfiguredDirectory,
    duo: unconfiguredDuo(sdk),
    clock: options.clock,
    logger: options.logger,
    audit: options.audit,
    forcedOutOfService: options.detail
      ? { reason: options.reason, detail: options.detail }
      : { reason: options.reason },
  });
}
