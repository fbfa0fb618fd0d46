import { describe, expect, it } from 'vitest';
import { writeSignedSettings } from '../../../../main/core/admin/signed-settings';
import { loadStationSources } from '../../../../main/core/admin/station-sources';
import { memorySecretStore, memorySettingsFile } from './fakes';

const directory = { type: 'openldap', servers: ['ldap://127.0.0.1:3890'], baseDN: 'dc=example,dc=test' };
const duo = {
  apiHost: 'api-12345678.duosecurity.com',
  clientId: 'DIXXXXXXXXXXXXXXXXXX',
  clientSecret: { vault: 'duo.clientSecret' },
};

describe('loadStationSources', () => {
  it('nothing at all: setup-required, no problems', async () => {
    const { sources, loaded } = await loadStationSources({
      policy: {},
      managed: false,
      policySources: [],
      settingsFile: memorySettingsFile(),
      secrets: memorySecretStore(),
    });
    expect(loaded).toMatchObject({ ok: false, reason: 'setup-required' });
    expect(sources).toEqual({
      policy: {},
      local: {},
      managed: false,
      policySources: [],
      settingsProblems: [],
    });
  });

  it('signed local settings on an unmanaged station may widen trust (allowInsecure)', async () => {
    const settingsFile = memorySettingsFile();
    const secrets = memorySecretStore();
    await writeSignedSettings(settingsFile, secrets, {
      directory: { ...directory, allowInsecure: true },
      duo,
    });
    const { loaded, sources } = await loadStationSources({
      policy: {},
      managed: false,
      policySources: [],
      settingsFile,
      secrets,
    });
    expect(loaded).toMatchObject({ ok: true });
    expect(sources.local).toMatchObject({ directory: { allowInsecure: true } });
  });

  it('under a managed policy the same signed settings are refused, the key named', async () => {
    const settingsFile = memorySettingsFile();
    const secrets = memorySecretStore();
    await writeSignedSettings(settingsFile, secrets, { directory: { ...directory, allowInsecure: true } });
    const { loaded, sources } = await loadStationSources({
      policy: { duo },
      managed: true,
      policySources: ['/etc/walkup/policy.json'],
      settingsFile,
      secrets,
    });
    expect(loaded).toMatchObject({ ok: false, reason: 'configuration-invalid' });
    expect(sources.settingsProblems.join('\n')).toContain('directory.allowInsecure');
    expect(sources.policySources).toEqual(['/etc/walkup/policy.json']);
  });

  it('settings changed outside Walkup: configuration-invalid with the problem line, never run without them', async () => {
    const settingsFile = memorySettingsFile();
    const secrets = memorySecretStore();
    await writeSignedSettings(settingsFile, secrets, { directory, duo });
    (settingsFile.content as { settings: { directory: { baseDN: string } } }).settings.directory.baseDN =
      'dc=evil';
    const { loaded, sources } = await loadStationSources({
      policy: {},
      managed: false,
      policySources: [],
      settingsFile,
      secrets,
    });
    expect(loaded).toMatchObject({
      ok: false,
      reason: 'configuration-invalid',
      errors: [expect.stringContaining('changed outside Walkup')],
    });
    expect(sources.local).toEqual({});
    expect(sources.settingsProblems).toHaveLength(1);
    expect(JSON.stringify({ loaded, sources })).not.toContain('dc=evil');
  });
});
