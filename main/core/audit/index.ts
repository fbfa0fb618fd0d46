/** The append-only audit log: JSON lines on disk, or in memory for tests and the portal demo. */
export type { AuditContext, AuditEvent, AuditHealth, AuditLog, AuditRecord } from './types';
export {
  createAuditLog,
  createAuditWriter,
  toAuditRecord,
  type AuditCloseResult,
  type FileAuditLog,
  type FileAuditLogOptions,
} from './file-audit-log';
export { guardAuditLog, isUnattributedEvent, type AuditGuardOptions } from './audit-guard';
export { createMemoryAuditLog, type MemoryAuditLog } from './memory-audit-log';
export { redactSecrets } from './redact';
