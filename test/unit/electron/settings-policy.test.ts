import { describe, expect, it } from 'vitest';
import { checkLocalSettings } from '../../../main/electron/settings-policy';

describe('checkLocalSettings', () => {
  it('accepts configuration sections without secrets', () => {
    const settings = { station: { name: 'Desk 4' }, directory: { bindPassword: { env: 'LDAP_PW' } } };
    expect(checkLocalSettings(settings)).toEqual({ ok: true, settings });
  });
  it('refuses inline secrets: they belong in the encrypted vault', () => {
    expect(checkLocalSettings({ directory: { bindPassword: 'hunter2' } })).toEqual({
      ok: false,
      reason: 'inline-secret',
      path: 'directory.bindPassword',
    });
    for (const key of ['clientSecret', 'skey', 'akey']) {
      expect(checkLocalSettings({ duo: { [key]: 'x'.repeat(40) } })).toMatchObject({
        ok: false,
        path: `duo.${key}`,
      });
    }
  });
  it('knows every secret key of the schema, the audit username key included', () => {
    expect(checkLocalSettings({ audit: { usernameHashKey: 'k'.repeat(32) } })).toEqual({
      ok: false,
      reason: 'inline-secret',
      path: 'audit.usernameHashKey',
    });
  });
  it('finds a secret wherever the written JSON would hold it (null-prototype object, class instance)', () => {
    const bare = Object.assign(Object.create(null) as object, { bindPassword: 'hunter2' });
    const instance = new (class {
      clientSecret = 'x'.repeat(40);
    })();
    expect(checkLocalSettings({ directory: bare })).toMatchObject({
      ok: false,
      path: 'directory.bindPassword',
    });
    expect(checkLocalSettings({ duo: instance })).toMatchObject({ ok: false, path: 'duo.clientSecret' });
  });
  it('accepts a null-prototype object, as conf hands the store back', () => {
    const fromConf = Object.assign(Object.create(null) as object, { station: { name: 'Desk 4' } });
    expect(checkLocalSettings(fromConf)).toEqual({ ok: true, settings: { station: { name: 'Desk 4' } } });
  });
  it('refuses anything that is not a plain object', () => {
    for (const value of [null, [], 'x', 1, new Date()]) {
      expect(checkLocalSettings(value)).toMatchObject({ ok: false, reason: 'not-an-object' });
    }
  });
  it('refuses unknown top-level sections', () => {
    expect(checkLocalSettings({ plugins: {} })).toEqual({
      ok: false,
      reason: 'unknown-section',
      path: 'plugins',
    });
  });
  it('refuses values JSON cannot hold', () => {
    expect(checkLocalSettings({ station: { n: 1n } })).toMatchObject({ ok: false, reason: 'not-json' });
  });
});
