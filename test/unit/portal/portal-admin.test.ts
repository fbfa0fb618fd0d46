/**
 * The admin routes of portal mode (main/portal/routes-admin.ts) over a fake AdminApi: off unless
 * passed, loopback only (socket and Host, never X-Forwarded-For), the visit routes' CSRF checks,
 * one schema parse per body, each method's answer, and a flood of PIN requests.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  adminMethods,
  adminResponseSchemas,
  type AdminApi,
  type AdminMethod,
  type AdminUnlockResult,
} from '../../../main/contract/admin';
import { adminHttpRoute, CSRF_HEADER } from '../../../main/contract/channels';
import { isLoopbackAddress, isLoopbackHost } from '../../../main/portal/host-check';
import { ADMIN_BODY_LIMITS, ADMIN_PIN_BURST, isLocalAdminRequest } from '../../../main/portal/routes-admin';
import {
  createTestPortal,
  manualClock,
  openBrowserSession,
  postJson,
  type BrowserSession,
  type TestPortal,
} from './helpers';

const TOKEN = 'A'.repeat(43);
const PIN = '482913';

/** What each method of the fake answers (valid per `adminResponseSchemas`). */
const answers: Record<AdminMethod, unknown> = {
  gate: { kind: 'pin', attemptsLeft: 5 },
  unlock: { ok: true, token: TOKEN, idleSeconds: 120 },
  createPin: { ok: true, token: TOKEN, idleSeconds: 120 },
  changePin: { ok: true },
  status: {
    ok: true,
    station: { name: 'Test station', inService: true, outOfService: null, warnings: [] },
    version: { version: '1.0.0', build: 'abc' },
    secretStore: { backend: 'files', secure: false },
    managed: false,
    policySources: [],
    settingsProblems: [],
    settings: [],
    audit: [],
  },
  check: { ok: true, inService: true, outOfService: null, warnings: [], problems: [] },
  testSignIn: { ok: true, result: 'ok', displayName: 'Alice' },
  save: { ok: true, restartNeeded: true },
  lock: { ok: true },
  restart: { ok: true },
  exit: { ok: true },
};

/** A valid request body of each POST method. */
const requests: Record<Exclude<AdminMethod, 'gate'>, Record<string, unknown>> = {
  unlock: { pin: PIN },
  createPin: { pin: PIN },
  changePin: { token: TOKEN, pin: '123456' },
  status: { token: TOKEN },
  check: { token: TOKEN, draft: { changes: [{ path: 'station.name', value: 'Desk 4' }] } },
  testSignIn: { token: TOKEN, username: 'alice', password: 'correct horse' },
  save: {
    token: TOKEN,
    changes: [{ path: 'station.name', value: 'Desk 4' }],
    secrets: { 'duo.clientSecret': 's3cret' },
  },
  lock: { token: TOKEN },
  restart: { token: TOKEN },
  exit: { token: TOKEN },
};

interface FakeAdmin extends AdminApi {
  calls: { method: AdminMethod; request: unknown }[];
  /** While set, `unlock` waits for it (a slow scrypt). */
  unlockGate?: Promise<void>;
}

function createFakeAdmin(): FakeAdmin {
  const fake = { calls: [] } as unknown as FakeAdmin;
  for (const method of adminMethods) {
    (fake as unknown as Record<string, unknown>)[method] = async (request?: unknown) => {
      fake.calls.push({ method, request });
      if (method === 'unlock' && fake.unlockGate) await fake.unlockGate;
      return answers[method];
    };
  }
  return fake;
}

let portal: TestPortal | undefined;
afterEach(async () => {
  await portal?.close();
  portal = undefined;
});

async function setUp(
  options: Parameters<typeof createTestPortal>[0] = {},
): Promise<{ portal: TestPortal; admin: FakeAdmin; session: BrowserSession; answered: AdminMethod[] }> {
  const admin = createFakeAdmin();
  const answered: AdminMethod[] = [];
  portal = await createTestPortal({ admin, onAdminAnswered: (method) => answered.push(method), ...options });
  return { portal, admin, session: await openBrowserSession(portal.app), answered };
}

describe('loopback rules (pure)', () => {
  it.each(['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1', '[::1]:8791', '0:0:0:0:0:0:0:1'])(
    'takes %s as loopback',
    (address) => expect(isLoopbackAddress(address)).toBe(true),
  );
  it.each(['10.0.0.1', '128.0.0.1', '::2', '::ffff:10.0.0.1', 'fe80::1', '::', 'localhost', '', undefined])(
    'does not take %s as loopback',
    (address) => expect(isLoopbackAddress(address)).toBe(false),
  );
  it.each(['localhost', 'localhost:8797', '127.0.0.1:8797', '[::1]:8797', '127.0.0.2'])(
    'takes the Host %s as loopback',
    (host) => expect(isLoopbackHost(host)).toBe(true),
  );
  it.each(['walkup.example', '10.0.0.1:80', '[fe80::1]', 'localhost.evil.example', '', undefined])(
    'refuses the Host %s',
    (host) => expect(isLoopbackHost(host)).toBe(false),
  );
  it('refuses a request that came through a proxy, whatever the socket says', () => {
    expect(
      isLocalAdminRequest({ socketAddress: '127.0.0.1', host: 'localhost', forwardedFor: '127.0.0.1' }),
    ).toBe(false);
    expect(
      isLocalAdminRequest({ socketAddress: '127.0.0.1', host: 'localhost', forwardedFor: undefined }),
    ).toBe(true);
  });
});

describe('admin routes off', () => {
  it('do not exist unless the admin API is passed (policy leaves portal.adminScreen off)', async () => {
    portal = await createTestPortal();
    const session = await openBrowserSession(portal.app);
    const gate = await portal.app.inject({ method: 'GET', url: adminHttpRoute('gate') });
    expect(gate.statusCode).toBe(404);
    expect(gate.json()).toEqual({ reason: 'not-found' });
    const unlock = await postJson(portal.app, adminHttpRoute('unlock'), session, { pin: PIN });
    expect(unlock.statusCode).toBe(404);
    expect(unlock.json()).toEqual({ reason: 'not-found' });
  });
});

describe('admin routes on', () => {
  it('answer each method with the AdminApi value, no-store, after one schema parse', async () => {
    const {
      portal: { app },
      admin,
      session,
      answered,
    } = await setUp();
    const gate = await app.inject({ method: 'GET', url: adminHttpRoute('gate') });
    expect(gate.statusCode).toBe(200);
    expect(gate.headers['cache-control']).toBe('no-store');
    expect(gate.headers[CSRF_HEADER]).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(adminResponseSchemas.gate.parse(gate.json())).toEqual(answers.gate);

    for (const [method, body] of Object.entries(requests) as [Exclude<AdminMethod, 'gate'>, unknown][]) {
      const response = await postJson(app, adminHttpRoute(method), session, body);
      expect(response.statusCode, method).toBe(200);
      expect(response.headers['cache-control'], method).toBe('no-store');
      expect(adminResponseSchemas[method].parse(response.json()), method).toEqual(answers[method]);
    }
    expect(admin.calls.map((call) => call.method)).toEqual(['gate', ...Object.keys(requests)]);
    // Each answer was reported sent (a restart or exit waits for that before it closes the portal).
    expect(answered).toEqual(['gate', ...Object.keys(requests)]);
    // The API got the parsed request (schema defaults applied), not the raw body.
    expect(admin.calls.find((call) => call.method === 'check')?.request).toEqual({
      token: TOKEN,
      draft: { changes: [{ path: 'station.name', value: 'Desk 4' }], secrets: {} },
    });
  });

  it('refuse a client whose socket is not loopback (404, as if absent), even with trustProxy', async () => {
    const {
      portal: { app },
      admin,
      session,
    } = await setUp({ trustProxy: true });
    const remote = { remoteAddress: '192.0.2.10' };
    const gate = await app.inject({ method: 'GET', url: adminHttpRoute('gate'), ...remote });
    expect(gate.statusCode).toBe(404);
    const unlock = await app.inject({
      method: 'POST',
      url: adminHttpRoute('unlock'),
      ...remote,
      headers: {
        'content-type': 'application/json',
        cookie: session.cookie,
        [CSRF_HEADER]: session.token,
        'x-forwarded-for': '127.0.0.1',
      },
      payload: JSON.stringify({ pin: PIN }),
    });
    expect(unlock.statusCode).toBe(404);
    expect(unlock.json()).toEqual({ reason: 'not-found' });
    expect(admin.calls).toEqual([]);
  });

  it('refuse a loopback socket that forwards for someone, or is addressed by a non-loopback name', async () => {
    const {
      portal: { app },
      admin,
      session,
    } = await setUp({ trustProxy: true, allowedHostNames: ['walkup.example'] });
    const proxied = await postJson(
      app,
      adminHttpRoute('unlock'),
      session,
      { pin: PIN },
      { 'x-forwarded-for': '192.0.2.10' },
    );
    expect(proxied.statusCode).toBe(404);
    const forwarded = await postJson(
      app,
      adminHttpRoute('unlock'),
      session,
      { pin: PIN },
      { forwarded: 'for=192.0.2.10' },
    );
    expect(forwarded.statusCode).toBe(404);
    const named = await app.inject({
      method: 'GET',
      url: adminHttpRoute('gate'),
      headers: { host: 'walkup.example' },
    });
    expect(named.statusCode).toBe(404);
    const byLanAddress = await app.inject({
      method: 'GET',
      url: adminHttpRoute('gate'),
      headers: { host: '192.0.2.1:8787' },
    });
    expect(byLanAddress.statusCode).toBe(404);
    expect(admin.calls).toEqual([]);
    // IPv6 loopback and an IPv4-mapped loopback socket are this machine.
    const v6 = await app.inject({
      method: 'GET',
      url: adminHttpRoute('gate'),
      remoteAddress: '::1',
      headers: { host: '[::1]:8787' },
    });
    expect(v6.statusCode).toBe(200);
    const mapped = await app.inject({
      method: 'GET',
      url: adminHttpRoute('gate'),
      remoteAddress: '::ffff:127.0.0.1',
    });
    expect(mapped.statusCode).toBe(200);
  });

  it('refuse a POST without the CSRF token, with a wrong one, or from another site', async () => {
    const {
      portal: { app },
      admin,
      session,
      answered,
    } = await setUp();
    const missing = await postJson(
      app,
      adminHttpRoute('unlock'),
      session,
      { pin: PIN },
      { [CSRF_HEADER]: '' },
    );
    expect(missing.statusCode).toBe(403);
    expect(missing.json()).toEqual({ reason: 'csrf-token-missing' });
    const wrong = await postJson(
      app,
      adminHttpRoute('exit'),
      session,
      { token: TOKEN },
      { [CSRF_HEADER]: 'B'.repeat(43) },
    );
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json()).toEqual({ reason: 'csrf-token-mismatch' });
    const crossSite = await postJson(
      app,
      adminHttpRoute('restart'),
      session,
      { token: TOKEN },
      { 'sec-fetch-site': 'cross-site' },
    );
    expect(crossSite.statusCode).toBe(403);
    const noSession = await postJson(
      app,
      adminHttpRoute('unlock'),
      { cookie: '', token: session.token },
      { pin: PIN },
    );
    expect(noSession.statusCode).toBe(403);
    expect(admin.calls).toEqual([]);
    expect(answered).toEqual([]);
  });

  it('refuse a body the schema refuses with a generic 400, without calling the API', async () => {
    const {
      portal: { app },
      admin,
      session,
    } = await setUp();
    const bodies: [AdminMethod, unknown][] = [
      ['unlock', { pin: 482913 }],
      ['unlock', {}],
      ['status', { token: '' }],
      ['save', { token: TOKEN, secrets: { 'duo.clientSecret': '' } }],
      ['save', { token: TOKEN, changes: 'station.name=x' }],
      ['testSignIn', { token: TOKEN, username: 'alice' }],
    ];
    for (const [method, body] of bodies) {
      const response = await postJson(app, adminHttpRoute(method), session, body);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      // Generic: no field names, nothing of the body echoed back.
      expect(response.json()).toEqual({ reason: 'invalid-request' });
    }
    const notJson = await postJson(app, adminHttpRoute('unlock'), session, undefined, {});
    expect(notJson.statusCode).toBe(400);
    expect(admin.calls).toEqual([]);
  });

  it('refuse a body over the method limit (413) without calling the API', async () => {
    const {
      portal: { app },
      admin,
      session,
    } = await setUp();
    const response = await postJson(app, adminHttpRoute('unlock'), session, {
      pin: '1'.repeat(ADMIN_BODY_LIMITS.unlock),
    });
    expect(response.statusCode).toBe(413);
    expect(admin.calls).toEqual([]);
  });

  it('answer a flood of 50 concurrent unlocks without a crash: the burst reaches the API, the rest wait (429)', async () => {
    const clock = manualClock();
    const {
      portal: { app },
      admin,
      session,
    } = await setUp({ clock });
    let release: () => void = () => {};
    admin.unlockGate = new Promise((resolve) => (release = resolve));
    const flood = Array.from({ length: 50 }, () =>
      postJson(app, adminHttpRoute('unlock'), session, { pin: PIN }),
    );
    // Every refusal is decided before any unlock finishes: no await between the check and the take.
    const unlocks = () => admin.calls.filter((call) => call.method === 'unlock').length;
    await expect.poll(unlocks).toBe(ADMIN_PIN_BURST);
    release();
    const responses = await Promise.all(flood);
    const statuses = responses.map((response) => response.statusCode);
    expect(statuses.filter((status) => status === 200)).toHaveLength(ADMIN_PIN_BURST);
    expect(statuses.filter((status) => status === 429)).toHaveLength(50 - ADMIN_PIN_BURST);
    for (const response of responses.filter((r) => r.statusCode === 429)) {
      const body = adminResponseSchemas.unlock.parse(response.json()) as AdminUnlockResult;
      // Not a lockout (the PIN was not judged): `busy`, with the gate as it really is.
      expect(body).toMatchObject({ ok: false, reason: 'busy', gate: await admin.gate() });
      expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
    }
    expect(unlocks()).toBe(ADMIN_PIN_BURST);

    // The server still answers, and after the refill one more PIN gets through.
    const gate = await app.inject({ method: 'GET', url: adminHttpRoute('gate') });
    expect(gate.statusCode).toBe(200);
    clock.advance(60_000);
    const later = await postJson(app, adminHttpRoute('unlock'), session, { pin: PIN });
    expect(later.statusCode).toBe(200);
  });

  it('do not rate-limit the token routes', async () => {
    const {
      portal: { app },
      admin,
      session,
    } = await setUp();
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => postJson(app, adminHttpRoute('status'), session, { token: TOKEN })),
    );
    expect(responses.every((response) => response.statusCode === 200)).toBe(true);
    expect(admin.calls).toHaveLength(20);
  });
});
