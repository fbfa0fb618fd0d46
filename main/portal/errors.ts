/**
 * Error bodies of portal mode. Every failure leaves the server as `{ reason }` with a fixed code
 * the renderer (or an operator with curl) can act on; never a message from an exception, never a
 * stack trace.
 */
import type { FastifyError, FastifyReply } from 'fastify';

/** Why the portal refused a request. */
export type PortalErrorReason =
  | 'invalid-request'
  | 'unsupported-media-type'
  | 'payload-too-large'
  | 'csrf-token-missing'
  | 'csrf-token-mismatch'
  | 'cross-site-request'
  | 'no-session'
  | 'not-found'
  | 'too-many-streams'
  /** 429: this client address opened too many sessions lately (`retry-after` says when to retry). */
  | 'too-many-sessions'
  /** 503: every session slot holds a visit in progress; none is ended to make room. */
  | 'sessions-full'
  | 'host-not-allowed'
  | 'internal-error';

/** The JSON body of every portal error response. */
export interface PortalErrorBody {
  reason: PortalErrorReason;
  /** For `invalid-request`: the request fields that failed validation (names only, no values). */
  fields?: string[];
}

/** Sends a portal error with its status code. */
export function sendPortalError(
  reply: FastifyReply,
  status: number,
  reason: PortalErrorReason,
  fields?: string[],
): FastifyReply {
  const body: PortalErrorBody = fields && fields.length > 0 ? { reason, fields } : { reason };
  return reply.code(status).type('application/json; charset=utf-8').send(body);
}

/**
 * Maps an error Fastify raised (body parsing, limits) or an unexpected exception to a status and
 * reason. Anything unknown is a 500 `internal-error`: the details go to the operator log only.
 */
export function classifyFastifyError(error: Pick<FastifyError, 'code' | 'statusCode'>): {
  status: number;
  reason: PortalErrorReason;
} {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { status: 415, reason: 'unsupported-media-type' };
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, reason: 'payload-too-large' };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_VALIDATION':
      return { status: 400, reason: 'invalid-request' };
    default: {
      const status = error.statusCode ?? (error as { status?: number }).status;
      if ((error as { name?: string }).name === 'SyntaxError')
        return { status: 400, reason: 'invalid-request' };
      if (status === 413) return { status: 413, reason: 'payload-too-large' };
      if (status === 415) return { status: 415, reason: 'unsupported-media-type' };
      // Refused static paths (dotfiles, traversal) look like missing ones: nothing to learn.
      if (status === 403 || status === 404 || status === 405) return { status: 404, reason: 'not-found' };
      if (status !== undefined && status >= 400 && status < 500)
        return { status: 400, reason: 'invalid-request' };
      return { status: 500, reason: 'internal-error' };
    }
  }
}
