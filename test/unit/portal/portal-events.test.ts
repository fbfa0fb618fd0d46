import { afterEach, describe, expect, it } from 'vitest';
import { CSRF_HEADER, httpRoutes, type WalkupEvent } from '../../../main/contract';
import { fakeStation } from './fake-engine';
import { createTestPortal, type TestPortal } from './helpers';

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

describe('event stream', () => {
  it("streams the session's visit events and station changes as SSE data lines", async () => {
    portal = await createTestPortal();
    const { app, engine } = portal;
    const address = await app.listen({ host: '127.0.0.1', port: 0 });
    const response = await fetch(`${address}${httpRoutes.events}`);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get(CSRF_HEADER)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(response.headers.get('set-cookie')).toContain('SameSite=Strict');
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

  it('unsubscribes when the browser disconnects', async () => {
    portal = await createTestPortal();
    const { app, engine } = portal;
    const address = await app.listen({ host: '127.0.0.1', port: 0 });
    const controller = new AbortController();
    const response = await fetch(`${address}${httpRoutes.events}`, { signal: controller.signal });
    const reader = response.body!.getReader();
    await readUntil(reader, (text) => text.includes(': connected'));
    expect(engine.sessions[0]!.listenerCount()).toBe(1);
    controller.abort();
    await expect.poll(() => engine.sessions[0]!.listenerCount()).toBe(0);
  });

  it('closes the stream when its session ends, so the browser reconnects', async () => {
    portal = await createTestPortal({ limits: { maxSessions: 1 } });
    const address = await portal.app.listen({ host: '127.0.0.1', port: 0 });
    const response = await fetch(`${address}${httpRoutes.events}`);
    const reader = response.body!.getReader();
    await readUntil(reader, (text) => text.includes(': connected'));
    // A second browser takes the only session slot.
    await fetch(`${address}${httpRoutes.getStation}`);
    const rest = await readUntil(reader, () => false);
    expect(rest).toBe('');
  });

  it('sends heartbeat comments while nothing happens', async () => {
    portal = await createTestPortal({ limits: { heartbeatSeconds: 0.05 } });
    const address = await portal.app.listen({ host: '127.0.0.1', port: 0 });
    const response = await fetch(`${address}${httpRoutes.events}`);
    const reader = response.body!.getReader();
    const text = await readUntil(reader, (received) => received.includes(': heartbeat'));
    expect(text).toContain(': heartbeat\n\n');
    await reader.cancel();
  });

  it('refuses more streams than the limit with 503 too-many-streams', async () => {
    portal = await createTestPortal({ limits: { maxEventStreams: 1 } });
    const address = await portal.app.listen({ host: '127.0.0.1', port: 0 });
    const first = await fetch(`${address}${httpRoutes.events}`);
    const second = await fetch(`${address}${httpRoutes.events}`);
    expect(second.status).toBe(503);
    expect(await second.json()).toEqual({ reason: 'too-many-streams' });
    await first.body!.cancel();
  });

  it('lets the server close while streams are open', async () => {
    portal = await createTestPortal();
    const address = await portal.app.listen({ host: '127.0.0.1', port: 0 });
    const response = await fetch(`${address}${httpRoutes.events}`);
    const reader = response.body!.getReader();
    await readUntil(reader, (text) => text.includes(': connected'));
    await portal.app.close();
    const rest = await readUntil(reader, () => false);
    expect(rest).toBe('');
  });
});
