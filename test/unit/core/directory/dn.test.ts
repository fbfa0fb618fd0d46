import { describe, expect, it } from 'vitest';
import {
  DnSet,
  DnSyntaxError,
  dnKey,
  dnSyntaxProblem,
  isWithinDn,
  parseDn,
  sameDn,
} from '../../../../main/core/directory/dn';

describe('DNs compared as DNs (RFC 4514)', () => {
  it.each([
    [
      'an escaped comma and its hex form',
      'cn=Duo\\, Enrollers,dc=example,dc=test',
      'cn=Duo\\2C Enrollers,dc=example,dc=test',
    ],
    ['lower-case hex', 'cn=Duo\\2c Enrollers,dc=example,dc=test', 'cn=Duo\\, Enrollers,dc=example,dc=test'],
    [
      'attribute types in any case',
      'CN=Enrollers,OU=Groups,DC=walkup,DC=test',
      'cn=Enrollers,ou=Groups,dc=walkup,dc=test',
    ],
    ['values in any case', 'cn=ENROLLERS,dc=Walkup,dc=TEST', 'cn=enrollers,dc=walkup,dc=test'],
    [
      'spaces around separators',
      ' cn = Enrollers , ou=Groups ,dc=walkup',
      'cn=Enrollers,ou=Groups,dc=walkup',
    ],
    ['a quoted value (RFC 2253)', 'cn="Duo, Enrollers",dc=x', 'cn=Duo\\, Enrollers,dc=x'],
    ['an escaped quote and its hex form', 'cn=The \\"Team\\",dc=x', 'cn=The \\22Team\\22,dc=x'],
    ['the AVAs of a multi-valued RDN in any order', 'cn=Ann+sn=Lee,dc=x', 'SN=lee + CN=ann,dc=x'],
    ['an escaped plus and its hex form', 'cn=A\\+B,dc=x', 'cn=A\\2BB,dc=x'],
    ['an escaped hash and its hex form', 'cn=\\#1,dc=x', 'cn=\\231,dc=x'],
    ['a #hex BER value holding a string (UTF8String)', 'cn=#0C03616263,dc=x', 'cn=abc,dc=x'],
    ['a #hex BER value holding a string (PrintableString)', 'cn=#1303414243,dc=x', 'cn=abc,dc=x'],
    ['non-ASCII and its UTF-8 hex escapes', 'cn=Jürgen Müller,dc=x', 'cn=J\\C3\\BCrgen M\\c3\\bcller,dc=x'],
    ['non-ASCII in another case', 'cn=ÅNGSTRÖM,dc=x', 'cn=ångström,dc=x'],
    ['composed and decomposed accents (NFKC)', 'cn=Zo\u00eb,dc=x', 'cn=Zoe\u0308,dc=x'],
    ['inner runs of spaces', 'cn=Duo  Users,dc=x', 'cn=Duo Users,dc=x'],
    // RFC 4518 §2.6.1: leading and trailing spaces are insignificant to caseIgnoreMatch.
    ['an escaped leading space and none', 'cn=\\ x,dc=y', 'cn=x,dc=y'],
    ['a well-known OID and its name', '2.5.4.3=Enrollers,0.9.2342.19200300.100.1.25=x', 'cn=enrollers,dc=x'],
    // A value that begins with an escaped "#" is a string like any other (review of issue #8).
    ['a value beginning with an escaped # in another case', 'cn=\\#Admins,dc=x', 'cn=\\#admins,dc=x'],
    ['a value beginning with an escaped # and its hex form', 'cn=\\#ADMINS,dc=x', 'cn=\\23admins,dc=x'],
    // RFC 4519: the long names and OIDs of one attribute type are one type.
    ['commonName and cn', 'commonName=Duo,dc=x', 'cn=duo,dc=x'],
    ['domainComponent and dc', 'cn=Duo,domainComponent=x,DomainComponent=y', 'cn=Duo,dc=x,dc=y'],
    ['organizationalUnitName and ou', 'organizationalUnitName=Groups,dc=x', 'ou=groups,dc=x'],
    ['organizationName and o', 'cn=a,organizationName=Walkup', 'cn=a,o=walkup'],
    ['countryName and c', 'cn=a,countryName=DE', 'cn=a,c=de'],
    ['localityName and l', 'cn=a,localityName=Bonn', 'cn=a,l=bonn'],
    ['stateOrProvinceName and st', 'cn=a,stateOrProvinceName=NRW', 'cn=a,st=nrw'],
    ['userid and uid', 'userid=ann,dc=x', 'uid=ann,dc=x'],
    ['surname and sn', 'cn=a+surname=Lee,dc=x', 'sn=lee+cn=a,dc=x'],
    ['givenName, gn and 2.5.4.42', 'givenName=Ann,dc=x', 'gn=ann,dc=x'],
    [
      'an OID and a long name',
      '2.5.4.42=Ann+2.5.4.4=Lee,2.5.4.11=G,2.5.4.10=W,2.5.4.6=DE',
      'givenName=ann+surname=lee,organizationalUnitName=g,organizationName=w,countryName=de',
    ],
    // RFC 2253 §4: a semicolon may separate RDNs.
    ['a semicolon and a comma between RDNs', 'cn=x;dc=y ; dc=z', 'cn=x,dc=y,dc=z'],
    // RFC 4518 §2.2: TAB, other controls that are white space, and NO-BREAK SPACE map to SPACE.
    ['a tab and a space in a value', 'cn=a\tb,dc=x', 'cn=a b,dc=x'],
    ['a no-break space and a space in a value', 'cn=a\u00a0b,dc=x', 'cn=a b,dc=x'],
    ['a line feed, an ideographic space and a space', 'cn=a\n\u3000b,dc=x', 'cn=a b,dc=x'],
    ['OIDs of l, st and uid', '0.9.2342.19200300.100.1.1=a,2.5.4.7=B,2.5.4.8=C', 'uid=a,l=b,st=c'],
    [
      'an OID, a long name and an escaped comma',
      '2.5.4.3=Duo\\2C Enrollers,dc=x',
      'commonName=duo\\, enrollers,DC=X',
    ],
  ])('treats %s as the same DN', (_what, a, b) => {
    expect(sameDn(a, b)).toBe(true);
  });

  it.each([
    ['different values', 'cn=Enrollers,dc=x', 'cn=Enroller,dc=x'],
    ['a comma inside a value and one between RDNs', 'cn=Duo\\, Enrollers,dc=x', 'cn=Duo,cn=Enrollers,dc=x'],
    ['a multi-valued RDN and two RDNs', 'cn=a+sn=b,dc=x', 'cn=a,sn=b,dc=x'],
    ['an escaped plus and a multi-valued RDN', 'cn=a\\+sn=b,dc=x', 'cn=a+sn=b,dc=x'],
    ['different attribute types', 'cn=x,dc=y', 'ou=x,dc=y'],
    ['a #hex value holding no string and its text', 'cn=#020101,dc=x', 'cn=020101,dc=x'],
    // RFC 4514 §2.4: "#" starts the BER form only unescaped; the escaped one is a string.
    [
      'a #hex value holding no string and the same text after an escaped #',
      'cn=#020101,dc=x',
      'cn=\\#020101,dc=x',
    ],
    ['a #hex value holding no string and its text in #-hex escapes', 'cn=#020101,dc=x', 'cn=\\23020101,dc=x'],
    ['an alias and another type', 'commonName=x,dc=y', 'sn=x,dc=y'],
    ['a child and its parent', 'cn=a,dc=x', 'dc=x'],
    ['an escaped semicolon in a value and a separator', 'cn=x\\;dc=y', 'cn=x;dc=y'],
  ])('tells apart %s', (_what, a, b) => {
    expect(sameDn(a, b)).toBe(false);
  });

  it('keeps escaped trailing spaces and drops unescaped ones', () => {
    expect(parseDn('cn=x\\ ,dc=y').rdns[0]).toEqual([{ type: 'cn', value: 'x ' }]);
    expect(parseDn('cn=x   ,dc=y').rdns[0]).toEqual([{ type: 'cn', value: 'x' }]);
    expect(parseDn('cn=\\20x\\20,dc=y').rdns[0]).toEqual([{ type: 'cn', value: ' x ' }]);
  });

  it('unescapes values and lower-cases attribute types', () => {
    expect(parseDn('CN=Duo\\2C Enrollers+UID=a\\+b,DC=example').rdns).toEqual([
      [
        { type: 'cn', value: 'Duo, Enrollers' },
        { type: 'uid', value: 'a+b' },
      ],
      [{ type: 'dc', value: 'example' }],
    ]);
  });

  it('marks a #hex value that holds no string as bytes, and no string value', () => {
    expect(parseDn('cn=#020101').rdns[0]).toEqual([{ type: 'cn', value: '#020101', ber: true }]);
    expect(parseDn('cn=\\#020101').rdns[0]).toEqual([{ type: 'cn', value: '#020101' }]);
    expect(parseDn('commonName=#0C03616263').rdns[0]).toEqual([{ type: 'cn', value: 'abc' }]);
  });

  it('parses the empty DN (the root DSE)', () => {
    expect(parseDn('')).toMatchObject({ rdns: [] });
    expect(sameDn('', '  ')).toBe(true);
  });

  it.each([
    ['no equals sign', 'Enrollers'],
    ['an empty RDN', 'cn=x,,dc=y'],
    ['a trailing comma', 'cn=x,'],
    ['a dangling backslash', 'cn=x\\'],
    ['a backslash before an ordinary character', 'cn=\\x,dc=y'],
    ['a single hex digit', 'cn=\\2,dc=y'],
    ['an unescaped quote inside a value', 'cn=a"b,dc=y'],
    ['a semicolon separator followed by no RDN', 'cn=a;b,dc=y'],
    ['a trailing semicolon', 'cn=a;'],
    ['an unescaped angle bracket', 'cn=a<b,dc=y'],
    ['an unclosed quoted value', 'cn="abc,dc=y'],
    ['an odd number of hex digits after #', 'cn=#0c0,dc=y'],
    ['hex escapes that are not UTF-8', 'cn=\\ff\\fe,dc=y'],
    ['an attribute type that starts with a digit and has letters', 'cn=x,2x=y'],
  ])('refuses %s with a DnSyntaxError that says where', (_what, text) => {
    expect(() => parseDn(text)).toThrow(DnSyntaxError);
    expect(dnSyntaxProblem(text)).toMatch(/^not a valid DN \(RFC 4514\): .* at position \d+$|UTF-8/);
  });

  it('gives an unparseable server value a key no parsed DN has', () => {
    expect(dnKey('not a dn')).not.toBe(dnKey('cn=not a dn'));
    expect(sameDn('not a dn', 'not a dn')).toBe(true);
  });

  it('tells whether a DN lies at or below a base DN', () => {
    expect(isWithinDn('UID=Alice,OU=People,DC=Example,DC=Test', 'dc=example, dc=test')).toBe(true);
    expect(isWithinDn('dc=example,dc=test', 'DC=EXAMPLE,DC=TEST')).toBe(true);
    expect(isWithinDn('uid=a,ou=staff,dc=example,dc=test', 'ou=people,dc=example,dc=test')).toBe(false);
    expect(isWithinDn('dc=test', 'dc=example,dc=test')).toBe(false);
    expect(isWithinDn('uid=a,dc=notexample,dc=test', 'dc=example,dc=test')).toBe(false);
    expect(isWithinDn('uid=a,dc=x', '')).toBe(true);
    expect(isWithinDn('not a dn', 'dc=x')).toBe(false);
  });

  it('keeps one spelling per DN in a DnSet', () => {
    const set = new DnSet(['cn=Duo\\2C Enrollers,dc=x']);
    expect(set.add('CN=duo\\, enrollers, DC=X')).toBe(false);
    expect(set.add('cn=Other,dc=x')).toBe(true);
    expect(set.has('cn="Duo, Enrollers",dc=x')).toBe(true);
    expect(set.values()).toEqual(['cn=Duo\\2C Enrollers,dc=x', 'cn=Other,dc=x']);
  });
});
