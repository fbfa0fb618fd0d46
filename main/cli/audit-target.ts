/**
 * Where `walkup serve` keeps its audit log when `audit.file` is unset: a per-user state file,
 * since a server CLI may not write to a system log folder. Which sink a station gets (a file,
 * memory for the demo) is decided by the station assembly (`core/audit/sinks.ts`), as for the kiosk.
 */
import { homedir } from 'node:os';
import path from 'node:path';
import type { AuditPlacement } from '../core/audit';

/** The default audit file of `walkup serve`: `$XDG_STATE_HOME/walkup/audit.jsonl` (or `~/.local/state/…`). */
export function defaultAuditFile(env: NodeJS.ProcessEnv): string {
  const stateHome = env.XDG_STATE_HOME || path.join(homedir(), '.local', 'state');
  return path.join(stateHome, 'walkup', 'audit.jsonl');
}

/** The audit placement of `walkup serve`. */
export function serveAuditPlacement(env: NodeJS.ProcessEnv): AuditPlacement {
  return { defaultFile: defaultAuditFile(env) };
}
