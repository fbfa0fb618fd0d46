/**
 * Which audit log a station writes to, decided once for every shell (kiosk, `walkup serve`,
 * `walkup status`): the shell says only where its default file lives, or that it is a one-off
 * check; the configuration and the station's mode decide the rest. Sizes and limits come from
 * the configuration schema (`auditSchema` and its defaults), never from a shell.
 *
 * A new sink is one more `AuditSinkChoice` kind here and one more case in `openAuditSink`; no
 * shell changes. Audit forwarding (`audit.syslog`) is not a kind of its own: it goes alongside the
 * file or memory log of a station at work (`forward`), never alongside a one-off check.
 */
import { auditSchema, type WalkupConfig } from '../config/schema';
import type { Clock, Logger } from '../ports';
import { guardAuditLog } from './audit-guard';
import { createAuditLog, createAuditWriter, type AuditCloseResult } from './file-audit-log';
import { createMemoryAuditLog } from './memory-audit-log';
import {
  describeForwarding,
  pinnableClock,
  syslogForwardingOf,
  withSyslogForwarding,
  type SyslogForwardingChoice,
} from './syslog-sink';
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
      /** Also forward every line to this syslog collector (`audit.syslog`). */
      forward?: SyslogForwardingChoice;
    }
  | {
      kind: 'memory';
      /** `demo`: the demo directory has nothing real to record; `check`: a one-off check. */
      why: 'demo' | 'check';
      /** Also forward every line to this syslog collector (`audit.syslog`; never for `check`). */
      forward?: SyslogForwardingChoice;
    };

/** The schema's defaults for the `audit` section: what a station without a valid configuration uses. */
export function defaultAuditSettings(): WalkupConfig['audit'] {
  return auditSchema.parse({});
}

/**
 * Decides the sink. `audit` is the configuration's section (undefined when the configuration is
 * invalid: the schema's defaults apply); `demo` says the station runs the demo directory. A demo
 * station without `audit.file` keeps its log in memory; a configured `audit.file` is always used,
 * demo or not. A configured `audit.syslog` adds forwarding to either, except for a one-off check.
 */
export function chooseAuditSink(
  audit: WalkupConfig['audit'] | undefined,
  options: { placement: AuditPlacement; demo: boolean },
): AuditSinkChoice {
  if (options.placement === 'check') return { kind: 'memory', why: 'check' };
  const settings = audit ?? defaultAuditSettings();
  const forward = settings.syslog ? { forward: syslogForwardingOf(settings.syslog) } : {};
  if (settings.file === undefined && options.demo) return { kind: 'memory', why: 'demo', ...forward };
  return {
    kind: 'file',
    file: settings.file ?? options.placement.defaultFile,
    maxBytes: settings.maxBytes,
    keep: settings.keep,
    minHistoryHours: settings.minHistoryHours,
    perClientPerMinute: settings.perClientPerMinute,
    ...forward,
  };
}

/** An open audit sink. */
export interface AuditSink {
  log: AuditLog;
  /**
   * For messages: the file, or `memory (demo)` / `memory (check)`, then `+ syslog tls://host:port`
   * when lines are forwarded.
   */
  where: string;
  /**
   * Gives the queue at most `deadlineMs` to reach its destination; the lines it could not write
   * come back (they hold no secret), never lost silently. A memory sink has nothing to wait for.
   * Forwarding gets the same deadline, in parallel; what it could not send is logged
   * (`audit-forwarding-closed`) and counted, the file being the record.
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
    /** HOSTNAME of forwarded syslog messages (default: the machine's name). */
    hostname?: string;
  },
): AuditSink {
  const { clock: baseClock, logger, stationName } = deps;
  // One reading of the clock per event, shared by the file line and the forwarded message.
  const clock = choice.forward ? pinnableClock(baseClock) : baseClock;
  const forwardingDeps = {
    clock,
    stationName,
    logger,
    ...(deps.hostname !== undefined ? { hostname: deps.hostname } : {}),
  };
  const closeForwarding = async (
    log: { closeForwarding(deadlineMs: number): Promise<{ unsent: number; dropped: number }> },
    forward: SyslogForwardingChoice,
    deadlineMs: number,
  ): Promise<void> => {
    const result = await log.closeForwarding(deadlineMs);
    if (result.dropped > 0) {
      logger.warn('audit-forwarding-closed', { target: describeForwarding(forward), ...result });
    }
  };
  if (choice.kind === 'memory') {
    const memory = createMemoryAuditLog({ clock, stationName });
    const where = `memory (${choice.why})`;
    const { forward } = choice;
    if (!forward) {
      return {
        log: memory,
        where,
        close: () => Promise.resolve({ flushed: true, unwritten: [], dropped: 0 }),
      };
    }
    const log = withSyslogForwarding(memory, forward, forwardingDeps);
    return {
      log,
      where: `${where} + ${describeForwarding(forward)}`,
      close: async (deadlineMs) => {
        await closeForwarding(log, forward, deadlineMs);
        return { flushed: true, unwritten: [], dropped: 0 };
      },
    };
  }
  const { forward } = choice;
  if (forward) {
    // The guard of `createAuditLog` over a writer that also forwards: the collector receives
    // exactly the lines the file gets (summaries, not the events they count).
    const writerOptions = {
      file: choice.file,
      maxBytes: choice.maxBytes,
      keep: choice.keep,
      minHistoryHours: choice.minHistoryHours,
      clock,
      stationName,
      logger,
      ...(deps.onError ? { onError: deps.onError } : {}),
    };
    const writer = createAuditWriter(writerOptions);
    const forwardingWriter = withSyslogForwarding(writer, forward, forwardingDeps);
    const guarded = guardAuditLog(forwardingWriter, {
      now: () => clock.now(),
      perClientPerMinute: choice.perClientPerMinute,
    });
    return {
      log: guarded,
      where: `${choice.file} + ${describeForwarding(forward)}`,
      close: async (deadlineMs) => {
        await guarded.stopGuard();
        const [result] = await Promise.all([
          writer.close(deadlineMs),
          closeForwarding(forwardingWriter, forward, deadlineMs),
        ]);
        return result;
      },
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
