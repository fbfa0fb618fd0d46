import { afterEach, describe, expect, it } from 'vitest';
import { CSRF_HEADER, VISIT_PHASE_HEADER, httpRoutes, type WalkupEvent } from '../../../main/contract';
import { fakeStation } from './fake-engine';
import { createTestPortal, manualClock, type TestPortal } from './helpers';

let portal: TestPortal | undefined;
afterEach(async () => {
  await portal?.close();
  portal = undefined;
});

/** Reads from an SSE body until `predicate` holds for the text received so far. */
async function readUntil(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  predicate: (text: string) => boolean,
): Promise<string> {
  const decoder = new TextDecoder();
  let text = '';
  while (!predicate(text)) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  return text;
}

/** A browser session opened the renderer's way (`GET /api/station`), over real HTTP. */
async function openSession(address: string): Promise<{ cookie: string; token: string }> {
  const response = await fetch(`${address}${httpRoutes.getStation}`);
  await response.body?.cancel();
  const cookie = response.headers.getSetCookie()[0]?.split(';')[0] ?? '';
  return { cookie, token: response.headers.get(CSRF_HEADER) ?? '' };
}

/** Opens an event stream with `cookie` and waits for its first bytes. */
async function openStream(
  address: string,
  cookie: string,
): Promise<{ response: Response; reader: ReadableStreamDefaultReader<Uint8Array> }> {
  const response = await fetch(`${address}${httpRoutes.events}`, { headers: { cookie } });
  expect(response.status).toBe(200);
  const reader = response.body!.getReader();
  await readUntil(reader, (text) => text.includes(': connected'));
  return { response, reader };
}

/** Reads a stream to its end; resolves with what was left. */
const readToEnd = (reader: ReadableStreamDefaultReader<Uint8Array>): Promise<string> =>
  readUntil(reader, () => false);

describe('event stream', () => {
  it("streams the session's visit events and station changes as SSE data lines", async () => {
    portal = await createTestPortal();
    const { app, engine } = portal;
    const address = await app.listen({ host: '127.0.0.1', port: 0 });
    const session = await openSession(address);
    const response = await fetch(`${address}${httpRoutes.events}`, { headers: { cookie: session.cookie } });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get(CSRF_HEADER)).toBe(session.token);
    expect(response.headers.get(VISIT_PHASE_HEADER)).toBe('idle');
    expect(response.headers.get('set-cookie')).toBeNull();
    const reader = response.body!.getReader();
    await readUntil(reader, (text) => text.includes(': connected'));

    const event: WalkupEvent = { type: 'idle-warning', secondsLeft: 15, ending: 'idle' };
    engine.sessions[0]!.emit(event);
    engine.emitStation({ ...fakeStation, inService: false });
    const text = await readUntil(reader, (received) => received.includes('station-changed'));
    expect(text).toContain(`data: ${JSON.stringify(event)}\n\n`);
    expect(text.match(/"type":"station-changed"/g)).toHaveLength(1);
    await reader.cancel();
  });

  it('refuses a stream without a live session with 403 no-session, and creates none', async () => {
    portal = await createTestPortal();
    const address = await portal.app.listen({ host: '127.0.0.1', port: 0 });
    const attempts: Record<string, string>[] = [
      {},
      { cookie: 'walkup_session=made-up-session-id-0000000000000000000' },
    ];
    for (const headers of attempts) {
      const response = await fetch(`${address}${httpRoutes.events}`, { headers });
      expect(response.status).toBe(403);
      expect(await response.json()).toEqual({ reason: 'no-session' });
      expect(response.headers.get('set-cookie')).toBeNull();
      expect(response.headers.get(VISIT_PHASE_HEADER)).toBe('idle');
    }
    expect(portal.engine.sessions).toHaveLength(0);
  });

  it('unsubscribes when the browser disconnects', async () => {
    portal = await createTestPortal();
    const { app, engine } = portal;
    const address = await app.listen({ host: '127.0.0.1', port: 0 });
    const session = await openSession(address);
    const controller = new AbortController();
    const response = await fetch(`${address}${httpRoutes.events}`, {
      headers: { cookie: session.cookie },
      signal: controller.signal,
    });
    const reader = response.body!.getReader();
    await readUntil(reader, (text) => text.includes(': connected'));
    // The session store's own subscription, plus the stream's.
    expect(engine.sessions[0]!.listenerCount()).toBe(2);
    controller.abort();
    await expect.poll(() => engine.sessions[0]!.listenerCount()).toBe(1);
  });

  it('closes the stream when its session ends, so the browser reconnects', async () => {
    portal = await createTestPortal({ limits: { maxSessions: 1 } });
    const address = await portal.app.listen({ host: '127.0.0.1', port: 0 });
    const session = await openSession(address);
    const { reader } = await openStream(address, session.cookie);
    // A second browser takes the only session slot (the first holds no visit in progress).
    await openSession(address);
    expect(await readToEnd(reader)).toBe('');
  });

  it('closes the stream and retires the cookie when the engine itself ends the visit session', async () => {
    // One list of visits: the engine's registry holds one session, and another opener (a kiosk
    // window, say) takes its place; the portal learns of it from the engine, not by a sweep.
    portal = await createTestPortal({}, { maxSessions: 1 });
    const address = await portal.app.listen({ host: '127.0.0.1', port: 0 });
    const session = await openSession(address);
    const { reader } = await openStream(address, session.cookie);
    portal.engine.openSession({ duoPresentation: 'view' });
    expect(portal.engine.sessions[0]!.disposed).toBe(true);
    expect(await readToEnd(reader)).toBe('');
    const refused = await fetch(`${address}${httpRoutes.events}`, { headers: { cookie: session.cookie } });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual({ reason: 'no-session' });
  });

  it('closes the streams of a session the engine expires on its sweep', async () => {
    const clock = manualClock();
    portal = await createTestPortal({ clock, limits: { sessionIdleSeconds: 60 } });
    const address = await portal.app.listen({ host: '127.0.0.1', port: 0 });
    const session = await openSession(address);
    const { reader } = await openStream(address, session.cookie);
    clock.advance(61_000);
    portal.engine.visits.sweep();
    expect(await readToEnd(reader)).toBe('');
    expect(portal.engine.visits.size).toBe(0);
  });

  it('sends heartbeat comments while nothing happens', async () => {
    portal = await createTestPortal({ limits: { heartbeatSeconds: 0.05 } });
    const address = await portal.app.listen({ host: '127.0.0.1', port: 0 });
    const session = await openSession(address);
    const response = await fetch(`${address}${httpRoutes.events}`, { headers: { cookie: session.cookie } });
    const reader = response.body!.getReader();
    const text = await readUntil(reader, (received) => received.includes(': heartbeat'));
    expect(text).toContain(': heartbeat\n\n');
    await reader.cancel();
  });

  it("closes a session's oldest stream beyond its own limit", async () => {
    portal = await createTestPortal({ limits: { maxStreamsPerSession: 2 } });
    const address = await portal.app.listen({ host: '127.0.0.1', port: 0 });
    const session = await openSession(address);
    const first = await openStream(address, session.cookie);
    const second = await openStream(address, session.cookie);
    const third = await openStream(address, session.cookie);
    expect(await readToEnd(first.reader)).toBe('');
    portal.engine.sessions[0]!.emit({ type: 'visit-reset', reason: 'admin' });
    for (const { reader } of [second, third]) {
      expect(await readUntil(reader, (text) => text.includes('visit-reset'))).toContain('"reason":"admin"');
      await reader.cancel();
    }
  });

  it('holds both limits when many streams open at once', async () => {
    portal = await createTestPortal({ limits: { maxStreamsPerSession: 3, maxEventStreams: 5 } });
    const address = await portal.app.listen({ host: '127.0.0.1', port: 0 });
    const sessions = await Promise.all(Array.from({ length: 4 }, () => openSession(address)));
    const streams = await Promise.all(
      Array.from({ length: 20 }, (_, index) => openStream(address, sessions[index % 4]!.cookie)),
    );
    // An event to every session: an open stream receives it, a closed one reads to its end.
    for (const session of portal.engine.sessions) session.emit({ type: 'visit-reset', reason: 'admin' });
    const open = await Promise.all(
      streams.map(async ({ reader }) =>
        (await readUntil(reader, (text) => text.includes('visit-reset'))).includes('visit-reset'),
      ),
    );
    expect(open.filter(Boolean).length).toBe(5);
    await Promise.all(streams.map(({ reader }) => reader.cancel()));
  });

  it('closes the oldest stream beyond the global limit instead of refusing the new one', async () => {
    portal = await createTestPortal({ limits: { maxEventStreams: 2 } });
    const address = await portal.app.listen({ host: '127.0.0.1', port: 0 });
    const sessions = [await openSession(address), await openSession(address), await openSession(address)];
    const first = await openStream(address, sessions[0]!.cookie);
    const second = await openStream(address, sessions[1]!.cookie);
    const third = await openStream(address, sessions[2]!.cookie);
    expect(await readToEnd(first.reader)).toBe('');
    await second.reader.cancel();
    await third.reader.cancel();
  });

  it('never closes the newest stream of a visit in progress to make room, and refuses only when all are such', async () => {
    portal = await createTestPortal({ limits: { maxEventStreams: 2 } });
    const address = await portal.app.listen({ host: '127.0.0.1', port: 0 });
    const visiting = await openSession(address);
    const signIn = await fetch(`${address}${httpRoutes.signIn}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: visiting.cookie, [CSRF_HEADER]: visiting.token },
      body: JSON.stringify({ username: 'alice', password: 'pw' }),
    });
    const renewed = signIn.headers.getSetCookie().find((line) => line.startsWith('walkup_session='));
    const visitCookie = renewed!.split(';')[0]!;
    const own = await openStream(address, visitCookie);

    // A stranger's flood: each new stream closes the previous idle one, never the visit's.
    const strangers = [await openSession(address), await openSession(address), await openSession(address)];
    const flood = [];
    for (const stranger of strangers) flood.push(await openStream(address, stranger.cookie));
    expect(await readToEnd(flood[0]!.reader)).toBe('');
    expect(await readToEnd(flood[1]!.reader)).toBe('');

    portal.engine.sessions[0]!.reset('idle');
    expect(await readUntil(own.reader, (text) => text.includes('visit-reset'))).toContain('"reason":"idle"');
    await flood[2]!.reader.cancel();
  });

  it('refuses a new stream with 503 too-many-streams only when every open one belongs to a visit in progress', async () => {
    portal = await createTestPortal({ limits: { maxEventStreams: 1 } });
    const address = await portal.app.listen({ host: '127.0.0.1', port: 0 });
    const visiting = await openSession(address);
    const signIn = await fetch(`${address}${httpRoutes.signIn}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: visiting.cookie, [CSRF_HEADER]: visiting.token },
      body: JSON.stringify({ username: 'alice', password: 'pw' }),
    });
    const visitCookie = signIn.headers.getSetCookie()[0]!.split(';')[0]!;
    const own = await openStream(address, visitCookie);
    const stranger = await openSession(address);
    const refused = await fetch(`${address}${httpRoutes.events}`, { headers: { cookie: stranger.cookie } });
    expect(refused.status).toBe(503);
    expect(await refused.json()).toEqual({ reason: 'too-many-streams' });
    await own.reader.cancel();
  });

  it("always admits a visit's own stream: when all are protected, the least recently active other visit's stream goes", async () => {
    const clock = manualClock();
    portal = await createTestPortal({ clock, limits: { maxEventStreams: 2 } });
    const address = await portal.app.listen({ host: '127.0.0.1', port: 0 });
    const startVisit = async (): Promise<string> => {
      const session = await openSession(address);
      const signIn = await fetch(`${address}${httpRoutes.signIn}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: session.cookie, [CSRF_HEADER]: session.token },
        body: JSON.stringify({ username: 'alice', password: 'pw' }),
      });
      await signIn.body?.cancel();
      return signIn.headers.getSetCookie()[0]!.split(';')[0]!;
    };
    const stale = await startVisit();
    clock.advance(1000);
    const active = await startVisit();
    const staleStream = await openStream(address, stale);
    const activeStream = await openStream(address, active);
    clock.advance(1000);
    // The active visit's page was used since; the stale one was not.
    const touched = await fetch(`${address}${httpRoutes.getVisit}`, { headers: { cookie: active } });
    await touched.body?.cancel();

    // A session without a visit in progress is still refused when every stream is protected.
    const idle = await openSession(address);
    const refused = await fetch(`${address}${httpRoutes.events}`, { headers: { cookie: idle.cookie } });
    expect(refused.status).toBe(503);
    await refused.body?.cancel();

    clock.advance(1000);
    const newcomer = await startVisit();
    const own = await openStream(address, newcomer);
    expect(await readToEnd(staleStream.reader)).toBe('');
    portal.engine.sessions.at(-1)!.reset('idle');
    expect(await readUntil(own.reader, (text) => text.includes('visit-reset'))).toContain('"reason":"idle"');
    portal.engine.sessions[1]!.reset('idle');
    expect(await readUntil(activeStream.reader, (text) => text.includes('visit-reset'))).toContain(
      '"reason":"idle"',
    );
  });

  it('delivers a timer-driven reset to the stream, then closes it (the old cookie is gone)', async () => {
    portal = await createTestPortal();
    const address = await portal.app.listen({ host: '127.0.0.1', port: 0 });
    const before = await openSession(address);
    const signIn = await fetch(`${address}${httpRoutes.signIn}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: before.cookie, [CSRF_HEADER]: before.token },
      body: JSON.stringify({ username: 'alice', password: 'pw' }),
    });
    const visitCookie = signIn.headers.getSetCookie()[0]!.split(';')[0]!;
    const { reader } = await openStream(address, visitCookie);
    portal.engine.sessions[0]!.reset('visit-cap');
    const rest = await readToEnd(reader);
    expect(rest).toContain('"type":"visit-reset","reason":"visit-cap"');
    expect(rest).toContain('"type":"visit-changed","visit":{"phase":"idle"}');
    const again = await fetch(`${address}${httpRoutes.events}`, { headers: { cookie: visitCookie } });
    expect(again.status).toBe(403);
  });

  it("closes the streams of the identity a sign-in replaced, without the new visit's first event", async () => {
    portal = await createTestPortal();
    const address = await portal.app.listen({ host: '127.0.0.1', port: 0 });
    const before = await openSession(address);
    const { reader } = await openStream(address, before.cookie);
    await fetch(`${address}${httpRoutes.signIn}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: before.cookie, [CSRF_HEADER]: before.token },
      body: JSON.stringify({ username: 'alice', password: 'pw' }),
    });
    // The pre-sign-in identity names nobody once the visit starts: its stream closes without
    // hearing who signed in or where Duo is (the visit's first event goes only to the new identity).
    const rest = await readToEnd(reader);
    expect(rest).not.toContain('"phase":"duo"');
    expect(rest).not.toContain('Alice');
    expect(rest).not.toContain('authorize');
  });

  it('lets the server close while streams are open', async () => {
    portal = await createTestPortal();
    const address = await portal.app.listen({ host: '127.0.0.1', port: 0 });
    const session = await openSession(address);
    const { reader } = await openStream(address, session.cookie);
    await portal.app.close();
    expect(await readToEnd(reader)).toBe('');
  });
});
