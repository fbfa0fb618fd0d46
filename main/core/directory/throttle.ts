/**
 * Failure throttling: which counters a sign-in attempt must find room in, reserved before any
 * network I/O and settled when the answer comes (the store, `throttle-store.ts`, does the
 * check-and-reserve in one step).
 *
 * - Per person: the normalised login name before the directory is asked, and the account's own
 *   identity (AD objectGUID, OpenLDAP entryUUID, else the DN) once the search has found it, so
 *   every login form of one account meets one count (ASVS 2.2.1 "account lockout attacks").
 *   These counters count the way AD counts badPwdCount ("Reset account lockout counter after",
 *   Microsoft's Account Lockout Policy documentation): failures add up and the count resets only
 *   after `windowSeconds` with no failure; a refused attempt never reached the directory and does
 *   not extend the quiet period. Hence the promise an admin can check: with `perUser.windowSeconds`
 *   >= AD's "reset account lockout counter after" and `perUser.maxFailures` below AD's "account
 *   lockout threshold", the kiosk alone can never lock an account, whatever the pacing (a sliding
 *   window cannot promise that: failures at 0 s, 40 s and 61 s are three in AD's count when its
 *   reset time is 60 s). An attempt that fails after its password was sent (a bind timeout)
 *   counts, because the directory may have counted it.
 *   OpenLDAP ppolicy (slapo-ppolicy(5)) drops each failure `pwdFailureCountInterval` seconds
 *   after it happened, and with that interval 0 (the default) never forgets failures: only a
 *   success clears them. There the promise needs no lockout (`pwdLockout` FALSE or
 *   `pwdMaxFailure` 0), or `pwdFailureCountInterval` > 0 and <= `perUser.windowSeconds` with
 *   `perUser.maxFailures` < `pwdMaxFailure`.
 * - Station-wide (slows down password spraying; sliding windows, as they protect against
 *   spraying rather than lockouts): the kiosk has one window for the station. In portal mode the
 *   window counts per client address (an IPv6 client per /64, the block one subscriber usually
 *   holds), every IPv6 /48 shares NETWORK_FACTOR client windows' worth, and a ceiling across all
 *   clients sits far above normal use, so one stranger's failures pause only that stranger's
 *   address (or, in IPv6, network).
 * `lockoutSeconds` is the least a cool-down lasts.
 */
import { isIPv4, isIPv6 } from 'node:net';
import type { DirectoryConfig } from '../config/schema';
import type { Logger } from '../ports';
import type { Reservation, ThrottleLimit, ThrottleStore, ThrottleWindow } from './throttle-store';

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
  /**
   * Failures the typed name's own counter still takes before its cool-down (attempts in flight
   * count as used). It is the counter `admitAttempt` keeps for every typed name, known to the
   * directory or not, so the answer tells nothing about whether an account exists.
   */
  failuresLeftForName(nameKey: string): Promise<number>;
}

type Throttling = DirectoryConfig['throttling'];

/** The key every client address that cannot be parsed shares (logged). */
export const UNKNOWN_CLIENT = 'unknown';

/**
 * Aggregate IPv6 prefix length: one subscriber usually holds a /48 or a /56, i.e. up to 65,536
 * /64s, each with its own client window; all of them together share one window of
 * NETWORK_FACTOR × `perStation.maxFailures`, so one subscriber cannot fill the all-clients
 * ceiling. The price: a campus behind one /48 shares that aggregate.
 */
export const NETWORK_PREFIX = 48;

/** How many client windows' worth of failures one IPv6 /48 may spend together. */
export const NETWORK_FACTOR = 4;

/** The eight 16-bit groups of an IPv6 address (no zone), or undefined. */
function ipv6Groups(address: string): number[] | undefined {
  if (!isIPv6(address)) return undefined;
  let text = address;
  // A dotted IPv4 tail (::ffff:1.2.3.4) becomes two groups.
  const dotted = /^(.*:)(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [, head = '', a = '0', b = '0', c = '0', d = '0'] = dotted;
    const hex = (x: string, y: string): string => ((Number(x) << 8) | Number(y)).toString(16);
    text = `${head}${hex(a, b)}:${hex(c, d)}`;
  }
  const [head = '', tail = ''] = text.split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = text.includes('::') && tail ? tail.split(':') : [];
  const missing = 8 - headGroups.length - tailGroups.length;
  return [...headGroups, ...Array<string>(Math.max(0, missing)).fill('0'), ...tailGroups].map((group) =>
    Number.parseInt(group, 16),
  );
}

/**
 * The address in what a proxy or socket reported: IPv4 with or without `:port`, IPv6 bare, with
 * a zone, or in brackets with or without `:port` (RFC 3986 host syntax). IPv4-mapped IPv6
 * (RFC 4291 section 2.5.5.2) becomes the IPv4 address. Undefined when it is no address.
 */
export function parseClientAddress(
  reported: string,
): { family: 4; address: string } | { family: 6; groups: number[] } | undefined {
  let text = reported.trim().toLowerCase();
  const bracketed = /^\[([^\]]+)\](?::\d{1,5})?$/.exec(text);
  if (bracketed?.[1]) text = bracketed[1];
  else {
    const v4port = /^(\d+\.\d+\.\d+\.\d+):\d{1,5}$/.exec(text);
    if (v4port?.[1]) text = v4port[1];
  }
  text = text.replace(/%.*$/, '');
  if (isIPv4(text)) return { family: 4, address: text };
  const groups = ipv6Groups(text);
  if (!groups) return undefined;
  const [g0, g1, g2, g3, g4, g5, g6 = 0, g7 = 0] = groups;
  if (g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0xffff) {
    return { family: 4, address: [g6 >> 8, g6 & 255, g7 >> 8, g7 & 255].join('.') };
  }
  return { family: 6, groups };
}

const prefixKey = (groups: number[], bits: 48 | 64): string =>
  `${groups
    .slice(0, bits / 16)
    .map((group) => group.toString(16))
    .join(':')}::/${bits}`;

/**
 * The key of a client address: IPv4 as is, IPv6 by its /64 prefix (see `parseClientAddress` for
 * the forms read); anything else is UNKNOWN_CLIENT.
 */
export function clientKey(reported: string): string {
  const parsed = parseClientAddress(reported);
  if (!parsed) return UNKNOWN_CLIENT;
  return parsed.family === 4 ? parsed.address : prefixKey(parsed.groups, 64);
}

/** The IPv6 /48 an address belongs to (the aggregate window), undefined for IPv4 or unknown. */
export function networkKey(reported: string): string | undefined {
  const parsed = parseClientAddress(reported);
  return parsed?.family === 6 ? prefixKey(parsed.groups, NETWORK_PREFIX) : undefined;
}

/** Creates the throttle for one directory over `store`. */
export function createThrottle(throttling: Throttling, store: ThrottleStore, logger?: Logger): Throttle {
  // Per person: AD's model (the count resets only after a quiet window), see the header.
  const perUser: ThrottleWindow = { ...throttling.perUser, reset: 'after-quiet' };
  const perNetwork: ThrottleWindow = {
    ...throttling.perStation,
    maxFailures: throttling.perStation.maxFailures * NETWORK_FACTOR,
  };

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
    if (result.storeFull)
      logger?.warn('directory.throttle-store-full', { retryAfterMs: result.retryAfterMs });
    return {
      allowed: false,
      // A full store is the station's state, not this person's count.
      scope: result.storeFull ? 'station' : (scopes[result.refused] ?? 'station'),
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
            { key: name, window: perUser },
            { key: 'station', window: throttling.perStation },
          ],
          ['user', 'station'],
          [name],
        );
      }
      // Parsed once: the client window and, for IPv6, the /48 aggregate.
      const parsed = parseClientAddress(client);
      if (!parsed) logger?.warn('directory.client-address-unparsed', { length: client.length });
      const key = !parsed
        ? UNKNOWN_CLIENT
        : parsed.family === 4
          ? parsed.address
          : prefixKey(parsed.groups, 64);
      const network = parsed?.family === 6 ? prefixKey(parsed.groups, NETWORK_PREFIX) : undefined;
      const limits: ThrottleLimit[] = [
        { key: name, window: perUser },
        { key: `client:${key}`, window: throttling.perStation },
      ];
      if (network) limits.push({ key: `network:${network}`, window: perNetwork });
      limits.push({ key: 'all-clients', window: throttling.allClients });
      return admit(limits, ['user', ...limits.slice(1).map((): ThrottleScope => 'station')], [name]);
    },
    admitAccount(accountId) {
      const account = `account:${accountId}`;
      return admit([{ key: account, window: perUser }], ['user'], [account]);
    },
    failuresLeftForName(nameKey) {
      return store.room(`name:${nameKey}`, perUser);
    },
  };
}
