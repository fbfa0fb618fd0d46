import type { FastifyInstance, FastifyReply } from 'fastify';
import {
  acceptedBaseUrls,
  baseUrlOf,
  noteLanguage,
  sendFail,
  SessionStore,
  type EmulatorContext,
} from './context.js';
import { OIDC_CLIENTS } from './integrations.js';
import {
  ACCESS_TOKEN_LIFETIME_SECONDS,
  cancelRedirect,
  newAccessToken,
  signIdToken,
  successRedirect,
  verifyAuthorizeRequest,
  verifyClientAssertion,
  type AuthorizeRequest,
} from './oidc.js';
import { renderErrorPage, renderUniversalPortal } from './pages.js';
import { queryFields, requestFields } from './request-fields.js';

const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const INVALID_GRANT =
  'The provided authorization grant or refresh token is invalid, expired, revoked, does not match the redirection URI.';

/** Headers of the prompt page: Duo's OIDC prompt may not be framed (§3.1). */
function promptHeaders(reply: FastifyReply): FastifyReply {
  return reply
    .header(
      'content-security-policy',
      // No form-action: Chromium applies it to the redirect to redirect_uri after Finish/Cancel.
      [
        "default-src 'none'",
        "style-src 'self'",
        "img-src 'self'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
      ].join('; '),
    )
    .header('x-frame-options', 'DENY')
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer')
    .header('cache-control', 'no-store')
    .type('text/html; charset=utf-8');
}

function sendTokenError(reply: FastifyReply, error: string, description: string): FastifyReply {
  return reply.code(400).type('application/json').send({ error, error_description: description });
}

/** Web SDK v4 / Universal Prompt: health check, authorize (+ the prompt page) and token. */
export function registerUniversalRoutes(app: FastifyInstance, context: EmulatorContext): void {
  /** Each prompt and the language its browser asked for at authorize. */
  const prompts = new SessionStore<AuthorizeRequest & { lang: string }>();

  app.post('/oauth/v1/health_check', async (request, reply) => {
    const fields = await requestFields(request);
    const now = context.clock.nowSeconds();
    const verified = await verifyClientAssertion(fields.get('client_assertion'), {
      clientId: fields.get('client_id'),
      audience: acceptedBaseUrls(context, request).map((base) => `${base}/oauth/v1/health_check`),
      clients: OIDC_CLIENTS,
      nowSeconds: now,
    });
    if (!verified.ok) {
      return sendFail(reply, 400, {
        code: 40002,
        message: 'invalid_client',
        message_detail: verified.detail,
        timestamp: now,
      });
    }
    return reply.send({ stat: 'OK', response: { timestamp: now } });
  });

  app.get('/oauth/v1/authorize', async (request, reply) => {
    const verified = await verifyAuthorizeRequest(queryFields(request), {
      clients: OIDC_CLIENTS,
      baseUrls: acceptedBaseUrls(context, request),
      nowSeconds: context.clock.nowSeconds(),
    });
    // An unverified request cannot be sent back to its redirect_uri: show the error here.
    if (!verified.ok) {
      return promptHeaders(reply.code(400)).send(renderErrorPage('Invalid request', verified.detail));
    }
    // Like Duo, hand the browser on to the prompt's own URL (§3.11), so a reload keeps the page.
    const sid = prompts.open({ ...verified.value, lang: noteLanguage(context, request, 'v4') });
    return reply.redirect(`/frame/frameless/v4/auth?sid=${encodeURIComponent(sid)}`, 302);
  });

  const withPrompt = (
    handler: (sid: string, prompt: AuthorizeRequest & { lang: string }, reply: FastifyReply) => FastifyReply,
  ): ((sid: string | undefined, reply: FastifyReply) => FastifyReply) => {
    return (sid, reply) => {
      const prompt = prompts.get(sid);
      if (sid === undefined || prompt === undefined) {
        return promptHeaders(reply.code(404)).send(
          renderErrorPage('Session expired', 'Start again from the application.'),
        );
      }
      return handler(sid, prompt, reply);
    };
  };

  const showPrompt = withPrompt((sid, prompt, reply) =>
    promptHeaders(reply).send(
      renderUniversalPortal({
        sid,
        username: prompt.username,
        devices: context.devices.list(prompt.username),
        lang: prompt.lang,
      }),
    ),
  );
  const addDevice = withPrompt((sid, prompt, reply) => {
    context.devices.add(prompt.username);
    return reply.redirect(`/frame/frameless/v4/auth?sid=${encodeURIComponent(sid)}`, 303);
  });
  const finish = withPrompt((sid, prompt, reply) => {
    prompts.close(sid);
    const code = context.codes.issue(prompt, context.clock.nowSeconds());
    return reply.redirect(successRedirect(prompt, code), 303);
  });
  const cancel = withPrompt((sid, prompt, reply) => {
    prompts.close(sid);
    return reply.redirect(cancelRedirect(prompt), 303);
  });

  app.get('/frame/frameless/v4/auth', async (request, reply) =>
    showPrompt(queryFields(request).get('sid'), reply),
  );
  app.post('/frame/frameless/v4/devices', async (request, reply) =>
    addDevice((await requestFields(request)).get('sid'), reply),
  );
  app.post('/frame/frameless/v4/finish', async (request, reply) =>
    finish((await requestFields(request)).get('sid'), reply),
  );
  app.post('/frame/frameless/v4/cancel', async (request, reply) =>
    cancel((await requestFields(request)).get('sid'), reply),
  );

  app.post('/oauth/v1/token', async (request, reply) => {
    const fields = await requestFields(request);
    const now = context.clock.nowSeconds();
    const tokenUrl = `${baseUrlOf(context, request)}/oauth/v1/token`;
    const assertionType = fields.get('client_assertion_type');
    if (assertionType !== undefined && assertionType !== CLIENT_ASSERTION_TYPE) {
      return sendTokenError(reply, 'invalid_client', 'Invalid client_assertion_type.');
    }
    const client = await verifyClientAssertion(fields.get('client_assertion'), {
      clientId: fields.get('client_id'),
      audience: acceptedBaseUrls(context, request).map((base) => `${base}/oauth/v1/token`),
      clients: OIDC_CLIENTS,
      nowSeconds: now,
    });
    if (!client.ok) return sendTokenError(reply, 'invalid_client', client.detail);
    if (fields.get('grant_type') !== 'authorization_code') {
      return sendTokenError(reply, 'unsupported_grant_type', 'The grant_type must be authorization_code.');
    }
    const code = context.codes.redeem(fields.get('code'), client.clientId, fields.get('redirect_uri'), now);
    if (!code.ok) return sendTokenError(reply, 'invalid_grant', INVALID_GRANT);
    const secret = OIDC_CLIENTS.get(client.clientId) as string;
    const idToken = await signIdToken(code.value, { issuer: tokenUrl, secret, nowSeconds: now });
    return reply.header('cache-control', 'no-store').send({
      id_token: idToken,
      access_token: newAccessToken(),
      expires_in: ACCESS_TOKEN_LIFETIME_SECONDS,
      token_type: 'Bearer',
    });
  });
}
