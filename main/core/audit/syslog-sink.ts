/**
 * Audit forwarding: an audit log that writes every event to its inner log (the JSON-lines file,
 * the record of truth, or memory) and sends the same record, redacted by `toAuditRecord`, to a
 * syslog collector as an RFC 5424 message (`syslog-format.ts`, `syslog-forwarder.ts`).
 *
 * Forwarding is best effort and never blocks a visit: `record` resolves when the inner log says
 * so; the syslog side only queues. Its state joins the inner log's health as `forwarding`
 * (which the station shows as the warning `audit-forwarding-failed`), never as `ok: false`.
 */
import { hostname } from 'node:os';
import type { SyslogConfig } from '../config/schema';
import { syslogFacilities } from '../config/schema';
import type { Clock, Logger } from '../ports';
import { toAuditRecord } from './file-audit-log';
import { formatSyslogMessage, type SyslogFormatOptions } from './syslog-format';
import {
  createSyslogForwarder,
  type SyslogCloseResult,
  type SyslogForwarder,
  type SyslogTarget,
} from './syslog-forwarder';
import type { AuditContext, AuditEvent, AuditHealth, AuditLog } from './types';

/** Where audit lines are forwarded, as `chooseAuditSink` resolved it from `audit.syslog`. */
export interface SyslogForwardingChoice extends SyslogTarget {
  /** Facility code (RFC 5424 §6.2.1). */
  facility: number;
  appName: string;
  queueLines: number;
}

/** Default ports: 514 for UDP (RFC 5426) and TCP (customary), 6514 for TLS (RFC 5425 §4.1). */
export function syslogForwardingOf(config: SyslogConfig): SyslogForwardingChoice {
  const choice: SyslogForwardingChoice = {
    host: config.host,
    port: config.port ?? (config.transport === 'tls' ? 6514 : 514),
    transport: config.transport,
    facility: syslogFacilities[config.facility],
    appName: config.appName,
    queueLines: config.queueLines,
  };
  if (config.caFile !== undefined) choice.caFile = config.caFile;
  if (config.serverName !== undefined) choice.serverName = config.serverName;
  return choice;
}

/** `udp://host:port` and the like, for messages. */
export function describeForwarding(choice: SyslogTarget): string {
  const host = choice.host.includes(':') ? `[${choice.host}]` : choice.host;
  return `syslog ${choice.transport}://${host}:${choice.port}`;
}

/** An audit log that also forwards, with the forwarder it owns. */
export type ForwardingAuditLog<T extends AuditLog> = T & {
  health(): AuditHealth;
  onHealthChange(listener: (health: AuditHealth) => void): () => void;
  /** Closes the forwarder only (the inner log is closed by its owner). */
  closeForwarding(deadlineMs: number): Promise<SyslogCloseResult>;
};

/**
 * A clock that can be held still while one event is recorded, so the forwarded message and the
 * file line carry the same time. Give it to the inner log and to `withSyslogForwarding`.
 */
export interface PinnableClock extends Clock {
  /** Runs `work` with `now()` fixed at one reading of the underlying clock. */
  pinned<T>(work: () => T): T;
}

/** Wraps `clock` as a `PinnableClock`. */
export function pinnableClock(clock: Clock): PinnableClock {
  let pinned: number | undefined;
  return {
    now: () => pinned ?? clock.now(),
    sleep: (ms) => clock.sleep(ms),
    pinned(work) {
      const outer = pinned;
      pinned = pinned ?? clock.now();
      try {
        return work();
      } finally {
        pinned = outer;
      }
    },
  };
}

const HEALTHY: AuditHealth = { ok: true, backlog: 0, dropped: 0, historyShort: false };

/**
 * Wraps `inner` (its other methods pass through) so that each recorded event is also sent to
 * `choice`. `forwarder` may be given by tests; otherwise one is created from `choice`.
 */
export function withSyslogForwarding<T extends AuditLog>(
  inner: T,
  choice: SyslogForwardingChoice,
  deps: {
    /** A `PinnableClock` shared with `inner` makes the message's time the file line's. */
    clock: Clock | PinnableClock;
    stationName: string;
    logger?: Logger;
    /** HOSTNAME of the messages (default: the machine's name). */
    hostname?: string;
    forwarder?: SyslogForwarder;
  },
): ForwardingAuditLog<T> {
  const forwarder =
    deps.forwarder ??
    createSyslogForwarder({
      target: choice,
      queueLimit: choice.queueLines,
      ...(deps.logger ? { logger: deps.logger } : {}),
    });
  const format: SyslogFormatOptions = {
    facility: choice.facility,
    hostname: deps.hostname ?? hostname(),
    appName: choice.appName,
    procId: String(process.pid),
  };

  function health(): AuditHealth {
    const base = inner.health?.() ?? HEALTHY;
    const state = forwarder.health();
    const forwarding: AuditHealth['forwarding'] = { ok: state.ok, dropped: state.dropped };
    if (state.detail !== undefined) forwarding.detail = state.detail;
    return { ...base, forwarding };
  }

  function forward(event: AuditEvent, context?: AuditContext): Promise<void> {
    let message: string | undefined;
    try {
      message = formatSyslogMessage(toAuditRecord(event, deps.clock, deps.stationName), format);
    } catch (error) {
      deps.logger?.error('audit-forwarding-format-failed', {
        type: event.type,
        error: error instanceof Error ? error.message : String(error),
      });
    }
    if (message !== undefined) forwarder.send(message);
    return inner.record(event, context);
  }

  const wrapped = Object.create(inner) as ForwardingAuditLog<T>;
  Object.assign(wrapped, {
    record(event: AuditEvent, context?: AuditContext): Promise<void> {
      const { clock } = deps;
      return 'pinned' in clock ? clock.pinned(() => forward(event, context)) : forward(event, context);
    },
    health,
    onHealthChange(listener: (health: AuditHealth) => void): () => void {
      const notify = (): void => listener(health());
      const stopInner = inner.onHealthChange?.(notify);
      const stopForwarder = forwarder.onChange(notify);
      return () => {
        stopInner?.();
        stopForwarder();
      };
    },
    closeForwarding: (deadlineMs: number) => forwarder.close(deadlineMs),
  });
  return wrapped;
}
