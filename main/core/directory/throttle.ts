/**
 * Failure throttling: which counters a sign-in attempt must find room in, reserved before any
 * network I/O and settled when the answer comes (the store, `throttle-store.ts`, does the
 * check-and-reserve in one step).
 *
 * - Per person: the normalised login name before the directory is asked, and the account's own
 *   identity (AD objectGUID, OpenLDAP entryUUID, else the DN) once the search has found it, so
 *   every login form of one account meets one count. The per-user limit stays below typical AD
 *   lockout thresholds so the kiosk cannot be used to lock people out (ASVS 2.2.1 "account
 *   lockout attacks").
 * - Station-wide (slows down password spraying): the kiosk has one window for the station. In
 *   portal mode the window counts per client address (an IPv6 client per /64, the block one
 *   subscriber usually holds), under a ceiling across all clients far above normal use, so one
 *   stranger's failures pause only that stranger's address.
 *
 * The window slides and a cool-down never clears it: in any `windowSeconds` at most
 * `maxFailures` failed attempts (in flight ones included) reach the directory. That is the
 * guarantee an admin can check against AD's policy: with `windowSeconds` >= AD's "reset account
 * lockout counter after" and `maxFailures` below AD's lockout threshold, the kiosk alone cannot
 * lock an account. `lockoutSeconds` is the least a cool-down lasts.
 */
import { isIPv6 } from 'node:net';
import type { DirectoryConfig } from '../config/schema';
import type { Reservation, ThrottleLimit, ThrottleStore } from './throttle-store';

/** Why an attempt may not go ahead: the person's own counter, or the station's / client's. */
export type ThrottleScope = 'user' | 'station';

/** Slots an admitted attempt holds until its answer comes. */
export interface ThrottleTicket {
  /**
   * `failure`: a counted failure (wrong password, unknown user). `success`: given back, and the
   * person's own counters cleared. `release`: given back (an answer that does not count).
   * Only the first call counts.
   */
  settle(outcome: 'failure' | 'success' | 'release'): Promise<void>;
}

export type Admission =
  | { allowed: true; ticket: ThrottleTicket }
  | { allowed: false; scope: ThrottleScope; retryAfterSeconds: number };

/** The throttle of one directory. */
export interface Throttle {
  /**
   * Reserves a slot for the typed name and for the station (kiosk: `client` undefined) or the
   * client address and the all-clients ceiling (portal mode).
   */
  admitAttempt(nameKey: string, client: string | undefined): Promise<Admission>;
  /** Reserves a slot on the account's own counter, once the search has resolved it. */
  admitAccount(accountId: string): Promise<Admission>;
}

type Throttling = DirectoryConfig['throttling'];

/**
 * The key of a client address: IPv4 (also IPv4-mapped IPv6) as is, IPv6 by its /64 prefix.
 * Anything else (a proxy's odd value) is used as given, lower-cased.
 */
export function clientKey(address: string): string {
  const trimmed = address.trim().toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(trimmed);
  if (mapped?.[1]) return mapped[1];
  const bare = trimmed.replace(/%.*$/, '');
  if (!isIPv6(bare)) return trimmed;
  const [head = '', tail = ''] = bare.split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = bare.includes('::') && tail ? tail.split(':') : [];
  const missing = 8 - headGroups.length - tailGroups.length;
  const groups = [...headGroups, ...Array<string>(Math.max(0, missing)).fill('0'), ...tailGroups];
  return `${groups
    .slice(0, 4)
    .map((group) => group.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

/** Creates the throttle for one directory over `store`. */
export function createThrottle(throttling: Throttling, store: ThrottleStore): Throttle {
  const ticketFor = (reservation: Reservation, personalKeys: string[]): ThrottleTicket => {
    let settled = false;
    return {
      async settle(outcome) {
        if (settled) return;
        settled = true;
        await store.settle(reservation, outcome === 'failure' ? 'failure' : 'release');
        if (outcome === 'success') await store.clear(personalKeys);
      },
    };
  };

  const admit = async (
    limits: ThrottleLimit[],
    scopes: ThrottleScope[],
    personalKeys: string[],
  ): Promise<Admission> => {
    const result = await store.reserve(limits);
    if (result.ok) return { allowed: true, ticket: ticketFor(result.reservation, personalKeys) };
    return {
      allowed: false,
      scope: scopes[result.refused] ?? 'station',
      retryAfterSeconds: Math.max(1, Math.ceil(result.retryAfterMs / 1000)),
    };
  };

  return {
    admitAttempt(nameKey, client) {
      const name = `name:${nameKey}`;
      // The person's own counter comes first: someone who is throttled themselves is told so.
      if (client === undefined) {
        return admit(
          [
            { key: name, window: throttling.perUser },
            { key: 'station', window: throttling.perStation },
          ],
          ['user', 'station'],
          [name],
        );
      }
      return admit(
        [
          { key: name, window: throttling.perUser },
          { key: `client:${clientKey(client)}`, window: throttling.perStation },
          { key: 'all-clients', window: throttling.allClients },
        ],
        ['user', 'station', 'station'],
        [name],
      );
    },
    admitAccount(accountId) {
      const account = `account:${accountId}`;
      return admit([{ key: account, window: throttling.perUser }], ['user'], [account]);
    },
  };
}
