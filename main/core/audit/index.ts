/** The append-only audit log: JSON lines on disk, or in memory for tests and the portal demo. */
export type { AuditEvent, AuditLog, AuditRecord } from './types';
export { createAuditLog, toAuditRecord, type FileAuditLog, type FileAuditLogOptions } from './file-audit-log';
export { createMemoryAuditLog, type MemoryAuditLog } from './memory-audit-log';
export { redactSecrets } from './redact';
