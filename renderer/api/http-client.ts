/**
 * The contract over HTTP, for browsers in portal mode: JSON to `httpRoutes`, a CSRF token echoed on
 * every state-changing request, and events from an EventSource that reconnects by itself.
 */
import type { z } from 'zod';
import {
  CSRF_HEADER,
  httpRoutes,
  type DuoResponseRequest,
  type DuoResult,
  type FinishRequest,
  type SignInRequest,
  type SignInResult,
  type StationInfo,
  type VisitView,
  type WalkupApi,
  type WalkupEvent,
} from '../../main/contract';
import {
  duoResultSchema,
  signInResultSchema,
  stationInfoSchema,
  visitViewSchema,
  walkupEventSchema,
} from './response-schemas';
import { TransportError } from './transport-error';

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
  const maxDelay = options.maxReconnectDelayMs ?? 30_000;

  let csrfToken: string | undefined;

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
    try {
      response = await doFetch(path, { ...init, credentials: 'same-origin', cache: 'no-store' });
    } catch (error) {
      throw new TransportError(operation, 'network error', { cause: error });
    }
    established = true;
    // The server hands out the current token on every GET /api/* answer.
    const token = response.headers.get(CSRF_HEADER);
    if (token) csrfToken = token;
    return response;
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

  async function post(operation: string, path: string, body: unknown): Promise<Response> {
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
    if (response.status !== 403) return response;
    // The session (and its token) may have been replaced, e.g. after a server restart: fetch the
    // current token once and try again. The refused request did nothing on the server.
    csrfToken = undefined;
    await getStation();
    return attempt();
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
  ): Promise<T> {
    const response = await post(operation, path, body);
    if (response.status === 403 || response.status >= 500) {
      throw new TransportError(operation, `HTTP ${response.status}`);
    }
    return readBody(operation, response, schema);
  }

  async function postForNothing(operation: string, path: string, body: unknown): Promise<void> {
    const response = await post(operation, path, body);
    if (!response.ok) throw new TransportError(operation, `HTTP ${response.status}`);
  }

  const getStation = (): Promise<StationInfo> => get('getStation', httpRoutes.getStation, stationInfoSchema);
  const getVisit = (): Promise<VisitView> => get('getVisit', httpRoutes.getVisit, visitViewSchema);

  // --- events -----------------------------------------------------------------------------------
  const listeners = new Set<(event: WalkupEvent) => void>();
  let source: EventSource | undefined;
  let reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  let delay = firstDelay;

  const emit = (event: WalkupEvent) => {
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
    if (parsed.success) emit(parsed.data);
    else console.warn('Walkup: ignored an event outside the contract');
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
      // CONNECTING: the browser retries by itself. CLOSED (an HTTP error, wrong content type):
      // it gave up, so we start over after a growing delay.
      if (stream.readyState !== stream.CLOSED || source !== stream) return;
      stream.close();
      source = undefined;
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

  return {
    getStation,
    getVisit,
    signIn: (request: SignInRequest): Promise<SignInResult> =>
      postForResult('signIn', httpRoutes.signIn, request, signInResultSchema),
    submitDuoResponse: (request: DuoResponseRequest): Promise<DuoResult> =>
      postForResult('submitDuoResponse', httpRoutes.submitDuoResponse, request, duoResultSchema),
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
