/**
 * Browser identities of portal mode. A browser holds only a random identity id in a cookie; the
 * store maps it to one engine visit session (by the engine's session id) with a CSRF token and,
 * while a visit is away at Duo, a callback binding. That is all it keeps: which visit sessions
 * exist, how many may, when they expire and which make room is decided by the engine's one
 * registry (`core/enrollment/visit-registry.ts`, reached as `EnrollmentEngine.visits`). Every
 * lookup goes through the engine, and when the engine ends a session (expired, evicted, closed)
 * the identity that named it ends at once and its event streams close (`onEnded`).
 *
 * Identity follows the person, not the browser tab:
 * - When a visit starts (successful sign-in) and whenever it is reset, the identity's id and CSRF
 *   token are *retired* at once: from then on the old cookie and token name nothing. If a request
 *   of that identity is in flight (the sign-in, a finish), its answer carries the renewed id and
 *   token for the same visit (`settle`). A reset with no request in flight (idle timer, visit cap,
 *   the Done or Failed screen's timer) ends the identity and disposes its visit session instead; the
 *   browser's next request starts a fresh one. Either way the old id never reads the next
 *   person's visit.
 * - Bounds, all kept by the engine's registry with the values given here (`SessionBounds`): at
 *   most `maxSessions` sessions; one without a visit in progress ends after `idleTtlMs` without
 *   requests and after `maxAgeMs`; a visit in progress never expires and is never evicted, and
 *   nor is a session with a request in flight (`hold`); when every session that could go is such
 *   a one, a new identity is refused (`full`).
 * - Identities are created at a bounded rate per client (`session-rate.ts`), keyed like the
 *   directory's throttle (`clientKey`: an IPv4 address, or the /64 of an IPv6 one).
 * - Nobody fills the registry with visits in progress: the engine keeps one visit in progress per
 *   directory account (a second sign-in of the same account ends its first visit), and
 *   `admitVisit` has the registry bound the visits in progress one client may hold
 *   (`maxVisitsPerClient`) and counts a sign-in from an identity whose visit is already under way
 *   (a renewal) against the client's session rate.
 */
import { randomBytes } from 'node:crypto';
import type { VisitView, WalkupEvent } from '../contract';
import type { Clock } from '../core/ports';
import { clientKey } from '../core/directory/throttle';
import type { EngineVisits, VisitSession } from '../core/enrollment/types';
import type { SessionEndReason as VisitEndReason } from '../core/enrollment/visit-registry';
import { createCsrfToken } from './csrf';
import { createSessionRateLimiter, type SessionRateOptions } from './session-rate';

/** The Web SDK v4 callback binding of an identity (see `routes-duo-callback.ts`). */
export interface CallbackBinding {
  /** Value of the SameSite=Lax callback cookie. */
  token: string;
  expiresAt: number;
}

/** One browser identity (a renewal makes a new object for the same visit session). */
export interface PortalSession {
  /** The cookie value: 256 random bits. */
  readonly id: string;
  readonly csrfToken: string;
  /** The engine's id of the visit session this identity names. */
  readonly visitId: string;
  /** The engine's visit session of `visitId` (the engine's object; it never changes for an id). */
  readonly visit: VisitSession;
  /** Time of this identity's latest request (ms). */
  lastSeenAt: number;
  callback?: CallbackBinding;
}

/**
 * Why an identity ended: `renewed` (same visit, new id and token), `reset` (its visit was reset
 * with no request to carry a new id), or the engine ended its visit session: `expired`,
 * `evicted`, `closed` (server or engine closing), `disposed` (ended by something else).
 */
export type SessionEndReason = 'renewed' | 'reset' | VisitEndReason;

/** How `createSessionStore` bounds identities and the visit sessions they name. */
export interface SessionStoreOptions {
  clock: Clock;
  /** The engine's registry of visit sessions. */
  visits: EngineVisits;
  /** Most visit sessions the engine may hold once this portal opens one. */
  maxSessions: number;
  /** A visit session without requests for this long ends (unless its visit is in progress). */
  idleTtlMs: number;
  /** No visit session lives longer than this, active or not (unless its visit is in progress). */
  maxAgeMs: number;
  /** New identities (and renewals by sign-in, see `admitVisit`) per client; absent = no bound. */
  rate?: SessionRateOptions;
  /** Most visits in progress one client may hold at once; absent = no bound. */
  maxVisitsPerClient?: number;
  /** Called when an identity ends (see `SessionEndReason`), e.g. to close its streams. */
  onEnded?: (session: PortalSession, why: SessionEndReason) => void;
}

/** Result of `create`. */
export type CreateSessionResult =
  | { ok: true; session: PortalSession }
  /** This client opened too many sessions lately. */
  | { ok: false; reason: 'rate-limited'; retryAfterSeconds: number }
  /** Every visit session that could make room holds a visit in progress. */
  | { ok: false; reason: 'full' };

/** Result of `admitVisit`. */
export type AdmitVisitResult =
  | { ok: true }
  /** A sign-in from a session whose visit is under way would renew it; this client renewed too often. */
  | { ok: false; reason: 'rate-limited'; retryAfterSeconds: number }
  /** This client already holds `maxVisitsPerClient` visits in progress. */
  | { ok: false; reason: 'client-visits-full' };

/** The browser identities of one portal server. */
export interface SessionStore {
  /**
   * Creates an identity for `client` (an address; absent counts as one shared client) with a new
   * engine visit session (the engine makes room as the bounds allow).
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
  /** The live identity with this id, its visit marked as just used; undefined if unknown or ended. */
  get(id: string | undefined): PortalSession | undefined;
  /** Like `get`, without marking the visit used. */
  peek(id: string | undefined): PortalSession | undefined;
  /** Whether `session` is still the live identity of its visit. */
  isCurrent(session: PortalSession): boolean;
  /**
   * Marks a request of `session` as in flight: a reset or visit start during it renews the
   * identity (see `settle`) instead of ending it, and the engine neither evicts nor expires its
   * visit session meanwhile. Returns the release function.
   */
  hold(session: PortalSession): () => void;
  /**
   * After a held request: the identity that now stands for the browser. The same session when
   * nothing happened; a new one (new id and token, same visit) when the visit started or was
   * reset during the request; undefined when the identity ended (or another request of it
   * renewed it meanwhile and nothing changed since: that answer carries the new identity).
   */
  settle(session: PortalSession): PortalSession | undefined;
  /** The live identity holding this v4 callback token (the token must not have expired). */
  findByCallbackToken(token: string | undefined): PortalSession | undefined;
  /** Binds a fresh callback token to the identity; returns the token. */
  bindCallback(session: PortalSession, ttlMs: number): string;
  /** Forgets the identity's callback token. */
  clearCallback(session: PortalSession): void;
  /** Has the engine end expired visit sessions now (their identities end with them). */
  sweep(): void;
  /** Live identities. */
  readonly size: number;
  /** Ends every identity and disposes its visit session. */
  close(): void;
}

interface Entry {
  session: PortalSession;
  /** Requests of this identity in flight. */
  holds: number;
  /** Releases of the engine-side holds of those requests. */
  releases: (() => void)[];
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

/** Creates the identity store of one portal server over the engine's visit registry. */
export function createSessionStore(options: SessionStoreOptions): SessionStore {
  const { visits } = options;
  // Live identities by current id.
  const live = new Map<string, Entry>();
  // Every identity not yet ended (live and retired) by its engine visit session id: the one
  // identity of each visit, so an end the engine reports finds it.
  const byVisit = new Map<string, Entry>();
  const entryOf = new WeakMap<PortalSession, Entry>();
  const byCallbackToken = new Map<string, PortalSession>();
  const rate = options.rate ? createSessionRateLimiter(options.rate) : undefined;
  const bounds = {
    maxSessions: options.maxSessions,
    idleTtlMs: options.idleTtlMs,
    maxAgeMs: options.maxAgeMs,
  };

  function clearCallback(session: PortalSession): void {
    if (session.callback) byCallbackToken.delete(session.callback.token);
    session.callback = undefined;
  }

  /**
   * Ends an identity. `visitEnded`: the engine already ended its visit session (else this
   * disposes it, which resets a visit still under way; its streams hear that before they close).
   */
  function end(entry: Entry, why: SessionEndReason, visitEnded: boolean): void {
    if (entry.ended) return;
    entry.ended = true;
    byVisit.delete(entry.session.visitId);
    if (live.get(entry.session.id) === entry) live.delete(entry.session.id);
    clearCallback(entry.session);
    entry.unsubscribe();
    for (const release of entry.releases.splice(0)) release();
    if (!visitEnded) entry.session.visit.dispose();
    options.onEnded?.(entry.session, why);
  }

  // The engine ended a visit session: the identity naming it ends too.
  const stopEngineEnds = visits.onEnded((visit, why) => {
    const entry = byVisit.get(visit.id);
    if (entry) end(entry, why, true);
  });

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
        if (entry.retired && entry.holds === 0) end(entry, 'reset', false);
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

  /** The live identity of `id` whose visit session the engine still holds (`touch`: marked used). */
  function lookUp(id: string | undefined, touch: boolean): PortalSession | undefined {
    if (!id) return undefined;
    const entry = live.get(id);
    if (!entry) return undefined;
    const visitId = entry.session.visitId;
    // An expired visit session ends here, and the identity with it (`stopEngineEnds`).
    const visit = touch ? visits.touch(visitId) : visits.find(visitId);
    if (visit !== entry.session.visit) {
      end(entry, 'disposed', true);
      return undefined;
    }
    if (touch) entry.session.lastSeenAt = options.clock.now();
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
      const opened = visits.open({ duoPresentation: 'redirect', bounds });
      if (!opened.ok) return { ok: false, reason: 'full' };
      const visit = opened.session;
      const session: PortalSession = {
        id: newId(),
        csrfToken: createCsrfToken(),
        visitId: visit.id,
        visit,
        lastSeenAt: now,
      };
      const entry: Entry = {
        session,
        holds: 0,
        releases: [],
        retired: false,
        ended: false,
        phase: visit.getVisit().phase,
        unsubscribe: () => undefined,
      };
      // Subscribed before any event stream, so a retirement is decided before streams hear of it.
      entry.unsubscribe = visit.onEvent((event) => onVisitEvent(entry, event));
      entryOf.set(session, entry);
      live.set(session.id, entry);
      byVisit.set(visit.id, entry);
      return { ok: true, session };
    },
    admitVisit(session, client) {
      const entry = entryOf.get(session);
      if (!entry || entry.ended) return { ok: true };
      const key = keyOf(client);
      if (!visits.admitVisit(session.visitId, key, options.maxVisitsPerClient)) {
        return { ok: false, reason: 'client-visits-full' };
      }
      if (rate && session.visit.inProgress) {
        const decision = rate.take(key, options.clock.now());
        if (!decision.allowed) {
          return { ok: false, reason: 'rate-limited', retryAfterSeconds: decision.retryAfterSeconds };
        }
      }
      return { ok: true };
    },
    get: (id) => lookUp(id, true),
    peek: (id) => lookUp(id, false),
    isCurrent(session) {
      const entry = entryOf.get(session);
      return entry !== undefined && !entry.ended && !entry.retired && entry.session === session;
    },
    hold(session) {
      const entry = entryOf.get(session);
      if (!entry || entry.ended || entry.session !== session) return () => undefined;
      entry.holds += 1;
      const releaseVisit = visits.hold(session.visitId);
      entry.releases.push(releaseVisit);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        const index = entry.releases.indexOf(releaseVisit);
        if (index >= 0) entry.releases.splice(index, 1);
        releaseVisit();
        entry.holds -= 1;
        if (entry.holds === 0 && entry.retired) end(entry, 'reset', false);
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
        visitId: previous.visitId,
        visit: previous.visit,
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
      const found = lookUp(session.id, true);
      return found === session ? found : undefined;
    },
    bindCallback(session, ttlMs) {
      clearCallback(session);
      const token = newId();
      session.callback = { token, expiresAt: options.clock.now() + ttlMs };
      byCallbackToken.set(token, session);
      return token;
    },
    clearCallback,
    sweep: () => visits.sweep(),
    get size() {
      return live.size;
    },
    close() {
      stopEngineEnds();
      for (const entry of [...byVisit.values()]) end(entry, 'closed', false);
    },
  };
}
