/**
 * What every session of the station does with downloads and client certificates, and what the
 * per-visit partitions are called and how they are wiped. Pure: the adapter (`sessions.ts`)
 * applies it to Electron's sessions.
 *
 * - Downloads: always cancelled. A download opens a native Save dialog (a file chooser, a
 *   classic kiosk escape) and would write a stranger's file to the kiosk's disk.
 * - Client certificates (`select-client-certificate`): never sent. Without a handler Electron
 *   picks the first matching certificate of the kiosk account on its own; neither the directory
 *   (LDAP runs in Node, not in Chromium) nor Duo asks for one.
 * - Per-visit partitions: in memory (no `persist:` prefix, Electron's `session.fromPartition`),
 *   one name per visit and view, never reused, so `fromPartition` can never hand back a session
 *   that held an earlier person's cookies.
 */
import { primaryLanguage } from '../contract/languages';

/** The log fields of a cancelled download: where from (no query: it may carry tokens). */
export function downloadLogFields(url: string, mimeType: string): { origin: string; mimeType: string } {
  let origin = '(unparseable)';
  try {
    const parsed = new URL(url);
    origin = parsed.protocol === 'blob:' || parsed.protocol === 'data:' ? parsed.protocol : parsed.origin;
  } catch {
    // keep the placeholder
  }
  return { origin, mimeType: mimeType.slice(0, 100) };
}

/** The answer to `select-client-certificate`: none, whatever was offered. */
export function decideClientCertificate(offered: number): { send: 'none'; offered: number } {
  return { send: 'none', offered };
}

/** What a per-visit partition is for. */
export type VisitPartitionKind = 'duo-v2' | 'duo-v4';

/** Prefix of every per-visit partition. */
export const VISIT_PARTITION_PREFIX = 'walkup-visit-';

/**
 * Hands out per-visit partition names: `walkup-visit-<kind>-<n>-<nonce>`, in memory, unique for
 * the life of the process. Throws rather than ever handing out a name twice or one that would
 * be persisted (a bad nonce source is a bug, not a reason to share storage).
 */
export function createPartitionNamer(nonce: () => string): { next(kind: VisitPartitionKind): string } {
  const issued = new Set<string>();
  let counter = 0;
  return {
    next(kind) {
      counter += 1;
      const safeNonce = nonce().replace(/[^a-zA-Z0-9]/g, '');
      if (safeNonce.length < 8) throw new Error('partition nonce too short');
      const name = `${VISIT_PARTITION_PREFIX}${kind}-${counter}-${safeNonce}`;
      if (issued.has(name) || !isInMemoryVisitPartition(name)) throw new Error('partition name reused');
      issued.add(name);
      return name;
    },
  };
}

/** True for a per-visit partition name: our prefix, and never `persist:` (on disk). */
export function isInMemoryVisitPartition(name: string): boolean {
  return !name.startsWith('persist:') && name.startsWith(VISIT_PARTITION_PREFIX);
}

/**
 * The wipe of a per-visit session at reset, in order: close its connections (no socket of a
 * visit outlives it), then clear cookies and every storage type, the HTTP cache, the HTTP auth
 * cache, the host resolver cache and V8's code cache. Each step is an Electron `Session`
 * method; all run even if one fails.
 */
export const VISIT_WIPE_STEPS = [
  'closeAllConnections',
  'clearStorageData',
  'clearCache',
  'clearAuthCache',
  'clearHostResolverCache',
  'clearCodeCaches',
] as const;
export type VisitWipeStep = (typeof VISIT_WIPE_STEPS)[number];

/**
 * The Accept-Language list (Electron's `setUserAgent` `acceptLanguages`, comma separated, most
 * preferred first) of one visit's Duo partition. Duo's prompt shows the browser's language (Duo
 * guide "Duo Universal Prompt", language support), and the person may have picked another
 * language than the station's: theirs comes first. The station's locale keeps its region when it
 * is the same language (`de` at a `de-CH` station: `de-CH,de`). Without a choice: the station's
 * locale. Empty when there is neither (Chromium's own list then applies).
 */
export function visitAcceptLanguages(
  language: string | undefined,
  stationLocale: string | undefined,
): string {
  const station = stationLocale?.trim() ?? '';
  const chosen = language?.trim() ?? '';
  if (!chosen) return station;
  if (
    station &&
    primaryLanguage(station) === primaryLanguage(chosen) &&
    station.toLowerCase() !== chosen.toLowerCase()
  ) {
    return `${station},${chosen}`;
  }
  return chosen;
}
