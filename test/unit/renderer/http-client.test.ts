// @vitest-environment jsdom
import { describe, expect, it, vi } from 'vitest';
import {
  CSRF_HEADER,
  VISIT_PHASE_HEADER,
  httpRoutes,
  type StationInfo,
  type VisitView,
  type WalkupEvent,
} from '../../../main/contract';
import { createHttpWalkupApi } from '../../../renderer/api/http-client';
import { adminHttpRoute } from '../../../main/contract';
import {
  AdminNotServedError,
  SessionRenewedError,
  TransportError,
} from '../../../renderer/api/transport-error';
import { testStatus } from './support/fake-admin-api';
import { testStation } from './support/fake-walkup-api';

interface Exchange {
  url: string;
  method: string;
  headers: Record<string, string>;
  credentials: RequestCredentials | undefined;
  body: unknown;
}

type Handler = (exchange: Exchange) => Response;

function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

/** A stand-in for fetch (this test only): records each request and answers with `handler`. */
function stubFetch(handler: Handler) {
  const exchanges: Exchange[] = [];
  const fetch = async (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    const headers: Record<string, string> = {};
    new Headers(init.headers).forEach((value, name) => (headers[name] = value));
    const exchange: Exchange = {
      url: String(input),
      method: init.method ?? 'GET',
      headers,
      credentials: init.credentials,
      body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
    };
    exchanges.push(exchange);
    return handler(exchange);
  };
  return { fetch: fetch as typeof globalThis.fetch, exchanges };
}

const station: StationInfo = testStation;
const idle: VisitView = { phase: 'idle' };

describe('HTTP client', () => {
  it('sends the CSRF token from the last GET response back on POSTs, same-origin credentials only', async () => {
    const { fetch, exchanges } = stubFetch(({ url }) => {
      if (url === httpRoutes.getStation) return json(station, 200, { [CSRF_HEADER]: 'token-1' });
      if (url === httpRoutes.getVisit) return json(idle, 200, { [CSRF_HEADER]: 'token-2' });
      if (url === httpRoutes.signIn)
        return json({ ok: false, reason: 'invalid-credentials', reference: 'K7F3' });
      return new Response(null, { status: 204 });
    });
    const api = createHttpWalkupApi({ fetch });

    expect(await api.getStation()).toEqual(station);
    expect(await api.getVisit()).toEqual(idle);
    const result = await api.signIn({ username: 'alice', password: ' secret ' });
    await api.activity();

    expect(result).toEqual({ ok: false, reason: 'invalid-credentials', reference: 'K7F3' });
    const signIn = exchanges.find((exchange) => exchange.url === httpRoutes.signIn);
    expect(signIn?.method).toBe('POST');
    expect(signIn?.headers[CSRF_HEADER]).toBe('token-2');
    expect(signIn?.headers['content-type']).toBe('application/json');
    expect(signIn?.body).toEqual({ username: 'alice', password: ' secret ' });
    expect(exchanges.find((exchange) => exchange.url === httpRoutes.activity)?.headers[CSRF_HEADER]).toBe(
      'token-2',
    );
    expect(exchanges.every((exchange) => exchange.credentials === 'same-origin')).toBe(true);
  });

  it('fetches a token first when a POST comes before any GET', async () => {
    const { fetch, exchanges } = stubFetch(({ url }) => {
      if (url === httpRoutes.getStation) return json(station, 200, { [CSRF_HEADER]: 'fresh' });
      return new Response(null, { status: 204 });
    });
    await createHttpWalkupApi({ fetch }).finish({ reason: 'finished' });
    expect(exchanges.map((exchange) => `${exchange.method} ${exchange.url}`)).toEqual([
      `GET ${httpRoutes.getStation}`,
      `POST ${httpRoutes.finish}`,
    ]);
    expect(exchanges[1]?.headers[CSRF_HEADER]).toBe('fresh');
  });

  it('renews the token once when the server refuses it (e.g. a new session)', async () => {
    let token = 'old';
    const { fetch, exchanges } = stubFetch(({ url, headers }) => {
      if (url === httpRoutes.getStation) return json(station, 200, { [CSRF_HEADER]: token });
      if (headers[CSRF_HEADER] !== 'new') return json({ reason: 'csrf-token-mismatch' }, 403);
      return json({ ok: true });
    });
    const api = createHttpWalkupApi({ fetch });
    await api.getStation();
    token = 'new';

    expect(await api.submitDuoResponse({ response: 'AUTH|a|b' })).toEqual({ ok: true });
    const posts = exchanges.filter((exchange) => exchange.method === 'POST');
    expect(posts.map((exchange) => exchange.headers[CSRF_HEADER])).toEqual(['old', 'new']);
  });

  it('rejects with a TransportError when the network fails or the answer is not the contract', async () => {
    const offline = createHttpWalkupApi({
      fetch: async () => {
        throw new TypeError('Failed to fetch');
      },
    });
    await expect(offline.getStation()).rejects.toBeInstanceOf(TransportError);

    const { fetch } = stubFetch(() => json({ hello: 'world' }, 200, { [CSRF_HEADER]: 't' }));
    await expect(createHttpWalkupApi({ fetch }).getVisit()).rejects.toBeInstanceOf(TransportError);

    const { fetch: failing } = stubFetch(() => json({ reason: 'internal-error' }, 500));
    await expect(createHttpWalkupApi({ fetch: failing }).getStation()).rejects.toBeInstanceOf(TransportError);
  });
});

/** A controllable EventSource: the test opens it, sends data, or closes it like a browser would. */
class FakeEventSource extends EventTarget {
  static readonly instances: FakeEventSource[] = [];
  readonly CONNECTING = 0;
  readonly OPEN = 1;
  readonly CLOSED = 2;
  readyState = 0;
  closed = false;

  constructor(readonly url: string) {
    super();
    FakeEventSource.instances.push(this);
  }

  open() {
    this.readyState = this.OPEN;
    this.dispatchEvent(new Event('open'));
  }

  send(data: string) {
    this.dispatchEvent(new MessageEvent('message', { data }));
  }

  fail() {
    this.readyState = this.CLOSED;
    this.dispatchEvent(new Event('error'));
  }

  close() {
    this.readyState = this.CLOSED;
    this.closed = true;
  }
}

describe('HTTP client: over-long sign-in (issue #7)', () => {
  it('answers a sign-in the portal refused as too large (413) with invalid-input, not a transport failure', async () => {
    const { fetch } = stubFetch(({ url }) => {
      if (url === httpRoutes.getStation) return json(station, 200, { [CSRF_HEADER]: 'token-1' });
      if (url === httpRoutes.signIn) return json({ reason: 'payload-too-large' }, 413);
      return new Response(null, { status: 204 });
    });
    const api = createHttpWalkupApi({ fetch });
    await api.getStation();
    expect(await api.signIn({ username: 'alice', password: 'é'.repeat(70_000) })).toEqual({
      ok: false,
      reason: 'invalid-input',
      detail: 'password-too-long',
      reference: 'request-too-large',
    });
    expect(await api.signIn({ username: 'é'.repeat(70_000), password: 'x' })).toMatchObject({
      reason: 'invalid-input',
      detail: 'username-too-long',
    });
  });

  it('still treats other error statuses of a sign-in as a transport failure', async () => {
    const { fetch } = stubFetch(({ url }) => {
      if (url === httpRoutes.getStation) return json(station, 200, { [CSRF_HEADER]: 'token-1' });
      if (url === httpRoutes.signIn) return json({ reason: 'sessions-full' }, 503);
      return new Response(null, { status: 204 });
    });
    const api = createHttpWalkupApi({ fetch });
    await api.getStation();
    await expect(api.signIn({ username: 'alice', password: 'x' })).rejects.toBeInstanceOf(TransportError);
  });
});

describe('HTTP client events', () => {
  it('opens the stream only once the first answer has created the browser session', async () => {
    FakeEventSource.instances.length = 0;
    const answers: (() => void)[] = [];
    const requests: string[] = [];
    const fetch = ((input: RequestInfo | URL) => {
      requests.push(String(input));
      return new Promise<Response>((resolve) =>
        answers.push(() => resolve(json(String(input) === httpRoutes.getVisit ? idle : station))),
      );
    }) as typeof globalThis.fetch;
    const api = createHttpWalkupApi({
      fetch,
      createEventSource: (url) => new FakeEventSource(url) as unknown as EventSource,
    });

    api.onEvent(() => undefined);
    const station$ = api.getStation();
    const visit$ = api.getVisit();
    await Promise.resolve();
    // One request in flight, nothing else until it is answered (its cookie names the session).
    expect(requests).toEqual([httpRoutes.getStation]);
    expect(FakeEventSource.instances).toHaveLength(0);

    answers[0]?.();
    await vi.waitFor(() => expect(requests).toHaveLength(3));
    answers[1]?.();
    answers[2]?.();
    expect(await station$).toEqual(station);
    expect(await visit$).toEqual(idle);
    await vi.waitFor(() => expect(FakeEventSource.instances).toHaveLength(1));
  });

  it('delivers contract events from the stream and ignores anything else', async () => {
    FakeEventSource.instances.length = 0;
    const { fetch } = stubFetch(() => json(station, 200, { [CSRF_HEADER]: 't' }));
    const api = createHttpWalkupApi({
      fetch,
      createEventSource: (url) => new FakeEventSource(url) as unknown as EventSource,
    });
    const events: unknown[] = [];
    const unsubscribe = api.onEvent((event) => events.push(event));
    await vi.waitFor(() => expect(FakeEventSource.instances).toHaveLength(1));
    const stream = FakeEventSource.instances[0];
    expect(stream?.url).toBe(httpRoutes.events);

    stream?.send(JSON.stringify({ type: 'idle-warning', secondsLeft: 20, ending: 'idle' }));
    stream?.send('not json');
    stream?.send(JSON.stringify({ type: 'self-destruct' }));
    expect(events).toEqual([{ type: 'idle-warning', secondsLeft: 20, ending: 'idle' }]);

    unsubscribe();
    expect(stream?.closed).toBe(true);
  });

  it('reconnects after the stream closes and replays the current station and visit', async () => {
    FakeEventSource.instances.length = 0;
    const { fetch } = stubFetch(({ url }) =>
      json(url === httpRoutes.getVisit ? idle : station, 200, { [CSRF_HEADER]: 't' }),
    );
    const api = createHttpWalkupApi({
      fetch,
      createEventSource: (url) => new FakeEventSource(url) as unknown as EventSource,
      reconnectDelayMs: 1000,
    });
    const events: { type: string }[] = [];
    api.onEvent((event) => events.push(event));
    await vi.waitFor(() => expect(FakeEventSource.instances).toHaveLength(1));

    vi.useFakeTimers();
    try {
      FakeEventSource.instances[0]?.fail();
      expect(FakeEventSource.instances).toHaveLength(1);
      // Refused (e.g. 403 or 503): the page reads the station and the visit at once…
      await vi.advanceTimersByTimeAsync(0);
      expect(events.map((event) => event.type)).toEqual(['station-changed', 'visit-changed']);
      await vi.advanceTimersByTimeAsync(1000);
      expect(FakeEventSource.instances).toHaveLength(2);

      // …and again once the stream is back, for what happened in between.
      FakeEventSource.instances[1]?.open();
      await vi.advanceTimersByTimeAsync(0);
      expect(events.map((event) => event.type)).toEqual([
        'station-changed',
        'visit-changed',
        'station-changed',
        'visit-changed',
      ]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('reopens a refused stream with a growing delay, and stops when nobody listens', async () => {
    FakeEventSource.instances.length = 0;
    const { fetch } = stubFetch(({ url }) =>
      json(url === httpRoutes.getVisit ? idle : station, 200, { [CSRF_HEADER]: 't' }),
    );
    const api = createHttpWalkupApi({
      fetch,
      createEventSource: (url) => new FakeEventSource(url) as unknown as EventSource,
      reconnectDelayMs: 1000,
      maxReconnectDelayMs: 4000,
    });
    const unsubscribe = api.onEvent(() => undefined);
    await vi.waitFor(() => expect(FakeEventSource.instances).toHaveLength(1));

    vi.useFakeTimers();
    try {
      const opened: number[] = [];
      for (const delay of [1000, 2000, 4000, 4000]) {
        FakeEventSource.instances.at(-1)?.fail();
        await vi.advanceTimersByTimeAsync(delay - 1);
        opened.push(FakeEventSource.instances.length);
        await vi.advanceTimersByTimeAsync(1);
        opened.push(FakeEventSource.instances.length);
      }
      expect(opened).toEqual([1, 2, 2, 3, 3, 4, 4, 5]);

      FakeEventSource.instances.at(-1)?.fail();
      unsubscribe();
      await vi.advanceTimersByTimeAsync(60_000);
      expect(FakeEventSource.instances).toHaveLength(5);
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('HTTP client: visit phase and renewed sessions', () => {
  const duo: VisitView = {
    phase: 'duo',
    displayName: 'Alice',
    duo: { kind: 'frame', host: 'api-test.duosecurity.com', tx: 'TX|a|b' },
    idleResetAt: '2030-01-01T00:05:00.000Z',
    capResetAt: '2030-01-01T00:15:00.000Z',
  };

  it('reads the visit and delivers it when an answer says the phase moved on (events lost)', async () => {
    FakeEventSource.instances.length = 0;
    let visit: VisitView = duo;
    const { fetch, exchanges } = stubFetch(({ url }) => {
      const headers = { [CSRF_HEADER]: 't', [VISIT_PHASE_HEADER]: visit.phase };
      if (url === httpRoutes.getVisit) return json(visit, 200, headers);
      if (url === httpRoutes.getStation) return json(station, 200, headers);
      return new Response(null, { status: 204, headers });
    });
    const api = createHttpWalkupApi({
      fetch,
      // A stream that never opens: every event is lost.
      createEventSource: (url) => new FakeEventSource(url) as unknown as EventSource,
    });
    const events: WalkupEvent[] = [];
    api.onEvent((event) => events.push(event));
    expect(await api.getVisit()).toEqual(duo);

    // Main reset the visit; the page only sends an activity ping.
    visit = idle;
    await api.activity();
    await vi.waitFor(() => expect(events).toEqual([{ type: 'visit-changed', visit: idle }]));
    const visitReads = exchanges.filter((exchange) => exchange.url === httpRoutes.getVisit);
    expect(visitReads).toHaveLength(2);

    // Same phase as the page knows: nothing more is read.
    await api.activity();
    await api.activity();
    expect(exchanges.filter((exchange) => exchange.url === httpRoutes.getVisit)).toHaveLength(2);
  });

  it('does not second-guess a sign-in in flight by the phase of its own answer', async () => {
    const { fetch, exchanges } = stubFetch(({ url }) => {
      const headers = { [CSRF_HEADER]: 't', [VISIT_PHASE_HEADER]: 'duo' };
      if (url === httpRoutes.getVisit) return json(idle, 200, { ...headers, [VISIT_PHASE_HEADER]: 'idle' });
      if (url === httpRoutes.getStation)
        return json(station, 200, { ...headers, [VISIT_PHASE_HEADER]: 'idle' });
      return json(
        { ok: true, displayName: 'Alice', duo: { kind: 'frame', host: 'api.test', tx: 'TX|a|b' } },
        200,
        headers,
      );
    });
    const api = createHttpWalkupApi({ fetch, createEventSource: undefined });
    api.onEvent(() => undefined);
    await api.getVisit();
    const result = await api.signIn({ username: 'alice', password: 'secret' });
    expect(result.ok).toBe(true);
    await api.activity();
    expect(exchanges.filter((exchange) => exchange.url === httpRoutes.getVisit)).toHaveLength(1);
  });

  it('gives visit times on the browser clock when the portal’s clock is ten minutes ahead', async () => {
    const serverNow = Date.now() + 10 * 60_000;
    const { fetch } = stubFetch(() =>
      json(duo, 200, { [CSRF_HEADER]: 't', date: new Date(serverNow).toUTCString() }),
    );
    const visit = await createHttpWalkupApi({ fetch }).getVisit();
    expect(visit.phase).toBe('duo');
    if (visit.phase !== 'duo' || duo.phase !== 'duo') return;
    const shiftMs = Date.parse(duo.idleResetAt) - Date.parse(visit.idleResetAt);
    expect(Math.abs(shiftMs - 10 * 60_000)).toBeLessThanOrEqual(2000);
  });

  it('takes a renewed CSRF token from any answer, POSTs included', async () => {
    const { fetch, exchanges } = stubFetch(({ url }) => {
      if (url === httpRoutes.getStation) return json(station, 200, { [CSRF_HEADER]: 'before-sign-in' });
      if (url === httpRoutes.signIn)
        return json({ ok: false, reason: 'invalid-credentials', reference: 'R' }, 200, {
          [CSRF_HEADER]: 'after-sign-in',
        });
      return new Response(null, { status: 204 });
    });
    const api = createHttpWalkupApi({ fetch });
    await api.getStation();
    await api.signIn({ username: 'alice', password: 'x' });
    await api.activity();
    const activity = exchanges.find((exchange) => exchange.url === httpRoutes.activity);
    expect(activity?.headers[CSRF_HEADER]).toBe('after-sign-in');
  });

  it('never re-sends a sign-in after the session was renewed: it renews the token and says so', async () => {
    let token = 'old';
    const { fetch, exchanges } = stubFetch(({ url, headers }) => {
      if (url === httpRoutes.getStation) return json(station, 200, { [CSRF_HEADER]: token });
      if (headers[CSRF_HEADER] !== 'new') return json({ reason: 'no-session' }, 403);
      return json({ ok: false, reason: 'invalid-credentials', reference: 'R' });
    });
    const api = createHttpWalkupApi({ fetch });
    await api.getStation();
    token = 'new';

    const attempt = api.signIn({ username: 'alice', password: 'secret' });
    await expect(attempt).rejects.toBeInstanceOf(SessionRenewedError);
    const signIns = exchanges.filter((exchange) => exchange.url === httpRoutes.signIn);
    expect(signIns).toHaveLength(1);
    // The next press works with the renewed token.
    expect(await api.signIn({ username: 'alice', password: 'secret' })).toMatchObject({ ok: false });
    expect(
      exchanges.filter((exchange) => exchange.url === httpRoutes.signIn).at(-1)?.headers[CSRF_HEADER],
    ).toBe('new');
  });

  it('retries an activity ping once after a renewed session, but not a cross-site refusal', async () => {
    let token = 'old';
    const { fetch, exchanges } = stubFetch(({ url, headers }) => {
      if (url === httpRoutes.getStation) return json(station, 200, { [CSRF_HEADER]: token });
      if (url === httpRoutes.finish) return json({ reason: 'cross-site-request' }, 403);
      if (headers[CSRF_HEADER] !== 'new') return json({ reason: 'csrf-token-mismatch' }, 403);
      return new Response(null, { status: 204 });
    });
    const api = createHttpWalkupApi({ fetch });
    await api.getStation();
    token = 'new';
    await api.activity();
    expect(
      exchanges.filter((exchange) => exchange.url === httpRoutes.activity).map((e) => e.headers[CSRF_HEADER]),
    ).toEqual(['old', 'new']);

    await expect(api.finish({ reason: 'finished' })).rejects.toBeInstanceOf(TransportError);
    expect(exchanges.filter((exchange) => exchange.url === httpRoutes.finish)).toHaveLength(1);
  });
});

describe('HTTP client: admin', () => {
  it('reads the gate from GET /api/admin/gate and parses it with the contract', async () => {
    const { fetch, exchanges } = stubFetch(() => json({ kind: 'pin', attemptsLeft: 4 }));
    const api = createHttpWalkupApi({ fetch });
    expect(await api.admin?.gate()).toEqual({ kind: 'pin', attemptsLeft: 4 });
    expect(exchanges.map((exchange) => `${exchange.method} ${exchange.url}`)).toEqual([
      `GET ${adminHttpRoute('gate')}`,
    ]);
  });

  it('takes a 404 on the gate as "no admin screen here"', async () => {
    const { fetch } = stubFetch(() => json({ error: 'not found' }, 404));
    const gate = createHttpWalkupApi({ fetch }).admin?.gate();
    await expect(gate).rejects.toBeInstanceOf(AdminNotServedError);
  });

  it('turns an answer outside the contract into a transport error, never a crash', async () => {
    const { fetch } = stubFetch(({ url }) => {
      if (url === httpRoutes.getStation) return json(station, 200, { [CSRF_HEADER]: 't' });
      if (url === adminHttpRoute('gate')) return json({ kind: 'open-sesame' });
      // A status without its settings list.
      return json({ ...testStatus, settings: undefined });
    });
    const api = createHttpWalkupApi({ fetch });
    await expect(api.admin?.gate()).rejects.toBeInstanceOf(TransportError);
    await expect(api.admin?.status({ token: 'x' })).rejects.toBeInstanceOf(TransportError);
  });

  it('POSTs each method to /api/admin/<method> with the CSRF token, and passes not-unlocked through', async () => {
    const { fetch, exchanges } = stubFetch(({ url }) => {
      if (url === httpRoutes.getStation) return json(station, 200, { [CSRF_HEADER]: 'token-9' });
      if (url === adminHttpRoute('unlock')) return json({ ok: true, token: 'admin-token', idleSeconds: 300 });
      if (url === adminHttpRoute('status')) return json(testStatus);
      return json({ ok: false, reason: 'not-unlocked' }, 401);
    });
    const api = createHttpWalkupApi({ fetch });
    expect(await api.admin?.unlock({ pin: '246810' })).toEqual({
      ok: true,
      token: 'admin-token',
      idleSeconds: 300,
    });
    expect(await api.admin?.status({ token: 'admin-token' })).toEqual(testStatus);
    expect(await api.admin?.lock({ token: 'stale' })).toEqual({ ok: false, reason: 'not-unlocked' });
    const posts = exchanges.filter((exchange) => exchange.method === 'POST');
    expect(posts.map((exchange) => exchange.url)).toEqual([
      adminHttpRoute('unlock'),
      adminHttpRoute('status'),
      adminHttpRoute('lock'),
    ]);
    expect(posts.every((exchange) => exchange.headers[CSRF_HEADER] === 'token-9')).toBe(true);
    expect(posts[0]?.body).toEqual({ pin: '246810' });
  });

  it('never re-sends a PIN, password or secret after a session renewal; repeats a status read once', async () => {
    let token = 'old';
    const { fetch, exchanges } = stubFetch(({ url, headers }) => {
      if (url === httpRoutes.getStation) return json(station, 200, { [CSRF_HEADER]: token });
      if (headers[CSRF_HEADER] !== 'new') return json({ reason: 'csrf-token-mismatch' }, 403);
      return json(testStatus);
    });
    const api = createHttpWalkupApi({ fetch });
    await api.getStation();
    token = 'new';
    await expect(api.admin?.unlock({ pin: '246810' })).rejects.toBeInstanceOf(SessionRenewedError);
    token = 'newer';
    await api.getStation();
    token = 'new';
    const save = api.admin?.save({ token: 'a', changes: [], secrets: { 'duo.skey': 's3cret' } });
    await expect(save).rejects.toBeInstanceOf(SessionRenewedError);
    expect(exchanges.filter((exchange) => exchange.url === adminHttpRoute('unlock'))).toHaveLength(1);
    expect(exchanges.filter((exchange) => exchange.url === adminHttpRoute('save'))).toHaveLength(1);

    token = 'newer';
    await api.getStation();
    token = 'new';
    expect(await api.admin?.status({ token: 'a' })).toEqual(testStatus);
    expect(exchanges.filter((exchange) => exchange.url === adminHttpRoute('status'))).toHaveLength(2);
  });

  it('takes a 404 on an admin POST as "no admin screen here"', async () => {
    const { fetch } = stubFetch(({ url }) => {
      if (url === httpRoutes.getStation) return json(station, 200, { [CSRF_HEADER]: 't' });
      return json({ error: 'not found' }, 404);
    });
    await expect(createHttpWalkupApi({ fetch }).admin?.unlock({ pin: '1' })).rejects.toBeInstanceOf(
      AdminNotServedError,
    );
  });
});
