/**
 * The audit log of portal mode: `audit.file` when configured; the in-memory log for the demo
 * directory (nothing real to record); otherwise a per-user state file, since a server CLI may
 * not write to a system log folder.
 */
import { homedir } from 'node:os';
import path from 'node:path';
import { createAuditLog, createMemoryAuditLog, type FileAuditLog } from '../core/audit';
import type { AuditLog } from '../core/audit/types';
import type { WalkupConfig } from '../core/config/schema';
import { systemClock, type Logger } from '../core/ports';

/** The default audit file outside demo mode when `audit.file` is unset. */
export function defaultAuditFile(env: NodeJS.ProcessEnv): string {
  const stateHome = env.XDG_STATE_HOME || path.join(homedir(), '.local', 'state');
  return path.join(stateHome, 'walkup', 'audit.jsonl');
}

/** Creates the audit log for `walkup serve`; `where` names it for the startup message. */
export function createServeAuditLog(
  config: WalkupConfig,
  env: NodeJS.ProcessEnv,
  logger: Logger,
): { audit: AuditLog & { close?: FileAuditLog['close'] }; where: string } {
  const stationName = config.station.name;
  if (!config.audit.file && config.directory.type === 'demo') {
    return { audit: createMemoryAuditLog({ clock: systemClock, stationName }), where: 'memory (demo)' };
  }
  const file = config.audit.file ?? defaultAuditFile(env);
  return {
    audit: createAuditLog({
      file,
      maxBytes: config.audit.maxBytes,
      keep: config.audit.keep,
      minHistoryHours: config.audit.minHistoryHours,
      perClientPerMinute: config.audit.perClientPerMinute,
      clock: systemClock,
      stationName,
      logger,
    }),
    where: file,
  };
}
