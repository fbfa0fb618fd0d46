/** An audit log kept in memory: tests, the portal demo, and the admin screen's recent-events view. */
import type { Clock } from '../ports';
import { toAuditRecord } from './file-audit-log';
import type { AuditLog, AuditRecord } from './types';

export interface MemoryAuditLog extends AuditLog {
  /** Records so far, oldest first (at most `limit`). */
  readonly records: readonly AuditRecord[];
}

/** Creates an in-memory audit log that keeps the newest `limit` records (default 1000). */
export function createMemoryAuditLog(options: {
  clock: Clock;
  stationName: string;
  limit?: number;
}): MemoryAuditLog {
  const records: AuditRecord[] = [];
  const limit = options.limit ?? 1000;
  return {
    records,
    record(event) {
      records.push(toAuditRecord(event, options.clock, options.stationName));
      if (records.length > limit) records.splice(0, records.length - limit);
      return Promise.resolve();
    },
  };
}
