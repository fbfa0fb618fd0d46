import { describe, expect, it } from 'vitest';
import { decideGroups, hasGroupPolicy } from '../../../../main/core/directory/group-policy';

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

  it('answers with the groups as the directory spelled them', () => {
    const groups = ['cn=enrollers, ou=groups, dc=walkup, dc=test'];
    expect(decideGroups(groups, { allowedGroups: [enrollers], deniedGroups: [] })).toEqual({
      ok: true,
      groups,
    });
  });

  describe('compares group DNs as DNs, not as text (issue #8)', () => {
    // slapd's memberof overlay writes the escaped comma in hex; admins write it with a backslash.
    const fromServer = 'cn=Duo\\2C Enrollers,dc=example,dc=test';
    const asWritten = 'cn=Duo\\, Enrollers,dc=example,dc=test';

    it('admits a member of an allowed group written with \\, when the server says \\2C', () => {
      expect(decideGroups([fromServer], { allowedGroups: [asWritten], deniedGroups: [] }).ok).toBe(true);
    });

    it('refuses a member of a denied group written with \\, when the server says \\2C', () => {
      expect(decideGroups([fromServer], { allowedGroups: [], deniedGroups: [asWritten] })).toEqual({
        ok: false,
        reason: 'in-denied-group',
        groups: [fromServer],
        group: asWritten,
      });
    });

    it.each([
      ['a quoted value', 'cn="Duo, Enrollers",dc=example,dc=test'],
      ['upper-case types and values', 'CN=DUO\\, ENROLLERS,DC=EXAMPLE,DC=TEST'],
      ['hex-escaped letters', 'cn=\\44uo\\2C Enrollers,dc=example,dc=test'],
    ])('matches the same group written as %s', (_what, written) => {
      expect(decideGroups([fromServer], { allowedGroups: [], deniedGroups: [written] }).ok).toBe(false);
    });

    it('does not take a group with a comma for the group named by its first part', () => {
      const policy = { allowedGroups: ['cn=Duo,dc=example,dc=test'], deniedGroups: [] };
      expect(decideGroups([fromServer], policy)).toMatchObject({ ok: false, reason: 'not-in-allowed-group' });
    });
  });
});
