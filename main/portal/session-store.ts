/**
 * Server-side browser sessions of portal mode. A browser holds only a random session id in a
 * cookie; its visit (and the Duo state, nonce and v2 APP part inside it) stays here.
 *
 * The store is bounded: sessions expire after a period without requests and after a maximum age,
 * and when the limit is reached the least recently used idle session (or, if every session is in
 * a visit, the least recently used one) is evicted, so a flood of cookie-less requests cannot
 * exhaust memory.
 */
import { randomBytes } from 'node:crypto';
import type { Clock } from '../core/ports';
import type { VisitSession } from '../core/enrollment/types';
import { createCsrfToken } from './csrf';

/** The Web SDK v4 callback binding of a session (see `duo-callback.ts`). */
export interface CallbackBinding {
  /** Value of the SameSite=Lax callback cookie. */
  token: string;
  /** The `state` of the pending authorization, when it could be read from the authorize URL. */
  state?: string;
  expiresAt: number;
}

/** One browser session. */
export interface PortalSession {
  /** The cookie value: 256 random bits. */
  readonly id: string;
  readonly csrfToken: string;
  readonly visit: VisitSession;
  readonly createdAt: number;
  lastSeenAt: number;
  callback?: CallbackBinding;
}

/** How `createSessionStore` bounds and expires sessions. */
export interface SessionStoreOptions {
  clock: Clock;
  /** Opens the engine-side visit session for a new browser session. */
  openVisit: () => VisitSession;
  /** Most sessions held at once. */
  maxSessions: number;
  /** A session without requests for this long is dropped. */
  idleTtlMs: number;
  /** No session lives longer than this, active or not. */
  maxAgeMs: number;
  /**
   * Whether the engine still holds the visit (the engine may forget idle visits under its own
   * limit). A session whose visit is gone ends, and the browser gets a fresh one.
   */
  isVisitAlive?: (visit: VisitSession) => boolean;
  /** Called when a session ends (expired, evicted, closed), e.g. to log it. */
  onEnded?: (session: PortalSession, why: 'expired' | 'evicted' | 'closed') => void;
}

/** The browser sessions of one portal server. */
export interface SessionStore {
  /** Creates a session (evicting one first when full). */
  create(): PortalSession;
  /** The live session with this id, marked as just used; undefined if unknown or expired. */
  get(id: string | undefined): PortalSession | undefined;
  /** The live session holding this v4 callback token (the token must not have expired). */
  findByCallbackToken(token: string | undefined): PortalSession | undefined;
  /** Binds a fresh callback token (and the expected state) to the session; returns the token. */
  bindCallback(session: PortalSession, state: string | undefined, ttlMs: number): string;
  /** Forgets the session's callback token. */
  clearCallback(session: PortalSession): void;
  /** Drops expired sessions now. */
  sweep(): void;
  readonly size: number;
  /** Ends every session. */
  close(): void;
}

/** Creates a bounded, expiring session store. */
export function createSessionStore(options: SessionStoreOptions): SessionStore {
  // Map iteration order is insertion order; `touch` re-inserts, so the first entry is the LRU.
  const sessions = new Map<string, PortalSession>();
  const byCallbackToken = new Map<string, PortalSession>();

  const isExpired = (session: PortalSession, now: number): boolean =>
    now - session.lastSeenAt > options.idleTtlMs ||
    now - session.createdAt > options.maxAgeMs ||
    options.isVisitAlive?.(session.visit) === false;

  function end(session: PortalSession, why: 'expired' | 'evicted' | 'closed'): void {
    sessions.delete(session.id);
    if (session.callback) byCallbackToken.delete(session.callback.token);
    session.callback = undefined;
    session.visit.dispose();
    options.onEnded?.(session, why);
  }

  function evictOne(): void {
    let victim: PortalSession | undefined;
    for (const session of sessions.values()) {
      if (session.visit.getVisit().phase === 'idle') {
        victim = session;
        break;
      }
      victim ??= session;
    }
    if (victim) end(victim, 'evicted');
  }

  function sweep(): void {
    const now = options.clock.now();
    for (const session of [...sessions.values()]) {
      if (isExpired(session, now)) end(session, 'expired');
    }
  }

  function get(id: string | undefined): PortalSession | undefined {
    if (!id) return undefined;
    const session = sessions.get(id);
    if (!session) return undefined;
    const now = options.clock.now();
    if (isExpired(session, now)) {
      end(session, 'expired');
      return undefined;
    }
    session.lastSeenAt = now;
    sessions.delete(id);
    sessions.set(id, session);
    return session;
  }

  function clearCallback(session: PortalSession): void {
    if (session.callback) byCallbackToken.delete(session.callback.token);
    session.callback = undefined;
  }

  return {
    create() {
      // Expired sessions go first, so only live ones are ever evicted.
      if (sessions.size >= options.maxSessions) sweep();
      while (sessions.size >= options.maxSessions) evictOne();
      const now = options.clock.now();
      const session: PortalSession = {
        id: randomBytes(32).toString('base64url'),
        csrfToken: createCsrfToken(),
        visit: options.openVisit(),
        createdAt: now,
        lastSeenAt: now,
      };
      sessions.set(session.id, session);
      return session;
    },
    get,
    findByCallbackToken(token) {
      if (!token) return undefined;
      const session = byCallbackToken.get(token);
      if (!session?.callback) return undefined;
      if (session.callback.expiresAt < options.clock.now()) {
        clearCallback(session);
        return undefined;
      }
      return get(session.id);
    },
    bindCallback(session, state, ttlMs) {
      clearCallback(session);
      const token = randomBytes(32).toString('base64url');
      session.callback = { token, expiresAt: options.clock.now() + ttlMs, ...(state ? { state } : {}) };
      byCallbackToken.set(token, session);
      return token;
    },
    clearCallback,
    sweep,
    get size() {
      return sessions.size;
    },
    close() {
      for (const session of [...sessions.values()]) end(session, 'closed');
    },
  };
}
