/**
 * The last audit records, for the admin screen's "last 50 audit events" (issue #11): a bounded
 * ring in front of the station's audit log. Every event recorded through the wrapped log is kept
 * (as `toAuditRecord` makes it, so credential-like fields are already redacted), the oldest
 * dropped beyond `capacity`; the file (or memory) log behind it is unchanged and stays the record.
 */
import type { Clock } from '../ports';
import { toAuditRecord } from './file-audit-log';
import type { AuditLog, AuditRecord } from './types';

/** Records the ring keeps by default: what the admin screen shows. */
export const RECENT_AUDIT_CAPACITY = 50;

export interface RecentAuditLog {
  /** The wrapped log: records into the ring, then into the log behind it. */
  log: AuditLog;
  /** The newest records first, at most `limit` (and at most the capacity). */
  recent(limit: number): AuditRecord[];
}

/** Wraps `log` so its last `capacity` records can be listed. */
export function keepRecentAudit(
  log: AuditLog,
  options: { clock: Clock; stationName: string; capacity?: number },
): RecentAuditLog {
  const capacity = Math.max(1, options.capacity ?? RECENT_AUDIT_CAPACITY);
  const ring: AuditRecord[] = [];
  const wrapped: AuditLog = {
    record(event, context) {
      ring.push(toAuditRecord(event, options.clock, options.stationName));
      if (ring.length > capacity) ring.splice(0, ring.length - capacity);
      return log.record(event, context);
    },
  };
  const { health, onHealthChange } = log;
  if (health) wrapped.health = () => health.call(log);
  if (onHealthChange) wrapped.onHealthChange = (listener) => onHealthChange.call(log, listener);
  return {
    log: wrapped,
    recent: (limit) => {
      const count = Math.floor(limit);
      return count > 0 ? ring.slice(-count).reverse() : [];
    },
  };
}
