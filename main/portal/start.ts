/**
 * Starts portal mode listening on a host and port.
 */
import { createServer } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { portalBaseUrl } from './redirect-uri';
import { createPortalServer, type PortalServerOptions } from './server';

/** The default port when neither the configuration nor `PORT` names one. */
export const DEFAULT_PORTAL_PORT = 8787;
/** Portal mode binds to loopback unless told otherwise: exposing it is a deliberate choice. */
export const DEFAULT_PORTAL_HOST = '127.0.0.1';

/** What `startPortal` needs: the server options plus where to listen. */
export interface StartPortalOptions extends PortalServerOptions {
  host?: string;
  /** Port to listen on; default `PORT` from the environment, else 8787. 0 picks a free port. */
  port?: number;
  env?: NodeJS.ProcessEnv;
}

/** A listening portal. */
export interface RunningPortal {
  app: FastifyInstance;
  host: string;
  port: number;
  /** Where a browser reaches the portal (the public URL when one is configured). */
  url: string;
  /** Stops listening and ends every browser session (the engine stays open). */
  close(): Promise<void>;
}

/** Reads a `PORT`-style value; undefined when absent or not a valid port. */
export function parsePortValue(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d{1,5}$/.test(value.trim())) return undefined;
  const port = Number(value);
  return port <= 65_535 ? port : undefined;
}

/** Creates the portal server and listens. */
export async function startPortal(options: StartPortalOptions): Promise<RunningPortal> {
  const host = options.host ?? DEFAULT_PORTAL_HOST;
  const port = options.port ?? parsePortValue((options.env ?? process.env).PORT) ?? DEFAULT_PORTAL_PORT;
  const app = await createPortalServer(options);
  await app.listen({ host, port });
  const address = app.server.address();
  const boundPort = address && typeof address === 'object' ? address.port : port;
  return {
    app,
    host,
    port: boundPort,
    url: portalBaseUrl({ host, port: boundPort, publicUrl: options.publicUrl }),
    close: () => app.close(),
  };
}

/**
 * Finds a free TCP port on `host`. The v4 `redirect_uri` must be known before the engine (and so
 * the server) is built, so port 0 ("any") is resolved to a real port first.
 */
export function reserveFreePort(host: string = DEFAULT_PORTAL_HOST): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.once('error', reject);
    probe.listen({ host, port: 0 }, () => {
      const address = probe.address();
      const port = address && typeof address === 'object' ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}
