/**
 * Whether the station can take visits, from the latest directory and Duo checks. Pure, so each
 * rule is tested on its own; the engine runs the checks and applies the result.
 */
import type { OutOfServiceReason, StationWarning } from '../../contract';
import type { AuditHealth } from '../audit/types';
import type { WalkupConfig } from '../config/schema';
import type { ServerHealth } from '../directory/types';
import { CLOCK_SKEW_WARNING_SECONDS } from '../duo/registry';
import type { DuoHealth } from '../duo/types';

/** Duo's JWTs allow 60 s of leeway; beyond that Duo's tokens and signed answers start failing. */
export { CLOCK_SKEW_WARNING_SECONDS };

/** The latest check results; `undefined` before the first check finished. */
export interface HealthSnapshot {
  directory?: ServerHealth[] | { error: string };
  duo?: DuoHealth;
  /** The audit log's state, when the log can refuse lines (file log). */
  audit?: AuditHealth;
}

export interface StationAssessment {
  outOfService?: { reason: OutOfServiceReason; detail?: string };
  warnings: StationWarning[];
}

/**
 * A server takes sign-ins when it answers, its TLS works and the service account binds. A plain
 * LDAP server (`insecure`, which the directory accepts only with `allowInsecure`) has no TLS to
 * work: it is usable, and the station carries the `directory-insecure` warning instead (issue #8).
 */
function serverUsable(server: ServerHealth): boolean {
  return server.reachable && (server.tlsOk || server.insecure) && server.serviceBindOk;
}

/** Turns check results into the in-service decision and the admin warnings. */
export function assessStation(config: WalkupConfig, snapshot: HealthSnapshot): StationAssessment {
  const warnings: StationWarning[] = [];
  let outOfService: StationAssessment['outOfService'];

  const { directory, duo } = snapshot;
  if (directory === undefined || duo === undefined) {
    outOfService = { reason: 'starting' };
  }

  if (directory !== undefined) {
    if (!Array.isArray(directory)) {
      outOfService = { reason: 'directory-unreachable', detail: directory.error };
    } else {
      const usable = directory.filter(serverUsable);
      if (directory.length > 0 && usable.length === 0) {
        const detail = directory.map((server) => `${server.url}: ${server.error ?? 'unusable'}`).join('; ');
        outOfService = { reason: 'directory-unreachable', detail };
      } else if (usable.length < directory.length) {
        warnings.push('directory-server-down');
      }
      if (config.directory.allowInsecure || directory.some((server) => server.insecure)) {
        warnings.push('directory-insecure');
      }
    }
  }

  if (duo !== undefined) {
    if (!duo.ok) {
      // Directory trouble is named first: it is the one the admin fixes first.
      if (!outOfService || outOfService.reason === 'starting') {
        outOfService = {
          reason: duo.code === 'credentials-rejected' ? 'duo-credentials-rejected' : 'duo-unreachable',
          detail: duo.detail,
        };
      }
    } else if (duo.skewSeconds !== undefined && Math.abs(duo.skewSeconds) > CLOCK_SKEW_WARNING_SECONDS) {
      warnings.push('clock-skew');
    }
  }

  if (snapshot.audit && !snapshot.audit.ok) {
    // Nothing may happen that cannot be recorded: this comes before every other reason.
    outOfService = { reason: 'audit-unavailable' };
    if (snapshot.audit.detail) outOfService.detail = snapshot.audit.detail;
  }
  if (snapshot.audit?.historyShort) warnings.push('audit-history-short');
  const forwarding = snapshot.audit?.forwarding;
  if (forwarding && (!forwarding.ok || forwarding.dropped > 0)) warnings.push('audit-forwarding-failed');

  if (config.directory.type === 'demo') warnings.push('demo-mode');
  return outOfService ? { outOfService, warnings } : { warnings };
}
