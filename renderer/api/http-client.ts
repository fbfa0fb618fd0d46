/**
 * The contract over HTTP, for browsers in portal mode: JSON to `httpRoutes`, a CSRF token echoed on
 * every state-changing request (taken from whichever answer carried it last: the portal renews the
 * session and its token at sign-in and at reset), and events from an EventSource that is reopened
 * with backoff whenever the portal refuses or ends it.
 *
 * Events can be lost (a stream refused at a cap, a proxy that drops it), so the page must not
 * depend on them to learn that its visit ended: every API answer names the visit phase in
 * `VISIT_PHASE_HEADER`, and when that differs from what the page was last told, the client reads
 * the visit and delivers it as a `visit-changed` event.
 */
import type { z } from 'zod';
import {
  adminHttpRoute,
  CSRF_HEADER,
  MAX_USERNAME_LENGTH,
  VISIT_PHASE_HEADER,
  httpRoutes,
  type DuoResponseRequest,
  type DuoResult,
  type FinishRequest,
  type SignInRequest,
  type SignInResult,
  type StationInfo,
  type VisitView,
  duoResultSchema,
  signInResultSchema,
  stationInfoSchema,
  visitViewSchema,
  walkupEventSchema,
  type WalkupApi,
  type WalkupEvent,
} from '../../main/contract';
import { adminResponseSchemas, type AdminApi, type AdminMethod } from '../../main/contract/admin';
import { createServerClock } from './server-clock';
import { AdminNotServedError, SessionRenewedError, TransportError } from './transport-error';

/**
 * Support reference of a sign-in the portal refused as too large (413): no audit line exists for
 * it, so the reference names the cause instead.
 */
export const TOO_LARGE_REFERENCE = 'request-too-large';

/**
 * The answer to a sign-in whose body the portal refused as too large: `invalid-input`, naming the
 * username if it is over `MAX_USERNAME_LENGTH` code points, else the password.
 */
export function tooLargeSignIn(request: SignInRequest): SignInResult {
  const usernameTooLong = [...request.username].length > MAX_USERNAME_LENGTH;
  return {
    ok: false,
    reason: 'invalid-input',
    detail: usernameTooLong ? 'username-too-long' : 'password-too-long',
    reference: TOO_LARGE_REFERENCE,
  };
}

/** Everything the client takes from the browser, injectable so tests can stand in for it. */
export interface HttpClientOptions {
  /** Defaults to the window's fetch. */
  fetch?: typeof fetch;
  /** Defaults to `new EventSource(url)`; without EventSource support there are no events. */
  createEventSource?: (url: string) => EventSource;
  /** First reconnect delay after the event stream closed; doubles up to `maxReconnectDelayMs`. */
  reconnectDelayMs?: number;
  maxReconnectDelayMs?: number;
}

/** The event names the stream may use, for servers that send named events (`event: visit-changed`). */
const eventTypes: WalkupEvent['type'][] = ['visit-changed', 'visit-reset', 'idle-warning', 'station-changed'];

type VisitPhase = VisitView['phase'];
const visitPhases: readonly string[] = ['idle', 'duo', 'done', 'failed'] satisfies VisitPhase[];

/**
 * Why the portal refuses a state-changing request whose session or token is no longer current
 * (portal `errors.ts`): the client renews its token and, for calls that are safe to repeat, tries
 * once more.
 */
const renewableRefusals: readonly string[] = ['csrf-token-missing', 'csrf-token-mismatch', 'no-session'];

/**
 * Creates the HTTP implementation of {@link WalkupApi}. Every failure outside the contract (network
 * down, unexpected status, malformed JSON) rejects with a {@link TransportError}.
 */
export function createHttpWalkupApi(options: HttpClientOptions = {}): WalkupApi {
  const doFetch = options.fetch ?? ((input, init) => window.fetch(input, init));
  const createEventSource =
    options.createEventSource ??
    (typeof EventSource === 'function' ? (url: string) => new EventSource(url) : undefined);
  const firstDelay = options.reconnectDelayMs ?? 1000;
  const maxDelay = options.maxReconnectDelayMs ?? 15_000;

  let csrfToken: string | undefined;
  /** Visit times come in the portal's clock; the page counts on the browser's. */
  const serverClock = createServerClock();
  /** The visit phase the page was last given (by getVisit, an event or a successful sign-in). */
  let shownPhase: VisitPhase | undefined;
  /** Sign-ins in flight: the phase moves under them, and their own answer tells the page. */
  let signInsInFlight = 0;

  /**
   * The portal creates the browser session (and its cookie) on the first request that arrives
   * without one. Requests sent in parallel before that answer would each get a session of their
   * own, and the event stream would follow the wrong one; so until a first answer is in, requests
   * wait for it.
   */
  let established = false;
  let firstExchange: Promise<void> | undefined;

  async function send(operation: string, path: string, init: RequestInit): Promise<Response> {
    if (!established && firstExchange) await firstExchange;
    const exchange = exchangeOnce(operation, path, init);
    if (!established && !firstExchange) {
      firstExchange = exchange.then(
        () => undefined,
        () => {
          firstExchange = undefined;
        },
      );
    }
    return exchange;
  }

  async function exchangeOnce(operation: string, path: string, init: RequestInit): Promise<Response> {
    let response: Response;
    const sentAt = Date.now();
    try {
      response = await doFetch(path, { ...init, credentials: 'same-origin', cache: 'no-store' });
    } catch (error) {
      throw new TransportError(operation, 'network error', { cause: error });
    }
    established = true;
    serverClock.observe(response.headers.get('date'), sentAt, Date.now());
    // The server hands out the current token on API answers, and a new one when it renews the
    // session (sign-in, reset); whichever answer carried one last is the one to send.
    const token = response.headers.get(CSRF_HEADER);
    if (token) csrfToken = token;
    notePhase(operation, response.headers.get(VISIT_PHASE_HEADER));
    return response;
  }

  /**
   * A phase in an answer that differs from the one the page was last given means the page missed
   * an event (e.g. its visit was reset while its event stream was refused): read the visit and
   * deliver it, so the page corrects itself. getVisit's own answer is delivered by its caller.
   */
  let visitCheck: Promise<void> | undefined;
  function notePhase(operation: string, phase: string | null): void {
    if (phase === null || !visitPhases.includes(phase) || operation === 'getVisit') return;
    if (signInsInFlight > 0 || listeners.size === 0 || shownPhase === undefined) return;
    if (phase === shownPhase || visitCheck) return;
    visitCheck = getVisit()
      .then((visit) => emit({ type: 'visit-changed', visit }))
      .catch((error: unknown) => console.warn('Walkup: could not read the visit', error))
      .finally(() => {
        visitCheck = undefined;
      });
  }

  /** Resolves once the browser session exists (never rejects; the stream copes with failures). */
  async function sessionEstablished(): Promise<void> {
    if (!established && firstExchange) await firstExchange;
    if (established) return;
    await getStation().catch(() => undefined);
  }

  async function readBody<T>(operation: string, response: Response, schema: z.ZodType<T>): Promise<T> {
    let body: unknown;
    try {
      body = await response.json();
    } catch (error) {
      throw new TransportError(operation, `unreadable answer (HTTP ${response.status})`, { cause: error });
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) throw new TransportError(operation, `unexpected answer (HTTP ${response.status})`);
    return parsed.data;
  }

  async function get<T>(operation: string, path: string, schema: z.ZodType<T>): Promise<T> {
    const response = await send(operation, path, { method: 'GET', headers: { accept: 'application/json' } });
    if (!response.ok) throw new TransportError(operation, `HTTP ${response.status}`);
    return readBody(operation, response, schema);
  }

  /**
   * POSTs with the current CSRF token. When the portal refuses the session or token (renewed at
   * sign-in or reset, or the session expired), the token is renewed by reading the station; then a
   * `repeatable` call is sent once more (it did nothing the first time), and any other call
   * rejects with a {@link SessionRenewedError}: a sign-in's password is never re-sent without the
   * person pressing Sign in again.
   */
  async function post(
    operation: string,
    path: string,
    body: unknown,
    repeatable: boolean,
  ): Promise<Response> {
    const attempt = () =>
      send(operation, path, {
        method: 'POST',
        headers: {
          accept: 'application/json',
          'content-type': 'application/json',
          ...(csrfToken ? { [CSRF_HEADER]: csrfToken } : {}),
        },
        body: JSON.stringify(body),
      });
    if (!csrfToken) await getStation();
    const response = await attempt();
    if (response.status !== 403 || !renewableRefusals.includes(await refusalReason(response))) {
      return response;
    }
    csrfToken = undefined;
    await getStation();
    if (!repeatable) throw new SessionRenewedError(operation, 'the session was renewed');
    return attempt();
  }

  /** The `reason` of a portal error body, or '' (the body is read from a clone). */
  async function refusalReason(response: Response): Promise<string> {
    try {
      const body: unknown = await response.clone().json();
      return typeof body === 'object' && body !== null && 'reason' in body ? String(body.reason) : '';
    } catch {
      return '';
    }
  }

  /**
   * Results with a reason code (`{ ok: false, … }`) may come with an error status (401, 429…);
   * they are still contract answers, so the body decides, not the status.
   */
  async function postForResult<T>(
    operation: string,
    path: string,
    body: unknown,
    schema: z.ZodType<T>,
    repeatable: boolean,
  ): Promise<T> {
    return resultOf(operation, await post(operation, path, body, repeatable), schema);
  }

  async function resultOf<T>(operation: string, response: Response, schema: z.ZodType<T>): Promise<T> {
    if (response.status === 403 || response.status >= 500) {
      throw new TransportError(operation, `HTTP ${response.status}`);
    }
    return readBody(operation, response, schema);
  }

  async function postForNothing(operation: string, path: string, body: unknown): Promise<void> {
    const response = await post(operation, path, body, true);
    if (!response.ok) throw new TransportError(operation, `HTTP ${response.status}`);
  }

  const getStation = (): Promise<StationInfo> => get('getStation', httpRoutes.getStation, stationInfoSchema);
  const getVisit = async (): Promise<VisitView> => {
    const visit = serverClock.toLocal(await get('getVisit', httpRoutes.getVisit, visitViewSchema));
    shownPhase = visit.phase;
    return visit;
  };

  const signIn = async (request: SignInRequest): Promise<SignInResult> => {
    signInsInFlight += 1;
    try {
      const response = await post('signIn', httpRoutes.signIn, request, false);
      // A body above the portal's limit never reached the engine: it is still the person's input
      // that is too long, so it gets the typed answer, not "lost contact".
      if (response.status === 413) return tooLargeSignIn(request);
      const result = await resultOf('signIn', response, signInResultSchema);
      if (result.ok) shownPhase = 'duo';
      return result;
    } finally {
      signInsInFlight -= 1;
    }
  };

  // --- events -----------------------------------------------------------------------------------
  const listeners = new Set<(event: WalkupEvent) => void>();
  let source: EventSource | undefined;
  let reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  let delay = firstDelay;

  const emit = (event: WalkupEvent) => {
    if (event.type === 'visit-changed') shownPhase = event.visit.phase;
    for (const listener of [...listeners]) listener(event);
  };

  const onStreamMessage = (message: MessageEvent) => {
    let data: unknown;
    try {
      data = JSON.parse(String(message.data));
    } catch {
      console.warn('Walkup: ignored an event that is not JSON');
      return;
    }
    // A named event may carry only its payload; the name then supplies the type.
    if (message.type !== 'message' && typeof data === 'object' && data !== null && !('type' in data)) {
      data = { ...data, type: message.type };
    }
    const parsed = walkupEventSchema.safeParse(data);
    if (!parsed.success) {
      console.warn('Walkup: ignored an event outside the contract');
      return;
    }
    const event = parsed.data;
    emit(event.type === 'visit-changed' ? { ...event, visit: serverClock.toLocal(event.visit) } : event);
  };

  /**
   * Events sent while the stream was down are lost, so every (re)connection reads the current
   * station and visit and replays them as events: listeners always converge on the truth.
   */
  const resync = async () => {
    try {
      const [station, visit] = await Promise.all([getStation(), getVisit()]);
      emit({ type: 'station-changed', station });
      emit({ type: 'visit-changed', visit });
    } catch (error) {
      console.warn('Walkup: could not resynchronise after reconnecting', error);
    }
  };

  let connecting = false;

  const connect = () => {
    if (!createEventSource || listeners.size === 0 || source || connecting) return;
    connecting = true;
    void sessionEstablished().then(() => {
      connecting = false;
      if (listeners.size > 0 && !source) openStream(createEventSource);
    });
  };

  const openStream = (create: (url: string) => EventSource) => {
    const stream = create(httpRoutes.events);
    source = stream;
    stream.addEventListener('message', onStreamMessage);
    for (const type of eventTypes) stream.addEventListener(type, onStreamMessage);
    stream.addEventListener('open', () => {
      delay = firstDelay;
      void resync();
    });
    stream.addEventListener('error', () => {
      // CONNECTING: the browser retries by itself (network errors, a stream the server ended).
      // CLOSED (an HTTP error status such as 403 without a session or 503 at a cap, or a wrong
      // content type): it gave up, so we start over after a growing delay. Meanwhile the page
      // reads the station and the visit now, so it misses nothing while the stream is refused.
      if (stream.readyState !== stream.CLOSED || source !== stream) return;
      stream.close();
      source = undefined;
      void resync();
      reconnectTimer = setTimeout(() => {
        reconnectTimer = undefined;
        connect();
      }, delay);
      delay = Math.min(delay * 2, maxDelay);
    });
  };

  const disconnect = () => {
    if (reconnectTimer !== undefined) clearTimeout(reconnectTimer);
    reconnectTimer = undefined;
    source?.close();
    source = undefined;
    delay = firstDelay;
  };

  // --- admin ----------------------------------------------------------------------------------
  /**
   * Admin POSTs that may be sent once more after the portal renewed the session: they carry no
   * PIN, password or secret (those are never re-sent without the admin pressing again).
   */
  const repeatableAdmin: readonly AdminMethod[] = ['status', 'lock', 'restart', 'exit'];

  async function adminPost<M extends Exclude<AdminMethod, 'gate'>>(
    method: M,
    request: unknown,
  ): Promise<z.infer<(typeof adminResponseSchemas)[M]>> {
    const operation = `admin.${method}`;
    const response = await post(operation, adminHttpRoute(method), request, repeatableAdmin.includes(method));
    if (response.status === 404) throw new AdminNotServedError(operation, 'HTTP 404');
    return resultOf(operation, response, adminResponseSchemas[method] as z.ZodType) as Promise<
      z.infer<(typeof adminResponseSchemas)[M]>
    >;
  }

  const admin: AdminApi = {
    async gate() {
      const response = await send('admin.gate', adminHttpRoute('gate'), {
        method: 'GET',
        headers: { accept: 'application/json' },
      });
      // 404: the portal serves no admin screen here (off by policy, or not from loopback).
      if (response.status === 404) throw new AdminNotServedError('admin.gate', 'HTTP 404');
      if (!response.ok) throw new TransportError('admin.gate', `HTTP ${response.status}`);
      return readBody('admin.gate', response, adminResponseSchemas.gate);
    },
    unlock: (request) => adminPost('unlock', request),
    createPin: (request) => adminPost('createPin', request),
    changePin: (request) => adminPost('changePin', request),
    status: (request) => adminPost('status', request),
    check: (request) => adminPost('check', request),
    testSignIn: (request) => adminPost('testSignIn', request),
    save: (request) => adminPost('save', request),
    lock: (request) => adminPost('lock', request),
    restart: (request) => adminPost('restart', request),
    exit: (request) => adminPost('exit', request),
  };

  return {
    admin,
    getStation,
    getVisit,
    signIn,
    // Repeatable: a refused submission never reached the engine, and the engine accepts a Duo
    // response only once anyway.
    submitDuoResponse: (request: DuoResponseRequest): Promise<DuoResult> =>
      postForResult('submitDuoResponse', httpRoutes.submitDuoResponse, request, duoResultSchema, true),
    finish: (request: FinishRequest): Promise<void> => postForNothing('finish', httpRoutes.finish, request),
    activity: (): Promise<void> => postForNothing('activity', httpRoutes.activity, {}),
    onEvent(listener) {
      listeners.add(listener);
      if (reconnectTimer === undefined) connect();
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) disconnect();
      };
    },
  };
}
