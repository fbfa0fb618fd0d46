import { FilterParser } from 'ldapts';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_USER_FILTERS,
  buildUserFilter,
  checkUserFilter,
  describeUser,
  isDisabled,
  userEntrySchema,
} from '../../../../main/core/directory/user-entry';

const login = { name: 'alice', upn: 'alice@walkup.test', form: 'plain' as const, throttleKey: 'alice' };

describe('buildUserFilter', () => {
  it('fills the OpenLDAP default with the escaped name', () => {
    expect(buildUserFilter(DEFAULT_USER_FILTERS.openldap, login)).toBe('(uid=alice)');
  });

  it('fills the AD default with sAMAccountName and UPN', () => {
    expect(buildUserFilter(DEFAULT_USER_FILTERS.ad, login)).toBe(
      '(&(objectCategory=person)(objectClass=user)(|(sAMAccountName=alice)(userPrincipalName=alice@walkup.test)))',
    );
  });

  it('escapes every RFC 4515 metacharacter (* ( ) \\ NUL)', () => {
    const name = '*)(uid=*))(|(uid=*\\\u0000';
    expect(buildUserFilter('(uid={username})', { name, upn: name })).toBe(
      '(uid=\\2a\\29\\28uid=\\2a\\29\\29\\28|\\28uid=\\2a\\5c\\00)',
    );
  });

  it('keeps an injection attempt inside one equality assertion', () => {
    const filter = FilterParser.parseString(
      buildUserFilter('(uid={username})', { name: '*)(uid=*', upn: '' }),
    );
    expect(filter.constructor.name).toBe('EqualityFilter');
    expect(filter).toMatchObject({ attribute: 'uid', value: '*)(uid=*' });
  });

  it('does not treat $& or $1 in a name as replacement patterns', () => {
    expect(buildUserFilter('(uid={username})', { name: 'a$&b$1', upn: '' })).toBe('(uid=a$&b$1)');
  });

  it('replaces every placeholder occurrence', () => {
    expect(buildUserFilter('(|(uid={username})(mail={username})(upn={upn}))', login)).toBe(
      '(|(uid=alice)(mail=alice)(upn=alice@walkup.test))',
    );
  });
});

describe('checkUserFilter', () => {
  it('accepts the defaults', () => {
    expect(checkUserFilter(DEFAULT_USER_FILTERS.ad)).toBeUndefined();
    expect(checkUserFilter(DEFAULT_USER_FILTERS.openldap)).toBeUndefined();
  });

  it('names userFilter when the template does not parse', () => {
    expect(checkUserFilter('(uid={username}))')).toMatch(/^userFilter: /);
  });
});

describe('user entries', () => {
  const entry = (attributes: Record<string, unknown>) =>
    userEntrySchema.parse({ dn: 'CN=Alice,OU=People,DC=walkup,DC=test', ...attributes });

  it('reads single and multi-valued attributes case-insensitively', () => {
    const parsed = entry({ samaccountname: 'Alice', memberOf: ['cn=a', 'cn=b'], displayName: 'Alice A.' });
    expect(describeUser('ad', parsed, { ...login, name: 'alice' })).toEqual({
      username: 'Alice',
      displayName: 'Alice A.',
      memberOf: ['cn=a', 'cn=b'],
    });
  });

  it('falls back to cn, then to the login name, for the display name', () => {
    expect(describeUser('openldap', entry({ uid: 'alice', cn: 'Alice C' }), login).displayName).toBe(
      'Alice C',
    );
    expect(describeUser('openldap', entry({}), login)).toMatchObject({
      username: 'alice',
      displayName: 'alice',
    });
  });

  it('picks the uid value that matches what was typed', () => {
    expect(describeUser('openldap', entry({ uid: ['a.smith', 'alice'] }), login).username).toBe('alice');
  });

  it.each([
    ['512', false],
    ['514', true],
    ['66050', true],
    ['66048', false],
  ])('reads userAccountControl %s as disabled=%s', (value, disabled) => {
    expect(isDisabled(entry({ userAccountControl: value }))).toBe(disabled);
  });

  it('refuses an entry without a DN', () => {
    expect(userEntrySchema.safeParse({ uid: 'x' }).success).toBe(false);
  });
});
