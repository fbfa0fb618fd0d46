import type { FastifyInstance, FastifyReply } from 'fastify';
import { noteLanguage, SessionStore, type EmulatorContext } from './context.js';
import { FRAME_KEYS } from './integrations.js';
import { renderFrameMessage, renderFramePortal } from './pages.js';
import { queryFields, requestFields } from './request-fields.js';
import {
  DUO_ERROR_FORMAT,
  DUO_MESSAGE_FORMAT,
  parentOriginOf,
  signResponsePart,
  verifyTxPart,
  type VerifiedTx,
} from './web-v2.js';

interface FrameSession {
  tx: VerifiedTx;
  parentOrigin: string;
  /** The language the browser asked for (`noteLanguage`). */
  lang: string;
}

/**
 * Headers of a framed page: only the parent origin may frame it (so it works inside Walkup's
 * iframe and nowhere else), and no inline script or style is needed.
 */
function frameHeaders(reply: FastifyReply, parentOrigin: string | null): FastifyReply {
  return reply
    .header(
      'content-security-policy',
      [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        `frame-ancestors ${parentOrigin ?? "'none'"}`,
      ].join('; '),
    )
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer')
    .header('cache-control', 'no-store')
    .type('text/html; charset=utf-8');
}

function sendError(
  reply: FastifyReply,
  text: string,
  parentOrigin: string | null,
  status = 200,
): FastifyReply {
  const message = `ERR|${text}`;
  if (!DUO_ERROR_FORMAT.test(message)) throw new Error(`frame error text breaks DUO_ERROR_FORMAT: ${text}`);
  return frameHeaders(reply.code(status), parentOrigin).send(
    renderFrameMessage({ heading: 'Duo Security error', text, message, parentOrigin }),
  );
}

/** Web SDK v2 frame: `/frame/web/v1/auth?tx&parent&v` and the pages behind it. */
export function registerWebV2Routes(app: FastifyInstance, context: EmulatorContext): void {
  const sessions = new SessionStore<FrameSession>();

  const showPortal = (reply: FastifyReply, sid: string, session: FrameSession): FastifyReply =>
    frameHeaders(reply, session.parentOrigin).send(
      renderFramePortal({
        sid,
        username: session.tx.username,
        devices: context.devices.list(session.tx.username),
        enroll: session.tx.responsePrefix === 'ENROLL',
        lang: session.lang,
      }),
    );

  app.get('/frame/web/v1/auth', async (request, reply) => {
    const query = queryFields(request);
    const tx = query.get('tx');
    const parent = query.get('parent');
    const parentOrigin = parent === undefined ? null : parentOriginOf(parent);
    if (!tx || parentOrigin === null) return sendError(reply, 'Missing request parameters.', parentOrigin);
    const verified = verifyTxPart(tx, FRAME_KEYS, context.clock.nowSeconds());
    if (!verified.ok) return sendError(reply, verified.reason, parentOrigin);
    const session = { tx: verified.value, parentOrigin, lang: noteLanguage(context, request, 'v2') };
    return showPortal(reply, sessions.open(session), session);
  });

  app.get('/frame/web/v1/portal', async (request, reply) => {
    const sid = queryFields(request).get('sid');
    const session = sessions.get(sid);
    if (sid === undefined || session === undefined) return sendError(reply, 'Session expired.', null, 404);
    return showPortal(reply, sid, session);
  });

  app.post('/frame/web/v1/devices', async (request, reply) => {
    const sid = (await requestFields(request)).get('sid');
    const session = sessions.get(sid);
    if (sid === undefined || session === undefined) return sendError(reply, 'Session expired.', null, 404);
    context.devices.add(session.tx.username);
    return reply.redirect(`/frame/web/v1/portal?sid=${encodeURIComponent(sid)}`, 303);
  });

  app.post('/frame/web/v1/finish', async (request, reply) => {
    const sid = (await requestFields(request)).get('sid');
    const session = sessions.get(sid);
    if (sid === undefined || session === undefined) return sendError(reply, 'Session expired.', null, 404);
    sessions.close(sid);
    const message = signResponsePart(session.tx, context.clock.nowSeconds());
    if (!DUO_MESSAGE_FORMAT.test(message)) throw new Error('AUTH part breaks DUO_MESSAGE_FORMAT');
    return frameHeaders(reply, session.parentOrigin).send(
      renderFrameMessage({
        heading: 'Done',
        text: 'Your devices are saved. You can close this window.',
        message,
        parentOrigin: session.parentOrigin,
      }),
    );
  });
}
