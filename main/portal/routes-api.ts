/**
 * The contract's request/response calls as JSON routes (`httpRoutes`). Every `GET /api/*`
 * response carries the session's CSRF token; every POST passes `guardStateChange` first, has its
 * body parsed with the contract's zod schema, and runs held (`runHeld`): when the visit starts
 * (successful sign-in) or is reset during it, its answer carries the renewed session cookie and
 * CSRF token, and the old ones are refused from then on. Every answer names the visit phase
 * (`VISIT_PHASE_HEADER`, set in `server.ts`).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import {
  CSRF_HEADER,
  duoResponseRequestSchema,
  finishRequestSchema,
  httpRoutes,
  signInRequestSchema,
  type SignInRequest,
  type SignInResult,
} from '../contract';
import { sendPortalError } from './errors';
import { callbackCookieName, callbackCookieOptions } from './session-cookies';
import type { PortalContext } from './server';
import type { AdmitVisitResult, PortalSession } from './session-store';
import { newSupportReference } from '../core/enrollment/support-reference';

type ParseResult<T> = { ok: true; value: T } | { ok: false };

/** Seconds a client holding too many visits in progress is asked to wait. */
const CLIENT_VISITS_FULL_RETRY_SECONDS = 60;

/**
 * A sign-in the portal refuses before the engine (`SessionStore.admitVisit`): this client holds
 * too many visits in progress or renewed its session too often. A typed contract answer
 * (`station-paused`: not the person's own doing) with 429 and Retry-After; the support reference
 * is in the operator log with the cause (no audit line: nothing was checked).
 */
function refuseVisit(
  context: PortalContext,
  reply: FastifyReply,
  refusal: Extract<AdmitVisitResult, { ok: false }>,
): SignInResult {
  const retryAfterSeconds =
    refusal.reason === 'rate-limited' ? refusal.retryAfterSeconds : CLIENT_VISITS_FULL_RETRY_SECONDS;
  const reference = newSupportReference();
  context.logger.warn('portal.sign-in-refused', { why: refusal.reason, reference });
  reply.code(429).header('retry-after', String(retryAfterSeconds));
  return { ok: false, reason: 'station-paused', retryAfterSeconds, reference };
}

/**
 * A sign-in body the schema refused only because a field is longer than
 * `MAX_SIGN_IN_FIELD_LENGTH`: still the person's input, so it goes to the engine, which answers
 * `invalid-input` naming the field (not a 400 the page would show as an outage). Undefined for
 * anything else (not an object of two strings).
 */
function overLongSignIn(body: unknown): SignInRequest | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const { username, password } = body as Record<string, unknown>;
  return typeof username === 'string' && typeof password === 'string' ? { username, password } : undefined;
}

/** Parses a body with its schema; on failure sends 400 `invalid-request` naming the fields. */
function parseBody<T>(schema: z.ZodType<T>, body: unknown, reply: FastifyReply): ParseResult<T> {
  const result = schema.safeParse(body);
  if (result.success) return { ok: true, value: result.data };
  const fields = [...new Set(result.error.issues.map((issue) => issue.path.join('.') || '(body)'))];
  void sendPortalError(reply, 400, 'invalid-request', fields);
  return { ok: false };
}

/** Registers the contract routes. */
export function registerApiRoutes(app: FastifyInstance, context: PortalContext): void {
  const { engine } = context;

  /** Session for a GET: created on first contact, and its CSRF token handed out. */
  const readSession = (request: FastifyRequest, reply: FastifyReply): PortalSession | undefined => {
    const session = context.sessionFor(request, reply, true);
    if (session) reply.header(CSRF_HEADER, session.csrfToken);
    return session;
  };

  app.get(httpRoutes.getStation, async (request, reply) => {
    if (!readSession(request, reply)) return reply;
    return engine.getStation();
  });

  app.get(httpRoutes.getVisit, async (request, reply) => {
    const session = readSession(request, reply);
    if (!session) return reply;
    return session.visit.getVisit();
  });

  app.post(httpRoutes.signIn, async (request, reply) => {
    const session = context.guardStateChange(request, reply);
    if (!session) return reply;
    const checked = signInRequestSchema.safeParse(request.body);
    const signInRequest = checked.success ? checked.data : overLongSignIn(request.body);
    if (!signInRequest) {
      parseBody(signInRequestSchema, request.body, reply); // sends the 400 naming the fields
      return reply;
    }
    // No await between the admission and the start of the sign-in (`runHeld` calls it at once).
    const admitted = context.store.admitVisit(session, request.ip);
    if (!admitted.ok) return refuseVisit(context, reply, admitted);
    const { value: result, session: current } = await context.runHeld(request, reply, session, () =>
      session.visit.signIn(signInRequest, { client: request.ip }),
    );
    if (current) bindDuoCallback(context, current, result, reply);
    return result;
  });

  app.post(httpRoutes.submitDuoResponse, async (request, reply) => {
    const session = context.guardStateChange(request, reply);
    if (!session) return reply;
    const parsed = parseBody(duoResponseRequestSchema, request.body, reply);
    if (!parsed.ok) return reply;
    const { value } = await context.runHeld(request, reply, session, () =>
      session.visit.submitDuoResponse(parsed.value),
    );
    return value;
  });

  app.post(httpRoutes.finish, async (request, reply) => {
    const session = context.guardStateChange(request, reply);
    if (!session) return reply;
    const parsed = parseBody(finishRequestSchema, request.body ?? {}, reply);
    if (!parsed.ok) return reply;
    const { session: current } = await context.runHeld(request, reply, session, () =>
      session.visit.finish(parsed.value),
    );
    if (current) context.store.clearCallback(current);
    return reply.code(204).send();
  });

  app.post(httpRoutes.activity, async (request, reply) => {
    const session = context.guardStateChange(request, reply);
    if (!session) return reply;
    await context.runHeld(request, reply, session, () => session.visit.activity());
    return reply.code(204).send();
  });
}

/**
 * When the browser is about to leave for Duo's Universal Prompt, binds a callback token to the
 * session and sets it in the SameSite=Lax callback cookie. Whether a callback belongs to the
 * visit's authorization is the visit's to say (`VisitSession.expectsDuoCallback`); the portal
 * never reads Duo's request object.
 */
function bindDuoCallback(
  context: PortalContext,
  session: PortalSession,
  result: SignInResult,
  reply: FastifyReply,
): void {
  if (!result.ok || result.duo.kind !== 'page' || result.duo.presentation !== 'redirect') return;
  const ttlSeconds = context.engine.getStation().idle.visitCapSeconds;
  const token = context.store.bindCallback(session, ttlSeconds * 1000);
  reply.setCookie(
    callbackCookieName(context.secure),
    token,
    callbackCookieOptions(context.secure, ttlSeconds),
  );
}
