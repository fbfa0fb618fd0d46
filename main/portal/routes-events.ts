/**
 * `GET /api/events`: the contract's events as a Server-Sent Events stream. Each event is one
 * `data:` line holding a `WalkupEvent` as JSON (the default `message` event of `EventSource`);
 * comment lines keep proxies from closing an idle stream. Subscriptions end when the browser
 * disconnects, the session identity ends (renewed, reset, expired) or the server closes.
 *
 * Streams cannot be exhausted by someone else:
 * - only a live session gets one (no cookie, or an unknown one: 403 `no-session`; the route never
 *   creates a session, the page's first GET does);
 * - a session holds at most `maxStreamsPerSession`; a further one closes its oldest;
 * - beyond `maxEventStreams` in all, the oldest stream is closed to make room, except the newest
 *   stream of a session whose visit is in progress (protected: that visit keeps a stream for its
 *   reset). When every open stream is protected, a stream of a visit in progress is still always
 *   admitted: the protected stream of the visit with the oldest activity (another session's)
 *   is closed for it, and that page falls back on its own countdown and the visit phase that
 *   every API answer carries. Only a session without a visit in progress is refused then (503).
 */
import { PassThrough } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { CSRF_HEADER, httpRoutes, type WalkupEvent } from '../contract';
import { sendPortalError } from './errors';
import type { PortalContext } from './server';
import type { PortalSession } from './session-store';

/** One SSE frame for an event. JSON never contains a raw newline, so one `data:` line suffices. */
export function formatServerSentEvent(event: WalkupEvent): string {
  return `data: ${JSON.stringify(event)}\n\n`;
}

/** One open stream. */
interface OpenStream {
  session: PortalSession;
  end(): void;
}

/** Registers the event stream route. */
/**
 * Events that say nothing about a visit in progress: the station, a reset, the idle screen. The
 * only ones a retired identity's streams may still carry.
 */
function carriesNoVisit(event: WalkupEvent): boolean {
  if (event.type === 'station-changed' || event.type === 'visit-reset') return true;
  return event.type === 'visit-changed' && event.visit.phase === 'idle';
}

export function registerEventRoute(app: FastifyInstance, context: PortalContext): void {
  // Insertion order is opening order: the first entry is the oldest stream.
  const open = new Set<OpenStream>();
  const bySession = new Map<PortalSession, OpenStream[]>();

  // A stream of an ended session identity would stay silent forever; closing it makes the
  // browser's EventSource reconnect with its current cookie.
  context.onSessionEnded((session) => {
    for (const stream of [...(bySession.get(session) ?? [])]) stream.end();
  });

  // Streams never go idle, so they must be ended before the server can close.
  app.addHook('preClose', async () => {
    for (const stream of [...open]) stream.end();
  });

  /** The newest stream of a session whose visit is in progress is never closed to make room. */
  const isProtected = (stream: OpenStream): boolean =>
    stream.session.visit.inProgress && bySession.get(stream.session)?.at(-1) === stream;

  /**
   * Closes the oldest stream that may go. When every open stream is protected and `requester`'s
   * visit is in progress, closes the protected stream of the least recently active other session
   * instead. False when nothing may go.
   */
  const evictOldest = (requester: PortalSession): boolean => {
    for (const stream of open) {
      if (!isProtected(stream)) {
        stream.end();
        return true;
      }
    }
    if (!requester.visit.inProgress) return false;
    let stalest: OpenStream | undefined;
    for (const stream of open) {
      if (stream.session === requester) continue;
      if (!stalest || stream.session.lastSeenAt < stalest.session.lastSeenAt) stalest = stream;
    }
    if (!stalest) return false;
    stalest.end();
    return true;
  };

  app.get(httpRoutes.events, async (request, reply) => {
    const session = context.sessionFor(request, reply, false);
    if (!session) return sendPortalError(reply, 403, 'no-session');
    reply.header(CSRF_HEADER, session.csrfToken);

    // Room first, all without an await between the checks and the insertion below.
    const own = bySession.get(session) ?? [];
    while (own.length >= context.limits.maxStreamsPerSession) own[0]?.end();
    while (open.size >= context.limits.maxEventStreams) {
      if (!evictOldest(session)) return sendPortalError(reply, 503, 'too-many-streams');
    }

    const body = new PassThrough();
    const send = (event: WalkupEvent): void => {
      // A retired identity (its visit started or was reset, see session-store.ts) names nobody:
      // its streams still hear that the visit ended, never what the next visit is.
      if (!context.store.isCurrent(session) && !carriesNoVisit(event)) return;
      body.write(formatServerSentEvent(event));
    };
    // The engine sends station changes to every session too, so one subscription covers both.
    const unsubscribeVisit = session.visit.onEvent(send);
    const heartbeat = setInterval(
      () => body.write(': heartbeat\n\n'),
      context.limits.heartbeatSeconds * 1000,
    );
    heartbeat.unref();

    const stream: OpenStream = {
      session,
      end: () => {
        if (!open.delete(stream)) return;
        const streams = bySession.get(session);
        const index = streams?.indexOf(stream) ?? -1;
        if (streams && index >= 0) streams.splice(index, 1);
        if (streams?.length === 0) bySession.delete(session);
        clearInterval(heartbeat);
        unsubscribeVisit();
        body.end();
      },
    };
    open.add(stream);
    own.push(stream);
    bySession.set(session, own);
    reply.raw.on('close', stream.end);

    // The first bytes flush the headers, so the browser's EventSource opens at once.
    body.write('retry: 3000\n: connected\n\n');
    return reply
      .header('content-type', 'text/event-stream; charset=utf-8')
      .header('x-accel-buffering', 'no')
      .send(body);
  });
}
