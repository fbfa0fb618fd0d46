import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { load } from 'js-yaml';
import { build } from 'plist';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../../../main/core/config/schema';
import {
  managedPreferencesPaths,
  parseManagedPreferences,
  readManagedPreferencesFile,
  WALKUP_BUNDLE_ID,
} from '../../../../../main/core/config/policy-sources/macos-managed-preferences';

const root = path.resolve(import.meta.dirname, '../../../../..');
const fixtures = path.join(root, 'test/fixtures/policy');
const SECRET = 'Tr0ub4dor&3-plist-secret';

const expectedPolicy = {
  audit: { maxBytes: 20_000_000, minHistoryHours: 12.5 },
  directory: {
    baseDN: 'ou=people,dc=example,dc=org',
    bindDN: 'cn=walkup,ou=services,dc=example,dc=org',
    bindPassword: { file: '/Library/Application Support/Walkup/ldap-password' },
    servers: ['ldaps://ldap1.example.org', 'ldaps://ldap2.example.org:636'],
    showConditions: ['password-expired'],
    tls: { minVersion: 'TLSv1.3', useSystemCA: true },
    type: 'openldap',
  },
  duo: {
    akey: { env: 'WALKUP_DUO_AKEY' },
    apiHost: 'api-1234abcd.duosecurity.com',
    ikey: 'DIXXXXXXXXXXXXXXXXXX',
    sdk: 'v2',
    skey: { file: '/Library/Application Support/Walkup/duo-skey' },
  },
  kiosk: { allowSecurityKeys: true },
  station: { idle: { signInSeconds: 90 }, name: 'Front desk kiosk' },
};

function xml(value: Record<string, unknown>): Buffer {
  return Buffer.from(build(value as Parameters<typeof build>[0]), 'utf8');
}

function errorsOf(value: Record<string, unknown>): string[] {
  const result = parseManagedPreferences(xml(value), 'edu.walkup.station.plist');
  if (result.ok) throw new Error('expected errors');
  return result.errors;
}

describe('managed preferences', () => {
  it('uses electron-builder.yml’s appId as the bundle id', () => {
    const builder = load(readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as { appId: string };
    expect(WALKUP_BUNDLE_ID).toBe(builder.appId);
  });

  it('names the computer-level and user-level files', () => {
    expect(managedPreferencesPaths()).toEqual({
      computer: '/Library/Managed Preferences/edu.walkup.station.plist',
    });
    expect(managedPreferencesPaths(WALKUP_BUNDLE_ID, 'kiosk')).toEqual({
      computer: '/Library/Managed Preferences/edu.walkup.station.plist',
      user: '/Library/Managed Preferences/kiosk/edu.walkup.station.plist',
    });
    expect(managedPreferencesPaths(WALKUP_BUNDLE_ID, '../etc')).toEqual({
      computer: '/Library/Managed Preferences/edu.walkup.station.plist',
    });
  });

  it('reads a binary plist written by another implementation (Python plistlib) into a policy the schema accepts', () => {
    const result = parseManagedPreferences(
      readFileSync(path.join(fixtures, 'managed-preferences.binary.plist')),
      'binary',
    );
    expect(result).toEqual({ ok: true, value: expectedPolicy });
    expect(result.ok && parseConfig(result.value).ok).toBe(true);
  });

  it('reads the same policy from an XML plist', () => {
    const result = parseManagedPreferences(
      readFileSync(path.join(fixtures, 'managed-preferences.xml.plist')),
      'xml',
    );
    expect(result).toEqual({ ok: true, value: expectedPolicy });
  });

  it('reads a file from disk, and a missing file is missing', async () => {
    expect(await readManagedPreferencesFile(path.join(fixtures, 'managed-preferences.binary.plist'))).toEqual(
      {
        ok: true,
        value: expectedPolicy,
      },
    );
    const missing = path.join(fixtures, 'no-such.plist');
    expect(await readManagedPreferencesFile(missing)).toEqual({
      ok: false,
      code: 'missing',
      errors: [`${missing} does not exist`],
    });
  });
});

describe('managed preferences errors (each names the key, never the value)', () => {
  let folder: string | undefined;
  afterEach(() => {
    if (folder) rmSync(folder, { recursive: true, force: true });
    folder = undefined;
  });

  it('refuses an unreadable file, saying why', async () => {
    const denied = await readManagedPreferencesFile('/x.plist', {
      readFile: () => Promise.reject(Object.assign(new Error('EACCES'), { code: 'EACCES' })),
    });
    expect(denied).toEqual({
      ok: false,
      code: 'unreadable',
      errors: ['/x.plist cannot be read (permission denied)'],
    });
    folder = mkdtempSync(path.join(tmpdir(), 'walkup-plist-'));
    expect(await readManagedPreferencesFile(folder)).toEqual({
      ok: false,
      code: 'unreadable',
      errors: [`${folder} cannot be read (is a directory)`],
    });
  });

  it('refuses malformed XML, a truncated binary plist and bytes that are neither', () => {
    const broken = parseManagedPreferences(
      Buffer.from(
        `<?xml version="1.0"?><plist><dict><key>station</key><dict><key>name</key><string>${SECRET}</string></dict>`,
      ),
      'broken.plist',
    );
    expect(broken).toEqual({
      ok: false,
      code: 'malformed',
      errors: ['broken.plist is not a valid property list: unclosed xml tag(s): plist, dict'],
    });
    expect(JSON.stringify(broken)).not.toContain(SECRET);
    expect(
      parseManagedPreferences(Buffer.from('<plist><dict><key>kiosk</key><yes/></dict></plist>'), 'tag.plist'),
    ).toEqual({
      ok: false,
      code: 'malformed',
      errors: ['tag.plist is not a valid property list: Invalid PLIST tag yes'],
    });

    const binary = readFileSync(path.join(fixtures, 'managed-preferences.binary.plist'));
    expect(parseManagedPreferences(binary.subarray(0, 40), 'truncated.plist')).toMatchObject({
      ok: false,
      code: 'malformed',
      errors: [expect.stringMatching(/^truncated\.plist is not a valid property list: /)],
    });
    expect(parseManagedPreferences(Buffer.from('{"station": {}}'), 'json.plist')).toEqual({
      ok: false,
      code: 'malformed',
      errors: ['json.plist is not a valid property list: neither a binary nor an XML property list'],
    });
  });

  it('refuses a top level that is not a dict', () => {
    expect(parseManagedPreferences(Buffer.from(build(['a'])), 'list.plist')).toEqual({
      ok: false,
      code: 'invalid',
      errors: ['list.plist: the top level must be a dict, not array'],
    });
  });

  it('refuses unknown keys, at the top and inside a section', () => {
    expect(errorsOf({ stations: {}, directory: { server: 'ldaps://x' }, constructor: 'x' })).toEqual([
      'stations in edu.walkup.station.plist: unknown policy key',
      'directory.server in edu.walkup.station.plist: unknown policy key',
      'constructor in edu.walkup.station.plist: unknown policy key',
    ]);
  });

  it('refuses wrong types with the type the key needs', () => {
    expect(
      errorsOf({
        kiosk: { allowSecurityKeys: 'yes' },
        directory: { servers: 'ldaps://dc1', allowedGroups: ['a', 2], timeouts: 'fast' },
        station: { idle: { signInSeconds: 1.5 } },
        audit: { keep: new Date(0) },
      }),
    ).toEqual([
      'kiosk.allowSecurityKeys in edu.walkup.station.plist: must be true or false',
      'directory.servers in edu.walkup.station.plist: must be a list of text values',
      'directory.allowedGroups in edu.walkup.station.plist: must be a list of text values',
      'directory.timeouts in edu.walkup.station.plist: must be a dict (a section), not string',
      'station.idle.signInSeconds in edu.walkup.station.plist: must be a whole number',
      'audit.keep in edu.walkup.station.plist: is a plist date, which no Walkup key takes',
    ]);
  });

  it('refuses data values', () => {
    expect(errorsOf({ station: { name: Buffer.from('x') } })).toEqual([
      'station.name in edu.walkup.station.plist: is a plist data, which no Walkup key takes',
    ]);
  });

  it('maps a vault entry reference', () => {
    expect(
      parseManagedPreferences(xml({ duo: { clientSecret: { vault: 'duo.clientSecret' } } }), 'p.plist'),
    ).toEqual({
      ok: true,
      value: { duo: { clientSecret: { vault: 'duo.clientSecret' } } },
    });
  });

  it('refuses a secret value and never repeats it; a reference dict takes only vault, file or env', () => {
    const errors = errorsOf({
      duo: { clientSecret: SECRET, skey: { value: SECRET }, akey: { file: 3 } },
    });
    expect(errors).toEqual([
      expect.stringMatching(
        /^duo\.clientSecret in edu\.walkup\.station\.plist: is a secret: .*readable by every local account/,
      ),
      'duo.skey in edu.walkup.station.plist: takes only a key named vault, file or env, not value',
      'duo.akey in edu.walkup.station.plist: file must be text, not number',
    ]);
    expect(errors.join('\n')).not.toContain(SECRET);
  });
});
