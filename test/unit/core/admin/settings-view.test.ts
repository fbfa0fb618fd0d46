import { describe, expect, it } from 'vitest';
import { settingsView } from '../../../../main/core/admin/settings-view';
import { policyKeys } from '../../../../main/core/config/policy-sources/policy-keys';

const SECRET = 'duo-client-secret-value-0123456789abcdef';

describe('settingsView', () => {
  const view = settingsView({
    policy: {
      directory: { type: 'openldap', tls: { caFile: '/etc/ssl/ca.pem' } },
      admin: { idleSeconds: 60 },
    },
    local: {
      station: { name: 'Lobby' },
      duo: { apiHost: 'api-1.duosecurity.com', clientId: 'DIXXXXXXXXXXXXXXXXXX', clientSecret: SECRET },
    },
    managed: true,
  });
  const byPath = new Map(view.map((setting) => [setting.path, setting]));

  it('lists every policy key of the SDK in force, with source and lock', () => {
    const expected = policyKeys().filter((key) => key.sdk === undefined || key.sdk === 'v4');
    expect(view.map((setting) => setting.path)).toEqual(expected.map((key) => key.path));
    expect(byPath.has('duo.ikey')).toBe(false);
    expect(byPath.get('directory.type')).toMatchObject({ value: 'openldap', source: 'policy', locked: true });
    expect(byPath.get('admin.idleSeconds')).toMatchObject({ value: 60, source: 'policy', locked: true });
    expect(byPath.get('station.name')).toMatchObject({ value: 'Lobby', source: 'local', locked: false });
    expect(byPath.get('admin.maxPinAttempts')).toMatchObject({ value: 5, source: 'default', locked: false });
  });

  it('marks trust-widening keys (not the harmless ones)', () => {
    expect(byPath.get('directory.tls.caFile')).toMatchObject({ widensTrust: true, locked: true });
    expect(byPath.get('directory.allowInsecure')).toMatchObject({ widensTrust: true });
    expect(byPath.get('kiosk.adminChord')).toMatchObject({ widensTrust: false });
    expect(byPath.get('station.name')).toMatchObject({ widensTrust: false });
  });

  it('says what the admin screen may edit here: not locked, and on a managed station no policy-only trust key', () => {
    expect(byPath.get('station.name')).toMatchObject({ editable: true });
    expect(byPath.get('directory.type')).toMatchObject({ editable: false });
    // A switch that may be tightened stays editable (the save judges the value) …
    expect(byPath.get('directory.allowInsecure')).toMatchObject({ editable: true });
    // … a key only policy may set is not, on a managed station; it is on an unmanaged one.
    expect(byPath.get('duo.caFile')).toMatchObject({ widensTrust: true, editable: false });
    const unmanaged = settingsView({ policy: {}, local: {}, managed: false });
    expect(unmanaged.find((setting) => setting.path === 'duo.caFile')).toMatchObject({ editable: true });
  });

  it('shows secrets as set / not set, never the value', () => {
    expect(byPath.get('duo.clientSecret')).toEqual({
      path: 'duo.clientSecret',
      kind: 'secret',
      set: true,
      source: 'local',
      locked: false,
      widensTrust: false,
      editable: true,
    });
    expect(byPath.get('directory.bindPassword')).toMatchObject({
      kind: 'secret',
      set: false,
      source: 'default',
    });
    expect(JSON.stringify(view)).not.toContain(SECRET);
  });

  it('a v2 station lists the v2 keys', () => {
    const v2 = settingsView({ policy: {}, local: { duo: { sdk: 'v2' } }, managed: false }).map(
      (setting) => setting.path,
    );
    expect(v2).toEqual(expect.arrayContaining(['duo.ikey', 'duo.skey', 'duo.akey']));
    expect(v2).not.toContain('duo.clientId');
  });
});
