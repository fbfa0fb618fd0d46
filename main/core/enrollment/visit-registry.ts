/**
 * The engine's one list of visit sessions: which exist, how many may, which expire, which make
 * room, and who hears when one ends. Every transport goes through it: the kiosk window holds one
 * session for good (`EnrollmentEngine.openSession`); portal mode opens one per browser session
 * with bounds (`EnrollmentEngine.visits.open`) and keeps nothing of its own but the cookie
 * identity that names an engine session id (`main/portal/session-store.ts`).
 *
 * Rules, all decided here and nowhere else:
 * - A session whose visit is in progress (signing in, Duo, Done, Failed) is never evicted and
 *   never expires: its visit ends by its own bounds (idle, visit cap, finish, the Done or Failed timer).
 * - A session with a request in flight (`hold`) is neither evicted nor expired until released.
 * - A session opened with bounds expires after `idleTtlMs` without use (`touch`) and after
 *   `maxAgeMs` in all; one opened without (the kiosk's) never expires.
 * - Opening a session when the list is full ends expired sessions first, then evicts the least
 *   recently used session that may go; when none may, a bounded open is refused (`full`) and an
 *   unbounded one (the kiosk window must have its session) goes over the bound.
 * - `admitVisit` bounds the visits in progress one client (an opaque key; portal mode passes the
 *   directory throttle's `clientKey`) may hold, counting and recording without an await between.
 * - Expired sessions end when they are looked up, when room is needed, and on `sweep`.
 * - Every end (expired, evicted, disposed by its owner, closed with the engine) is told to the
 *   `onEnded` listeners after the session was disposed (its listeners heard the visit reset).
 */
import { randomBytes } from 'node:crypto';
import type { Clock } from '../ports';

/** What the registry needs of a session. */
export interface RegisteredSession {
  readonly id: string;
  /** Whether a visit is under way: such a session is never evicted and never expires. */
  readonly inProgress: boolean;
  /** Ends the visit (if any) and releases the session's timers and listeners. Idempotent. */
  dispose(): void;
}

/** The bounds of a session opened for a transport that serves many (portal mode). */
export interface SessionBounds {
  /** Most sessions the registry may hold after this one opens (capped by the registry's own). */
  maxSessions: number;
  /** Without a visit in progress, the session ends after this long without `touch` (ms). */
  idleTtlMs: number;
  /** Without a visit in progress, the session ends this long after it opened (ms). */
  maxAgeMs: number;
}

/**
 * Why a session ended: `expired` (idle or too old), `evicted` (room for a new one), `disposed`
 * (its owner ended it), `closed` (the engine closed).
 */
export type SessionEndReason = 'expired' | 'evicted' | 'disposed' | 'closed';

/** Result of opening a bounded session. */
export type OpenSessionResult<S> =
  | { ok: true; session: S }
  /** Every session that could make room holds a visit in progress or a request in flight. */
  | { ok: false; reason: 'full' };

/** What `createVisitRegistry` needs. */
export interface VisitRegistryOptions {
  clock: Clock;
  /** Most sessions held at once, whatever an opener asks for. */
  maxSessions: number;
}

/** The engine's registry of sessions `S`. */
export interface VisitRegistry<S extends RegisteredSession> {
  /**
   * Registers `create(id)` under a fresh random id (or `id`, when well formed: 16-128 base64url
   * characters; a known `id` returns its session). With `bounds` the session expires as they say
   * and the open is refused when no room can be made; without, it never expires and always opens.
   */
  open(create: (id: string) => S, options?: { id?: string; bounds?: SessionBounds }): OpenSessionResult<S>;
  /** The live session with this id; an expired one ends and is not returned. */
  find(id: string): S | undefined;
  /** Like `find`, and marks the session used (idle time and eviction order start again). */
  touch(id: string): S | undefined;
  /** A request of this session is in flight: it is neither evicted nor expired until released. */
  hold(id: string): () => void;
  /**
   * Whether the session with this id may start a visit for `client`: refused when `client`
   * already holds `maxVisitsPerClient` other visits in progress. On admission the session's visit
   * counts for `client` at once. Synchronous, so the caller starts the visit without an await in
   * between. An unknown id is admitted (nothing to count).
   */
  admitVisit(id: string, client: string, maxVisitsPerClient: number | undefined): boolean;
  /** The session disposed itself (its owner ended it): forgets it and tells the listeners. */
  forget(id: string): void;
  /** Calls `listener` after every end of a session; returns the unsubscribe function. */
  onEnded(listener: (session: S, why: SessionEndReason) => void): () => void;
  /** Ends every expired session now. */
  sweep(): void;
  /** The live sessions, least recently used first (a copy). */
  values(): S[];
  readonly size: number;
  /** Ends (disposes) every session. */
  close(): void;
}

const SESSION_ID = /^[A-Za-z0-9_-]{16,128}$/;

interface Entry<S> {
  session: S;
  openedAt: number;
  lastUsedAt: number;
  bounds?: SessionBounds;
  /** The client key whose admission started the visit (`admitVisit`). */
  client?: string;
  /** Requests in flight (`hold`). */
  holds: number;
  ended: boolean;
}

/** Creates an empty registry. */
export function createVisitRegistry<S extends RegisteredSession>(
  options: VisitRegistryOptions,
): VisitRegistry<S> {
  const { clock } = options;
  // Map iteration order is insertion order; `touch` re-inserts, so the first entry is the least
  // recently used.
  const entries = new Map<string, Entry<S>>();
  const listeners = new Set<(session: S, why: SessionEndReason) => void>();

  const isExpired = (entry: Entry<S>, now: number): boolean => {
    const { bounds } = entry;
    if (!bounds || entry.holds > 0 || entry.session.inProgress) return false;
    return now - entry.lastUsedAt > bounds.idleTtlMs || now - entry.openedAt > bounds.maxAgeMs;
  };

  function end(entry: Entry<S>, why: SessionEndReason): void {
    if (entry.ended) return;
    entry.ended = true;
    if (entries.get(entry.session.id) === entry) entries.delete(entry.session.id);
    // Disposing resets a visit still under way; its listeners hear that before anyone is told.
    if (why !== 'disposed') entry.session.dispose();
    for (const listener of [...listeners]) listener(entry.session, why);
  }

  function sweep(): void {
    const now = clock.now();
    for (const entry of [...entries.values()]) {
      if (isExpired(entry, now)) end(entry, 'expired');
    }
  }

  /** Evicts the least recently used session that may go; false if none may. */
  function evictOne(): boolean {
    for (const entry of entries.values()) {
      if (entry.holds === 0 && !entry.session.inProgress) {
        end(entry, 'evicted');
        return true;
      }
    }
    return false;
  }

  function find(id: string): Entry<S> | undefined {
    const entry = entries.get(id);
    if (!entry) return undefined;
    if (isExpired(entry, clock.now())) {
      end(entry, 'expired');
      return undefined;
    }
    return entry;
  }

  return {
    open(create, openOptions = {}) {
      const { id, bounds } = openOptions;
      const known = id === undefined ? undefined : find(id);
      if (known) return { ok: true, session: known.session };
      const max = Math.min(options.maxSessions, bounds?.maxSessions ?? options.maxSessions);
      // Expired sessions go first, so only live ones are ever evicted.
      if (entries.size >= max) sweep();
      while (entries.size >= max) {
        if (!evictOne()) {
          if (bounds) return { ok: false, reason: 'full' };
          break;
        }
      }
      const sessionId = id !== undefined && SESSION_ID.test(id) ? id : randomBytes(24).toString('base64url');
      const session = create(sessionId);
      const now = clock.now();
      const entry: Entry<S> = { session, openedAt: now, lastUsedAt: now, holds: 0, ended: false };
      if (bounds) entry.bounds = { ...bounds };
      entries.set(sessionId, entry);
      return { ok: true, session };
    },
    find: (id) => find(id)?.session,
    touch(id) {
      const entry = find(id);
      if (!entry) return undefined;
      entry.lastUsedAt = clock.now();
      entries.delete(id);
      entries.set(id, entry);
      return entry.session;
    },
    hold(id) {
      const entry = entries.get(id);
      if (!entry || entry.ended) return () => undefined;
      entry.holds += 1;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        entry.holds -= 1;
        // The request counts as use: idle time starts again from its end.
        entry.lastUsedAt = Math.max(entry.lastUsedAt, clock.now());
      };
    },
    admitVisit(id, client, maxVisitsPerClient) {
      const entry = entries.get(id);
      if (!entry || entry.ended) return true;
      if (maxVisitsPerClient !== undefined) {
        let held = 0;
        for (const other of entries.values()) {
          if (other !== entry && other.client === client && other.session.inProgress) held += 1;
        }
        if (held >= maxVisitsPerClient) return false;
      }
      entry.client = client;
      return true;
    },
    forget(id) {
      const entry = entries.get(id);
      if (entry) end(entry, 'disposed');
    },
    onEnded(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    sweep,
    values: () => [...entries.values()].map((entry) => entry.session),
    get size() {
      return entries.size;
    },
    close() {
      for (const entry of [...entries.values()]) end(entry, 'closed');
      listeners.clear();
    },
  };
}
