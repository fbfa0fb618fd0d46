/**
 * `GET /duo/callback`: where Duo's Universal Prompt (Web SDK v4) sends the browser back.
 *
 * The session cookie is SameSite=Strict, and browsers do not send Strict cookies on a top-level
 * navigation that another site started, which is exactly what Duo's redirect is. Two fixes exist:
 * (1) answer with a tiny page that navigates to itself again, now same-site, so the Strict cookie
 * comes along; or (2) a second, narrow cookie that *is* sent on that redirect. We use (2): a
 * SameSite=Lax cookie limited to this path, set only when a visit leaves for Duo, holding a random
 * token bound server-side to that session, valid for one visit and cleared after one use. A
 * callback that arrives with only that cookie is handed over only when the visit says it is the
 * answer to its own pending authorization (`VisitSession.expectsDuoCallback`: the `state` it
 * issued, compared in constant time); anything else (a forged link) is ignored and the cookie
 * kept for Duo's real redirect. It needs no page or script of ours to run between Duo and the
 * result (our CSP allows no inline script anyway), it works for non-browser clients too, and it
 * grants nothing but this one callback: the API still demands the Strict cookie and CSRF token.
 *
 * The query is parsed once, with the contract's `parseDuoCallbackQuery` (the kiosk's navigation
 * policy reads the same format with it). After the engine has handled the callback the browser is
 * sent (303) to `/`; the renderer then reads Done or Failed from `getVisit`. A callback that
 * matches no session does nothing.
 */
import type { FastifyInstance } from 'fastify';
import { httpRoutes } from '../contract';
import { parseDuoCallbackQuery } from '../contract/duo-formats';
import { callbackCookieName, callbackCookieOptions } from './session-cookies';
import type { PortalContext } from './server';

/** Registers the v4 callback route. */
export function registerDuoCallbackRoute(app: FastifyInstance, context: PortalContext): void {
  const cookieName = callbackCookieName(context.secure);

  app.get(httpRoutes.duoCallback, async (request, reply) => {
    const callbackToken = request.cookies[cookieName];
    const clearCallbackCookie = (): void => {
      if (callbackToken !== undefined)
        reply.clearCookie(cookieName, callbackCookieOptions(context.secure, 1));
    };

    const params = parseDuoCallbackQuery(request.query);
    if (!params) {
      context.logger.warn('portal.duo-callback-malformed', {});
      return reply.redirect('/', 303);
    }

    // A same-site navigation brings the Strict session cookie; Duo's cross-site redirect brings
    // only the Lax callback cookie, which must name a session whose visit awaits this callback.
    let session = context.sessionFor(request, reply, false);
    const via = session ? 'session-cookie' : 'callback-cookie';
    if (!session) {
      const bound = context.store.findByCallbackToken(callbackToken);
      if (!bound) {
        clearCallbackCookie();
        context.logger.info('portal.duo-callback-without-session', {});
        return reply.redirect('/', 303);
      }
      if (!bound.visit.expectsDuoCallback(params)) {
        // Not this visit's authorization (a forged link, say): ignore it, and keep the cookie for
        // Duo's real redirect.
        context.logger.warn('portal.duo-callback-state-mismatch', {});
        return reply.redirect('/', 303);
      }
      session = bound;
    } else if (session.visit.getVisit().phase === 'duo' && !session.visit.expectsDuoCallback(params)) {
      // A link from a sibling site brings the Strict cookie too: a visit waiting for Duo hears only
      // its own authorization, so a forged link cannot end it. (With nothing pending, the visit
      // hears it and records the stray callback, as a replay or one without a visit.)
      context.logger.warn('portal.duo-callback-state-mismatch', { via });
      return reply.redirect('/', 303);
    }

    // One use only.
    context.store.clearCallback(session);
    clearCallbackCookie();
    const result = await session.visit.handleDuoCallback(params);
    context.logger.info(
      'portal.duo-callback',
      result.ok ? { ok: true, via } : { ok: false, via, reason: result.reason },
    );
    return reply.redirect('/', 303);
  });
}
