import { describe, expect, it } from 'vitest';
import { decideGroups, hasGroupPolicy, normalizeDn } from '../../../../main/core/directory/group-policy';

const enrollers = 'CN=Enrollers,OU=Groups,DC=walkup,DC=test';
const contractors = 'CN=Contractors,OU=Groups,DC=walkup,DC=test';

describe('group policy', () => {
  it('admits everyone when no groups are configured', () => {
    expect(decideGroups([], { allowedGroups: [], deniedGroups: [] })).toEqual({ ok: true, groups: [] });
    expect(hasGroupPolicy({ allowedGroups: [], deniedGroups: [] })).toBe(false);
  });

  it('admits a member of an allowed group, comparing DNs case- and space-insensitively', () => {
    const groups = ['cn=enrollers, ou=groups, dc=walkup, dc=test'];
    expect(decideGroups(groups, { allowedGroups: [enrollers], deniedGroups: [] }).ok).toBe(true);
  });

  it('refuses a person in none of the allowed groups', () => {
    expect(
      decideGroups(['cn=other,dc=walkup,dc=test'], { allowedGroups: [enrollers], deniedGroups: [] }),
    ).toMatchObject({
      ok: false,
      reason: 'not-in-allowed-group',
    });
  });

  it('lets a denied group win over an allowed one', () => {
    expect(
      decideGroups([enrollers, contractors], { allowedGroups: [enrollers], deniedGroups: [contractors] }),
    ).toMatchObject({ ok: false, reason: 'in-denied-group', group: contractors });
  });

  it('normalises DNs for comparison only', () => {
    expect(normalizeDn(' CN=A , DC=B ')).toBe('cn=a,dc=b');
  });
});
