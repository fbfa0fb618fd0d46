/**
 * The append-only audit log: JSON lines on disk, or in memory for tests, the demo and one-off
 * checks; `sinks.ts` decides which one a station writes to.
 */
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
export {
  chooseAuditSink,
  defaultAuditSettings,
  openAuditSink,
  type AuditPlacement,
  type AuditSink,
  type AuditSinkChoice,
} from './sinks';
