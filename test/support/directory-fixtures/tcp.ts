/**
 * Loopback TCP helpers for directory tests: a counting proxy in front of a real server (to prove
 * which servers an attempt touched) and a blackhole that accepts connections and never answers.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';

export interface TcpHelper {
  port: number;
  /** Connections accepted so far. */
  readonly connections: number;
  close(): Promise<void>;
}

/** A TCP proxy to 127.0.0.1:`targetPort` that counts the connections it accepts. */
export function startCountingProxy(targetPort: number): Promise<TcpHelper> {
  return listen((client) => {
    const upstream = connect(targetPort, '127.0.0.1');
    client.pipe(upstream).pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    return [upstream];
  });
}

/** A server that accepts TCP connections and never sends a byte. */
export function startBlackhole(): Promise<TcpHelper> {
  return listen(() => []);
}

/** A port on which nothing listens (connections are refused). */
export async function refusedPort(): Promise<number> {
  const helper = await listen(() => []);
  await helper.close();
  return helper.port;
}

function listen(onConnection: (socket: Socket) => Socket[]): Promise<TcpHelper> {
  const sockets = new Set<Socket>();
  let connections = 0;
  const server: Server = createServer((socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on('error', () => socket.destroy());
    socket.on('close', () => sockets.delete(socket));
    for (const extra of onConnection(socket)) {
      sockets.add(extra);
      extra.on('close', () => sockets.delete(extra));
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (!address || typeof address === 'string') return reject(new Error('no address'));
      resolve({
        port: address.port,
        get connections() {
          return connections;
        },
        close: () =>
          new Promise<void>((done) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}
