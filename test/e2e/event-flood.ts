/**
 * Another client holding the portal's event streams open (issue #7, item 4): many
 * `GET /api/events` without a session, and many with sessions of their own, from other loopback
 * addresses (so that the per-address session budget of the person's browser, on 127.0.0.1, is
 * not the one used up). Plain node:http, one socket per stream, held until `close()`.
 */
import http from 'node:http';

/** What the flood got. */
export interface EventFlood {
  /** Streams the portal accepted and that are still open. */
  held(): number;
  /** Answers that were not a stream, by HTTP status. */
  refused: Map<number, number>;
  /** Ends every stream and request. */
  close(): void;
}

export interface EventFloodOptions {
  /** Requests without any cookie. */
  unauthenticated: number;
  /** Streams opened with sessions of the flood's own (three per session). */
  authenticated: number;
  /** Source addresses to spread the flood's sessions over (127.0.0.0/8 all reach loopback). */
  localAddresses: readonly string[];
}

const STREAMS_PER_SESSION = 3;

/** Opens the flood against `baseUrl` and resolves once every request has been answered. */
export async function floodEventStreams(baseUrl: string, options: EventFloodOptions): Promise<EventFlood> {
  const requests = new Set<http.ClientRequest>();
  const open = new Set<http.IncomingMessage>();
  const refused = new Map<number, number>();
  const url = new URL(baseUrl);
  let next = 0;
  const localAddress = () => options.localAddresses[next++ % options.localAddresses.length];

  const request = (path: string, headers: Record<string, string>, address: string | undefined) =>
    new Promise<http.IncomingMessage | undefined>((resolve) => {
      const req = http.get(
        { host: url.hostname, port: url.port, path, headers, localAddress: address, agent: false },
        (response) => resolve(response),
      );
      requests.add(req);
      req.on('error', () => resolve(undefined));
      req.on('close', () => requests.delete(req));
    });

  const openStream = async (cookie: string | undefined, address: string | undefined) => {
    const response = await request('/api/events', cookie ? { cookie } : {}, address);
    if (!response) return;
    if (response.statusCode === 200) {
      open.add(response);
      response.on('close', () => open.delete(response));
      response.resume();
      return;
    }
    refused.set(response.statusCode ?? 0, (refused.get(response.statusCode ?? 0) ?? 0) + 1);
    response.resume();
  };

  const session = async (address: string | undefined): Promise<string | undefined> => {
    const response = await request('/api/station', { accept: 'application/json' }, address);
    if (!response) return undefined;
    response.resume();
    if (response.statusCode !== 200) {
      refused.set(response.statusCode ?? 0, (refused.get(response.statusCode ?? 0) ?? 0) + 1);
      return undefined;
    }
    const cookies = response.headers['set-cookie'] ?? [];
    return cookies.map((cookie) => cookie.split(';')[0]).join('; ') || undefined;
  };

  const batch = async (tasks: (() => Promise<void>)[], size = 50) => {
    for (let start = 0; start < tasks.length; start += size) {
      await Promise.all(tasks.slice(start, start + size).map((task) => task()));
    }
  };

  await batch(
    Array.from({ length: options.unauthenticated }, () => () => openStream(undefined, localAddress())),
  );
  const sessions = Math.ceil(options.authenticated / STREAMS_PER_SESSION);
  await batch(
    Array.from({ length: sessions }, () => async () => {
      const address = localAddress();
      const cookie = await session(address);
      if (!cookie) return;
      for (let stream = 0; stream < STREAMS_PER_SESSION; stream += 1) await openStream(cookie, address);
    }),
    20,
  );

  return {
    held: () => open.size,
    refused,
    close() {
      for (const response of open) response.destroy();
      for (const req of requests) req.destroy();
    },
  };
}
