/**
 * Shared set-up for portal unit tests: a portal over the fake engine, a renderer folder with an
 * index page, and a helper that opens a browser session the way the renderer does.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { CSRF_HEADER, httpRoutes } from '../../../main/contract';
import type { Clock } from '../../../main/core/ports';
import { silentLogger } from '../../../main/core/ports';
import { createPortalServer, type PortalServerOptions } from '../../../main/portal';
import { createFakeEngine, type FakeEngine } from './fake-engine';

export interface TestPortal {
  app: FastifyInstance;
  engine: FakeEngine;
  close(): Promise<void>;
}

/**
 * A portal over a fake engine. `engineOptions.maxSessions` is the engine registry's own bound
 * (the portal's `limits.maxSessions` applies when the portal opens a session).
 */
export async function createTestPortal(
  options: Partial<PortalServerOptions> = {},
  engineOptions: { maxSessions?: number } = {},
): Promise<TestPortal> {
  const rendererDir = mkdtempSync(path.join(tmpdir(), 'walkup-renderer-'));
  writeFileSync(
    path.join(rendererDir, 'index.html'),
    '<!doctype html><title>Walkup</title><div id="root"></div>',
  );
  writeFileSync(path.join(rendererDir, 'app.js'), 'console.log("walkup");');
  writeFileSync(path.join(rendererDir, '.secret'), 'not for browsers');
  // The engine's registry keeps the session bounds: it runs on the portal's clock.
  const engine = createFakeEngine({ ...engineOptions, ...(options.clock ? { clock: options.clock } : {}) });
  const app = await createPortalServer({ engine, rendererDir, logger: silentLogger, ...options });
  return {
    app,
    engine,
    async close() {
      await app.close();
      rmSync(rendererDir, { recursive: true, force: true });
    },
  };
}

/** A browser session: the cookie header to send back and the CSRF token. */
export interface BrowserSession {
  cookie: string;
  token: string;
}

export function cookieHeaderFrom(response: LightMyRequestResponse): string {
  return response.cookies.map((cookie) => `${cookie.name}=${cookie.value}`).join('; ');
}

/**
 * The browser session after a response: a renewed session cookie and CSRF token replace the old
 * ones (as a browser's cookie jar and the renderer's token would), else the old ones stay.
 */
export function sessionAfter(response: LightMyRequestResponse, previous: BrowserSession): BrowserSession {
  const renewed = response.cookies.find((cookie) => cookie.name === 'walkup_session');
  const token = response.headers[CSRF_HEADER];
  return {
    cookie: renewed ? `walkup_session=${renewed.value}` : previous.cookie,
    token: typeof token === 'string' ? token : previous.token,
  };
}

/** Only the named cookie of a response, as a cookie header. */
export function cookieNamed(response: LightMyRequestResponse, name: string): string {
  return response.cookies
    .filter((cookie) => cookie.name === name)
    .map((cookie) => `${cookie.name}=${cookie.value}`)
    .join('; ');
}

/** Opens a session the way the renderer does: `GET /api/station` first. */
export async function openBrowserSession(app: FastifyInstance): Promise<BrowserSession> {
  const response = await app.inject({ method: 'GET', url: httpRoutes.getStation });
  return { cookie: cookieHeaderFrom(response), token: String(response.headers[CSRF_HEADER]) };
}

/** A same-origin JSON POST from the renderer. */
export function postJson(
  app: FastifyInstance,
  url: string,
  session: BrowserSession,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'POST',
    url,
    headers: {
      'content-type': 'application/json',
      cookie: session.cookie,
      [CSRF_HEADER]: session.token,
      origin: 'http://localhost:80',
      'sec-fetch-site': 'same-origin',
      ...headers,
    },
    payload: JSON.stringify(body),
  });
}

/** A clock the test moves by hand. */
export function manualClock(start = 1_700_000_000_000): Clock & { advance(ms: number): void } {
  let now = start;
  return {
    now: () => now,
    sleep: async (ms) => {
      now += ms;
    },
    advance(ms) {
      now += ms;
    },
  };
}
