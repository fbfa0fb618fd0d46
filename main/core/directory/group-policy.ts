/**
 * Who may enroll: allowedGroups / deniedGroups with nested membership. AD resolves nesting on
 * the server (LDAP_MATCHING_RULE_IN_CHAIN); OpenLDAP starts from memberOf (or a member search)
 * and walks up the group tree a bounded number of levels.
 */
import { escapeFilter, type Client } from 'ldapts';
import type { DirectoryConfig } from '../config/schema';
import { DnSet, dnKey } from './dn';

/** OID of LDAP_MATCHING_RULE_IN_CHAIN (AD, also Samba). */
export const MATCHING_RULE_IN_CHAIN = '1.2.840.113556.1.4.1941';

export type GroupDecision =
  | { ok: true; groups: string[] }
  | { ok: false; reason: 'not-in-allowed-group' | 'in-denied-group'; groups: string[]; group?: string };

/**
 * Applies the group policy to a set of (nested) group DNs, compared as DNs (RFC 4514: see
 * `dn.ts`), so `cn=Duo\2C Enrollers` from the server is the configured `cn=Duo\, Enrollers`.
 * Denied wins over allowed.
 */
export function decideGroups(
  groups: string[],
  policy: Pick<DirectoryConfig, 'allowedGroups' | 'deniedGroups'>,
): GroupDecision {
  const keys = groups.map((dn) => dnKey(dn));
  const denied = configuredKeys(policy.deniedGroups);
  const hit = keys.findIndex((key) => denied.has(key));
  if (hit >= 0) {
    return { ok: false, reason: 'in-denied-group', groups, group: denied.get(keys[hit] ?? '') };
  }
  const allowed = configuredKeys(policy.allowedGroups);
  if (allowed.size > 0 && !keys.some((key) => allowed.has(key))) {
    return { ok: false, reason: 'not-in-allowed-group', groups };
  }
  return { ok: true, groups };
}

/** Configured group lists parsed once (the configuration's arrays live as long as it does). */
const parsedLists = new WeakMap<readonly string[], Map<string, string>>();

/** DN key -> the configured spelling, for one configured list. */
function configuredKeys(list: readonly string[]): Map<string, string> {
  let keys = parsedLists.get(list);
  if (!keys) {
    keys = new Map();
    for (const dn of list) if (!keys.has(dnKey(dn))) keys.set(dnKey(dn), dn);
    parsedLists.set(list, keys);
  }
  return keys;
}

/** Whether any group policy is configured (otherwise no extra searches are made). */
export function hasGroupPolicy(policy: Pick<DirectoryConfig, 'allowedGroups' | 'deniedGroups'>): boolean {
  return policy.allowedGroups.length > 0 || policy.deniedGroups.length > 0;
}

/**
 * AD: asks the server, per configured group, whether the user is a nested member
 * (`memberOf:1.2.840.113556.1.4.1941:=<group>` on the user entry). Returns the direct groups
 * plus the configured groups the user is in.
 */
export async function resolveAdGroups(
  client: Client,
  userDn: string,
  memberOf: string[],
  policy: Pick<DirectoryConfig, 'allowedGroups' | 'deniedGroups'>,
): Promise<string[]> {
  const configured = new DnSet([...policy.deniedGroups, ...policy.allowedGroups]).values();
  const found = await Promise.all(
    configured.map(async (group) => {
      const { searchEntries } = await client.search(userDn, {
        scope: 'base',
        filter: escapeFilter`(memberOf:1.2.840.113556.1.4.1941:=${group})`,
        attributes: ['1.1'],
      });
      return searchEntries.length > 0 ? group : undefined;
    }),
  );
  return union(
    memberOf,
    found.filter((group): group is string => group !== undefined),
  );
}

/**
 * OpenLDAP: direct groups from memberOf (memberof overlay) or, without it, a member search;
 * then up to `depth` levels of parent groups, one search per level.
 */
export async function resolveOpenLdapGroups(
  client: Client,
  userDn: string,
  memberOf: string[],
  options: { groupBaseDN: string; depth: number; stopAt?: (groups: string[]) => boolean },
): Promise<string[]> {
  const parentsOf = async (dns: string[]): Promise<string[]> => {
    const clauses = dns.map((dn) => escapeFilter`(member=${dn})(uniqueMember=${dn})`).join('');
    const { searchEntries } = await client.search(options.groupBaseDN, {
      scope: 'sub',
      filter: `(|${clauses})`,
      attributes: ['1.1'],
    });
    return searchEntries.map((entry) => entry.dn);
  };

  // Compared as DNs: a group reached twice under two spellings is walked once (and a loop ends).
  const seen = new DnSet();
  const add = (dns: string[]) => dns.filter((dn) => seen.add(dn));

  let frontier = add(memberOf.length > 0 ? memberOf : await parentsOf([userDn]));
  for (let level = 0; level < options.depth && frontier.length > 0; level += 1) {
    if (options.stopAt?.([...seen.values()])) break;
    frontier = add(await parentsOf(frontier));
  }
  return seen.values();
}

function union(a: string[], b: string[]): string[] {
  const seen = new Set(a.map((dn) => dnKey(dn)));
  return [...a, ...b.filter((dn) => !seen.has(dnKey(dn)))];
}
