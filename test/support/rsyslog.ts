/**
 * Starts a throwaway rsyslog (Debian's rsyslogd) on loopback for tests: its own configuration,
 * pid file, work directory and TLS certificate in a temp directory, in the foreground (`-n`, our
 * child), never the system service. Three inputs on free ports: imudp (RFC 5426), imtcp (RFC 6587)
 * and imtcp with the GnuTLS stream driver (RFC 5425). Every message received is written to
 * `received.log` as `<input name> <raw message>` (`%rawmsg%`: the message exactly as it came, less
 * the TCP frame). `stop()` ends it and removes everything; a process exit hook kills it if a test
 * run dies first.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestPki, type TestPki } from './certs';
import { stopDaemon, trackDaemon, waitForPort } from './daemon-process';

const RSYSLOGD = '/usr/sbin/rsyslogd';
const GTLS_DRIVER = '/usr/lib/x86_64-linux-gnu/rsyslog/lmnsd_gtls.so';

/** One message as rsyslog received it. */
export interface ReceivedMessage {
  /** `udp`, `tcp` or `tls`: the input it came in on. */
  input: string;
  /** The raw message (RFC 5424 text), without the TCP frame. */
  raw: string;
}

/** A running rsyslogd. */
export interface RsyslogServer {
  host: '127.0.0.1';
  udpPort: number;
  tcpPort: number;
  tlsPort: number;
  /** CA certificate (PEM file) that issued the server certificate (for localhost, 127.0.0.1). */
  caFile: string;
  pki: TestPki;
  dir: string;
  /** The file every received message is written to. */
  receivedFile: string;
  /** Messages received so far. */
  received(): Promise<ReceivedMessage[]>;
  /** Waits until `predicate` holds for the messages received (polls; fails after `timeoutMs`). */
  waitFor(
    predicate: (messages: ReceivedMessage[]) => boolean,
    timeoutMs?: number,
  ): Promise<ReceivedMessage[]>;
  /** Stops rsyslogd (the ports close); the files stay until `cleanup`. */
  kill(): Promise<void>;
  /** Stops rsyslogd and removes every file. */
  stop(): Promise<void>;
}

/** Why rsyslogd cannot run here, or undefined when it can. */
export function rsyslogUnavailableReason(): string | undefined {
  if (!existsSync(RSYSLOGD))
    return `rsyslogd not installed (${RSYSLOGD} missing): apt-get install rsyslog rsyslog-gnutls`;
  if (!existsSync(GTLS_DRIVER))
    return `rsyslog's TLS driver missing (${GTLS_DRIVER}): apt-get install rsyslog-gnutls`;
  return undefined;
}

function rsyslogConf(dir: string, pki: TestPki, ports: { udp: number; tcp: number; tls: number }): string {
  return [
    `global(workDirectory="${join(dir, 'work')}" maxMessageSize="64k"`,
    `  defaultNetstreamDriverCAFile="${pki.ca.certFile}"`,
    `  defaultNetstreamDriverCertFile="${pki.server.certFile}"`,
    `  defaultNetstreamDriverKeyFile="${pki.server.keyFile}")`,
    'module(load="imudp")',
    'module(load="imtcp")',
    'template(name="raw" type="string" string="%inputname% %rawmsg%\\n")',
    `input(type="imudp" address="127.0.0.1" port="${ports.udp}" name="udp")`,
    `input(type="imtcp" address="127.0.0.1" port="${ports.tcp}" name="tcp")`,
    // TLS (RFC 5425): the server authenticates with its certificate; clients are anonymous.
    `input(type="imtcp" address="127.0.0.1" port="${ports.tls}" name="tls" streamDriver.name="gtls" streamDriver.mode="1" streamDriver.authMode="anon")`,
    `action(type="omfile" file="${join(dir, 'received.log')}" template="raw")`,
    '',
  ].join('\n');
}

/** Starts rsyslogd; throws with its own output when it does not come up. */
export async function startRsyslog(): Promise<RsyslogServer> {
  const unavailable = rsyslogUnavailableReason();
  if (unavailable) throw new Error(unavailable);

  const dir = await mkdtemp(join(tmpdir(), 'walkup-rsyslog-'));
  const receivedFile = join(dir, 'received.log');
  let pki: TestPki | undefined;
  let child: ChildProcess | undefined;

  const kill = async () => {
    if (child) await stopDaemon(child);
    child = undefined;
  };
  const cleanup = async () => {
    await kill();
    await rm(dir, { recursive: true, force: true });
    await pki?.cleanup();
  };

  try {
    pki = await createTestPki();
    await mkdir(join(dir, 'work'));
    for (let attempt = 1; ; attempt += 1) {
      const [tcp = 0, tls = 0] = await freeTcpPorts(2);
      const udp = await freeUdpPort();
      const confFile = join(dir, 'rsyslog.conf');
      await writeFile(confFile, rsyslogConf(dir, pki, { udp, tcp, tls }));
      const output: string[] = [];
      // -n: foreground (our child); -i: our pid file, not /run's; -f: only our configuration.
      child = spawn(RSYSLOGD, ['-n', '-f', confFile, '-i', join(dir, 'rsyslogd.pid')], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      trackDaemon(child);
      child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
      child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
      const up =
        (await waitForPort(tcp, child, 10_000)) &&
        (await waitForPort(tls, child, 10_000)) &&
        (await udpReady(udp, receivedFile, child, 10_000));
      if (up) {
        const started = pki;
        const server: RsyslogServer = {
          host: '127.0.0.1',
          udpPort: udp,
          tcpPort: tcp,
          tlsPort: tls,
          caFile: started.ca.certFile,
          pki: started,
          dir,
          receivedFile,
          received: () => readReceived(receivedFile),
          async waitFor(predicate, timeoutMs = 10_000) {
            const deadline = Date.now() + timeoutMs;
            for (;;) {
              const messages = await readReceived(receivedFile);
              if (predicate(messages)) return messages;
              if (Date.now() > deadline) {
                throw new Error(
                  `rsyslog did not receive what was expected within ${timeoutMs} ms; received:\n` +
                    messages.map((message) => `${message.input} ${message.raw}`).join('\n'),
                );
              }
              await new Promise((resolve) => setTimeout(resolve, 50));
            }
          },
          kill,
          stop: cleanup,
        };
        return server;
      }
      await stopDaemon(child);
      child = undefined;
      // A port picked free can be taken before rsyslogd binds it: try again a few times.
      if (attempt >= 3) throw new Error(`rsyslogd did not start:\n${output.join('')}`);
    }
  } catch (error) {
    await cleanup();
    throw error;
  }
}

/** The probe datagrams `udpReady` sends, left out of `received()`. */
const PROBE = 'walkup-rsyslog-probe';

async function readReceived(file: string): Promise<ReceivedMessage[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter((line) => line !== '' && !line.includes(PROBE))
    .map((line) => {
      const space = line.indexOf(' ');
      return { input: line.slice(0, space), raw: line.slice(space + 1) };
    });
}

/** UDP has no handshake: probe datagrams are sent until one shows in the received file. */
async function udpReady(
  port: number,
  file: string,
  child: ChildProcess,
  timeoutMs: number,
): Promise<boolean> {
  const socket = createSocket('udp4');
  try {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (child.exitCode !== null || child.signalCode !== null) return false;
      await new Promise<void>((resolve) => {
        socket.send(`<14>1 - - - - - - ${PROBE}`, port, '127.0.0.1', () => resolve());
      });
      await new Promise((resolve) => setTimeout(resolve, 100));
      const text = await readFile(file, 'utf8').catch(() => '');
      if (text.includes(PROBE)) return true;
    }
    return false;
  } finally {
    socket.close();
  }
}

async function freeTcpPorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<Server>((resolve, reject) => {
          const server = createServer();
          server.once('error', reject);
          server.listen(0, '127.0.0.1', () => resolve(server));
        }),
    ),
  );
  const ports = servers.map((server) => {
    const address = server.address();
    if (!address || typeof address === 'string') throw new Error('no port');
    return address.port;
  });
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

async function freeUdpPort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => resolve());
  });
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}
