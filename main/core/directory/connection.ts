/**
 * Opening one LDAP connection the safe way: a fresh ldapts Client per conversation, connect and
 * operation timeouts always set, TLS (LDAPS or StartTLS) unless plain LDAP is explicitly allowed,
 * never autoRebind. Also classifies errors, which decides failover.
 */
import { connect as netConnect } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions, type TLSSocket } from 'node:tls';
import { Client, ResultCodeError } from 'ldapts';

/** One configured directory server. */
export interface ServerTarget {
  url: string;
  host: string;
  port: number;
  /** ldaps:// */
  ldaps: boolean;
  /** ldap:// upgraded with StartTLS. */
  startTLS: boolean;
}

export interface ConnectionSettings {
  connectMs: number;
  operationMs: number;
  /** TLS options; undefined only for plain LDAP allowed by `allowInsecure`. */
  tls: ConnectionOptions | undefined;
}

/** Parses a configured URL (already validated by the config schema). */
export function parseServer(url: string, startTLS: boolean): ServerTarget {
  const parsed = new URL(url);
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  const ldaps = parsed.protocol.toLowerCase() === 'ldaps:';
  const port = parsed.port ? Number(parsed.port) : ldaps ? 636 : 389;
  return { url, host, port, ldaps, startTLS: !ldaps && startTLS };
}

/** Whether passwords sent to this server travel without TLS. */
export function isInsecure(server: ServerTarget): boolean {
  return !server.ldaps && !server.startTLS;
}

/** Where an error happened, which decides what to do next. */
export type ErrorClass = 'network' | 'timeout' | 'tls' | 'ldap';

/**
 * Classifies an error from ldapts or the socket. `network`, `timeout` and `tls` allow failover
 * (while no user password has been sent); `ldap` is the server's answer.
 */
export function classifyError(error: unknown): ErrorClass {
  if (error instanceof ResultCodeError) return 'ldap';
  const message = error instanceof Error ? error.message : String(error);
  const code = error && typeof error === 'object' && 'code' in error ? String(error.code) : '';
  if (/timed out|timeout/i.test(message)) return 'timeout';
  if (
    /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|HOSTNAME_MISMATCH|EPROTO$)/.test(code) ||
    /secure TLS connection|certificate|ssl|tls/i.test(message)
  ) {
    return 'tls';
  }
  return 'network';
}

/** A short admin-facing description of an error: class name, code and message, no secrets. */
export function describeError(error: unknown): string {
  if (error instanceof ResultCodeError) return `${error.constructor.name} (${error.code}): ${error.message}`;
  if (error instanceof Error) {
    const code = 'code' in error && error.code ? ` ${String(error.code)}` : '';
    return `${error.name}${code}: ${error.message.split('\n').join(' ')}`;
  }
  return String(error);
}

/** Raised when the TLS setup of a connection fails (StartTLS refused or handshake failed). */
export class TlsSetupError extends Error {
  constructor(message: string, cause: unknown) {
    super(message, { cause });
    this.name = 'TlsSetupError';
  }
}

/**
 * Opens a connected client. LDAPS handshakes here, eagerly, under the connect timeout (so a
 * caller can overlap it with other work and a TLS failure shows before any bind). StartTLS
 * upgrades here too, and the whole upgrade (TCP connect, the StartTLS request, the handshake) is
 * also bounded by the connect timeout: it is part of connecting, and a server that accepts TCP
 * and then stalls must cost no more than an LDAPS one before failover (issue #3), not the longer
 * operation timeout ldapts would apply to the StartTLS request.
 */
export async function openConnection(server: ServerTarget, settings: ConnectionSettings): Promise<Client> {
  if (server.ldaps) {
    const tlsOptions = settings.tls ?? {};
    const socket = await connectTls(server, tlsOptions, settings.connectMs);
    let handedOver = false;
    // ldapts accepts an established socket from its factory; a transparent reconnect (never
    // expected within one bind) would get a fresh handshake with the same options.
    const createSecureConnection = ((...args: Parameters<typeof tlsConnect>) => {
      if (handedOver || socket.destroyed) return tlsConnect(...args);
      handedOver = true;
      return socket;
    }) as typeof tlsConnect;
    const client = new Client({
      url: server.url,
      connectTimeout: settings.connectMs,
      timeout: settings.operationMs,
      autoRebind: false,
      tlsOptions,
      createSecureConnection,
    });
    // ldapts takes the socket only on the client's first operation, and `unbind()` on a client
    // that never ran one closes nothing: the socket is destroyed by `closeQuietly` instead
    // (issue #8: every unknown username over LDAPS left one connection open).
    unusedSockets.set(client, () => {
      if (handedOver) return;
      handedOver = true; // nor hand it over later
      socket.destroy();
    });
    return client;
  }

  const client = new Client({
    url: server.url,
    connectTimeout: settings.connectMs,
    timeout: settings.operationMs,
    autoRebind: false,
    createConnection: ((...args: Parameters<typeof netConnect>) =>
      netConnect(...args).setNoDelay(true)) as typeof netConnect,
  });
  if (server.startTLS) {
    try {
      await withDeadline(
        client.startTLS({ ...settings.tls }),
        settings.connectMs,
        'Connection timeout (StartTLS upgrade)',
      );
    } catch (error) {
      await closeQuietly(client);
      const kind = classifyError(error);
      if (kind === 'network' || kind === 'timeout') throw error;
      throw new TlsSetupError(`StartTLS failed: ${describeError(error)}`, error);
    }
  }
  return client;
}

/** TCP + TLS handshake with certificate and host name verification, bounded by `connectMs`. */
function connectTls(server: ServerTarget, options: ConnectionOptions, connectMs: number): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const socket = tlsConnect(server.port, server.host, options);
    // LDAP requests are small; without this Nagle's algorithm can hold a bind back until the
    // server's delayed ACK (~40 ms) arrives.
    socket.setNoDelay(true);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error('Connection timeout'));
    }, connectMs);
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      // Until ldapts takes the socket over (and installs its own handler), an error such as a
      // reset must not crash the process; the socket is then destroyed and replaced on use.
      socket.on('error', () => socket.destroy());
      resolve(socket);
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      socket.destroy();
      reject(error);
    });
  });
}

/**
 * Pre-opened LDAPS sockets not yet taken by their client, with what destroys one. Weak, so a
 * client dropped without `closeQuietly` (a bug) is still collected.
 */
const unusedSockets = new WeakMap<Client, () => void>();

/**
 * Unbinds and closes, ignoring errors: the connection may already be gone. Also destroys the
 * pre-opened LDAPS socket of a client that never used it. Safe to call more than once.
 */
export async function closeQuietly(client: Client | undefined): Promise<void> {
  if (!client) return;
  try {
    await client.unbind();
  } catch {
    // The socket is destroyed by unbind either way.
  } finally {
    unusedSockets.get(client)?.();
    unusedSockets.delete(client);
  }
}

function withDeadline<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  // Real time on purpose: socket deadlines belong to the network, not to the injected Clock
  // (ldapts' own connect/operation timers are real timers too).
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}
