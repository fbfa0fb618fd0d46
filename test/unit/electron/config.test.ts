/**
 * loadKioskConfig: the kiosk reads every managed source of its platform (injected readers on the
 * captured samples), `--policy` alone in development, opens the secret store with the policy's
 * switch, and takes the local settings only as the signed envelope the admin screen writes
 * (refusing on a managed station the ones that widen trust, and any file changed outside Walkup).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { PolicyFileResult } from '../../../main/core/config/load';
import { parseManagedPreferences } from '../../../main/core/config/policy-sources/macos-managed-preferences';
import type { PolicySourceResult } from '../../../main/core/config/policy-sources/policy-object';
import { registryPolicyFromRegQuery } from '../../../main/core/config/policy-sources/windows-registry';
import { writeSignedSettings } from '../../../main/core/admin/signed-settings';
import type { SettingsStore } from '../../../main/core/ports';
import { loadKioskConfig, policyAllowsInsecureSecretStorage } from '../../../main/electron/config';
import { memorySecretStore, memorySettingsFile } from '../core/admin/fakes';

const fixtures = path.resolve(import.meta.dirname, '../../fixtures/policy');
const regSample = readFileSync(path.join(fixtures, 'reg-query-walkup.txt'), 'utf8');
const registry = 'HKLM\\Software\\Policies\\Walkup';
const notDeployed: PolicySourceResult = { ok: false, code: 'missing', errors: ['not deployed'] };
const noFile = async (file: string): Promise<PolicyFileResult> => ({
  ok: false,
  code: 'missing',
  error: `${file} does not exist`,
});

/** The process's secret store in these tests (the settings key lives in it). */
// A fresh store per test: a settings key left by one test would make another's empty settings
// file "removed outside Walkup".
let secrets = memorySecretStore();
beforeEach(() => {
  secrets = memorySecretStore();
});
const stateDir = '/nonexistent-walkup-state';

/** A settings file holding `value` as the admin screen writes it: signed with the store's key. */
function settings(value: Record<string, unknown>): SettingsStore {
  return {
    read: async () => {
      if (Object.keys(value).length === 0) return undefined;
      const file = memorySettingsFile();
      const written = await writeSignedSettings(file, secrets, value);
      if (!written.ok) throw new Error(written.problem);
      return file.content;
    },
    write: async () => {
      throw new Error('not in this test');
    },
  };
}

// A ProgramData that does not exist here, so `existsSync` never finds a real file.
const env = { ProgramData: '/nonexistent-walkup-test' };
const managedJson = path.win32.join(env.ProgramData, 'Walkup', 'policy.json');

describe('loadKioskConfig reads the managed policy of its platform', () => {
  it('Windows: the registry and policy.json, validated and locked, local settings below', async () => {
    const asked: string[] = [];
    const loaded = await loadKioskConfig({
      argv: ['walkup'],
      isPackaged: true,
      stateDir,
      secrets,
      settings: settings({ station: { locale: 'de', name: 'local' } }),
      platform: 'win32',
      env,
      readers: {
        readRegistry: async () => registryPolicyFromRegQuery(regSample, { ProgramData: 'C:\\ProgramData' }),
        readJson: async (file) => {
          asked.push(file);
          return { ok: true, value: { portal: { port: 9000 } } };
        },
      },
    });
    expect(asked).toEqual([managedJson]);
    expect(loaded).toMatchObject({
      ok: true,
      policyFile: managedJson,
      policySources: [registry, managedJson],
      config: { station: { name: 'IT Helpdesk - Building 4', locale: 'de' }, portal: { port: 9000 } },
    });
    expect(loaded.ok && loaded.locked).toEqual(expect.arrayContaining(['station.name', 'portal.port']));
  });

  it('macOS: computer and user managed preferences of the kiosk account', async () => {
    const asked: string[] = [];
    const xml = readFileSync(path.join(fixtures, 'managed-preferences.xml.plist'));
    const loaded = await loadKioskConfig({
      argv: ['walkup'],
      isPackaged: true,
      stateDir,
      secrets,
      settings: settings({}),
      platform: 'darwin',
      env: {},
      userName: 'kiosk',
      readers: {
        readPlist: async (file) => {
          asked.push(file);
          return file.includes('/kiosk/') ? parseManagedPreferences(xml, file) : notDeployed;
        },
        readJson: noFile,
      },
    });
    expect(asked).toEqual([
      '/Library/Managed Preferences/edu.walkup.station.plist',
      '/Library/Managed Preferences/kiosk/edu.walkup.station.plist',
    ]);
    expect(loaded).toMatchObject({
      ok: true,
      policyFile: undefined,
      policySources: ['/Library/Managed Preferences/kiosk/edu.walkup.station.plist'],
      config: { duo: { sdk: 'v2' } },
    });
  });

  it('a broken deployed source puts the station out of service with its errors', async () => {
    const loaded = await loadKioskConfig({
      argv: ['walkup'],
      isPackaged: true,
      stateDir,
      secrets,
      settings: settings({}),
      platform: 'win32',
      env,
      readers: {
        readRegistry: async () => ({
          ok: false,
          code: 'malformed',
          errors: ['HKLM\\…\\directory: unknown value "x"'],
        }),
        readJson: noFile,
      },
    });
    expect(loaded).toEqual({
      ok: false,
      reason: 'configuration-invalid',
      errors: ['HKLM\\…\\directory: unknown value "x"'],
      policyFile: undefined,
      policySources: [],
    });
  });

  it('an incomplete managed policy waits for configuration, the missing keys listed', async () => {
    const loaded = await loadKioskConfig({
      argv: ['walkup'],
      isPackaged: true,
      stateDir,
      secrets,
      settings: settings({}),
      platform: 'linux',
      env: {},
      readers: {
        readJson: async () => ({
          ok: true,
          value: { directory: { type: 'ad', servers: ['ldaps://dc1.example.com'] } },
        }),
      },
    });
    expect(loaded).toMatchObject({
      ok: false,
      reason: 'waiting-for-configuration',
      missing: ['directory.baseDN', 'duo.apiHost', 'duo.clientId', 'duo.clientSecret'],
      policyFile: '/etc/walkup/policy.json',
      policySources: ['/etc/walkup/policy.json'],
    });
  });

  it('local settings that widen trust put the station out of service naming the keys', async () => {
    const loaded = await loadKioskConfig({
      argv: ['walkup'],
      isPackaged: true,
      stateDir,
      secrets,
      settings: settings({ directory: { type: 'demo', tls: { caFile: '/home/kiosk/ca.pem' } } }),
      platform: 'win32',
      env,
      readers: {
        readRegistry: async () => registryPolicyFromRegQuery(regSample, { ProgramData: 'C:\\ProgramData' }),
        readJson: noFile,
      },
    });
    expect(loaded).toMatchObject({
      ok: false,
      reason: 'configuration-invalid',
      errors: [
        expect.stringMatching(/^directory\.type: /),
        expect.stringMatching(/^directory\.tls\.caFile: /),
      ],
    });
  });

  it('development: --policy alone is the policy (never the machine’s managed sources); a missing one is an error', async () => {
    const file = path.resolve('demo-policy.json');
    const loaded = await loadKioskConfig({
      argv: ['electron', '.', '--policy', 'demo-policy.json'],
      isPackaged: false,
      stateDir,
      secrets,
      settings: settings({}),
      platform: 'win32',
      env,
      readers: {
        readRegistry: () => Promise.reject(new Error('asked the registry')),
        readJson: async (asked) =>
          asked === file
            ? {
                ok: true,
                value: {
                  directory: { type: 'demo' },
                  duo: {
                    apiHost: '127.0.0.1:43123',
                    clientId: 'DIXXXXXXXXXXXXXXXXXX',
                    clientSecret: 'x'.repeat(40),
                    caFile: '/tmp/ca.pem',
                  },
                },
              }
            : noFile(asked),
      },
    });
    expect(loaded).toMatchObject({
      ok: true,
      policyFile: file,
      policySources: [file],
      config: { directory: { type: 'demo' } },
    });

    const missing = await loadKioskConfig({
      argv: ['electron', '.', '--policy', 'demo-policy.json'],
      isPackaged: false,
      stateDir,
      secrets,
      settings: settings({}),
      platform: 'linux',
      env: {},
      readers: { readJson: noFile },
    });
    expect(missing).toEqual({
      ok: false,
      reason: 'configuration-invalid',
      errors: [`${file} does not exist`],
      policyFile: file,
      policySources: [],
    });
  });
});

describe('loadKioskConfig: first run, the settings file and the secret store', () => {
  const linux = { platform: 'linux' as const, env: {}, readers: { readJson: noFile } };

  it('with no policy and no local settings the station is setup-required (its gate offers setup)', async () => {
    const loaded = await loadKioskConfig({
      argv: ['walkup'],
      isPackaged: true,
      stateDir,
      secrets,
      settings: settings({}),
      ...linux,
    });
    expect(loaded).toMatchObject({
      ok: false,
      reason: 'setup-required',
      sources: { policy: {}, local: {}, managed: false, settingsProblems: [] },
    });
    expect(loaded.secretStore).toBe(secrets);
  });

  it('runs an unmanaged station on the signed local settings alone, trust-widening keys included', async () => {
    const loaded = await loadKioskConfig({
      argv: ['walkup'],
      isPackaged: true,
      stateDir,
      secrets,
      settings: settings({
        directory: { type: 'demo' },
        duo: {
          apiHost: '127.0.0.1:43123',
          clientId: 'DIXXXXXXXXXXXXXXXXXX',
          clientSecret: { vault: 'duo.clientSecret' },
          caFile: '/etc/walkup/duo-ca.pem',
        },
      }),
      ...linux,
    });
    expect(loaded).toMatchObject({
      ok: true,
      config: { duo: { caFile: '/etc/walkup/duo-ca.pem' } },
      locked: [],
    });
    expect(loaded.sources?.managed).toBe(false);
  });

  it('refuses a settings file changed outside Walkup, naming the problem and no value', async () => {
    const file = memorySettingsFile();
    expect((await writeSignedSettings(file, secrets, { station: { name: 'Desk 4' } })).ok).toBe(true);
    (file.content as { settings: { station: { name: string } } }).settings.station.name = 'Changed by hand';
    const loaded = await loadKioskConfig({
      argv: ['walkup'],
      isPackaged: true,
      stateDir,
      secrets,
      settings: file,
      ...linux,
    });
    expect(loaded).toMatchObject({ ok: false, reason: 'configuration-invalid' });
    expect(!loaded.ok && loaded.errors.join('\n')).toMatch(/changed outside Walkup/);
    expect(JSON.stringify(loaded)).not.toContain('Changed by hand');
    expect(loaded.sources?.settingsProblems).toEqual([expect.stringMatching(/changed outside Walkup/)]);
  });

  it('takes the insecure secret storage switch from the policy only', () => {
    expect(policyAllowsInsecureSecretStorage({ kiosk: { allowInsecureSecretStorage: true } })).toBe(true);
    expect(policyAllowsInsecureSecretStorage({ kiosk: { allowInsecureSecretStorage: 'true' } })).toBe(false);
    expect(policyAllowsInsecureSecretStorage({ kiosk: {} })).toBe(false);
    expect(policyAllowsInsecureSecretStorage({})).toBe(false);
  });
});
