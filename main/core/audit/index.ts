/**
 * The append-only audit log: JSON lines on disk, or in memory for tests, the demo and one-off
 * checks, optionally forwarded to a syslog collector; `sinks.ts` decides which one a station
 * writes to.
 */
export type {
  AuditContext,
  AuditEvent,
  AuditForwardingHealth,
  AuditHealth,
  AuditLog,
  AuditRecord,
} from './types';
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
export { keepRecentAudit, RECENT_AUDIT_CAPACITY, type RecentAuditLog } from './recent-audit';
export { redactSecrets } from './redact';
export {
  DEFAULT_SYSLOG_MAX_BYTES,
  WALKUP_SD_ID,
  escapeParamValue,
  formatSyslogMessage,
  severityOf,
  type SyslogFormatOptions,
} from './syslog-format';
export {
  createSyslogForwarder,
  type SyslogCloseResult,
  type SyslogForwarder,
  type SyslogForwarderHealth,
  type SyslogForwarderOptions,
  type SyslogTarget,
} from './syslog-forwarder';
export {
  describeForwarding,
  syslogForwardingOf,
  withSyslogForwarding,
  type ForwardingAuditLog,
  type SyslogForwardingChoice,
} from './syslog-sink';
export {
  chooseAuditSink,
  defaultAuditSettings,
  openAuditSink,
  type AuditPlacement,
  type AuditSink,
  type AuditSinkChoice,
} from './sinks';
