import { describe, expect, it } from 'vitest';
import { accountIdOf, userEntrySchema } from '../../../../main/core/directory/user-entry';

const entry = (raw: Record<string, unknown>) => userEntrySchema.parse(raw);

describe('accountIdOf (the key every login form of one account shares)', () => {
  it('is the hex of AD objectGUID, whatever the DN is spelled like', () => {
    const guid = Buffer.from('d40370c995318f45bc48c18879bcd449', 'hex');
    expect(accountIdOf('ad', entry({ dn: 'CN=lee,CN=Users,DC=walkup,DC=test', objectGUID: guid }))).toBe(
      'guid:d40370c995318f45bc48c18879bcd449',
    );
  });

  it('is the OpenLDAP entryUUID, lower-cased', () => {
    expect(
      accountIdOf(
        'openldap',
        entry({
          dn: 'uid=erin,ou=people,dc=example,dc=test',
          entryUUID: 'A1B2C3D4-0000-1111-2222-333344445555',
        }),
      ),
    ).toBe('uuid:a1b2c3d4-0000-1111-2222-333344445555');
  });

  it('falls back to the DN compared as a DN (escapes, hex and case do not matter)', () => {
    const ids = [
      'cn=Lee\\, Smith,ou=People,dc=example,dc=test',
      'CN=lee\\2C smith,OU=people,DC=Example,DC=test',
      'cn="Lee, Smith",ou=people,dc=example,dc=test',
    ].map((dn) => accountIdOf('openldap', entry({ dn })));
    expect(new Set(ids).size).toBe(1);
    expect(ids[0]).toMatch(/^dn:/);
  });

  it('never lets an AD GUID and an OpenLDAP UUID of the same text meet', () => {
    const ad = accountIdOf('ad', entry({ dn: 'cn=x', objectGUID: Buffer.from('ab', 'hex') }));
    const openldap = accountIdOf('openldap', entry({ dn: 'cn=x', entryUUID: 'ab' }));
    expect(ad).not.toBe(openldap);
  });
});
