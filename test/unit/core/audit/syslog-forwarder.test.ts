/**
 * The syslog forwarder against real loopback sockets (Node servers standing in for a collector;
 * the real rsyslog is in test/integration/audit-syslog.test.ts): RFC 6587 octet-counting frames,
 * UDP datagrams, TLS certificate and name checks, the bounded queue, reconnection, and that every
 * socket and timer is gone after `close` on every outcome.
 */
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSyslogForwarder, type SyslogForwarder, type SyslogTarget } from '../../../../main/core/audit';
import { createTestCA, createTestPki, type TestPki } from '../../../support/certs';

/** Parses RFC 6587 octet-counted frames. */
function parseFrames(buffer: Buffer): string[] {
  const messages: string[] = [];
  let offset = 0;
  while (offset < buffer.length) {
    const space = buffer.indexOf(0x20, offset);
    const length = Number(buffer.subarray(offset, space).toString('ascii'));
    messages.push(buffer.subarray(space + 1, space + 1 + length).toString('utf8'));
    offset = space + 1 + length;
  }
  return messages;
}

interface Collector {
  port: number;
  bytes(): Buffer;
  messages(): string[];
  /** Drops every connection and stops listening. */
  stop(): Promise<void>;
  connections: Socket[];
}

async function listen(server: Server | TlsServer, port = 0): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

async function startCollector(options: { pki?: TestPki; port?: number } = {}): Promise<Collector> {
  const chunks: Buffer[] = [];
  const connections: Socket[] = [];
  const onSocket = (socket: Socket): void => {
    connections.push(socket);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', () => undefined);
  };
  const server = options.pki
    ? createTlsServer({ cert: options.pki.server.certPem, key: options.pki.server.keyPem }, onSocket)
    : createServer(onSocket);
  server.on('tlsClientError', () => undefined);
  const port = await listen(server, options.port);
  return {
    port,
    connections,
    bytes: () => Buffer.concat(chunks),
    messages: () => parseFrames(Buffer.concat(chunks)),
    stop: async () => {
      for (const socket of connections) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function freePort(): Promise<number> {
  const server = createServer();
  const port = await listen(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function until(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * Sends a message every few milliseconds until the sender notices the collector is gone: a
 * message written just before the connection's end is noticed is lost (no acknowledgment in
 * RFC 6587), so one message alone may not show the failure.
 */
async function sendUntilFailing(sender: SyslogForwarder, text: string): Promise<void> {
  await until(() => {
    if (sender.health().ok) sender.send(`<86>1 - - - - - - ${text}`);
    return !sender.health().ok;
  }, 'the failure');
}

/** Sockets and timers the process holds (Node's own count), by kind. */
function held(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) {
    if (/TCP|TLS|UDP|Timeout/i.test(kind)) counts[kind] = (counts[kind] ?? 0) + 1;
  }
  return counts;
}

let pki: TestPki;
beforeAll(async () => {
  pki = await createTestPki();
});
afterAll(async () => {
  await pki.cleanup();
});

const forwarders: SyslogForwarder[] = [];
const collectors: Collector[] = [];
afterEach(async () => {
  await Promise.all(forwarders.splice(0).map((forwarder) => forwarder.close(100)));
  await Promise.all(collectors.splice(0).map((collector) => collector.stop()));
});

function forwarder(target: SyslogTarget, queueLimit = 1000): SyslogForwarder {
  const created = createSyslogForwarder({ target, queueLimit, minBackoffMs: 20, maxBackoffMs: 80 });
  forwarders.push(created);
  return created;
}

describe('TCP (RFC 6587 octet counting)', () => {
  it('frames each message by its UTF-8 byte count, so newlines and non-ASCII survive', async () => {
    const collector = await startCollector();
    collectors.push(collector);
    const sender = forwarder({ host: '127.0.0.1', port: collector.port, transport: 'tcp' });
    const messages = ['<86>1 - - - - - - one', '<86>1 - - - - - - two\nlines', '<86>1 - - - - - - Zürich ✓'];
    for (const message of messages) sender.send(message);
    await until(() => collector.messages().length === 3, 'three messages');
    expect(collector.messages()).toEqual(messages);
    expect(
      collector
        .bytes()
        .toString('utf8')
        .startsWith(`${Buffer.byteLength(messages[0]!)} <86>`),
    ).toBe(true);
    expect(sender.health()).toMatchObject({ ok: true, dropped: 0, sent: 3, queued: 0 });
  });

  it('takes 2000 messages fired at once, in order, with none lost and one connection', async () => {
    const collector = await startCollector();
    collectors.push(collector);
    const sender = forwarder({ host: '127.0.0.1', port: collector.port, transport: 'tcp' }, 2000);
    const messages = Array.from({ length: 2000 }, (_, index) => `<86>1 - - - - - - message ${index}`);
    messages.forEach((message) => sender.send(message));
    await until(() => collector.messages().length === 2000, '2000 messages');
    expect(collector.messages()).toEqual(messages);
    expect(collector.connections).toHaveLength(1);
    expect(sender.health()).toMatchObject({ dropped: 0, sent: 2000 });
  });

  it('bounds the queue while the collector is down: the excess is dropped and counted', async () => {
    const port = await freePort();
    const sender = forwarder({ host: '127.0.0.1', port, transport: 'tcp' }, 10);
    for (let index = 0; index < 25; index += 1) sender.send(`<86>1 - - - - - - m${index}`);
    expect(sender.health()).toMatchObject({ dropped: 15, queued: 10 });
    await until(() => !sender.health().ok, 'the failed connection');
    expect(sender.health().detail).toMatch(new RegExp(`tcp://127.0.0.1:${port}: ECONNREFUSED`));
    const closed = await sender.close(50);
    expect(closed).toEqual({ unsent: 10, dropped: 25 });
  });

  it('reconnects with backoff when the collector goes away mid-stream, then sends what waited', async () => {
    const collector = await startCollector();
    const sender = forwarder({ host: '127.0.0.1', port: collector.port, transport: 'tcp' });
    sender.send('<86>1 - - - - - - before');
    await until(() => collector.messages().length === 1, 'the first message');
    await collector.stop();
    const changes: boolean[] = [];
    sender.onChange(() => changes.push(sender.health().ok));
    await sendUntilFailing(sender, 'while-down-1');
    sender.send('<86>1 - - - - - - while-down-2');
    const back = await startCollector({ port: collector.port });
    collectors.push(back);
    await until(() => back.messages().length >= 1 && sender.health().queued === 0, 'the resent messages');
    expect(back.messages().at(-1)).toBe('<86>1 - - - - - - while-down-2');
    expect(sender.health().ok).toBe(true);
    expect(changes).toEqual([false, true]);
  });
});

describe('TLS (RFC 5425)', () => {
  it('verifies the certificate against caFile and the host name, then frames like TCP', async () => {
    const collector = await startCollector({ pki });
    collectors.push(collector);
    const sender = forwarder({
      host: '127.0.0.1',
      port: collector.port,
      transport: 'tls',
      caFile: pki.ca.certFile,
    });
    sender.send('<86>1 - - - - - - over tls');
    await until(() => collector.messages().length === 1, 'the message');
    expect(collector.messages()).toEqual(['<86>1 - - - - - - over tls']);
    expect(sender.health().ok).toBe(true);
  });

  it('checks serverName instead of host when given (SNI and certificate name)', async () => {
    const collector = await startCollector({ pki });
    collectors.push(collector);
    const good = forwarder({
      host: '127.0.0.1',
      port: collector.port,
      transport: 'tls',
      caFile: pki.ca.certFile,
      serverName: 'localhost',
    });
    good.send('<86>1 - - - - - - named');
    await until(() => collector.messages().length === 1, 'the message');

    const wrongName = forwarder({
      host: '127.0.0.1',
      port: collector.port,
      transport: 'tls',
      caFile: pki.ca.certFile,
      serverName: 'syslog.example.test',
    });
    wrongName.send('<86>1 - - - - - - must not arrive');
    await until(() => !wrongName.health().ok, 'the refusal');
    expect(wrongName.health().detail).toMatch(/ERR_TLS_CERT_ALTNAME_INVALID/);
    expect(collector.bytes().toString()).not.toContain('must not arrive');
  });

  it('refuses a collector whose certificate another CA issued, and says so', async () => {
    const collector = await startCollector({ pki });
    collectors.push(collector);
    const otherCa = await createTestCA(pki.dir, 'Other CA');
    const sender = forwarder({
      host: '127.0.0.1',
      port: collector.port,
      transport: 'tls',
      caFile: otherCa.certFile,
    });
    sender.send('<86>1 - - - - - - must not arrive');
    await until(() => !sender.health().ok, 'the refusal');
    expect(sender.health().detail).toMatch(/certificate|UNABLE_TO_VERIFY|SELF_SIGNED/i);
    expect(collector.bytes().toString()).not.toContain('must not arrive');
  });

  it('reports an unreadable caFile by its key and path, and keeps retrying', async () => {
    const sender = forwarder({
      host: '127.0.0.1',
      port: await freePort(),
      transport: 'tls',
      caFile: '/nonexistent/walkup-ca.pem',
    });
    sender.send('<86>1 - - - - - - x');
    await until(() => !sender.health().ok, 'the failure');
    expect(sender.health().detail).toMatch(
      /cannot read audit\.syslog\.caFile \/nonexistent\/walkup-ca\.pem: ENOENT/,
    );
    expect(sender.holds().timer).toBe(true);
  });
});

describe('UDP (RFC 5426)', () => {
  it('sends one message per datagram', async () => {
    const server: UdpSocket = createSocket('udp4');
    const received: string[] = [];
    server.on('message', (message) => received.push(message.toString('utf8')));
    await new Promise<void>((resolve) => server.bind(0, '127.0.0.1', () => resolve()));
    try {
      const sender = forwarder({ host: '127.0.0.1', port: server.address().port, transport: 'udp' });
      const messages = Array.from({ length: 50 }, (_, index) => `<86>1 - - - - - - d${index} ✓`);
      messages.forEach((message) => sender.send(message));
      await until(() => received.length === 50, '50 datagrams');
      expect([...received].sort()).toEqual([...messages].sort());
      expect(sender.health()).toMatchObject({ ok: true, sent: 50, dropped: 0 });
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe('every socket and timer is released by close', () => {
  const outcomes: {
    name: string;
    transport: 'tcp' | 'tls' | 'udp';
    run: (sender: SyslogForwarder, port: number) => Promise<void>;
  }[] = [];
  for (const transport of ['tcp', 'tls'] as const) {
    outcomes.push(
      {
        name: `${transport}: collector down at start (closed while waiting to reconnect)`,
        transport,
        run: async (sender) => {
          sender.send('<86>1 - - - - - - x');
          await until(() => !sender.health().ok && sender.holds().timer, 'the reconnect timer');
        },
      },
      {
        name: `${transport}: collector gone mid-stream`,
        transport,
        run: async (sender, port) => {
          const collector = await startCollector({ port, ...(transport === 'tls' ? { pki } : {}) });
          sender.send('<86>1 - - - - - - a');
          await until(() => collector.messages().length === 1, 'the message');
          await collector.stop();
          await sendUntilFailing(sender, 'b');
        },
      },
      {
        name: `${transport}: closed while connected with messages queued`,
        transport,
        run: async (sender, port) => {
          const collector = await startCollector({ port, ...(transport === 'tls' ? { pki } : {}) });
          collectors.push(collector);
          sender.send('<86>1 - - - - - - a');
          await until(() => collector.messages().length === 1, 'the message');
          for (let index = 0; index < 100; index += 1) sender.send(`<86>1 - - - - - - q${index}`);
        },
      },
    );
  }
  outcomes.push(
    {
      name: 'udp: nobody listening',
      transport: 'udp',
      run: async (sender) => {
        sender.send('<86>1 - - - - - - x');
        await until(() => sender.health().sent + sender.health().dropped === 1, 'the send');
      },
    },
    {
      name: 'udp: closed right after sending',
      transport: 'udp',
      run: (sender) => {
        for (let index = 0; index < 20; index += 1) sender.send(`<86>1 - - - - - - u${index}`);
        return Promise.resolve();
      },
    },
  );

  for (const outcome of outcomes) {
    it(outcome.name, async () => {
      const port = await freePort();
      const before = held();
      const sender = createSyslogForwarder({
        target: { host: '127.0.0.1', port, transport: outcome.transport, caFile: pki.ca.certFile },
        queueLimit: 1000,
        minBackoffMs: 20,
        maxBackoffMs: 80,
      });
      await outcome.run(sender, port);
      await sender.close(500);
      await Promise.all(collectors.splice(0).map((collector) => collector.stop()));
      expect(sender.holds()).toEqual({ socket: false, timer: false });
      // Node's own list: the sockets and timers the forwarder opened are gone.
      const after = held();
      for (const [kind, count] of Object.entries(after)) expect(count).toBeLessThanOrEqual(before[kind] ?? 0);
      // Closed: later messages are counted, not sent or queued.
      sender.send('<86>1 - - - - - - after close');
      expect(sender.health().queued).toBe(0);
      expect(sender.holds()).toEqual({ socket: false, timer: false });
    });
  }
});
