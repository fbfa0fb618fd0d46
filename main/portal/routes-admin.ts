/**
 * The admin screen and first-run setup over HTTP (`AdminApi` of main/contract/admin.ts, one route
 * per method: `adminHttpRoute`, `GET` for `gate`, `POST` for the others). Registered only when
 * policy sets `portal.adminScreen` (`PortalServerOptions.admin`), and then served only to this
 * machine:
 * - the TCP peer of the socket must be a loopback address, and the `Host` header a loopback name
 *   or address; anything else is answered 404 as if the routes did not exist. `X-Forwarded-For`
 *   is never read here, whatever `portal.trustProxy` says: behind a proxy on the same machine
 *   every browser is "loopback", so a proxied request (one that carries `X-Forwarded-For` or
 *   RFC 7239 `Forwarded`) is refused too;
 * - every POST passes the same checks as the visit routes (`guardStateChange`: provenance,
 *   session, CSRF token) and has its JSON body parsed once with the method's schema
 *   (`adminRequestSchemas`); a body the schema refuses gets 400 `invalid-request` without detail;
 * - `unlock` and `createPin` are rate-limited per client address (a token bucket,
 *   `session-rate.ts`), so a flood costs little: the PIN gate in core locks out after repeated
 *   wrong PINs, this only keeps scrypt from being asked thousands of times at once;
 * - every answer is the AdminApi's value as JSON with `Cache-Control: no-store`.
 * The PIN, the token and the secrets are checked and kept in core (`main/core/admin`); nothing
 * here logs a body.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  adminRequestSchemas,
  type AdminApi,
  type AdminMethod,
  type AdminUnlockResult,
} from '../contract/admin';
import { adminMethods, adminHttpRoute, CSRF_HEADER } from '../contract/channels';
import { clientKey } from '../core/directory/throttle';
import { systemClock, type Clock } from '../core/ports';
import { sendPortalError } from './errors';
import { isLoopbackAddress, isLoopbackHost } from './host-check';
import type { PortalContext } from './server';
import { createSessionRateLimiter } from './session-rate';

/**
 * Largest admin request bodies, in bytes. `save` and `check` carry a draft (at most
 * `MAX_SETTING_CHANGES` changes and a few secrets of at most `MAX_ADMIN_SECRET_LENGTH` code
 * units, each up to 6 bytes escaped); `testSignIn` a username and password within the sign-in
 * bounds; the rest a PIN or a token.
 */
export const ADMIN_BODY_LIMITS: Readonly<Record<AdminMethod, number>> = {
  gate: 1024,
  unlock: 1024,
  createPin: 1024,
  changePin: 1024,
  status: 1024,
  lock: 1024,
  restart: 1024,
  exit: 1024,
  testSignIn: 64 * 1024,
  check: 128 * 1024,
  save: 128 * 1024,
};

/** PIN requests (`unlock`, `createPin`) one client may send at once, then one per refill. */
export const ADMIN_PIN_BURST = 5;
/** Seconds until one more PIN request is allowed after the burst. */
export const ADMIN_PIN_REFILL_SECONDS = 2;

/** What `registerAdminRoutes` needs besides the portal's shared context. */
export interface AdminRouteOptions {
  api: AdminApi;
  /** The rate limiter's clock (default: the system clock). */
  clock?: Clock;
  /** Told once the answer to a request of `method` has been sent (not for refused requests). */
  onAnswered?: (method: AdminMethod) => void;
  /** Overrides of `ADMIN_PIN_BURST` / `ADMIN_PIN_REFILL_SECONDS` (tests). */
  pinBurst?: number;
  pinRefillSeconds?: number;
}

/** Methods that check a PIN (scrypt) and so are rate-limited per client. */
const pinMethods: ReadonlySet<AdminMethod> = new Set(['unlock', 'createPin']);

/**
 * Whether a request may reach the admin routes: its socket's peer is loopback, it was addressed
 * to a loopback name, and it did not come through a proxy. Pure, for the tests.
 */
export function isLocalAdminRequest(request: {
  socketAddress: string | undefined;
  host: string | undefined;
  /** `X-Forwarded-For` or `Forwarded`, when the request carries either. */
  forwardedFor: string | string[] | undefined;
}): boolean {
  return (
    request.forwardedFor === undefined &&
    isLoopbackAddress(request.socketAddress) &&
    isLoopbackHost(request.host)
  );
}

/** Registers the admin routes on `app` (call only when policy enables the admin screen). */
export function registerAdminRoutes(
  app: FastifyInstance,
  context: PortalContext,
  options: AdminRouteOptions,
): void {
  const { api } = options;
  const clock = options.clock ?? systemClock;
  const pinRate = createSessionRateLimiter({
    capacity: options.pinBurst ?? ADMIN_PIN_BURST,
    refillSeconds: options.pinRefillSeconds ?? ADMIN_PIN_REFILL_SECONDS,
  });

  // Runs before the body is read: a refused request costs no parsing.
  const onlyLocal = async (request: FastifyRequest, reply: FastifyReply): Promise<unknown> => {
    const local = isLocalAdminRequest({
      socketAddress: request.socket.remoteAddress,
      host: request.headers.host,
      forwardedFor: request.headers['x-forwarded-for'] ?? request.headers.forwarded,
    });
    if (!local) return sendPortalError(reply, 404, 'not-found');
    reply.header('cache-control', 'no-store');
    return undefined;
  };

  // Fastify calls onResponse once the answer has been sent (the response's finish).
  const answered = (method: AdminMethod) => async (_request: FastifyRequest, reply: FastifyReply) => {
    if (reply.statusCode === 200) options.onAnswered?.(method);
  };

  app.get(
    adminHttpRoute('gate'),
    { onRequest: onlyLocal, onResponse: answered('gate') },
    async (request, reply) => {
      // Like the visit GETs: the browser session is made here if needed, and its CSRF token given out.
      const session = context.sessionFor(request, reply, true);
      if (!session) return reply;
      reply.header(CSRF_HEADER, session.csrfToken);
      return api.gate();
    },
  );

  for (const method of adminMethods) {
    if (method === 'gate') continue;
    const schema = adminRequestSchemas[method];
    app.post(
      adminHttpRoute(method),
      { onRequest: onlyLocal, onResponse: answered(method), bodyLimit: ADMIN_BODY_LIMITS[method] },
      async (request, reply) => {
        if (!context.guardStateChange(request, reply)) return reply;
        // The bucket is taken synchronously, before anything is awaited.
        if (pinMethods.has(method)) {
          const decision = pinRate.take(clientKey(request.socket.remoteAddress ?? ''), clock.now());
          if (!decision.allowed) {
            // Not a lockout: the PIN was not judged. The gate says how things really stand.
            const paused: AdminUnlockResult = { ok: false, reason: 'busy', gate: await api.gate() };
            return reply.code(429).header('retry-after', String(decision.retryAfterSeconds)).send(paused);
          }
        }
        const parsed = schema.safeParse(request.body ?? {});
        if (!parsed.success) return sendPortalError(reply, 400, 'invalid-request');
        const call = api[method] as (this: AdminApi, request: unknown) => Promise<unknown>;
        return call.call(api, parsed.data);
      },
    );
  }
}
