/**
 * How fast one client address may open new browser sessions in portal mode: a token bucket per
 * client (`capacity` sessions at once, then one more every `refillSeconds`). New sessions count,
 * and so does a sign-in from a session whose visit is already under way (it renews the session;
 * `SessionStore.admitVisit`); a renewal by a first sign-in or by a reset does not.
 *
 * Written by hand rather than with `@fastify/rate-limit`: that plugin limits *requests* per route,
 * while what needs a bound here is one event inside a request (a new session), which only the
 * session store knows about. The whole rule is the twenty lines below.
 */

/** Limits of `createSessionRateLimiter`. */
export interface SessionRateOptions {
  /** Sessions a client may open at once (the bucket size). */
  capacity: number;
  /** One more session becomes available after this many seconds. */
  refillSeconds: number;
  /** Most client addresses remembered (default 10,000); beyond that the least recently seen go. */
  maxClients?: number;
}

/** Verdict of `take`: allowed, or how long until the client may open another session. */
export type SessionRateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export interface SessionRateLimiter {
  /** Takes one session from `client`'s bucket, if it has one. Synchronous: no await between check and take. */
  take(client: string, now: number): SessionRateDecision;
  readonly clients: number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/** Creates the limiter. */
export function createSessionRateLimiter(options: SessionRateOptions): SessionRateLimiter {
  const buckets = new Map<string, Bucket>();
  const refillMs = Math.max(1, options.refillSeconds * 1000);
  const maxClients = options.maxClients ?? 10_000;

  const level = (bucket: Bucket, now: number): number =>
    Math.min(options.capacity, bucket.tokens + Math.max(0, now - bucket.updatedAt) / refillMs);

  return {
    take(client, now) {
      const bucket = buckets.get(client) ?? { tokens: options.capacity, updatedAt: now };
      const tokens = level(bucket, now);
      if (tokens < 1) {
        return {
          allowed: false,
          retryAfterSeconds: Math.max(1, Math.ceil(((1 - tokens) * refillMs) / 1000)),
        };
      }
      buckets.delete(client);
      buckets.set(client, { tokens: tokens - 1, updatedAt: now });
      // Oldest first: a spoofed-address flood must not grow memory (a dropped client starts full).
      while (buckets.size > maxClients) {
        const oldest = buckets.keys().next();
        if (oldest.done) break;
        buckets.delete(oldest.value);
      }
      return { allowed: true };
    },
    get clients() {
      return buckets.size;
    },
  };
}
