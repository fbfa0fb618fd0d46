/**
 * `GET /api/events`: the contract's events as a Server-Sent Events stream. Each event is one
 * `data:` line holding a `WalkupEvent` as JSON (the default `message` event of `EventSource`);
 * comment lines keep proxies from closing an idle stream. Subscriptions end when the browser
 * disconnects or the server closes.
 */
import { PassThrough } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { CSRF_HEADER, httpRoutes, type WalkupEvent } from '../contract';
import { sendPortalError } from './errors';
import type { PortalContext } from './server';

/** One SSE frame for an event. JSON never contains a raw newline, so one `data:` line suffices. */
export function formatServerSentEvent(event: WalkupEvent): string {
  return `data: ${JSON.stringify(event)}\n\n`;
}

/** Registers the event stream route. */
export function registerEventRoute(app: FastifyInstance, context: PortalContext): void {
  const open = new Set<() => void>();
  const bySession = new Map<string, Set<() => void>>();

  // A stream of an ended session would stay silent forever; closing it makes the browser's
  // EventSource reconnect and pick up its new session.
  context.onSessionEnded((session) => {
    for (const end of [...(bySession.get(session.id) ?? [])]) end();
  });

  // Streams never go idle, so they must be ended before the server can close.
  app.addHook('preClose', async () => {
    for (const end of [...open]) end();
  });

  app.get(httpRoutes.events, async (request, reply) => {
    const session = context.sessionFor(request, reply, true);
    reply.header(CSRF_HEADER, session.csrfToken);
    if (open.size >= context.limits.maxEventStreams) {
      return sendPortalError(reply, 503, 'too-many-streams');
    }

    const stream = new PassThrough();
    const send = (event: WalkupEvent): void => {
      stream.write(formatServerSentEvent(event));
    };
    // The engine sends station changes to every session too, so one subscription covers both.
    const unsubscribeVisit = session.visit.onEvent(send);
    const heartbeat = setInterval(
      () => stream.write(': heartbeat\n\n'),
      context.limits.heartbeatSeconds * 1000,
    );
    heartbeat.unref();

    const end = (): void => {
      if (!open.delete(end)) return;
      const streams = bySession.get(session.id);
      streams?.delete(end);
      if (streams?.size === 0) bySession.delete(session.id);
      clearInterval(heartbeat);
      unsubscribeVisit();
      stream.end();
    };
    open.add(end);
    bySession.set(session.id, (bySession.get(session.id) ?? new Set()).add(end));
    reply.raw.on('close', end);

    // The first bytes flush the headers, so the browser's EventSource opens at once.
    stream.write('retry: 3000\n: connected\n\n');
    return reply
      .header('content-type', 'text/event-stream; charset=utf-8')
      .header('x-accel-buffering', 'no')
      .send(stream);
  });
}
