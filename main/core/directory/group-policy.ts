/**
 * Who may enroll: allowedGroups / deniedGroups with nested membership. AD resolves nesting on
 * the server (LDAP_MATCHING_RULE_IN_CHAIN); OpenLDAP starts from memberOf (or a member search)
 * and walks up the group tree a bounded number of levels.
 */
import { escapeFilter, type Client } from 'ldapts';
import type { DirectoryConfig } from '../config/schema';

/** OID of LDAP_MATCHING_RULE_IN_CHAIN (AD, also Samba). */
export const MATCHING_RULE_IN_CHAIN = '1.2.840.113556.1.4.1941';

export type GroupDecision =
  | { ok: true; groups: string[] }
  | { ok: false; reason: 'not-in-allowed-group' | 'in-denied-group'; groups: string[]; group?: string };

/**
 * Compares DNs the way directories do for the common cases: case-insensitive, ignoring spaces
 * around separators.
 */
export function normalizeDn(dn: string): string {
  return dn
    .trim()
    .replace(/\s*([,=+])\s*/g, '$1')
    .toLowerCase();
}

/** Applies the group policy to a set of (nested) group DNs. Denied wins over allowed. */
export function decideGroups(
  groups: string[],
  policy: Pick<DirectoryConfig, 'allowedGroups' | 'deniedGroups'>,
): GroupDecision {
  const member = new Set(groups.map(normalizeDn));
  const denied = policy.deniedGroups.find((group) => member.has(normalizeDn(group)));
  if (denied) return { ok: false, reason: 'in-denied-group', groups, group: denied };
  if (
    policy.allowedGroups.length > 0 &&
    !policy.allowedGroups.some((group) => member.has(normalizeDn(group)))
  ) {
    return { ok: false, reason: 'not-in-allowed-group', groups };
  }
  return { ok: true, groups };
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
  const configured = [...new Set([...policy.deniedGroups, ...policy.allowedGroups])];
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

  const seen = new Map<string, string>();
  const add = (dns: string[]) => {
    const fresh: string[] = [];
    for (const dn of dns) {
      const key = normalizeDn(dn);
      if (!seen.has(key)) {
        seen.set(key, dn);
        fresh.push(dn);
      }
    }
    return fresh;
  };

  let frontier = add(memberOf.length > 0 ? memberOf : await parentsOf([userDn]));
  for (let level = 0; level < options.depth && frontier.length > 0; level += 1) {
    if (options.stopAt?.([...seen.values()])) break;
    frontier = add(await parentsOf(frontier));
  }
  return [...seen.values()];
}

function union(a: string[], b: string[]): string[] {
  const seen = new Set(a.map(normalizeDn));
  return [...a, ...b.filter((dn) => !seen.has(normalizeDn(dn)))];
}
