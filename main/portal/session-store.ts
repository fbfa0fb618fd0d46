/**
 * Server-side browser sessions of portal mode. A browser holds only a random session id in a
 * cookie; its visit (and the Duo state, nonce and v2 APP part inside it) stays here.
 *
 * Identity follows the person, not the browser tab:
 * - When a visit starts (successful sign-in) and whenever it is reset, the session's id and CSRF
 *   token are *retired* at once: from then on the old cookie and token name nothing. If a request
 *   of that session is in flight (the sign-in, a finish), its answer carries the renewed id and
 *   token for the same visit (`settle`). A reset with no request in flight (idle timer, visit cap,
 *   the Done screen's timer) ends the session instead; the browser's next request starts a fresh
 *   one. Either way the old id never reads the next person's visit.
 * - The store is bounded. Sessions expire after a period without requests and after a maximum
 *   age, but never while their visit is in progress (it ends by its own bounds: idle, visit cap,
 *   finish). When the store is full, the least recently used session *without* a visit in progress
 *   is evicted; if every session holds a visit in progress, the new session is refused. Sessions
 *   are created at a bounded rate per client (`session-rate.ts`), keyed like the directory's
 *   throttle (`clientKey`: an IPv4 address, or the /64 of an IPv6 one).
 * - Nobody fills it with visits in progress: the engine keeps one visit in progress per directory
 *   account (a second sign-in of the same account ends its first visit), and `admitVisit` bounds
 *   the visits in progress one client may hold (`maxVisitsPerClient`) and counts a sign-in from a
 *   session whose visit is already under way (a renewal) against the client's session rate.
 *
 * The engine keeps its own map of visit sessions (`engine.ts`); this store decides which browser
 * sessions exist and disposes a visit when its session ends, so the engine's map only ever holds
 * what this store holds, and both follow the same rule: a visit in progress is never evicted.
 */
import { randomBytes } from 'node:crypto';
import type { VisitView, WalkupEvent } from '../contract';
import type { Clock } from '../core/ports';
import { clientKey } from '../core/directory/throttle';
import type { VisitSession } from '../core/enrollment/types';
import { createCsrfToken } from './csrf';
import { createSessionRateLimiter, type SessionRateOptions } from './session-rate';

/** The Web SDK v4 callback binding of a session (see `routes-duo-callback.ts`). */
export interface CallbackBinding {
  /** Value of the SameSite=Lax callback cookie. */
  token: string;
  /** The `state` of the pending authorization, when it could be read from the authorize URL. */
  state?: string;
  expiresAt: number;
}

/** One browser session (one identity: a renewal makes a new object for the same visit). */
export interface PortalSession {
  /** The cookie value: 256 random bits. */
  readonly id: string;
  readonly csrfToken: string;
  readonly visit: VisitSession;
  readonly createdAt: number;
  lastSeenAt: number;
  callback?: CallbackBinding;
}

/**
 * Why a session identity ended: `renewed` (same visit, new id and token), `reset` (its visit was
 * reset with no request to carry a new id), `expired`, `evicted`, `closed` (server closing).
 */
export type SessionEndReason = 'renewed' | 'reset' | 'expired' | 'evicted' | 'closed';

/** How `createSessionStore` bounds and expires sessions. */
export interface SessionStoreOptions {
  clock: Clock;
  /** Opens the engine-side visit session for a new browser session. */
  openVisit: () => VisitSession;
  /** Most sessions held at once. */
  maxSessions: number;
  /** A session without requests for this long is dropped (unless its visit is in progress). */
  idleTtlMs: number;
  /** No session lives longer than this, active or not (unless its visit is in progress). */
  maxAgeMs: number;
  /** New sessions (and renewals by sign-in, see `admitVisit`) per client; absent = no rate bound. */
  rate?: SessionRateOptions;
  /** Most visits in progress one client may hold at once; absent = no bound. */
  maxVisitsPerClient?: number;
  /**
   * Whether the engine still holds the visit. A session whose visit is gone ends, and the browser
   * gets a fresh one.
   */
  isVisitAlive?: (visit: VisitSession) => boolean;
  /** Called when a session identity ends (see `SessionEndReason`), e.g. to close its streams. */
  onEnded?: (session: PortalSession, why: SessionEndReason) => void;
}

/** Result of `create`. */
export type CreateSessionResult =
  | { ok: true; session: PortalSession }
  /** This client opened too many sessions lately. */
  | { ok: false; reason: 'rate-limited'; retryAfterSeconds: number }
  /** Every slot holds a visit in progress. */
  | { ok: false; reason: 'full' };

/** Result of `admitVisit`. */
export type AdmitVisitResult =
  | { ok: true }
  /** A sign-in from a session whose visit is under way would renew it; this client renewed too often. */
  | { ok: false; reason: 'rate-limited'; retryAfterSeconds: number }
  /** This client already holds `maxVisitsPerClient` visits in progress. */
  | { ok: false; reason: 'client-visits-full' };

/** The browser sessions of one portal server. */
export interface SessionStore {
  /**
   * Creates a session for `client` (an address; absent counts as one shared client), evicting
   * the least recently used session without a visit in progress when full.
   */
  create(client?: string): CreateSessionResult;
  /**
   * Whether `session` may start a sign-in now from `client` (its address): refused when the
   * client already holds `maxVisitsPerClient` visits in progress (this session's not counted),
   * or, for a session whose visit is under way (the sign-in would renew it), when the client's
   * session rate is spent. On admission the visit counts for `client` at once. Synchronous: the
   * caller starts the sign-in without an await in between.
   */
  admitVisit(session: PortalSession, client: string | undefined): AdmitVisitResult;
  /** The live session with this id, marked as just used; undefined if unknown, retired or expired. */
  get(id: string | undefined): PortalSession | undefined;
  /** Like `get`, without marking it used or ending an expired one. */
  peek(id: string | undefined): PortalSession | undefined;
  /** Whether `session` is still the live identity of its visit. */
  isCurrent(session: PortalSession): boolean;
  /**
   * Marks a request of `session` as in flight: a reset or visit start during it renews the
   * identity (see `settle`) instead of ending the session. Returns the release function.
   */
  hold(session: PortalSession): () => void;
  /**
   * After a held request: the identity that now stands for the browser. The same session when
   * nothing happened; a new one (new id and token, same visit) when the visit started or was
   * reset during the request; undefined when the session ended (or another request of it
   * renewed it meanwhile and nothing changed since: that answer carries the new identity).
   */
  settle(session: PortalSession): PortalSession | undefined;
  /** The live session holding this v4 callback token (the token must not have expired). */
  findByCallbackToken(token: string | undefined): PortalSession | undefined;
  /** Binds a fresh callback token (and the expected state) to the session; returns the token. */
  bindCallback(session: PortalSession, state: string | undefined, ttlMs: number): string;
  /** Forgets the session's callback token. */
  clearCallback(session: PortalSession): void;
  /** Drops expired sessions now. */
  sweep(): void;
  /** Live sessions. */
  readonly size: number;
  /** Ends every session. */
  close(): void;
}

interface Entry {
  session: PortalSession;
  /** The client key whose sign-in started the visit (see `admitVisit`). */
  visitClient?: string;
  /** Requests of this visit's session in flight. */
  holds: number;
  /** The id and token were retired; waiting for `settle` (held) or about to end. */
  retired: boolean;
  ended: boolean;
  /** Last phase seen in the visit's events, to notice a visit start. */
  phase: VisitView['phase'];
  unsubscribe: () => void;
}

const newId = (): string => randomBytes(32).toString('base64url');

/** The key a client address is counted under: the directory throttle's `clientKey`. */
const keyOf = (client: string | undefined): string => (client === undefined ? 'unknown' : clientKey(client));

/** Creates a bounded, expiring session store. */
export function createSessionStore(options: SessionStoreOptions): SessionStore {
  // Live entries by current id. Map iteration order is insertion order; `touch` re-inserts, so
  // the first entry is the least recently used.
  const live = new Map<string, Entry>();
  // Every entry not yet ended (live and retired), for `close`.
  const all = new Set<Entry>();
  const entryOf = new WeakMap<PortalSession, Entry>();
  const byCallbackToken = new Map<string, PortalSession>();
  const rate = options.rate ? createSessionRateLimiter(options.rate) : undefined;

  const isExpired = (entry: Entry, now: number): boolean => {
    const { session } = entry;
    if (options.isVisitAlive?.(session.visit) === false) return true;
    // A visit in progress ends by its own bounds (idle, visit cap, finish), never by ours.
    if (session.visit.inProgress) return false;
    return now - session.lastSeenAt > options.idleTtlMs || now - session.createdAt > options.maxAgeMs;
  };

  function clearCallback(session: PortalSession): void {
    if (session.callback) byCallbackToken.delete(session.callback.token);
    session.callback = undefined;
  }

  function end(entry: Entry, why: SessionEndReason): void {
    if (entry.ended) return;
    entry.ended = true;
    all.delete(entry);
    if (live.get(entry.session.id) === entry) live.delete(entry.session.id);
    clearCallback(entry.session);
    entry.unsubscribe();
    // Disposing resets a visit still under way; its streams hear that before they are closed.
    entry.session.visit.dispose();
    options.onEnded?.(entry.session, why);
  }

  /** The id and token stop working now; the identity is renewed by `settle` or ended. */
  function retire(entry: Entry): void {
    if (entry.retired || entry.ended) return;
    entry.retired = true;
    live.delete(entry.session.id);
    clearCallback(entry.session);
    if (entry.holds === 0) {
      // No request will carry a new id. End after the current event has reached every
      // listener (the event streams are subscribed after the store), then close the streams.
      queueMicrotask(() => {
        if (entry.retired && entry.holds === 0) end(entry, 'reset');
      });
    }
  }

  function onVisitEvent(entry: Entry, event: WalkupEvent): void {
    if (entry.ended) return;
    if (event.type === 'visit-reset') {
      retire(entry);
    } else if (event.type === 'visit-changed') {
      const before = entry.phase;
      entry.phase = event.visit.phase;
      // A visit starts: whoever knew the id before the sign-in must not read it.
      if (event.visit.phase === 'duo' && before !== 'duo') retire(entry);
    }
  }

  function touch(entry: Entry, now: number): void {
    entry.session.lastSeenAt = now;
    live.delete(entry.session.id);
    live.set(entry.session.id, entry);
  }

  function sweep(): void {
    const now = options.clock.now();
    for (const entry of [...live.values()]) {
      if (isExpired(entry, now)) end(entry, 'expired');
    }
  }

  /** Evicts the least recently used session without a visit in progress; false if none. */
  function evictOne(): boolean {
    for (const entry of live.values()) {
      if (entry.holds === 0 && !entry.session.visit.inProgress) {
        end(entry, 'evicted');
        return true;
      }
    }
    return false;
  }

  function get(id: string | undefined): PortalSession | undefined {
    if (!id) return undefined;
    const entry = live.get(id);
    if (!entry) return undefined;
    const now = options.clock.now();
    if (isExpired(entry, now)) {
      end(entry, 'expired');
      return undefined;
    }
    touch(entry, now);
    return entry.session;
  }

  return {
    create(client) {
      const now = options.clock.now();
      // The rate first: a client over it must not evict anyone.
      if (rate) {
        const decision = rate.take(keyOf(client), now);
        if (!decision.allowed) {
          return { ok: false, reason: 'rate-limited', retryAfterSeconds: decision.retryAfterSeconds };
        }
      }
      // Expired sessions go first, so only live ones are ever evicted.
      if (live.size >= options.maxSessions) sweep();
      while (live.size >= options.maxSessions) {
        if (!evictOne()) return { ok: false, reason: 'full' };
      }
      const session: PortalSession = {
        id: newId(),
        csrfToken: createCsrfToken(),
        visit: options.openVisit(),
        createdAt: now,
        lastSeenAt: now,
      };
      const entry: Entry = {
        session,
        holds: 0,
        retired: false,
        ended: false,
        phase: session.visit.getVisit().phase,
        unsubscribe: () => undefined,
      };
      // Subscribed before any event stream, so a retirement is decided before streams hear of it.
      entry.unsubscribe = session.visit.onEvent((event) => onVisitEvent(entry, event));
      entryOf.set(session, entry);
      live.set(session.id, entry);
      all.add(entry);
      return { ok: true, session };
    },
    admitVisit(session, client) {
      const entry = entryOf.get(session);
      if (!entry || entry.ended) return { ok: true };
      const key = keyOf(client);
      if (options.maxVisitsPerClient !== undefined) {
        let held = 0;
        for (const other of all) {
          if (other !== entry && other.visitClient === key && other.session.visit.inProgress) held += 1;
        }
        if (held >= options.maxVisitsPerClient) return { ok: false, reason: 'client-visits-full' };
      }
      if (rate && session.visit.inProgress) {
        const decision = rate.take(key, options.clock.now());
        if (!decision.allowed) {
          return { ok: false, reason: 'rate-limited', retryAfterSeconds: decision.retryAfterSeconds };
        }
      }
      entry.visitClient = key;
      return { ok: true };
    },
    get,
    peek(id) {
      if (!id) return undefined;
      const entry = live.get(id);
      return entry && !isExpired(entry, options.clock.now()) ? entry.session : undefined;
    },
    isCurrent(session) {
      const entry = entryOf.get(session);
      return entry !== undefined && !entry.ended && !entry.retired && entry.session === session;
    },
    hold(session) {
      const entry = entryOf.get(session);
      if (!entry || entry.ended || entry.session !== session) return () => undefined;
      entry.holds += 1;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        entry.holds -= 1;
        if (entry.holds === 0 && entry.retired) end(entry, 'reset');
      };
    },
    settle(session) {
      const entry = entryOf.get(session);
      if (!entry || entry.ended) return undefined;
      // Not retired: the same identity, unless another request of it renewed it meanwhile (that
      // answer carries the new identity, this one carries none).
      if (!entry.retired) return entry.session === session ? session : undefined;
      // Retired during a request that held it (possibly after another request's renewal):
      // this answer carries the next identity.
      const previous = entry.session;
      const renewed: PortalSession = {
        id: newId(),
        csrfToken: createCsrfToken(),
        visit: previous.visit,
        createdAt: previous.createdAt,
        lastSeenAt: options.clock.now(),
      };
      entry.session = renewed;
      entry.retired = false;
      entryOf.set(renewed, entry);
      live.set(renewed.id, entry);
      // The old identity's streams close, so the browser reconnects with the new cookie.
      options.onEnded?.(previous, 'renewed');
      return renewed;
    },
    findByCallbackToken(token) {
      if (!token) return undefined;
      const session = byCallbackToken.get(token);
      if (!session?.callback) return undefined;
      if (session.callback.expiresAt < options.clock.now()) {
        clearCallback(session);
        return undefined;
      }
      const found = get(session.id);
      return found === session ? found : undefined;
    },
    bindCallback(session, state, ttlMs) {
      clearCallback(session);
      const token = newId();
      session.callback = { token, expiresAt: options.clock.now() + ttlMs, ...(state ? { state } : {}) };
      byCallbackToken.set(token, session);
      return token;
    },
    clearCallback,
    sweep,
    get size() {
      return live.size;
    },
    close() {
      for (const entry of [...all]) end(entry, 'closed');
    },
  };
}
