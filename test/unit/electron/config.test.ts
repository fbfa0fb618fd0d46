/**
 * loadKioskConfig: the kiosk reads every managed source of its platform (injected readers on the
 * captured samples), `--policy` alone in development, and refuses local settings that widen trust.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PolicyFileResult } from '../../../main/core/config/load';
import { parseManagedPreferences } from '../../../main/core/config/policy-sources/macos-managed-preferences';
import type { PolicySourceResult } from '../../../main/core/config/policy-sources/policy-object';
import { registryPolicyFromRegQuery } from '../../../main/core/config/policy-sources/windows-registry';
import type { SettingsStore } from '../../../main/core/ports';
import { loadKioskConfig } from '../../../main/electron/config';

const fixtures = path.resolve(import.meta.dirname, '../../fixtures/policy');
const regSample = readFileSync(path.join(fixtures, 'reg-query-walkup.txt'), 'utf8');
const registry = 'HKLM\\Software\\Policies\\Walkup';
const notDeployed: PolicySourceResult = { ok: false, code: 'missing', errors: ['not deployed'] };
const noFile = async (file: string): Promise<PolicyFileResult> => ({
  ok: false,
  code: 'missing',
  error: `${file} does not exist`,
});

function settings(value: Record<string, unknown>): SettingsStore {
  return {
    read: async () => value,
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
