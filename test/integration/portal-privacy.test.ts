/**
 * Portal mode under someone else's pressure, with the real engine, the demo directory and the Duo
 * emulator, over real HTTP on loopback. The "other client" speaks from 127.0.0.2, so per-client
 * rules see two addresses:
 * - event streams cannot be exhausted: hundreds of unauthenticated and authenticated-but-idle
 *   streams from another client, and a visit's idle reset still reaches its own stream;
 * - the session is renewed at sign-in: the cookie and CSRF token from before it read and change
 *   nothing afterwards;
 * - one valid account signing in ~1,000 times, and a flood of new sessions, leave another
 *   person's visit in progress intact;
 * - over-long input gets a typed `invalid-input` answer, never a transport error;
 * - a password typed into the username field reaches no log or audit line.
 */
import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CSRF_HEADER,
  VISIT_PHASE_HEADER,
  httpRoutes,
  type SignInResult,
  type VisitView,
} from '../../main/contract';
import { createMemoryAuditLog, type MemoryAuditLog } from '../../main/core/audit';
import { parseConfig } from '../../main/core/config/schema';
import type { EnrollmentEngine, Timers } from '../../main/core/enrollment';
import { systemClock, type Logger } from '../../main/core/ports';
import { buildStation } from '../../main/core/station';
import { portalRedirectUri, reserveFreePort, startPortal, type PortalLimits } from '../../main/portal';
import type { RunningPortal } from '../../main/portal/start';
import { finishUniversalPrompt } from '../support/duo-emulator/browser';
import { emulatorV4Config, useDuoEmulator } from '../support/duo-emulator/test-setup';

const emulator = useDuoEmulator();

/** The other client's address (Linux routes all of 127/8 to loopback). */
const STRANGER = '127.0.0.2';
const PERSON = '127.0.0.1';
const NEWCOMER = '127.0.0.3';

interface Running {
  portal: RunningPortal;
  engine: EnrollmentEngine;
  audit: MemoryAuditLog;
  logLines: string[];
}
let running: Running | undefined;
const openRequests = new Set<http.ClientRequest>();
afterEach(async () => {
  for (const request of openRequests) request.destroy();
  openRequests.clear();
  await running?.portal.close();
  running?.engine.close();
  running = undefined;
});

/** Engine timers that run `speedup` times faster (visit idle bounds within a test's time). */
function fastTimers(speedup: number): Timers {
  return {
    setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms / speedup),
    clearTimeout: (handle) => globalThis.clearTimeout(handle as NodeJS.Timeout),
    setInterval: (callback, ms) => globalThis.setInterval(callback, ms / speedup),
    clearInterval: (handle) => globalThis.clearInterval(handle as NodeJS.Timeout),
  };
}

async function startStation(
  options: { limits?: Partial<PortalLimits>; timers?: Timers } = {},
): Promise<Running> {
  const parsed = parseConfig({
    station: { name: 'Portal privacy' },
    directory: { type: 'demo', throttling: { minFailureMs: 0 } },
    duo: emulatorV4Config(emulator),
  });
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  const host = PERSON;
  const port = await reserveFreePort(host);
  const audit = createMemoryAuditLog({ clock: systemClock, stationName: 'Portal privacy', limit: 100_000 });
  const logLines: string[] = [];
  const logger: Logger = {
    info: (event, fields) => logLines.push(JSON.stringify({ event, fields })),
    warn: (event, fields) => logLines.push(JSON.stringify({ event, fields })),
    error: (event, fields) => logLines.push(JSON.stringify({ event, fields })),
  };
  const station = await buildStation(parsed.config, {
    clock: systemClock,
    logger,
    audit,
    redirectUri: portalRedirectUri({ host: PERSON, port }),
    env: { WALKUP_DUO_CLIENT_SECRET: emulator.integrations.v4.clientSecret },
    ...(options.timers ? { timers: options.timers } : {}),
  });
  expect(station.problems).toEqual([]);
  await station.engine.refreshHealth();
  expect(station.engine.getStation()).toMatchObject({ inService: true });
  const portal = await startPortal({
    engine: station.engine,
    rendererDir: '/nonexistent-renderer',
    logger,
    host,
    port,
    ...(options.limits ? { limits: options.limits } : {}),
  });
  running = { portal, engine: station.engine, audit, logLines };
  return running;
}

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One HTTP exchange from `from`, on its own connection. */
function exchange(
  port: number,
  from: string,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: unknown } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
    const request = http.request(
      {
        host: PERSON,
        port,
        path,
        method: options.method ?? 'GET',
        localAddress: from,
        agent: false,
        headers: {
          ...(payload !== undefined ? { 'content-type': 'application/json' } : {}),
          ...options.headers,
        },
      },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body }),
        );
      },
    );
    request.on('error', reject);
    request.end(payload);
  });
}

/** A browser session: cookie and CSRF token, kept up to date from the answers. */
class Client {
  cookie = '';
  token = '';
  constructor(
    private readonly port: number,
    readonly from: string,
  ) {}

  private remember(answer: Answer): void {
    for (const line of answer.headers['set-cookie'] ?? []) {
      const pair = line.split(';')[0] ?? '';
      if (pair.startsWith('walkup_session=')) this.cookie = pair;
    }
    const token = answer.headers[CSRF_HEADER];
    if (typeof token === 'string') this.token = token;
  }

  async get(path: string): Promise<Answer> {
    const answer = await exchange(this.port, this.from, path, { headers: { cookie: this.cookie } });
    this.remember(answer);
    return answer;
  }

  async post(path: string, body: unknown): Promise<Answer> {
    const answer = await exchange(this.port, this.from, path, {
      method: 'POST',
      headers: { cookie: this.cookie, [CSRF_HEADER]: this.token },
      body,
    });
    this.remember(answer);
    return answer;
  }
}

/** An open event stream: what arrived so far, and whether the server ended it. */
interface Stream {
  status: number;
  text: () => string;
  ended: () => boolean;
  waitFor(predicate: (text: string) => boolean, timeoutMs?: number): Promise<string>;
}

function openStream(port: number, from: string, cookie: string): Promise<Stream> {
  return new Promise((resolve, reject) => {
    let text = '';
    let ended = false;
    const waiters = new Set<() => void>();
    const request = http.request(
      { host: PERSON, port, path: httpRoutes.events, localAddress: from, agent: false, headers: { cookie } },
      (response) => {
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          text += chunk;
          for (const wake of [...waiters]) wake();
        });
        const finish = (): void => {
          ended = true;
          for (const wake of [...waiters]) wake();
        };
        response.on('end', finish);
        response.on('close', finish);
        resolve({
          status: response.statusCode ?? 0,
          text: () => text,
          ended: () => ended,
          waitFor: (predicate, timeoutMs = 30_000) =>
            new Promise((done, fail) => {
              const check = (): void => {
                if (predicate(text)) {
                  waiters.delete(check);
                  clearTimeout(timer);
                  done(text);
                } else if (ended) {
                  waiters.delete(check);
                  clearTimeout(timer);
                  fail(new Error(`stream ended without the expected event; got:\n${text}`));
                }
              };
              const timer = setTimeout(() => {
                waiters.delete(check);
                fail(new Error(`no expected event within ${timeoutMs} ms; got:\n${text}`));
              }, timeoutMs);
              waiters.add(check);
              check();
            }),
        });
      },
    );
    openRequests.add(request);
    request.on('error', (error) => {
      if (!ended) reject(error);
    });
    request.end();
  });
}

/** Presses Finish in the Universal Prompt and follows Duo's redirect back with the person's cookie. */
async function returnFromDuo(port: number, person: Client, authUrl: string): Promise<void> {
  const callback = await finishUniversalPrompt(emulator, authUrl);
  const query = new URLSearchParams({ state: callback.state ?? '', duo_code: callback.duoCode ?? '' });
  const back = await exchange(port, PERSON, `${httpRoutes.duoCallback}?${query}`, {
    headers: { cookie: person.cookie },
  });
  expect(back.status).toBe(303);
}

async function signIn(client: Client, username: string, password: string): Promise<SignInResult> {
  if (!client.token) await client.get(httpRoutes.getStation);
  const answer = await client.post(httpRoutes.signIn, { username, password });
  expect(answer.status).toBe(200);
  return JSON.parse(answer.body) as SignInResult;
}

describe('event streams under exhaustion', () => {
  it("delivers a visit's idle reset to its own stream while another client holds ~1,000 stream requests", async () => {
    // Duo idle 300 s runs in 6 s; the stranger may open as many sessions as it likes (many addresses).
    const { portal } = await startStation({ timers: fastTimers(50), limits: { sessionBurst: 10_000 } });
    const { port } = portal;

    // ~500 stream requests without a session: refused at once, nothing created or held.
    const unauthenticated = await Promise.all(
      Array.from({ length: 500 }, () => exchange(port, STRANGER, httpRoutes.events)),
    );
    expect(new Set(unauthenticated.map((answer) => answer.status))).toEqual(new Set([403]));
    expect(unauthenticated.every((answer) => !answer.headers['set-cookie'])).toBe(true);

    // ~500 streams of sessions that sit idle, three per session: the global cap is full.
    const strangers = await Promise.all(
      Array.from({ length: 170 }, async () => {
        const client = new Client(port, STRANGER);
        await client.get(httpRoutes.getStation);
        return client;
      }),
    );
    const held: Stream[] = [];
    for (const client of strangers) {
      for (let index = 0; index < 3; index += 1) held.push(await openStream(port, STRANGER, client.cookie));
    }
    expect(held.every((stream) => stream.status === 200)).toBe(true);

    // A person signs in and opens their stream; the flood goes on afterwards.
    const person = new Client(port, PERSON);
    const result = await signIn(person, 'alice', 'enroll-alice');
    expect(result).toMatchObject({ ok: true, duo: { kind: 'page' } });
    const own = await openStream(port, PERSON, person.cookie);
    expect(own.status).toBe(200);
    for (const client of strangers.slice(0, 100)) {
      held.push(await openStream(port, STRANGER, client.cookie));
    }
    // The global cap holds (the person's stream included), and theirs is still open.
    await expect.poll(() => held.filter((stream) => !stream.ended()).length).toBeLessThanOrEqual(499);
    expect(own.ended()).toBe(false);

    // The idle bound ends the visit: the warning and the reset reach the person's stream.
    const text = await own.waitFor((received) => received.includes('"type":"visit-reset"'));
    expect(text).toContain('"type":"idle-warning"');
    expect(text).toContain('"type":"visit-reset","reason":"idle"');

    // The old identity reads nothing of the visit afterwards.
    const after = await exchange(port, PERSON, httpRoutes.getVisit, { headers: { cookie: person.cookie } });
    expect(JSON.parse(after.body)).toEqual({ phase: 'idle' });
    expect(after.headers[VISIT_PHASE_HEADER]).toBe('idle');
  });
});

describe('session renewal', () => {
  it('refuses the cookie and CSRF token from before the sign-in', async () => {
    const { portal } = await startStation();
    const person = new Client(portal.port, PERSON);
    await person.get(httpRoutes.getStation);
    const before = { cookie: person.cookie, token: person.token };
    const result = await signIn(person, 'alice', 'enroll-alice');
    expect(result.ok).toBe(true);
    if (!result.ok || result.duo.kind !== 'page' || result.duo.presentation !== 'redirect') return;
    expect(person.cookie).not.toBe(before.cookie);
    expect(person.token).not.toBe(before.token);

    const read = await exchange(portal.port, PERSON, httpRoutes.getVisit, {
      headers: { cookie: before.cookie },
    });
    expect(JSON.parse(read.body)).toEqual({ phase: 'idle' });
    expect(read.body).not.toContain(new URL(result.duo.authUrl).host);
    for (const path of [httpRoutes.activity, httpRoutes.finish, httpRoutes.signIn]) {
      const post = await exchange(portal.port, PERSON, path, {
        method: 'POST',
        headers: { cookie: before.cookie, [CSRF_HEADER]: before.token },
        body: path === httpRoutes.signIn ? { username: 'bob', password: 'enroll-bob' } : {},
      });
      expect(post.status).toBe(403);
      expect(JSON.parse(post.body)).toEqual({ reason: 'no-session' });
    }

    // The renewed pair still holds the visit, which completes through Duo.
    const visit = JSON.parse((await person.get(httpRoutes.getVisit)).body) as VisitView;
    expect(visit).toMatchObject({ phase: 'duo', displayName: 'Alice Demo' });
    await returnFromDuo(portal.port, person, result.duo.authUrl);
    expect(JSON.parse((await person.get(httpRoutes.getVisit)).body)).toMatchObject({ phase: 'done' });
  });
});

describe('nobody ends or takes over another person’s visit', () => {
  it('keeps a visit in progress through 300 sign-ins by one account (more than the store holds) and a flood of new sessions; one account cannot fill the store', async () => {
    const { portal } = await startStation({ limits: { maxSessions: 200, sessionBurst: 10_000 } });
    const { port } = portal;
    const person = new Client(port, PERSON);
    const result = await signIn(person, 'alice', 'enroll-alice');
    if (!result.ok || result.duo.kind !== 'page' || result.duo.presentation !== 'redirect')
      throw new Error(`unexpected sign-in: ${JSON.stringify(result)}`);

    const outcomes = new Map<string, number>();
    const count = (key: string): void => void outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
    // More sign-ins of one account than the store holds sessions.
    for (let index = 0; index < 300; index += 1) {
      const stranger = new Client(port, STRANGER);
      const opened = await stranger.get(httpRoutes.getStation);
      if (opened.status !== 200) {
        count(`session ${opened.status} ${JSON.parse(opened.body).reason as string}`);
        continue;
      }
      const answer = await stranger.post(httpRoutes.signIn, { username: 'bob', password: 'enroll-bob' });
      count(`sign-in ${answer.status} ${(JSON.parse(answer.body) as SignInResult).ok}`);
    }
    const flood = await Promise.all(
      Array.from({ length: 300 }, () => exchange(port, STRANGER, httpRoutes.getStation)),
    );
    for (const answer of flood) count(`flood ${answer.status}`);

    // One account holds one visit in progress: each sign-in of bob ended bob's previous visit
    // (audited as cancelled), so the store never filled and nobody else was evicted.
    expect(outcomes.get('sign-in 200 true')).toBe(300);
    expect(outcomes.get('flood 200')).toBe(300);
    expect([...outcomes.keys()].filter((key) => key.includes('503'))).toEqual([]);
    const bobStarts = running!.audit.records.filter(
      (record) => record.type === 'duo-started' && record.username === 'bob',
    );
    expect(bobStarts).toHaveLength(300);
    const cancelled = running!.audit.records.filter(
      (record) => record.type === 'visit-reset' && record.reason === 'cancelled',
    );
    expect(cancelled).toHaveLength(299);

    // Another person, from another address, still starts.
    const newcomer = new Client(port, NEWCOMER);
    expect((await newcomer.get(httpRoutes.getStation)).status).toBe(200);
    expect(await signIn(newcomer, 'bob', 'enroll-bob')).toMatchObject({ ok: true });

    const visit = JSON.parse((await person.get(httpRoutes.getVisit)).body) as VisitView;
    expect(visit).toMatchObject({
      phase: 'duo',
      displayName: 'Alice Demo',
      duo: { authUrl: result.duo.authUrl },
    });
    await returnFromDuo(port, person, result.duo.authUrl);
    expect(JSON.parse((await person.get(httpRoutes.getVisit)).body)).toMatchObject({
      phase: 'done',
      outcome: 'verified',
    });
  }, 180_000);

  it('bounds the visits in progress of one address (429 station-paused), not of others', async () => {
    const { portal } = await startStation({ limits: { maxVisitsPerClient: 1 } });
    const { port } = portal;
    expect(await signIn(new Client(port, STRANGER), 'alice', 'enroll-alice')).toMatchObject({ ok: true });
    const second = new Client(port, STRANGER);
    await second.get(httpRoutes.getStation);
    const refused = await second.post(httpRoutes.signIn, { username: 'bob', password: 'enroll-bob' });
    expect(refused.status).toBe(429);
    expect(JSON.parse(refused.body)).toMatchObject({ ok: false, reason: 'station-paused' });
    // Nothing was checked for it: no directory attempt, no audit line of a sign-in.
    expect(
      running!.audit.records.filter(
        (record) => record.type === 'sign-in-succeeded' || record.type === 'sign-in-failed',
      ),
    ).toHaveLength(1);
    // The person at another address is not affected.
    expect(await signIn(new Client(port, PERSON), 'bob', 'enroll-bob')).toMatchObject({ ok: true });
  });

  it('bounds how fast one address opens sessions, while others still get theirs', async () => {
    const { portal } = await startStation({ limits: { sessionBurst: 20, sessionRefillSeconds: 60 } });
    const answers = await Promise.all(
      Array.from({ length: 40 }, () => exchange(portal.port, STRANGER, httpRoutes.getStation)),
    );
    expect(answers.filter((answer) => answer.status === 200)).toHaveLength(20);
    expect(answers.filter((answer) => answer.status === 429)).toHaveLength(20);
    expect((await exchange(portal.port, PERSON, httpRoutes.getStation)).status).toBe(200);
  });
});

describe('input bounds and what is logged', () => {
  it('answers over-long input with invalid-input and what to fix, not a transport error', async () => {
    const { portal } = await startStation();
    const person = new Client(portal.port, PERSON);
    const cases: [Record<string, string>, string][] = [
      [{ username: 'u'.repeat(1025), password: 'pw' }, 'username-too-long'],
      [{ username: 'u'.repeat(5000), password: 'pw' }, 'username-too-long'],
      [{ username: 'alice', password: 'p'.repeat(5000) }, 'password-too-long'],
    ];
    for (const [body, detail] of cases) {
      const result = await signIn(person, body.username!, body.password!);
      expect(result).toEqual({ ok: false, reason: 'invalid-input', detail, reference: expect.any(String) });
    }
    expect(running!.engine.getStation()).toMatchObject({ inService: true });
  });

  it('keeps a password typed into the username field out of every log and audit line', async () => {
    const { portal, audit, logLines } = await startStation();
    const person = new Client(portal.port, PERSON);
    const typed = 'Winter2026!Helpdesk';
    for (const password of ['first-guess-1', 'first-guess-2']) {
      expect(await signIn(person, typed, password)).toMatchObject({
        ok: false,
        reason: 'invalid-credentials',
      });
    }
    const failures = audit.records.filter((record) => record.type === 'sign-in-failed');
    expect(failures).toHaveLength(2);
    expect(new Set(failures.map((record) => (record as { usernameHash?: string }).usernameHash)).size).toBe(
      1,
    );
    const everything = JSON.stringify(audit.records) + logLines.join('\n');
    for (const secret of [typed, typed.toLowerCase(), 'Winter2026', 'first-guess-1', 'first-guess-2']) {
      expect(everything).not.toContain(secret);
    }
  });
});
