/**
 * Sends formatted syslog messages (`syslog-format.ts`) to one collector, best effort:
 *
 * - UDP (RFC 5426): one message per datagram; a failed send is counted as dropped.
 * - TCP (RFC 6587 §3.4.1) and TLS (RFC 5425 §4.3): one connection, each message framed by octet
 *   counting (`<bytes> <message>`), so a message may hold any character. TLS verifies the
 *   collector's certificate against `caFile` (else Node's trusted CAs) and the name `serverName`
 *   (else `host`), TLS 1.2 at least (RFC 5425 §4.2 and RFC 9662 ask for certificate-based
 *   authentication of the server).
 * - A bounded queue (`queueLimit` messages) holds what waits for a connection; beyond it messages
 *   are dropped and counted, never blocking the caller. A lost connection is retried after
 *   `minBackoffMs`, doubling up to `maxBackoffMs`.
 * - Without an application-level acknowledgment (neither RFC 6587 nor RFC 5425 has one), messages
 *   already handed to a connection that then breaks can be lost uncounted: the audit file stays
 *   the record of truth; this is a copy for the collector.
 * - `close` gives the queue until its deadline, then closes the socket and clears every timer.
 *
 * Written on Node's `dgram`, `net` and `tls`: the npm syslog clients do not frame by octet
 * counting, bound their queue, reconnect with backoff or let the caller name the certificate's
 * server name (`syslog-client`), or are unmaintained (`glossy`, `syslog-pro`).
 */
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { readFile } from 'node:fs/promises';
import { isIP, connect as netConnect, type Socket } from 'node:net';
import { checkServerIdentity, connect as tlsConnect } from 'node:tls';
import type { Logger } from '../ports';

/** Where and how messages go. */
export interface SyslogTarget {
  host: string;
  port: number;
  transport: 'udp' | 'tcp' | 'tls';
  /** TLS: PEM file of the trusted CA(s); unset: Node's trusted CAs. */
  caFile?: string | undefined;
  /** TLS: the name the certificate must carry; unset: `host`. */
  serverName?: string | undefined;
}

/** The forwarder's state, for the station's health. */
export interface SyslogForwarderHealth {
  /** False while the collector cannot be reached (the last attempt failed). */
  ok: boolean;
  /** Messages dropped since start (queue full, send failed, unsent at close). */
  dropped: number;
  /** Messages waiting for a connection. */
  queued: number;
  /** Messages handed to the network since start. */
  sent: number;
  /** Why not ok (an error code or message; never a message's content). */
  detail?: string;
}

export interface SyslogForwarderOptions {
  target: SyslogTarget;
  /** Messages waiting at most (UDP: sends in flight at most). */
  queueLimit: number;
  logger?: Logger;
  /** First pause before reconnecting (ms, default 500). */
  minBackoffMs?: number;
  /** Longest pause before reconnecting (ms, default 30,000). */
  maxBackoffMs?: number;
  /** A connection (TCP + TLS handshake) not up by then is abandoned and retried (ms, default 10,000). */
  connectTimeoutMs?: number;
  /** Reads `caFile` (default: the file system). */
  readCaFile?: (path: string) => Promise<string>;
}

/** What `close` left behind. */
export interface SyslogCloseResult {
  /** Messages still queued at the deadline (counted in `dropped`). */
  unsent: number;
  dropped: number;
}

export interface SyslogForwarder {
  /** Queues or sends one message. Never throws, never waits. */
  send(message: string): void;
  health(): SyslogForwarderHealth;
  /** Calls `listener` when `ok` or whether anything was dropped changes; returns the unsubscribe. */
  onChange(listener: () => void): () => void;
  /** Stops taking messages, sends what it can within `deadlineMs`, closes the socket and timers. */
  close(deadlineMs: number): Promise<SyslogCloseResult>;
  /** For tests: whether a socket or a timer is still held. */
  holds(): { socket: boolean; timer: boolean };
}

function errorText(error: unknown): string {
  if (error && typeof error === 'object' && 'code' in error && typeof error.code === 'string') {
    return `${error.code}${error instanceof Error && error.message ? `: ${error.message}` : ''}`;
  }
  return error instanceof Error ? error.message : String(error);
}

/** Creates the forwarder; it connects on the first message. */
export function createSyslogForwarder(options: SyslogForwarderOptions): SyslogForwarder {
  const { target, logger } = options;
  const queueLimit = Math.max(1, options.queueLimit);
  const minBackoffMs = options.minBackoffMs ?? 500;
  const maxBackoffMs = Math.max(minBackoffMs, options.maxBackoffMs ?? 30_000);
  const connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
  const readCa = options.readCaFile ?? ((path: string) => readFile(path, 'utf8'));
  const where = `${target.transport}://${target.host}:${target.port}`;

  let queue: string[] = [];
  let dropped = 0;
  let sent = 0;
  let lastError: string | undefined;
  let closing = false;
  const listeners = new Set<() => void>();
  let reported = { ok: true, dropping: false };

  // Stream transports.
  let socket: Socket | undefined;
  let connected = false;
  let connecting = false;
  let blocked = false;
  let attempt = 0;
  let reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  /** Resolved when the queue has been written out or the connection is gone (for `close`). */
  let onSettled: (() => void) | undefined;

  // UDP.
  let udp: UdpSocket | undefined;
  let inFlight = 0;

  function health(): SyslogForwarderHealth {
    const result: SyslogForwarderHealth = {
      ok: lastError === undefined,
      dropped,
      queued: queue.length,
      sent,
    };
    if (lastError !== undefined) result.detail = `${where}: ${lastError}`;
    return result;
  }

  function noteChange(): void {
    const now = { ok: lastError === undefined, dropping: dropped > 0 };
    if (now.ok === reported.ok && now.dropping === reported.dropping) return;
    reported = now;
    for (const listener of [...listeners]) {
      try {
        listener();
      } catch (error) {
        logger?.error('audit-forwarding-listener-failed', { error: errorText(error) });
      }
    }
  }

  function fail(error: unknown): void {
    const text = errorText(error);
    if (lastError === undefined) logger?.warn('audit-forwarding-failed', { target: where, error: text });
    lastError = text;
    noteChange();
  }

  function recovered(): void {
    if (lastError !== undefined) logger?.info('audit-forwarding-recovered', { target: where });
    lastError = undefined;
    noteChange();
  }

  function drop(count: number, reason: string): void {
    if (count <= 0) return;
    const before = dropped;
    dropped += count;
    // One log line for the first drop and one per thousand after: a flood cannot flood the log.
    if (before === 0 || Math.floor(before / 1000) !== Math.floor(dropped / 1000)) {
      logger?.warn('audit-forwarding-dropped', { target: where, dropped, reason });
    }
    noteChange();
  }

  // ---- stream transports (TCP, TLS) ----

  function frame(message: string): string {
    // RFC 6587 §3.4.1: MSG-LEN is the octet count of the message, then one space.
    return `${Buffer.byteLength(message, 'utf8')} ${message}`;
  }

  function pump(): void {
    if (!socket || !connected) {
      if (!closing) connect();
      return;
    }
    while (queue.length > 0 && !blocked) {
      const message = queue.shift()!;
      sent += 1;
      if (!socket.write(frame(message))) blocked = true;
    }
    if (queue.length === 0 && !blocked) onSettled?.();
  }

  function scheduleReconnect(): void {
    if (closing || reconnectTimer) return;
    const delay = Math.min(maxBackoffMs, minBackoffMs * 2 ** Math.min(attempt, 20));
    attempt += 1;
    reconnectTimer = setTimeout(() => {
      reconnectTimer = undefined;
      if (queue.length > 0) connect();
    }, delay);
    reconnectTimer.unref?.();
  }

  function connect(): void {
    if (connecting || connected || closing || reconnectTimer) return;
    connecting = true;
    void (async () => {
      let ca: string | undefined;
      if (target.transport === 'tls' && target.caFile !== undefined) {
        try {
          ca = await readCa(target.caFile);
        } catch (error) {
          connecting = false;
          fail(new Error(`cannot read audit.syslog.caFile ${target.caFile}: ${errorText(error)}`));
          scheduleReconnect();
          onSettled?.();
          return;
        }
      }
      if (closing) {
        connecting = false;
        onSettled?.();
        return;
      }
      const name = target.serverName ?? target.host;
      const opened: Socket =
        target.transport === 'tls'
          ? tlsConnect({
              host: target.host,
              port: target.port,
              ...(ca !== undefined ? { ca } : {}),
              // SNI carries a DNS name only (RFC 6066 §3); the certificate must match `name` either way.
              ...(isIP(name) === 0 ? { servername: name } : {}),
              checkServerIdentity: (_host, cert) => checkServerIdentity(name, cert),
              minVersion: 'TLSv1.2',
            })
          : netConnect({ host: target.host, port: target.port });
      socket = opened;
      opened.setTimeout(connectTimeoutMs, () => {
        opened.destroy(new Error(`no connection within ${connectTimeoutMs} ms`));
      });
      opened.on(target.transport === 'tls' ? 'secureConnect' : 'connect', () => {
        connecting = false;
        connected = true;
        attempt = 0;
        opened.setTimeout(0);
        opened.setKeepAlive(true, 30_000);
        recovered();
        pump();
      });
      opened.on('drain', () => {
        blocked = false;
        pump();
      });
      // The collector says nothing back; read and discard so its buffer never fills.
      opened.on('data', () => undefined);
      opened.on('error', (error) => fail(error));
      opened.on('close', () => {
        if (socket === opened) socket = undefined;
        const wasConnected = connected;
        connected = false;
        connecting = false;
        blocked = false;
        // A connection gone while messages wait is a failure; an idle one is reopened on demand.
        if (!closing && wasConnected && queue.length > 0 && lastError === undefined) {
          fail(new Error('connection closed by the collector'));
        }
        onSettled?.();
        if (!closing && queue.length > 0) scheduleReconnect();
      });
    })();
  }

  // ---- UDP ----

  function sendUdp(message: string): void {
    if (inFlight >= queueLimit) {
      drop(1, 'queue-full');
      return;
    }
    if (!udp) {
      const opened = createSocket(isIP(target.host) === 6 ? 'udp6' : 'udp4');
      opened.on('error', (error) => fail(error));
      opened.unref();
      udp = opened;
    }
    inFlight += 1;
    const buffer = Buffer.from(message, 'utf8');
    udp.send(buffer, target.port, target.host, (error) => {
      inFlight -= 1;
      if (error) {
        drop(1, 'send-failed');
        fail(error);
      } else {
        sent += 1;
        recovered();
      }
      if (inFlight === 0) onSettled?.();
    });
  }

  return {
    send(message) {
      if (closing) {
        drop(1, 'closed');
        return;
      }
      if (target.transport === 'udp') {
        sendUdp(message);
        return;
      }
      if (queue.length >= queueLimit) {
        drop(1, 'queue-full');
        return;
      }
      queue.push(message);
      pump();
    },
    health,
    onChange(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    async close(deadlineMs) {
      const wasClosing = closing;
      closing = true;
      if (reconnectTimer) clearTimeout(reconnectTimer);
      reconnectTimer = undefined;
      if (wasClosing) return { unsent: 0, dropped };
      let deadlineTimer: ReturnType<typeof setTimeout> | undefined;
      const deadline = new Promise<void>((resolve) => {
        deadlineTimer = setTimeout(resolve, deadlineMs);
      });
      const settledWhen = (done: () => boolean): Promise<void> =>
        done()
          ? Promise.resolve()
          : new Promise<void>((resolve) => {
              onSettled = () => {
                if (done()) resolve();
              };
            });
      try {
        if (target.transport === 'udp') {
          await Promise.race([settledWhen(() => inFlight === 0), deadline]);
        } else if (connected) {
          // Everything queued goes out, then the socket's own buffer drains as it closes.
          pump();
          await Promise.race([settledWhen(() => queue.length === 0 || !connected), deadline]);
          const current = socket;
          if (current && connected) {
            const gone = new Promise<void>((resolve) => current.once('close', () => resolve()));
            current.end();
            await Promise.race([gone, deadline]);
          }
        }
      } finally {
        clearTimeout(deadlineTimer);
        onSettled = undefined;
      }
      socket?.destroy();
      socket = undefined;
      connected = false;
      if (udp) {
        const current = udp;
        udp = undefined;
        await new Promise<void>((resolve) => current.close(() => resolve()));
      }
      const unsent = queue.length;
      queue = [];
      drop(unsent, 'closed');
      listeners.clear();
      return { unsent, dropped };
    },
    holds() {
      return { socket: socket !== undefined || udp !== undefined, timer: reconnectTimer !== undefined };
    },
  };
}
