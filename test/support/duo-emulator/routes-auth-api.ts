import type { FastifyInstance } from 'fastify';
import { verifyAuthApiSignature } from './auth-api-signature.js';
import { sendFail, type EmulatorContext } from './context.js';
import { AUTH_API_KEYS } from './integrations.js';
import { queryPairs, requestPath } from './request-fields.js';

/** Auth API: unsigned `ping` and signed `check` (Duo Auth API docs). */
export function registerAuthApiRoutes(app: FastifyInstance, context: EmulatorContext): void {
  app.get('/auth/v2/ping', async (_request, reply) =>
    reply.send({ stat: 'OK', response: { time: context.clock.nowSeconds() } }),
  );

  app.route({
    method: ['GET', 'POST'],
    url: '/auth/v2/check',
    handler: async (request, reply) => {
      const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const contentType = String(request.headers['content-type'] ?? '').toLowerCase();
      const formParams = contentType.startsWith('application/x-www-form-urlencoded')
        ? [...new URLSearchParams(body.toString('utf8'))]
        : [];
      const now = context.clock.nowSeconds();
      const verified = verifyAuthApiSignature(
        {
          method: request.method,
          host: context.apiHost,
          path: requestPath(request),
          params: [...queryPairs(request), ...formParams],
          body,
          headers: request.headers,
        },
        AUTH_API_KEYS,
        now,
      );
      if (!verified.ok) return sendFail(reply, 401, verified.rejection);
      return reply.send({ stat: 'OK', response: { time: now } });
    },
  });
}
