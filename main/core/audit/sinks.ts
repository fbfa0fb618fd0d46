/**
 * Which audit log a station writes to, decided once for every shell (kiosk, `walkup serve`,
 * `walkup status`): the shell says only where its default file lives, or that it is a one-off
 * check; the configuration and the station's mode decide the rest. Sizes and limits come from
 * the configuration schema (`auditSchema` and its defaults), never from a shell.
 *
 * A new sink (syslog, say) is one more `AuditSinkChoice` kind here and one more case in
 * `openAuditSink`; no shell changes.
 */
import { auditSchema, type WalkupConfig } from '../config/schema';
import type { Clock, Logger } from '../ports';
import { createAuditLog, type AuditCloseResult } from './file-audit-log';
import { createMemoryAuditLog } from './memory-audit-log';
import type { AuditLog } from './types';

/** Where a shell keeps the audit log when `audit.file` is unset. */
export type AuditPlacement =
  /** A station at work: this file (the kiosk's logs folder, the CLI user's state folder). */
  | { defaultFile: string }
  /**
   * A one-off check (`walkup status`): it is not a station at work, so its lines (in/out of
   * service) stay out of the station's audit file whatever the configuration says.
   */
  | 'check';

/** The audit sink a station writes to. */
export type AuditSinkChoice =
  | {
      kind: 'file';
      file: string;
      /** Bytes before rotation (`audit.maxBytes`). */
      maxBytes: number;
      /** Rotated files kept (`audit.keep`). */
      keep: number;
      /** Hours of history rotation keeps (`audit.minHistoryHours`). */
      minHistoryHours: number;
      /** Lines per client address and minute (`audit.perClientPerMinute`). */
      perClientPerMinute: number;
    }
  | {
      kind: 'memory';
      /** `demo`: the demo directory has nothing real to record; `check`: a one-off check. */
      why: 'demo' | 'check';
    };

/** The schema's defaults for the `audit` section: what a station without a valid configuration uses. */
export function defaultAuditSettings(): WalkupConfig['audit'] {
  return auditSchema.parse({});
}

/**
 * Decides the sink. `audit` is the configuration's section (undefined when the configuration is
 * invalid: the schema's defaults apply); `demo` says the station runs the demo directory. A demo
 * station without `audit.file` keeps its log in memory; a configured `audit.file` is always used,
 * demo or not.
 */
export function chooseAuditSink(
  audit: WalkupConfig['audit'] | undefined,
  options: { placement: AuditPlacement; demo: boolean },
): AuditSinkChoice {
  if (options.placement === 'check') return { kind: 'memory', why: 'check' };
  const settings = audit ?? defaultAuditSettings();
  if (settings.file === undefined && options.demo) return { kind: 'memory', why: 'demo' };
  return {
    kind: 'file',
    file: settings.file ?? options.placement.defaultFile,
    maxBytes: settings.maxBytes,
    keep: settings.keep,
    minHistoryHours: settings.minHistoryHours,
    perClientPerMinute: settings.perClientPerMinute,
  };
}

/** An open audit sink. */
export interface AuditSink {
  log: AuditLog;
  /** For messages: the file, or `memory (demo)` / `memory (check)`. */
  where: string;
  /**
   * Gives the queue at most `deadlineMs` to reach its destination; the lines it could not write
   * come back (they hold no secret), never lost silently. A memory sink has nothing to wait for.
   */
  close(deadlineMs: number): Promise<AuditCloseResult>;
}

/** Opens the chosen sink. */
export function openAuditSink(
  choice: AuditSinkChoice,
  deps: {
    clock: Clock;
    logger: Logger;
    stationName: string;
    /** Told when a write failed; the lines stay queued and are retried. */
    onError?: (error: Error) => void;
  },
): AuditSink {
  const { clock, logger, stationName } = deps;
  if (choice.kind === 'memory') {
    return {
      log: createMemoryAuditLog({ clock, stationName }),
      where: `memory (${choice.why})`,
      close: () => Promise.resolve({ flushed: true, unwritten: [], dropped: 0 }),
    };
  }
  const log = createAuditLog({
    file: choice.file,
    maxBytes: choice.maxBytes,
    keep: choice.keep,
    minHistoryHours: choice.minHistoryHours,
    perClientPerMinute: choice.perClientPerMinute,
    clock,
    stationName,
    logger,
    ...(deps.onError ? { onError: deps.onError } : {}),
  });
  return { log, where: choice.file, close: (deadlineMs) => log.close(deadlineMs) };
}
