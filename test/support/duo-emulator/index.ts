import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { isIPv6 } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { createEmulatorCertificates } from './certificates.js';
import { EmulatorClock } from './clock.js';
import { sendFail, type EmulatorContext, type SeenLanguage } from './context.js';
import { DeviceBook } from './devices.js';
import { EMULATOR_INTEGRATIONS, type EmulatorIntegrations } from './integrations.js';
import { CodeStore } from './oidc.js';
import { FRAME_SCRIPT, FRAME_SCRIPT_PATH, STYLESHEET, STYLESHEET_PATH } from './pages.js';
import { registerAuthApiRoutes } from './routes-auth-api.js';
import { registerUniversalRoutes } from './routes-universal.js';
import { registerWebV2Routes } from './routes-web-v2.js';

export {
  EMULATOR_INTEGRATIONS,
  EMULATOR_V2_IKEY,
  EMULATOR_V2_SKEY,
  EMULATOR_V4_CLIENT_ID,
  EMULATOR_V4_CLIENT_SECRET,
  type EmulatorIntegrations,
} from './integrations.js';

/**
 * A local stand-in for Duo (Walkup issue #4): the Web SDK v2 frame, the Universal Prompt OIDC
 * endpoints and the Auth API ping/check, over HTTPS on loopback, following the published protocol
 * in Duo's public docs and SDKs closely enough that Duo's own SDKs work against it.
 */
export interface DuoEmulator {
  /** e.g. `https://127.0.0.1:43123`. */
  baseUrl: string;
  /** e.g. `127.0.0.1:43123`: what Walkup's config calls `duo.apiHost`. */
  apiHost: string;
  /** Path of the PEM CA certificate that signed the emulator's TLS certificate. */
  caFile: string;
  /** The same CA certificate, PEM. */
  caPem: string;
  /** The fixed test integrations (also exported as constants). */
  integrations: EmulatorIntegrations;
  /** false: every endpoint answers HTTP 503 as if Duo were down. */
  setAvailable(up: boolean): void;
  /** Shifts the emulator's clock (ping `time`, token `iat`/`exp`, every expiry check). */
  setClockSkewSeconds(seconds: number): void;
  /**
   * The Accept-Language each browser sent when it opened Duo (v4 authorize, v2 frame), oldest
   * first (the last 100): the language Duo's prompt would be shown in.
   */
  languagesSeen(): readonly SeenLanguage[];
  /** Stops the server and deletes the CA file. */
  close(): Promise<void>;
}

/** Where and how to listen. */
export interface DuoEmulatorOptions {
  /** TCP port; 0 (the default) picks a free one. */
  port?: number;
  /** Loopback address to bind; default 127.0.0.1. */
  bindHost?: string;
}

/** Starts an emulator; resolves once it is listening. */
export async function startDuoEmulator(options: DuoEmulatorOptions = {}): Promise<DuoEmulator> {
  const bindHost = options.bindHost ?? '127.0.0.1';
  const certificates = await createEmulatorCertificates(bindHost);
  const app = Fastify({
    https: { key: certificates.serverKeyPem, cert: certificates.serverCertPem },
    logger: false,
    // Browsers keep connections open; close() must not wait for them.
    forceCloseConnections: true,
    bodyLimit: 1024 * 1024,
  });

  let available = true;
  const clock = new EmulatorClock();
  const knownHosts = new Set<string>();
  const context: EmulatorContext = {
    clock,
    devices: new DeviceBook(),
    codes: new CodeStore(),
    apiHost: '',
    knownHosts,
    languagesSeen: [],
  };

  // Every endpoint reads its own body format (form, multipart, JSON for signed calls), so bodies
  // stay raw buffers until a route parses them.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  app.addHook('onRequest', async (_request, reply) => {
    if (!available) {
      return sendFail(reply, 503, {
        code: 50301,
        message: 'Service Unavailable',
        message_detail: 'Duo is down.',
      });
    }
    return undefined;
  });

  app.get(FRAME_SCRIPT_PATH, async (_request, reply) =>
    reply
      .type('text/javascript; charset=utf-8')
      .header('x-content-type-options', 'nosniff')
      .send(FRAME_SCRIPT),
  );
  app.get(STYLESHEET_PATH, async (_request, reply) =>
    reply.type('text/css; charset=utf-8').header('x-content-type-options', 'nosniff').send(STYLESHEET),
  );
  registerWebV2Routes(app, context);
  registerUniversalRoutes(app, context);
  registerAuthApiRoutes(app, context);

  app.setNotFoundHandler(async (_request, reply) =>
    sendFail(reply, 404, { code: 40401, message: 'Resource not found' }),
  );
  app.setErrorHandler(async (error: { statusCode?: number; message?: string }, _request, reply) => {
    const status = error.statusCode !== undefined && error.statusCode >= 400 ? error.statusCode : 500;
    if (status >= 500) console.error('duo-emulator: internal error:', error.message);
    return sendFail(reply, status, {
      code: status * 100,
      message: status >= 500 ? 'Internal error' : 'Bad request',
    });
  });

  await app.listen({ port: options.port ?? 0, host: bindHost });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('duo-emulator: no TCP address');
  const port = address.port;
  const apiHost = isIPv6(bindHost) ? `[${bindHost}]:${port}` : `${bindHost}:${port}`;
  context.apiHost = apiHost;
  for (const name of [apiHost, `127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`])
    knownHosts.add(name);

  const caDir = await mkdtemp(join(tmpdir(), 'walkup-duo-emulator-'));
  const caFile = join(caDir, 'ca.pem');
  await writeFile(caFile, certificates.caPem, { mode: 0o644 });

  let closed = false;
  return {
    baseUrl: `https://${apiHost}`,
    apiHost,
    caFile,
    caPem: certificates.caPem,
    integrations: EMULATOR_INTEGRATIONS,
    setAvailable(up: boolean) {
      available = up;
    },
    setClockSkewSeconds(seconds: number) {
      clock.setSkewSeconds(seconds);
    },
    languagesSeen: () => [...context.languagesSeen],
    async close() {
      if (closed) return;
      closed = true;
      await app.close();
      await rm(caDir, { recursive: true, force: true });
    },
  };
}
