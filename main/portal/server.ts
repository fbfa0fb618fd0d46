/**
 * Portal mode: the renderer contract as JSON over HTTP, plus the built renderer, for browsers.
 * A thin transport over the enrollment engine, like the Electron IPC layer; every rule lives in
 * `main/core`. See `routes-api.ts`, `routes-events.ts` and `routes-duo-callback.ts`.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { CSRF_HEADER, VISIT_PHASE_HEADER } from '../contract';
import type { AdminApi, AdminMethod } from '../contract/admin';
import type { EnrollmentEngine } from '../core/enrollment/types';
import { systemClock, type Clock, type Logger } from '../core/ports';
import { checkRequestProvenance, csrfTokensMatch } from './csrf';
import { classifyFastifyError, sendPortalError } from './errors';
import { isAllowedHost } from './host-check';
import { registerAdminRoutes } from './routes-admin';
import { registerApiRoutes } from './routes-api';
import { registerDuoCallbackRoute } from './routes-duo-callback';
import { registerEventRoute } from './routes-events';
import { buildSecurityHeaders, isNoStorePath } from './security-headers';
import { sessionCookieName, sessionCookieOptions } from './session-cookies';
import { createSessionStore, type PortalSession, type SessionStore } from './session-store';

/** Limits of portal mode; the defaults suit one site's walk-up traffic. */
export interface PortalLimits {
  /**
   * Most browser sessions held at once (default 1000): the bound the engine's visit registry
   * applies when this portal opens a session (capped by the engine's own `MAX_SESSIONS`).
   */
  maxSessions: number;
  /** A session without requests for this long ends, unless its visit is in progress (default 30 min). */
  sessionIdleSeconds: number;
  /** No session lives longer, unless its visit is in progress (default 12 h). */
  sessionMaxAgeSeconds: number;
  /**
   * Most open event streams at once (default 500). Beyond it the oldest stream is closed, except
   * the newest stream of a session whose visit is in progress. When every stream is such a one,
   * a visit in progress still gets its stream (the least recently active other visit's stream is
   * closed); only a session without a visit in progress is refused (503 `too-many-streams`).
   */
  maxEventStreams: number;
  /** Most open event streams of one session (default 3); beyond it its oldest stream is closed. */
  maxStreamsPerSession: number;
  /**
   * New sessions one client (an IPv4 address or an IPv6 /64, the directory throttle's
   * `clientKey`) may open at once (default 100), then one more every `sessionRefillSeconds`
   * (default 1 s). Beyond it: 429 `too-many-sessions`. A sign-in from a session whose visit is
   * already under way (it renews the session) takes from the same budget; beyond it the sign-in
   * is refused with `station-paused` and a wait.
   */
  sessionBurst: number;
  sessionRefillSeconds: number;
  /**
   * Most visits in progress (signing in, Duo, Done, Failed) one client may hold at once (default
   * 20). Beyond it a further sign-in from that client is refused with `station-paused` (429)
   * instead of filling the engine's visit registry; other clients are not affected.
   */
  maxVisitsPerClient: number;
  /** Interval of SSE heartbeat comments (default 15 s). */
  heartbeatSeconds: number;
  /**
   * Largest request body (default 128 KiB, above `MAX_SIGN_IN_REQUEST_BYTES` so that every sign-in
   * the schema can take reaches the engine and gets its typed answer).
   */
  bodyLimitBytes: number;
}

/** The limits used where `PortalServerOptions.limits` leaves one out. */
export const defaultPortalLimits: PortalLimits = {
  maxSessions: 1000,
  sessionIdleSeconds: 30 * 60,
  sessionMaxAgeSeconds: 12 * 60 * 60,
  maxEventStreams: 500,
  maxStreamsPerSession: 3,
  sessionBurst: 100,
  sessionRefillSeconds: 1,
  maxVisitsPerClient: 20,
  heartbeatSeconds: 15,
  bodyLimitBytes: 128 * 1024,
};

/** What `createPortalServer` needs. */
export interface PortalServerOptions {
  engine: EnrollmentEngine;
  /** Folder of the built renderer (`out/renderer`), served at `/`. */
  rendererDir: string;
  /** Duo API host, only when the v2 iframe is in use (it becomes the CSP `frame-src`). */
  duoHost?: string | undefined;
  /** Public base URL; `https://…` makes the cookies Secure. */
  publicUrl?: string | undefined;
  /**
   * Host names (besides IP addresses, `localhost` and the public URL's host) that browsers may
   * use to reach the portal; requests for any other name are refused (DNS rebinding).
   */
  allowedHostNames?: readonly string[];
  logger: Logger;
  clock?: Clock;
  limits?: Partial<PortalLimits>;
  /**
   * `portal.trustProxy`: take the client address (per-client throttling) from `X-Forwarded-For`
   * as set by one reverse proxy in front, i.e. the address that proxy saw (the last entry), so a
   * client cannot choose its own address by sending the header. Off (default): the socket's
   * address. Only for a portal reachable through that proxy alone.
   */
  trustProxy?: boolean;
  /**
   * The admin screen's API (`routes-admin.ts`): pass it only when policy sets
   * `portal.adminScreen`. Its routes answer loopback clients alone; absent, they do not exist.
   */
  admin?: AdminApi | undefined;
  /**
   * Told once the answer to an admin request has been sent (`routes-admin.ts`), so a restart or
   * an exit the admin asked for waits until the admin's browser has its answer.
   */
  onAdminAnswered?: ((method: AdminMethod) => void) | undefined;
}

/** What the route modules share. */
export interface PortalContext {
  engine: EnrollmentEngine;
  store: SessionStore;
  logger: Logger;
  limits: PortalLimits;
  /** Whether cookies are Secure (public URL is https). */
  secure: boolean;
  /**
   * Calls `listener` whenever a session identity ends: renewed (same visit, new id), reset,
   * expired or evicted by the engine's visit registry, disposed, server or engine closing.
   */
  onSessionEnded(listener: (session: PortalSession) => void): void;
  /**
   * The session of the request's cookie; with `create`, a new one when there is none (cookie set
   * on the reply). Undefined when there is none, or when a new one was refused (the reply, 429
   * `too-many-sessions` or 503 `sessions-full`, has been sent).
   */
  sessionFor(request: FastifyRequest, reply: FastifyReply, create: boolean): PortalSession | undefined;
  /**
   * Runs a state-changing request of `session` (see `SessionStore.hold`); when the visit started
   * or was reset meanwhile, the answer carries the renewed session id (cookie) and CSRF token.
   * Returns `run`'s result and the session that now stands for the browser (if any).
   */
  runHeld<T>(
    request: FastifyRequest,
    reply: FastifyReply,
    session: PortalSession,
    run: () => T | Promise<T>,
  ): Promise<{ value: T; session: PortalSession | undefined }>;
  /**
   * The checks every state-changing request passes: provenance, session, CSRF token. Sends the
   * 403 itself and returns undefined when one fails.
   */
  guardStateChange(request: FastifyRequest, reply: FastifyReply): PortalSession | undefined;
}

/**
 * Builds the portal's Fastify instance (not listening yet; see `startPortal`). Closing the
 * instance ends every browser session; it does not close the engine.
 */
export async function createPortalServer(options: PortalServerOptions): Promise<FastifyInstance> {
  const limits: PortalLimits = { ...defaultPortalLimits, ...options.limits };
  const clock = options.clock ?? systemClock;
  const secure = options.publicUrl?.toLowerCase().startsWith('https:') ?? false;
  const publicOrigin = options.publicUrl ? new URL(options.publicUrl).origin : undefined;
  const { logger, engine } = options;

  const app = Fastify({
    logger: false,
    bodyLimit: limits.bodyLimitBytes,
    // Slow-loris protection: a request must arrive completely within this time.
    requestTimeout: 30_000,
    return503OnClosing: true,
    // Requests Fastify rejects before routing (a malformed URL) get our headers and error body too.
    frameworkErrors: (_error, _request, reply) => {
      reply.headers(buildSecurityHeaders({ duoHost: options.duoHost }));
      void sendPortalError(reply, 400, 'invalid-request');
    },
    // Event streams and kept-alive browser connections must not hold a shutdown open.
    forceCloseConnections: true,
    // One trusted hop (the socket's peer, the proxy): request.ip is the address the proxy saw,
    // the last X-Forwarded-For entry, not whatever a client put before it.
    trustProxy: options.trustProxy === true ? (_address: string, hop: number) => hop === 0 : false,
  });

  const sessionEndedListeners = new Set<(session: PortalSession) => void>();
  // Browser identities over the engine's one registry of visit sessions, which keeps the bounds.
  const store = createSessionStore({
    clock,
    visits: engine.visits,
    maxSessions: limits.maxSessions,
    idleTtlMs: limits.sessionIdleSeconds * 1000,
    maxAgeMs: limits.sessionMaxAgeSeconds * 1000,
    rate: { capacity: limits.sessionBurst, refillSeconds: limits.sessionRefillSeconds },
    maxVisitsPerClient: limits.maxVisitsPerClient,
    onEnded: (session, why) => {
      if (why !== 'renewed') logger.info('portal.session-ended', { why });
      for (const listener of sessionEndedListeners) listener(session);
    },
  });
  // The engine ends expired visit sessions when it looks at them; this catches the untouched ones.
  const sweeper = setInterval(() => store.sweep(), 60_000);
  sweeper.unref();
  app.addHook('onClose', async () => {
    clearInterval(sweeper);
    store.close();
  });

  await app.register(fastifyCookie);

  // JSON only (a cross-site form cannot send it, so no text/plain either); an empty body counts
  // as "no body" so that `activity` and `finish` may be posted bare.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = String(body);
    if (text.trim() === '') {
      done(null, undefined);
      return;
    }
    try {
      done(null, JSON.parse(text) as unknown);
    } catch {
      done(
        Object.assign(new Error('invalid JSON'), { statusCode: 400, code: 'FST_ERR_CTP_INVALID_JSON_BODY' }),
      );
    }
  });

  const securityHeaders = buildSecurityHeaders({ duoHost: options.duoHost });
  const allowedHostNames = [
    ...(options.publicUrl ? [new URL(options.publicUrl).hostname] : []),
    ...(options.allowedHostNames ?? []),
  ];
  app.addHook('onRequest', async (request, reply) => {
    reply.headers(securityHeaders);
    if (isNoStorePath(request.url)) reply.header('cache-control', 'no-store');
    if (!isAllowedHost(request.headers.host, allowedHostNames)) {
      return sendPortalError(reply, 421, 'host-not-allowed');
    }
    return undefined;
  });

  app.setErrorHandler((error, request, reply) => {
    const { status, reason } = classifyFastifyError(error as { code: string; statusCode?: number });
    if (status >= 500) {
      // Operator log only; the response says nothing about the cause.
      logger.error('portal.request-failed', {
        route: request.routeOptions.url,
        error: error instanceof Error ? `${error.name}: ${error.message}`.slice(0, 300) : 'unknown',
        code: (error as { code?: string }).code,
      });
    }
    return sendPortalError(reply, status, reason);
  });
  app.setNotFoundHandler((_request, reply) => sendPortalError(reply, 404, 'not-found'));

  const cookieName = sessionCookieName(secure);
  // The session each request ended up with, for the visit-phase header.
  const requestSessions = new WeakMap<FastifyRequest, PortalSession>();

  // Every API answer names the visit phase of the browser's session (`idle` when it has none),
  // so a page whose event stream was lost still learns that its visit ended.
  app.addHook('onSend', async (request, reply, payload) => {
    if (!request.url.startsWith('/api/')) return payload;
    const attached = requestSessions.get(request);
    const session =
      attached && store.isCurrent(attached) ? attached : store.peek(request.cookies?.[cookieName]);
    reply.header(VISIT_PHASE_HEADER, session ? session.visit.getVisit().phase : 'idle');
    return payload;
  });

  function sessionFor(
    request: FastifyRequest,
    reply: FastifyReply,
    create: boolean,
  ): PortalSession | undefined {
    const existing = store.get(request.cookies[cookieName]);
    if (existing || !create) {
      if (existing) requestSessions.set(request, existing);
      return existing;
    }
    const created = store.create(request.ip);
    if (!created.ok) {
      logger.warn('portal.session-refused', { why: created.reason });
      if (created.reason === 'rate-limited') {
        reply.header('retry-after', String(created.retryAfterSeconds));
        void sendPortalError(reply, 429, 'too-many-sessions');
      } else {
        void sendPortalError(reply, 503, 'sessions-full');
      }
      return undefined;
    }
    const { session } = created;
    requestSessions.set(request, session);
    reply.setCookie(cookieName, session.id, sessionCookieOptions(secure));
    return session;
  }

  async function runHeld<T>(
    request: FastifyRequest,
    reply: FastifyReply,
    session: PortalSession,
    run: () => T | Promise<T>,
  ): Promise<{ value: T; session: PortalSession | undefined }> {
    const release = store.hold(session);
    try {
      const value = await run();
      // No await between the renewal and handing it out.
      const current = store.settle(session);
      if (current && current !== session) {
        requestSessions.set(request, current);
        reply.setCookie(cookieName, current.id, sessionCookieOptions(secure));
        reply.header(CSRF_HEADER, current.csrfToken);
      }
      return { value, session: current };
    } finally {
      release();
    }
  }

  const context: PortalContext = {
    engine,
    store,
    logger,
    limits,
    secure,
    sessionFor,
    runHeld,
    onSessionEnded: (listener) => sessionEndedListeners.add(listener),
    guardStateChange(request, reply) {
      const host = request.headers.host;
      const allowedOrigins = [
        ...(publicOrigin ? [publicOrigin] : []),
        ...(host ? [`${request.protocol}://${host}`] : []),
      ];
      const provenance = checkRequestProvenance(
        { origin: request.headers.origin, secFetchSite: headerValue(request.headers['sec-fetch-site']) },
        allowedOrigins,
      );
      if (!provenance.ok) {
        void sendPortalError(reply, 403, provenance.reason);
        return undefined;
      }
      const session = sessionFor(request, reply, false);
      if (!session) {
        void sendPortalError(reply, 403, 'no-session');
        return undefined;
      }
      const sent = headerValue(request.headers[CSRF_HEADER]);
      if (!sent) {
        void sendPortalError(reply, 403, 'csrf-token-missing');
        return undefined;
      }
      if (!csrfTokensMatch(sent, session.csrfToken)) {
        void sendPortalError(reply, 403, 'csrf-token-mismatch');
        return undefined;
      }
      return session;
    },
  };

  registerApiRoutes(app, context);
  if (options.admin) {
    registerAdminRoutes(app, context, {
      api: options.admin,
      clock,
      ...(options.onAdminAnswered ? { onAnswered: options.onAdminAnswered } : {}),
    });
  }
  registerEventRoute(app, context);
  registerDuoCallbackRoute(app, context);
  await registerRenderer(app, options.rendererDir, logger);
  return app;
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

async function registerRenderer(app: FastifyInstance, rendererDir: string, logger: Logger): Promise<void> {
  const root = path.resolve(rendererDir);
  if (!existsSync(path.join(root, 'index.html'))) {
    logger.warn('portal.renderer-missing', { rendererDir: root });
    app.get('/', (_request, reply) =>
      reply
        .code(503)
        .type('text/plain; charset=utf-8')
        .send('The Walkup renderer is not built. Run `npm run build:renderer` and restart.\n'),
    );
    return;
  }
  // Vite names what it builds into assets/ after the content's hash (`index-Iv5_vr4r.js`): a new
  // build gets new names, so a browser may keep these for good (RFC 8246 `immutable`).
  const hashedAsset = /[\\/]assets[\\/][^\\/]+-[A-Za-z0-9_-]{8,}\.[a-z0-9]+(\.br|\.gz)?$/;
  await app.register(fastifyStatic, {
    root,
    index: ['index.html'],
    // Hidden files and directory listings are never served.
    dotfiles: 'deny',
    list: false,
    // `scripts/compress-renderer.mjs` wrote `.br` and `.gz` next to each file at build time; the
    // one the browser accepts is sent, with `Vary: accept-encoding` (RFC 9110 section 12.5.3).
    preCompressed: true,
    setHeaders: (reply, filePath) => {
      // index.html (and the unhashed favicon) are revalidated, so a new build is picked up at once.
      reply.header(
        'cache-control',
        hashedAsset.test(filePath) ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
    },
  });
}
