import { afterEach, describe, expect, it } from 'vitest';
import {
  CSRF_HEADER,
  MAX_SIGN_IN_FIELD_LENGTH,
  MAX_SIGN_IN_REQUEST_BYTES,
  VISIT_PHASE_HEADER,
  httpRoutes,
} from '../../../main/contract';
import { defaultPortalLimits } from '../../../main/portal/server';
import {
  cookieHeaderFrom,
  cookieNamed,
  createTestPortal,
  manualClock,
  openBrowserSession,
  postJson,
  sessionAfter,
  type BrowserSession,
  type TestPortal,
} from './helpers';

let portal: TestPortal | undefined;
afterEach(async () => {
  await portal?.close();
  portal = undefined;
});

async function setUp(options: Parameters<typeof createTestPortal>[0] = {}): Promise<TestPortal> {
  portal = await createTestPortal(options);
  return portal;
}

describe('session cookie', () => {
  it('is random, httpOnly, SameSite=Strict, Path=/ and not Secure over plain http', async () => {
    const { app } = await setUp();
    const first = await app.inject({ method: 'GET', url: httpRoutes.getStation });
    const second = await app.inject({ method: 'GET', url: httpRoutes.getStation });
    const [cookie] = first.cookies;
    expect(cookie).toMatchObject({ name: 'walkup_session', httpOnly: true, sameSite: 'Strict', path: '/' });
    expect(cookie?.secure).toBeFalsy();
    expect(cookie?.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(second.cookies[0]?.value).not.toBe(cookie?.value);
  });

  it('is Secure with the __Host- prefix when the public URL is https', async () => {
    const { app } = await setUp({ publicUrl: 'https://enroll.example.com' });
    const response = await app.inject({ method: 'GET', url: httpRoutes.getStation });
    expect(response.cookies[0]).toMatchObject({
      name: '__Host-walkup_session',
      secure: true,
      httpOnly: true,
      sameSite: 'Strict',
      path: '/',
    });
  });

  it('keeps one session (and one CSRF token) while the browser sends its cookie back', async () => {
    const { app, engine } = await setUp();
    const session = await openBrowserSession(app);
    const again = await app.inject({
      method: 'GET',
      url: httpRoutes.getVisit,
      headers: { cookie: session.cookie },
    });
    expect(again.cookies).toHaveLength(0);
    expect(again.headers[CSRF_HEADER]).toBe(session.token);
    expect(engine.sessions).toHaveLength(1);
    expect(again.json()).toEqual({ phase: 'idle' });
  });
});

describe('CSRF protection', () => {
  it('hands the token out on every GET /api/* response', async () => {
    const { app } = await setUp();
    const session = await openBrowserSession(app);
    expect(session.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    for (const url of [httpRoutes.getStation, httpRoutes.getVisit]) {
      const response = await app.inject({ method: 'GET', url, headers: { cookie: session.cookie } });
      expect(response.headers[CSRF_HEADER]).toBe(session.token);
    }
  });

  it('refuses a POST without the token header with 403 csrf-token-missing', async () => {
    const { app, engine } = await setUp();
    const session = await openBrowserSession(app);
    const response = await postJson(
      app,
      httpRoutes.signIn,
      { ...session, token: '' },
      { username: 'a', password: 'b' },
    );
    expect(response.statusCode).toBe(403);
    expect(response.json()).toEqual({ reason: 'csrf-token-missing' });
    expect(engine.sessions[0]?.signIns).toHaveLength(0);
  });

  it('refuses a POST with a wrong token with 403 csrf-token-mismatch', async () => {
    const { app, engine } = await setUp();
    const session = await openBrowserSession(app);
    const other = await openBrowserSession(app);
    const response = await postJson(app, httpRoutes.activity, { ...session, token: other.token }, {});
    expect(response.statusCode).toBe(403);
    expect(response.json()).toEqual({ reason: 'csrf-token-mismatch' });
    expect(engine.sessions[0]?.activityCount).toBe(0);
  });

  it('refuses a POST without a session cookie with 403 no-session', async () => {
    const { app } = await setUp();
    const session = await openBrowserSession(app);
    const response = await postJson(app, httpRoutes.finish, { ...session, cookie: '' }, {});
    expect(response.statusCode).toBe(403);
    expect(response.json()).toEqual({ reason: 'no-session' });
  });

  it('accepts a same-origin POST carrying the token', async () => {
    const { app, engine } = await setUp();
    const session = await openBrowserSession(app);
    const response = await postJson(app, httpRoutes.activity, session, undefined);
    expect(response.statusCode).toBe(204);
    expect(engine.sessions[0]?.activityCount).toBe(1);
  });

  it('refuses a POST from another origin even with a valid token', async () => {
    const { app, engine } = await setUp();
    const session = await openBrowserSession(app);
    const response = await postJson(
      app,
      httpRoutes.activity,
      session,
      {},
      { origin: 'https://evil.example' },
    );
    expect(response.statusCode).toBe(403);
    expect(response.json()).toEqual({ reason: 'cross-site-request' });
    expect(engine.sessions[0]?.activityCount).toBe(0);
  });

  it('refuses a POST the browser marks as cross-site', async () => {
    const { app } = await setUp();
    const session = await openBrowserSession(app);
    const response = await postJson(
      app,
      httpRoutes.activity,
      session,
      {},
      { 'sec-fetch-site': 'cross-site' },
    );
    expect(response.statusCode).toBe(403);
    expect(response.json()).toEqual({ reason: 'cross-site-request' });
  });

  it('accepts the public URL origin behind a proxy', async () => {
    const { app } = await setUp({ publicUrl: 'https://enroll.example.com' });
    const session = await openBrowserSession(app);
    const response = await postJson(
      app,
      httpRoutes.activity,
      session,
      {},
      { origin: 'https://enroll.example.com' },
    );
    expect(response.statusCode).toBe(204);
  });
});

describe('host names (DNS rebinding)', () => {
  it('refuses a request addressed to a foreign host name with 421 host-not-allowed', async () => {
    const { app, engine } = await setUp();
    const response = await app.inject({
      method: 'GET',
      url: httpRoutes.getStation,
      headers: { host: 'evil.example:8787' },
    });
    expect(response.statusCode).toBe(421);
    expect(response.json()).toEqual({ reason: 'host-not-allowed' });
    expect(response.cookies).toHaveLength(0);
    expect(engine.sessions).toHaveLength(0);
  });

  it("answers to the public URL's host name and to listed names", async () => {
    const { app } = await setUp({ publicUrl: 'https://enroll.example.com', allowedHostNames: ['kiosk.lan'] });
    for (const host of ['enroll.example.com', 'kiosk.lan:8787', '127.0.0.1:8787']) {
      const response = await app.inject({ method: 'GET', url: httpRoutes.getStation, headers: { host } });
      expect(response.statusCode).toBe(200);
    }
  });
});

describe('request bodies', () => {
  it('validates sign-in with the contract schema and names the bad field', async () => {
    const { app, engine } = await setUp();
    const session = await openBrowserSession(app);
    const response = await postJson(app, httpRoutes.signIn, session, { username: 'alice' });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ reason: 'invalid-request', fields: ['password'] });
    expect(engine.sessions[0]?.signIns).toHaveLength(0);
  });

  it('passes over-long sign-in fields to the engine (which answers invalid-input), not a 400', async () => {
    const { app, engine } = await setUp();
    const session = await openBrowserSession(app);
    const body = { username: 'u'.repeat(5000), password: 'p'.repeat(5000) };
    const response = await postJson(app, httpRoutes.signIn, session, body);
    expect(response.statusCode).toBe(200);
    expect(engine.sessions[0]?.signIns).toEqual([body]);
    // Past the schema's own bound too (but under the body limit): still the engine's to answer.
    const longer = { username: 'é'.repeat(20_000), password: 'é'.repeat(20_000) };
    const renewed = sessionAfter(response, session);
    const again = await postJson(app, httpRoutes.signIn, renewed, longer);
    expect(again.statusCode).toBe(200);
    expect(engine.sessions[0]?.signIns.at(-1)).toEqual(longer);
  });

  it('answers malformed JSON with 400 invalid-request and no parser details', async () => {
    const { app } = await setUp();
    const session = await openBrowserSession(app);
    const response = await app.inject({
      method: 'POST',
      url: httpRoutes.signIn,
      headers: { 'content-type': 'application/json', cookie: session.cookie, [CSRF_HEADER]: session.token },
      payload: '{"username": "alice", ',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ reason: 'invalid-request' });
  });

  it('refuses the bodies a cross-site form could send (form-encoded, text/plain) with 415', async () => {
    const { app, engine } = await setUp();
    const session = await openBrowserSession(app);
    for (const [type, payload] of [
      ['application/x-www-form-urlencoded', 'username=alice&password=secret'],
      ['text/plain', '{"username":"alice","password":"secret"}'],
      ['multipart/form-data; boundary=x', '--x--'],
    ] as const) {
      const response = await app.inject({
        method: 'POST',
        url: httpRoutes.signIn,
        headers: { 'content-type': type, cookie: session.cookie, [CSRF_HEADER]: session.token },
        payload,
      });
      expect(response.statusCode).toBe(415);
      expect(response.json()).toEqual({ reason: 'unsupported-media-type' });
    }
    expect(engine.sessions[0]?.signIns).toHaveLength(0);
  });

  it('refuses an oversized body with 413', async () => {
    const { app } = await setUp({ limits: { bodyLimitBytes: 1024 } });
    const session = await openBrowserSession(app);
    const response = await postJson(app, httpRoutes.signIn, session, {
      username: 'a',
      password: 'x'.repeat(2000),
    });
    expect(response.statusCode).toBe(413);
    expect(response.json()).toEqual({ reason: 'payload-too-large' });
  });

  it('takes the largest sign-in the schema accepts (worst-case JSON escaping) under the default body limit', async () => {
    expect(defaultPortalLimits.bodyLimitBytes).toBeGreaterThan(MAX_SIGN_IN_REQUEST_BYTES);
    const { app, engine } = await setUp();
    const session = await openBrowserSession(app);
    // A lone surrogate is escaped as \uXXXX: 6 bytes per code unit, the worst case.
    const worst = '\ud800'.repeat(MAX_SIGN_IN_FIELD_LENGTH);
    const payload = JSON.stringify({ username: worst, password: worst });
    expect(Buffer.byteLength(payload)).toBeGreaterThan(6 * 2 * MAX_SIGN_IN_FIELD_LENGTH);
    expect(Buffer.byteLength(payload)).toBeLessThanOrEqual(MAX_SIGN_IN_REQUEST_BYTES);
    const response = await postJson(app, httpRoutes.signIn, session, { username: worst, password: worst });
    expect(response.statusCode).not.toBe(413);
    expect(engine.sessions[0]?.signIns).toHaveLength(1);
    // A body past the limit is refused before the engine.
    const over = await postJson(app, httpRoutes.signIn, session, {
      username: 'a',
      password: 'x'.repeat(defaultPortalLimits.bodyLimitBytes),
    });
    expect(over.statusCode).toBe(413);
    expect(engine.sessions[0]?.signIns).toHaveLength(1);
  });

  it('validates the finish reason', async () => {
    const { app, engine } = await setUp();
    const session = await openBrowserSession(app);
    const bad = await postJson(app, httpRoutes.finish, session, { reason: 'because' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toEqual({ reason: 'invalid-request', fields: ['reason'] });
    const good = await postJson(app, httpRoutes.finish, session, undefined);
    expect(good.statusCode).toBe(204);
    expect(engine.sessions[0]?.finishes).toEqual([{ reason: 'finished' }]);
  });

  it('passes a v2 frame message to the visit and returns its result', async () => {
    const { app, engine } = await setUp();
    const session = await openBrowserSession(app);
    const response = await postJson(app, httpRoutes.submitDuoResponse, session, {
      response: 'AUTH|dXNlcg==|abc',
    });
    expect(response.json()).toEqual({ ok: true });
    expect(engine.sessions[0]?.duoResponses).toEqual(['AUTH|dXNlcg==|abc']);
  });

  it('answers an engine exception with 500 internal-error and nothing of the error', async () => {
    const { app, engine } = await setUp();
    engine.failSignIn = true;
    const session = await openBrowserSession(app);
    const response = await postJson(app, httpRoutes.signIn, session, { username: 'alice', password: 'pw' });
    expect(response.statusCode).toBe(500);
    expect(response.json()).toEqual({ reason: 'internal-error' });
    expect(response.body).not.toMatch(/secret|srv|stack|engine bug/);
  });
});

describe('security headers', () => {
  const expectLockedDown = (headers: Record<string, unknown>): void => {
    expect(headers['content-security-policy']).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
        "connect-src 'self'; frame-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'; " +
        "frame-ancestors 'none'",
    );
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['referrer-policy']).toBe('no-referrer');
    expect(headers['x-frame-options']).toBe('DENY');
    expect(headers['permissions-policy']).toContain('camera=()');
  };

  it('locks down the page, static files, API answers and errors alike', async () => {
    const { app } = await setUp();
    for (const url of ['/', '/app.js', httpRoutes.getStation, '/api/nothing-here', '/no-such-file']) {
      const response = await app.inject({ method: 'GET', url });
      expectLockedDown(response.headers);
    }
  });

  it('serves the renderer index at /', async () => {
    const { app } = await setUp();
    const response = await app.inject({ method: 'GET', url: '/' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/html');
    expect(response.body).toContain('<div id="root">');
  });

  it('marks every API answer no-store', async () => {
    const { app } = await setUp();
    const session = await openBrowserSession(app);
    const get = await app.inject({
      method: 'GET',
      url: httpRoutes.getVisit,
      headers: { cookie: session.cookie },
    });
    const post = await postJson(app, httpRoutes.activity, session, {});
    const refused = await postJson(app, httpRoutes.activity, { ...session, token: 'x' }, {});
    for (const response of [get, post, refused]) expect(response.headers['cache-control']).toBe('no-store');
  });

  it('allows framing only the Duo host when the v2 iframe is in use', async () => {
    const { app } = await setUp({ duoHost: '127.0.0.1:43123' });
    const response = await app.inject({ method: 'GET', url: '/' });
    expect(response.headers['content-security-policy']).toContain('frame-src https://127.0.0.1:43123;');
  });

  it('answers a malformed URL with 400 invalid-request and the same headers', async () => {
    const { app } = await setUp();
    const response = await app.inject({ method: 'GET', url: '/api/station%' });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ reason: 'invalid-request' });
    expectLockedDown(response.headers);
  });

  it('serves no hidden file and nothing outside the renderer folder', async () => {
    const { app } = await setUp();
    for (const url of ['/.secret', '/%2e%2e/%2e%2e/etc/passwd', '/assets/..%2f..%2fpackage.json']) {
      const response = await app.inject({ method: 'GET', url });
      expect(response.statusCode).toBe(404);
      expect(response.json()).toEqual({ reason: 'not-found' });
    }
  });

  it('answers an unknown API path with a bare 404 reason', async () => {
    const { app } = await setUp();
    const response = await app.inject({ method: 'GET', url: '/api/../../etc/passwd' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ reason: 'not-found' });
  });
});

describe('Duo v4 callback', () => {
  const state = 'state-0123456789abcdefghij';

  async function signInForV4(
    app: TestPortal['app'],
  ): Promise<{ session: { cookie: string; token: string }; callbackCookie: string }> {
    const before = await openBrowserSession(app);
    const response = await postJson(app, httpRoutes.signIn, before, { username: 'alice', password: 'pw' });
    expect(response.json()).toMatchObject({ ok: true, duo: { kind: 'page', presentation: 'redirect' } });
    return {
      session: sessionAfter(response, before),
      callbackCookie: cookieNamed(response, 'walkup_duo_callback'),
    };
  }

  it('does nothing and redirects to / when no cookie comes with the callback', async () => {
    const { app, engine } = await setUp();
    await signInForV4(app);
    const response = await app.inject({
      method: 'GET',
      url: `${httpRoutes.duoCallback}?state=${state}&duo_code=abc`,
    });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/');
    expect(engine.sessions[0]?.callbacks).toHaveLength(0);
  });

  it('hands duo_code, state and errors to the visit of the session cookie, then redirects to /', async () => {
    const { app, engine } = await setUp();
    const { session } = await signInForV4(app);
    const response = await app.inject({
      method: 'GET',
      url: `${httpRoutes.duoCallback}?state=${state}&duo_code=abc&code=def&error=access_denied&error_description=User%20cancelled`,
      headers: { cookie: session.cookie },
    });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/');
    expect(response.headers['cache-control']).toBe('no-store');
    expect(engine.sessions[0]?.callbacks).toEqual([
      { state, duoCode: 'abc', code: 'def', error: 'access_denied', errorDescription: 'User cancelled' },
    ]);
  });

  it('sets a SameSite=Lax callback cookie, limited to the callback path, when a visit leaves for Duo', async () => {
    const { app } = await setUp();
    const session = await openBrowserSession(app);
    const response = await postJson(app, httpRoutes.signIn, session, { username: 'alice', password: 'pw' });
    const cookie = response.cookies.find((c) => c.name === 'walkup_duo_callback');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/duo/callback', maxAge: 900 });
    expect(cookie?.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('sets no callback cookie for a v2 visit', async () => {
    const { app, engine } = await setUp();
    engine.launch = { kind: 'frame', host: '127.0.0.1:43123', tx: 'TX|abc|def' };
    const session = await openBrowserSession(app);
    const response = await postJson(app, httpRoutes.signIn, session, { username: 'alice', password: 'pw' });
    expect(response.cookies.map((cookie) => cookie.name)).toEqual(['walkup_session']);
  });

  it("completes the visit on Duo's cross-site redirect, which brings only the Lax cookie", async () => {
    const { app, engine } = await setUp();
    const { session, callbackCookie } = await signInForV4(app);
    const response = await app.inject({
      method: 'GET',
      url: `${httpRoutes.duoCallback}?state=${state}&duo_code=abc`,
      headers: { cookie: callbackCookie },
    });
    expect(response.statusCode).toBe(303);
    expect(engine.sessions[0]?.callbacks).toEqual([{ state, duoCode: 'abc' }]);
    // Single use: the cookie is cleared and a replay does nothing.
    expect(response.cookies.find((c) => c.name === 'walkup_duo_callback')?.value).toBe('');
    await app.inject({
      method: 'GET',
      url: `${httpRoutes.duoCallback}?state=${state}&duo_code=abc`,
      headers: { cookie: callbackCookie },
    });
    expect(engine.sessions[0]?.callbacks).toHaveLength(1);
    // The session itself is unchanged: the renderer reads the result with its Strict cookie.
    const visit = await app.inject({
      method: 'GET',
      url: httpRoutes.getVisit,
      headers: { cookie: session.cookie },
    });
    expect(visit.json()).toMatchObject({ phase: 'done' });
  });

  it('ignores a callback cookie whose state does not match, and keeps it for the real redirect', async () => {
    const { app, engine } = await setUp();
    const { callbackCookie } = await signInForV4(app);
    const forged = await app.inject({
      method: 'GET',
      url: `${httpRoutes.duoCallback}?state=someone-elses-state-0000&error=access_denied`,
      headers: { cookie: callbackCookie },
    });
    expect(forged.statusCode).toBe(303);
    expect(forged.cookies).toHaveLength(0);
    expect(engine.sessions[0]?.callbacks).toHaveLength(0);
    await app.inject({
      method: 'GET',
      url: `${httpRoutes.duoCallback}?state=${state}&duo_code=abc`,
      headers: { cookie: callbackCookie },
    });
    expect(engine.sessions[0]?.callbacks).toEqual([{ state, duoCode: 'abc' }]);
  });

  it('ignores a forged callback that brings the session cookie while the visit waits for Duo', async () => {
    // A link from a sibling site (same registrable domain) carries the Strict cookie too.
    const { app, engine } = await setUp();
    const { session } = await signInForV4(app);
    const forged = await app.inject({
      method: 'GET',
      url: `${httpRoutes.duoCallback}?state=someone-elses-state-0000&error=access_denied`,
      headers: { cookie: session.cookie },
    });
    expect(forged.statusCode).toBe(303);
    expect(engine.sessions[0]?.callbacks).toHaveLength(0);
    const visit = await app.inject({
      method: 'GET',
      url: httpRoutes.getVisit,
      headers: { cookie: session.cookie },
    });
    expect(visit.json()).toMatchObject({ phase: 'duo' });
    await app.inject({
      method: 'GET',
      url: `${httpRoutes.duoCallback}?state=${state}&duo_code=abc`,
      headers: { cookie: session.cookie },
    });
    expect(engine.sessions[0]?.callbacks).toEqual([{ state, duoCode: 'abc' }]);
  });

  it('clears an unknown callback cookie', async () => {
    const { app } = await setUp();
    const response = await app.inject({
      method: 'GET',
      url: `${httpRoutes.duoCallback}?state=${state}&duo_code=abc`,
      headers: { cookie: 'walkup_duo_callback=stale' },
    });
    expect(response.statusCode).toBe(303);
    expect(response.cookies.find((c) => c.name === 'walkup_duo_callback')?.value).toBe('');
  });

  it('honours the callback cookie only for one visit cap', async () => {
    const clock = manualClock();
    const { app, engine } = await setUp({ clock });
    const { callbackCookie } = await signInForV4(app);
    clock.advance(901_000);
    await app.inject({
      method: 'GET',
      url: `${httpRoutes.duoCallback}?state=${state}&duo_code=abc`,
      headers: { cookie: callbackCookie },
    });
    expect(engine.sessions[0]?.callbacks).toHaveLength(0);
  });

  it('does not let the callback cookie stand in for the session cookie on the API', async () => {
    const { app } = await setUp();
    const { session, callbackCookie } = await signInForV4(app);
    const response = await postJson(
      app,
      httpRoutes.activity,
      { cookie: callbackCookie, token: session.token },
      {},
    );
    expect(response.statusCode).toBe(403);
    expect(response.json()).toEqual({ reason: 'no-session' });
  });

  it('redirects to / without calling the engine for a malformed query', async () => {
    const { app, engine } = await setUp();
    const { session } = await signInForV4(app);
    const response = await app.inject({
      method: 'GET',
      url: `${httpRoutes.duoCallback}?state=a&state=b&duo_code=abc`,
      headers: { cookie: session.cookie },
    });
    expect(response.statusCode).toBe(303);
    expect(engine.sessions[0]?.callbacks).toHaveLength(0);
  });

  it('asks the visit whether a Lax-cookie callback is its own (the portal reads no Duo JWT)', async () => {
    const { app, engine } = await setUp();
    // The authorize URL carries nothing the portal could read; only the visit knows its state.
    engine.pendingState = 'other-state-abcdefghijklmnop';
    const { callbackCookie } = await signInForV4(app);
    await app.inject({
      method: 'GET',
      url: `${httpRoutes.duoCallback}?state=${state}&duo_code=abc`,
      headers: { cookie: callbackCookie },
    });
    expect(engine.sessions[0]?.callbacks).toHaveLength(0);
    await app.inject({
      method: 'GET',
      url: `${httpRoutes.duoCallback}?state=other-state-abcdefghijklmnop&duo_code=abc`,
      headers: { cookie: callbackCookie },
    });
    expect(engine.sessions[0]?.callbacks).toEqual([
      { state: 'other-state-abcdefghijklmnop', duoCode: 'abc' },
    ]);
  });
});

describe('session bounds', () => {
  it('evicts the least recently used session when full and disposes its visit', async () => {
    const { app, engine } = await setUp({ limits: { maxSessions: 3 } });
    const first = await openBrowserSession(app);
    await openBrowserSession(app);
    await openBrowserSession(app);
    await openBrowserSession(app);
    expect(engine.sessions[0]?.disposed).toBe(true);
    expect(engine.sessions.filter((s) => !s.disposed)).toHaveLength(3);
    const response = await postJson(app, httpRoutes.activity, first, {});
    expect(response.json()).toEqual({ reason: 'no-session' });
  });

  it('evicts an idle session before one in the middle of a visit', async () => {
    const { app, engine } = await setUp({ limits: { maxSessions: 2 } });
    const visiting = await openBrowserSession(app);
    await postJson(app, httpRoutes.signIn, visiting, { username: 'alice', password: 'pw' });
    await openBrowserSession(app);
    await openBrowserSession(app);
    expect(engine.sessions[0]?.disposed).toBe(false);
    expect(engine.sessions[1]?.disposed).toBe(true);
  });

  it('expires a session after the idle time and starts a fresh one', async () => {
    const clock = manualClock();
    const { app, engine } = await setUp({ clock, limits: { sessionIdleSeconds: 60 } });
    const session = await openBrowserSession(app);
    clock.advance(61_000);
    const response = await app.inject({
      method: 'GET',
      url: httpRoutes.getVisit,
      headers: { cookie: session.cookie },
    });
    expect(engine.sessions[0]?.disposed).toBe(true);
    expect(response.headers[CSRF_HEADER]).not.toBe(session.token);
    expect(response.cookies[0]?.value).not.toBe(session.cookie.split('=')[1]);
  });

  it('ends a session at its maximum age even while it is used, and starts a fresh one', async () => {
    const clock = manualClock();
    const { app, engine } = await setUp({ clock, limits: { sessionMaxAgeSeconds: 120 } });
    const session = await openBrowserSession(app);
    for (let step = 0; step < 4; step += 1) {
      clock.advance(30_000);
      expect((await postJson(app, httpRoutes.activity, session, {})).statusCode).toBe(204);
    }
    clock.advance(1000);
    const refused = await postJson(app, httpRoutes.activity, session, {});
    expect(refused.json()).toEqual({ reason: 'no-session' });
    expect(engine.sessions[0]?.disposed).toBe(true);
  });

  it('holds exactly the live browser sessions in the engine: one list of visits', async () => {
    const clock = manualClock();
    const { app, engine } = await setUp({ clock, limits: { maxSessions: 3, sessionIdleSeconds: 60 } });
    const sessions = [];
    for (let index = 0; index < 5; index += 1) sessions.push(await openBrowserSession(app));
    expect(engine.visits.size).toBe(3);
    for (const [index, session] of sessions.entries()) {
      const answer = await postJson(app, httpRoutes.activity, session, {});
      expect(answer.statusCode).toBe(index < 2 ? 403 : 204);
    }
    clock.advance(61_000);
    engine.visits.sweep();
    expect(engine.visits.size).toBe(0);
    for (const session of sessions.slice(2)) {
      expect((await postJson(app, httpRoutes.activity, session, {})).json()).toEqual({
        reason: 'no-session',
      });
    }
  });

  it('starts a fresh session when the engine has forgotten the visit', async () => {
    const { app, engine } = await setUp();
    const session = await openBrowserSession(app);
    engine.sessions[0]!.dispose();
    const response = await app.inject({
      method: 'GET',
      url: httpRoutes.getVisit,
      headers: { cookie: session.cookie },
    });
    expect(response.headers[CSRF_HEADER]).not.toBe(session.token);
    expect(engine.sessions).toHaveLength(2);
  });

  it('ends every session when the server closes', async () => {
    const { app, engine } = await setUp();
    await openBrowserSession(app);
    await app.close();
    expect(engine.sessions[0]?.disposed).toBe(true);
  });
});

describe('session renewal', () => {
  async function signIn(app: TestPortal['app'], session: BrowserSession) {
    const response = await postJson(app, httpRoutes.signIn, session, { username: 'alice', password: 'pw' });
    return { response, after: sessionAfter(response, session) };
  }

  it('issues a new session cookie and CSRF token at sign-in; the old ones read and change nothing', async () => {
    const { app, engine } = await setUp();
    const before = await openBrowserSession(app);
    const { response, after } = await signIn(app, before);
    expect(response.json()).toMatchObject({ ok: true });
    expect(after.cookie).not.toBe(before.cookie);
    expect(after.token).not.toBe(before.token);
    expect(response.headers[VISIT_PHASE_HEADER]).toBe('duo');

    // The old cookie names nothing now: a GET gets a fresh, empty session, not the visit.
    const oldRead = await app.inject({
      method: 'GET',
      url: httpRoutes.getVisit,
      headers: { cookie: before.cookie },
    });
    expect(oldRead.json()).toEqual({ phase: 'idle' });
    expect(oldRead.body).not.toContain('authorize');
    expect(oldRead.cookies[0]?.value).not.toBe(after.cookie.split('=')[1]);
    // …and the old cookie with the old token cannot post.
    for (const url of [httpRoutes.activity, httpRoutes.finish]) {
      const refused = await postJson(app, url, before, {});
      expect(refused.statusCode).toBe(403);
      expect(refused.json()).toEqual({ reason: 'no-session' });
    }
    // The new cookie with the old token neither.
    const mixed = await postJson(app, httpRoutes.finish, { cookie: after.cookie, token: before.token }, {});
    expect(mixed.json()).toEqual({ reason: 'csrf-token-mismatch' });
    expect(engine.sessions[0]?.finishes).toHaveLength(0);

    // The new pair reads the visit.
    const visit = await app.inject({
      method: 'GET',
      url: httpRoutes.getVisit,
      headers: { cookie: after.cookie },
    });
    expect(visit.json()).toMatchObject({ phase: 'duo' });
    expect(visit.headers[CSRF_HEADER]).toBe(after.token);
  });

  it('keeps the session id on a refused sign-in', async () => {
    const { app, engine } = await setUp();
    engine.refuseSignIn = true;
    const before = await openBrowserSession(app);
    const { response, after } = await signIn(app, before);
    expect(response.json()).toMatchObject({ ok: false, reason: 'invalid-credentials' });
    expect(response.cookies).toHaveLength(0);
    expect(after).toEqual(before);
  });

  it('renews again when the person ends the visit; the sign-in identity is refused afterwards', async () => {
    const { app, engine } = await setUp();
    const { after: visiting } = await signIn(app, await openBrowserSession(app));
    const finish = await postJson(app, httpRoutes.finish, visiting, { reason: 'cancelled' });
    expect(finish.statusCode).toBe(204);
    expect(finish.headers[VISIT_PHASE_HEADER]).toBe('idle');
    const next = sessionAfter(finish, visiting);
    expect(next.cookie).not.toBe(visiting.cookie);
    expect(next.token).not.toBe(visiting.token);
    const old = await postJson(app, httpRoutes.activity, visiting, {});
    expect(old.json()).toEqual({ reason: 'no-session' });
    expect((await postJson(app, httpRoutes.activity, next, {})).statusCode).toBe(204);
    // Same engine visit, new identity: the next person starts from the sign-in screen.
    expect(engine.sessions.filter((session) => !session.disposed)).toHaveLength(1);
  });

  it('moves the v4 callback binding to the renewed session', async () => {
    const { app, engine } = await setUp();
    const before = await openBrowserSession(app);
    const { response, after } = await signIn(app, before);
    const callbackCookie = cookieNamed(response, 'walkup_duo_callback');
    const back = await app.inject({
      method: 'GET',
      url: `${httpRoutes.duoCallback}?state=state-0123456789abcdefghij&duo_code=abc`,
      headers: { cookie: callbackCookie },
    });
    expect(back.statusCode).toBe(303);
    expect(engine.sessions[0]?.callbacks).toHaveLength(1);
    const visit = await app.inject({
      method: 'GET',
      url: httpRoutes.getVisit,
      headers: { cookie: after.cookie },
    });
    expect(visit.json()).toMatchObject({ phase: 'done' });
  });

  it('ends the session when its visit is reset by a timer: the old cookie gets a fresh session', async () => {
    const { app, engine } = await setUp();
    const { after: visiting } = await signIn(app, await openBrowserSession(app));
    engine.sessions[0]!.reset('idle');
    await Promise.resolve();
    expect(engine.sessions[0]?.disposed).toBe(true);
    const post = await postJson(app, httpRoutes.activity, visiting, {});
    expect(post.statusCode).toBe(403);
    expect(post.headers[VISIT_PHASE_HEADER]).toBe('idle');
    const read = await app.inject({
      method: 'GET',
      url: httpRoutes.getVisit,
      headers: { cookie: visiting.cookie },
    });
    expect(read.json()).toEqual({ phase: 'idle' });
    expect(read.cookies[0]?.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(engine.sessions).toHaveLength(2);
  });

  it('hands each racing sign-in its own renewed identity and keeps the visit', async () => {
    const { app, engine } = await setUp();
    const before = await openBrowserSession(app);
    const [first, second] = await Promise.all([signIn(app, before), signIn(app, before)]);
    const renewedCookies = [first, second].flatMap(({ response }) =>
      response.cookies.filter((cookie) => cookie.name === 'walkup_session').map((cookie) => cookie.value),
    );
    expect(new Set(renewedCookies).size).toBe(renewedCookies.length);
    // The visit survives the race, and the identity the last answer carried reads it.
    expect(engine.sessions[0]?.disposed).toBe(false);
    const last = renewedCookies.at(-1);
    const visit = await app.inject({
      method: 'GET',
      url: httpRoutes.getVisit,
      headers: { cookie: `walkup_session=${last}` },
    });
    expect(visit.json()).toMatchObject({ phase: 'duo' });
  });
});

describe('visit phase header', () => {
  it('names the visit phase on every API answer, refusals included', async () => {
    const { app } = await setUp();
    const session = await openBrowserSession(app);
    const answers = [
      await app.inject({ method: 'GET', url: httpRoutes.getStation, headers: { cookie: session.cookie } }),
      await app.inject({ method: 'GET', url: httpRoutes.getVisit, headers: { cookie: session.cookie } }),
      await postJson(app, httpRoutes.activity, session, {}),
      await postJson(app, httpRoutes.activity, { ...session, token: 'wrong' }, {}),
      await postJson(app, httpRoutes.submitDuoResponse, session, { response: 'AUTH|a|b' }),
    ];
    for (const answer of answers) expect(answer.headers[VISIT_PHASE_HEADER]).toBe('idle');
    const { response, after } = await (async () => {
      const signIn = await postJson(app, httpRoutes.signIn, session, { username: 'alice', password: 'pw' });
      return { response: signIn, after: sessionAfter(signIn, session) };
    })();
    expect(response.headers[VISIT_PHASE_HEADER]).toBe('duo');
    const refused = await postJson(app, httpRoutes.activity, { ...after, token: 'wrong' }, {});
    expect(refused.statusCode).toBe(403);
    expect(refused.headers[VISIT_PHASE_HEADER]).toBe('duo');
  });

  it('is not set outside the API', async () => {
    const { app } = await setUp();
    const response = await app.inject({ method: 'GET', url: '/' });
    expect(response.headers[VISIT_PHASE_HEADER]).toBeUndefined();
  });
});

describe('sessions under pressure', () => {
  it('never evicts a visit in progress; when all are, refuses the new session with 503 sessions-full', async () => {
    const { app, engine } = await setUp({ limits: { maxSessions: 2 } });
    for (let index = 0; index < 2; index += 1) {
      await postJson(app, httpRoutes.signIn, await openBrowserSession(app), { username: 'a', password: 'b' });
    }
    const refused = await app.inject({ method: 'GET', url: httpRoutes.getStation });
    expect(refused.statusCode).toBe(503);
    expect(refused.json()).toEqual({ reason: 'sessions-full' });
    expect(refused.cookies).toHaveLength(0);
    expect(engine.sessions.filter((session) => session.disposed)).toHaveLength(0);
  });

  it('keeps the engine within maxSessions and every visit in progress when many sessions open at once', async () => {
    const { app, engine } = await setUp({ limits: { maxSessions: 3 } });
    for (let index = 0; index < 2; index += 1) {
      await postJson(app, httpRoutes.signIn, await openBrowserSession(app), { username: 'a', password: 'b' });
    }
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => app.inject({ method: 'GET', url: httpRoutes.getStation })),
    );
    // Each newcomer takes the one slot without a visit in progress from the one before it.
    expect(answers.map((answer) => answer.statusCode)).toEqual(Array.from({ length: 20 }, () => 200));
    expect(engine.visits.size).toBe(3);
    expect(engine.sessions.filter((session) => session.inProgress && !session.disposed)).toHaveLength(2);
  });

  it('opens exactly sessionBurst sessions for one client of many requests fired at once', async () => {
    const { app, engine } = await setUp({ limits: { sessionBurst: 3, sessionRefillSeconds: 10 } });
    const answers = await Promise.all(
      Array.from({ length: 12 }, () =>
        app.inject({ method: 'GET', url: httpRoutes.getStation, remoteAddress: '192.0.2.7' }),
      ),
    );
    expect(answers.filter((answer) => answer.statusCode === 200)).toHaveLength(3);
    expect(answers.filter((answer) => answer.statusCode === 429)).toHaveLength(9);
    expect(engine.visits.size).toBe(3);
  });

  it('bounds how fast one client address opens sessions (429 with retry-after), not others', async () => {
    const clock = manualClock();
    const { app } = await setUp({ clock, limits: { sessionBurst: 3, sessionRefillSeconds: 10 } });
    const from = (ip: string) => app.inject({ method: 'GET', url: httpRoutes.getStation, remoteAddress: ip });
    for (let index = 0; index < 3; index += 1) expect((await from('192.0.2.7')).statusCode).toBe(200);
    const refused = await from('192.0.2.7');
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toEqual({ reason: 'too-many-sessions' });
    expect(refused.headers['retry-after']).toBe('10');
    expect((await from('192.0.2.8')).statusCode).toBe(200);
    clock.advance(10_000);
    expect((await from('192.0.2.7')).statusCode).toBe(200);
  });

  /** A browser session opened from `ip`, and a same-origin JSON POST from it. */
  const openFrom = async (app: TestPortal['app'], ip: string): Promise<BrowserSession> => {
    const response = await app.inject({ method: 'GET', url: httpRoutes.getStation, remoteAddress: ip });
    expect(response.statusCode).toBe(200);
    return { cookie: cookieHeaderFrom(response), token: String(response.headers[CSRF_HEADER]) };
  };
  const signInFrom = (app: TestPortal['app'], ip: string, session: BrowserSession) =>
    app.inject({
      method: 'POST',
      url: httpRoutes.signIn,
      remoteAddress: ip,
      headers: {
        'content-type': 'application/json',
        cookie: session.cookie,
        [CSRF_HEADER]: session.token,
        origin: 'http://localhost:80',
        'sec-fetch-site': 'same-origin',
      },
      payload: JSON.stringify({ username: 'alice', password: 'pw' }),
    });

  it('bounds the visits in progress of one client with a typed refusal (429 station-paused), not others', async () => {
    const { app, engine } = await setUp({ limits: { maxVisitsPerClient: 3 } });
    for (let index = 0; index < 3; index += 1) {
      const response = await signInFrom(app, '192.0.2.7', await openFrom(app, '192.0.2.7'));
      expect(response.json()).toMatchObject({ ok: true });
    }
    const refused = await signInFrom(app, '192.0.2.7', await openFrom(app, '192.0.2.7'));
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBe('60');
    expect(refused.json()).toEqual({
      ok: false,
      reason: 'station-paused',
      retryAfterSeconds: 60,
      reference: expect.stringMatching(/^[0-9A-Z]{4}-[0-9A-Z]{4}$/),
    });
    // Nothing was checked for the refused one, and nobody's visit ended for it.
    expect(engine.sessions.filter((session) => session.signIns.length > 0)).toHaveLength(3);
    expect(engine.sessions.filter((session) => session.inProgress)).toHaveLength(3);
    // Another client still starts.
    expect((await signInFrom(app, '192.0.2.8', await openFrom(app, '192.0.2.8'))).json()).toMatchObject({
      ok: true,
    });
    // The same client's count includes IPv4-mapped IPv6 forms of the address.
    expect((await signInFrom(app, '::ffff:192.0.2.7', await openFrom(app, '192.0.2.9'))).statusCode).toBe(
      429,
    );
  });

  it('admits exactly maxVisitsPerClient of many sign-ins fired at once from one client', async () => {
    const { app, engine } = await setUp({ limits: { maxVisitsPerClient: 3 } });
    let open!: () => void;
    engine.signInGate = new Promise((resolve) => (open = resolve));
    const sessions = [];
    for (let index = 0; index < 10; index += 1) sessions.push(await openFrom(app, '192.0.2.7'));
    let answered = 0;
    const pending = sessions.map((session) =>
      signInFrom(app, '192.0.2.7', session).finally(() => (answered += 1)),
    );
    // The refusals come back while the admitted sign-ins still wait at the gate (if more were
    // admitted, fewer would come back and this test would time out).
    while (answered < 7) await new Promise((resolve) => setTimeout(resolve, 5));
    open();
    const answers = await Promise.all(pending);
    expect(answers.filter((answer) => answer.statusCode === 429)).toHaveLength(7);
    expect(answers.filter((answer) => answer.json<{ ok: boolean }>().ok)).toHaveLength(3);
    expect(engine.sessions.filter((session) => session.signIns.length > 0)).toHaveLength(3);
  });

  it("rates sessions per IPv6 /64 (the directory throttle's client key), not per address", async () => {
    const clock = manualClock();
    const { app } = await setUp({ clock, limits: { sessionBurst: 2, sessionRefillSeconds: 10 } });
    const from = (ip: string) => app.inject({ method: 'GET', url: httpRoutes.getStation, remoteAddress: ip });
    expect((await from('2001:db8:0:7::1')).statusCode).toBe(200);
    expect((await from('2001:db8:0:7::2')).statusCode).toBe(200);
    const refused = await from('2001:db8:0:7:aaaa:bbbb:cccc:dddd');
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toEqual({ reason: 'too-many-sessions' });
    // Another /64 of the same /48 is another client.
    expect((await from('2001:db8:0:8::1')).statusCode).toBe(200);
  });

  it('counts a sign-in after a sign-in (a renewal) against the client session rate', async () => {
    const clock = manualClock();
    const { app } = await setUp({ clock, limits: { sessionBurst: 3, sessionRefillSeconds: 10 } });
    let session = await openFrom(app, '192.0.2.7'); // 1
    let response = await signInFrom(app, '192.0.2.7', session); // from idle: no renewal counted
    expect(response.json()).toMatchObject({ ok: true });
    session = sessionAfter(response, session);
    response = await signInFrom(app, '192.0.2.7', session); // 2
    expect(response.json()).toMatchObject({ ok: true });
    session = sessionAfter(response, session);
    response = await signInFrom(app, '192.0.2.7', session); // 3
    expect(response.json()).toMatchObject({ ok: true });
    session = sessionAfter(response, session);
    response = await signInFrom(app, '192.0.2.7', session);
    expect(response.statusCode).toBe(429);
    expect(response.json()).toMatchObject({ ok: false, reason: 'station-paused', retryAfterSeconds: 10 });
    // The bucket is shared with new sessions.
    expect(
      (await app.inject({ method: 'GET', url: httpRoutes.getStation, remoteAddress: '192.0.2.7' }))
        .statusCode,
    ).toBe(429);
    clock.advance(10_000);
    expect((await signInFrom(app, '192.0.2.7', session)).json()).toMatchObject({ ok: true });
  });

  it('does not expire a visit in progress; it ends by its own bounds', async () => {
    const clock = manualClock();
    const { app, engine } = await setUp({
      clock,
      limits: { sessionIdleSeconds: 60, sessionMaxAgeSeconds: 120 },
    });
    const before = await openBrowserSession(app);
    const signIn = await postJson(app, httpRoutes.signIn, before, { username: 'a', password: 'b' });
    const visiting = sessionAfter(signIn, before);
    clock.advance(600_000);
    const read = await app.inject({
      method: 'GET',
      url: httpRoutes.getVisit,
      headers: { cookie: visiting.cookie },
    });
    expect(read.json()).toMatchObject({ phase: 'duo' });
    expect(engine.sessions[0]?.disposed).toBe(false);
  });
});
