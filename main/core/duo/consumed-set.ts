/**
 * A bounded memory of things that may be used once (Web SDK v2 responses, v4 states), kept as
 * SHA-256 digests until they expire. Each Duo integration keeps one for the answers it owns; it
 * lives as long as the station, so an answer captured in one visit is refused in every later one.
 */
import { createHash } from 'node:crypto';

/** SHA-256 hex digest of a string. */
export function digestOf(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

export interface ConsumedSet {
  has(value: string): boolean;
  /** Remembers `value` until `expiresAt` (ms since the epoch), or its earlier expiry if later. */
  add(value: string, expiresAt: number): void;
  readonly size: number;
}

/**
 * Creates the set. Expired entries are pruned on each add; beyond `maxEntries` the oldest are
 * forgotten first (they are the closest to expiring anyway).
 */
export function createConsumedSet(now: () => number, maxEntries = 10_000): ConsumedSet {
  const entries = new Map<string, number>();
  const prune = (): void => {
    const time = now();
    for (const [key, expiresAt] of entries) if (expiresAt <= time) entries.delete(key);
    while (entries.size > maxEntries) {
      const oldest = entries.keys().next();
      if (oldest.done) break;
      entries.delete(oldest.value);
    }
  };
  return {
    has(value) {
      const expiresAt = entries.get(digestOf(value));
      return expiresAt !== undefined && expiresAt > now();
    },
    add(value, expiresAt) {
      const key = digestOf(value);
      const previous = entries.get(key) ?? 0;
      // Re-inserted so the map's order stays the order of use; a later expiry is never shortened.
      entries.delete(key);
      entries.set(key, Math.max(expiresAt, previous));
      prune();
    },
    get size() {
      return entries.size;
    },
  };
}

/** How long a used answer (or state) is remembered past the end of the visit it was for. */
export const CONSUMED_MARGIN_MS = 10 * 60 * 1000;
