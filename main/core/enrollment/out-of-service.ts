/**
 * A station that cannot work with its settings (invalid configuration, secrets that cannot be
 * read) still starts: it shows "out of service" with the precise reason for the admin, and
 * audits every refused sign-in, instead of crashing.
 */
import type { OutOfServiceReason } from '../../contract';
import type { AuditLog } from '../audit/types';
import { parseConfig, type WalkupConfig } from '../config/schema';
import type { Directory } from '../directory/types';
import { DEFAULT_DUO_SDK } from '../duo/registry';
import type { DuoSdk } from '../duo/types';
import { unconfiguredDuo } from '../duo/unconfigured';
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

/** A Duo integration that is never reachable: it stands in when the real one cannot be built. */
export { unconfiguredDuo };

/**
 * Settings for the out-of-service screen when the real ones are unusable. The Duo section is a
 * placeholder that is never used: the station reports the SDK of its (unconfigured) integration.
 */
function fallbackConfig(station: { name?: string; locale?: string }): WalkupConfig {
  const parsed = parseConfig({
    station: { name: station.name ?? 'Walkup', locale: station.locale ?? 'en' },
    directory: { type: 'demo' },
    duo: { apiHost: 'unconfigured.invalid', clientId: '0'.repeat(20), clientSecret: '0'.repeat(40) },
  });
  if (!parsed.ok) {
    // The name or locale broke the schema; the plain defaults always parse.
    return fallbackConfig({});
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
  sdk?: DuoSdk;
  clock: Clock;
  logger: Logger;
  audit: AuditLog;
}): EnrollmentEngine {
  const sdk = options.sdk ?? DEFAULT_DUO_SDK;
  return createEnrollmentEngine({
    config: fallbackConfig(options.station ?? {}),
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
