/**
 * The user search: default filters per directory type, filter building with RFC 4515 escaping,
 * and the zod schema for the entry the server returns.
 */
import { Filter, FilterParser } from 'ldapts';
import { z } from 'zod';
import type { DirectoryConfig } from '../config/schema';
import { dnKey } from './dn';
import type { LoginName } from './login-name';

type LdapType = Exclude<DirectoryConfig['type'], 'demo'>;

/**
 * Default user filters. AD matches the down-level name and the UPN (a UPN's prefix need not be
 * the sAMAccountName); OpenLDAP matches uid.
 */
export const DEFAULT_USER_FILTERS: Readonly<Record<LdapType, string>> = {
  ad: '(&(objectCategory=person)(objectClass=user)(|(sAMAccountName={username})(userPrincipalName={upn})))',
  openldap: '(uid={username})',
};

/** Attributes read from the user entry (memberOf is operational in OpenLDAP: ask for it). */
export const USER_ATTRIBUTES: Readonly<Record<LdapType, string[]>> = {
  ad: [
    'sAMAccountName',
    'userPrincipalName',
    'displayName',
    'cn',
    'userAccountControl',
    'memberOf',
    'objectGUID',
  ],
  openldap: ['uid', 'displayName', 'cn', 'memberOf', 'entryUUID'],
};

/** Binary attributes ldapts must hand over as Buffers (an objectGUID is 16 raw bytes). */
export const BINARY_USER_ATTRIBUTES: readonly string[] = ['objectGUID'];

/**
 * Fills `{username}` and `{upn}` in a filter template with escaped values. A replacer function
 * is used so `$&` and friends in a name are not replacement patterns.
 */
export function buildUserFilter(template: string, login: Pick<LoginName, 'name' | 'upn'>): string {
  return template.replace(/\{(username|upn)\}/g, (_, key: string) =>
    Filter.escape(key === 'username' ? login.name : login.upn),
  );
}

/** Checks at start-up that a filter template parses, so a typo is a configuration error. */
export function checkUserFilter(template: string): string | undefined {
  try {
    FilterParser.parseString(buildUserFilter(template, { name: 'x', upn: 'x@x' }));
    return undefined;
  } catch (error) {
    return `userFilter: ${error instanceof Error ? error.message : String(error)}`;
  }
}

const values = z
  .union([z.string(), z.array(z.string()), z.instanceof(Buffer), z.array(z.instanceof(Buffer))])
  .transform((value) =>
    (Array.isArray(value) ? value : [value]).map((item) =>
      typeof item === 'string' ? item : item.toString('utf8'),
    ),
  );

/**
 * A user entry as returned by the search; attribute names are matched case-insensitively.
 * Binary attributes (Buffers) read as UTF-8 through `get`, and as hex through `getHex`.
 */
export const userEntrySchema = z.looseObject({ dn: z.string().min(1) }).transform((entry) => {
  const attributes = new Map<string, string[]>();
  const hex = new Map<string, string[]>();
  for (const [key, value] of Object.entries(entry)) {
    if (key === 'dn') continue;
    const parsed = values.safeParse(value);
    if (parsed.success) attributes.set(key.toLowerCase(), parsed.data);
    const raw = Array.isArray(value) ? value : [value];
    if (raw.every((item) => Buffer.isBuffer(item))) {
      hex.set(
        key.toLowerCase(),
        raw.map((item) => (item as Buffer).toString('hex')),
      );
    }
  }
  return {
    dn: entry.dn,
    get: (name: string) => attributes.get(name.toLowerCase()) ?? [],
    getHex: (name: string) => hex.get(name.toLowerCase()) ?? [],
  };
});
export type UserEntry = z.output<typeof userEntrySchema>;

/**
 * The account's stable identity for throttling: AD `objectGUID` (hex of its 16 bytes), OpenLDAP
 * `entryUUID` (RFC 4530), else the DN's RFC 4514 comparison key (`dnKey`). Prefixed by its
 * kind so two kinds never meet.
 */
export function accountIdOf(type: LdapType, entry: UserEntry): string {
  if (type === 'ad') {
    const guid = entry.getHex('objectGUID')[0];
    if (guid) return `guid:${guid}`;
  } else {
    const uuid = entry.get('entryUUID')[0];
    if (uuid) return `uuid:${uuid.toLowerCase()}`;
  }
  // The DN as a DN (RFC 4514: escapes, hex forms and case do not matter), as the gate's key.
  return `dn:${dnKey(entry.dn)}`;
}

/** AD userAccountControl ACCOUNTDISABLE bit. */
export const UAC_ACCOUNT_DISABLE = 0x2;

/** Whether an AD entry's userAccountControl says the account is disabled. */
export function isDisabled(entry: UserEntry): boolean {
  const raw = entry.get('userAccountControl')[0];
  const flags = raw === undefined ? 0 : Number.parseInt(raw, 10);
  return Number.isFinite(flags) && (flags & UAC_ACCOUNT_DISABLE) !== 0;
}

/** Canonical login name, display name and direct groups of a verified user. */
export function describeUser(
  type: LdapType,
  entry: UserEntry,
  login: LoginName,
): { username: string; displayName: string; memberOf: string[] } {
  const names = entry.get(type === 'ad' ? 'sAMAccountName' : 'uid');
  const username =
    names.find((name) => name.toLowerCase() === login.name.toLowerCase()) ?? names[0] ?? login.name;
  const displayName = entry.get('displayName')[0] ?? entry.get('cn')[0] ?? username;
  return { username, displayName, memberOf: entry.get('memberOf') };
}
