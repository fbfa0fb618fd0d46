/**
 * loadManagedConfig: every managed source of the platform (injected readers on the captured
 * samples in test/fixtures/policy/) validated and locked as the policy file is; a broken source
 * refuses the configuration; an incomplete managed policy waits for configuration.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PolicyFileResult } from '../../../../main/core/config/load';
import { loadManagedConfig } from '../../../../main/core/config/load-managed';
import { parseManagedPreferences } from '../../../../main/core/config/policy-sources/macos-managed-preferences';
import type { PolicySourceResult } from '../../../../main/core/config/policy-sources/policy-object';
import { registryPolicyFromRegQuery } from '../../../../main/core/config/policy-sources/windows-registry';
import { configurationGaps } from '../../../../main/core/config/required-keys';

const fixtures = path.resolve(import.meta.dirname, '../../../fixtures/policy');
const regSample = readFileSync(path.join(fixtures, 'reg-query-walkup.txt'), 'utf8');
const registry = 'HKLM\\Software\\Policies\\Walkup';
const policyJson = 'C:\\ProgramData\\Walkup\\policy.json';
const computerPlist = '/Library/Managed Preferences/edu.walkup.station.plist';
const notDeployed: PolicySourceResult = { ok: false, code: 'missing', errors: ['not deployed'] };
const noFile = async (file: string): Promise<PolicyFileResult> => ({
  ok: false as const,
  code: 'missing' as const,
  error: `${file} does not exist`,
});

/** The registry sample without the keys under `…\Walkup\<section>` (a policy an IT team has not finished). */
function regSampleWithout(section: string): string {
  return regSample
    .split(/\r?\n\r?\n/)
    .filter((block) => !block.startsWith(`HKEY_LOCAL_MACHINE\\Software\\Policies\\Walkup\\${section}`))
    .join('\r\n\r\n');
}

function windows(regText: string, json = noFile) {
  return {
    platform: 'win32' as const,
    policyFile: policyJson,
    readers: {
      readRegistry: async () => registryPolicyFromRegQuery(regText, { ProgramData: 'C:\\ProgramData' }),
      readJson: json,
    },
  };
}

describe('loadManagedConfig', () => {
  it('Windows: the registry sample is validated and locked like policy.json, over local settings', async () => {
    const loaded = await loadManagedConfig({
      ...windows(regSample),
      local: { station: { name: 'local', locale: 'de' } },
    });
    expect(loaded).toMatchObject({
      ok: true,
      policySources: [registry],
      config: {
        station: { name: 'IT Helpdesk - Building 4', locale: 'de' },
        directory: { tls: { caFile: 'C:\\ProgramData\\Walkup\\corp-root-ca.pem', minVersion: 'TLSv1.3' } },
        duo: { sdk: 'v4', clientId: 'DIXXXXXXXXXXXXXXXXXX' },
      },
    });
    expect(loaded.locked).toEqual(
      expect.arrayContaining(['station.name', 'directory.tls.caFile', 'directory.servers']),
    );
    expect(loaded.locked).not.toContain('station.locale');
  });

  it('macOS: the binary managed preferences sample, v2 Duo, a policy-only switch from policy accepted', async () => {
    const binary = readFileSync(path.join(fixtures, 'managed-preferences.binary.plist'));
    const loaded = await loadManagedConfig({
      platform: 'darwin',
      userName: 'kiosk',
      policyFile: '/Library/Application Support/Walkup/policy.json',
      readers: {
        readPlist: async (file) =>
          file === computerPlist ? parseManagedPreferences(binary, file) : notDeployed,
        readJson: noFile,
      },
      local: { kiosk: { allowSecurityKeys: false } },
    });
    expect(loaded).toMatchObject({
      ok: true,
      policySources: [computerPlist],
      config: {
        duo: { sdk: 'v2' },
        kiosk: { allowSecurityKeys: true },
        station: { name: 'Front desk kiosk' },
      },
    });
  });

  it('refuses local settings that widen trust under a managed policy, naming the keys', async () => {
    const loaded = await loadManagedConfig({
      ...windows(regSample),
      local: { duo: { caFile: 'C:\\Users\\kiosk\\ca.pem' }, directory: { throttling: { minFailureMs: 10 } } },
    });
    expect(loaded).toMatchObject({
      ok: false,
      reason: 'configuration-invalid',
      errors: [
        expect.stringMatching(/^directory\.throttling\.minFailureMs: /),
        expect.stringMatching(/^duo\.caFile: /),
      ],
    });
  });

  it('an error in any deployed source refuses the configuration with every problem', async () => {
    const broken = await loadManagedConfig({
      platform: 'win32',
      policyFile: policyJson,
      readers: {
        readRegistry: async () => ({ ok: false, code: 'timeout', errors: ['reg.exe did not answer'] }),
        readJson: async () => ({
          ok: false,
          code: 'invalid-json',
          error: `${policyJson} is not valid JSON: line 1`,
        }),
      },
      local: { station: { name: 'x' } },
    });
    expect(broken).toEqual({
      ok: false,
      reason: 'configuration-invalid',
      errors: ['reg.exe did not answer', `${policyJson} is not valid JSON: line 1`],
      locked: [],
      policySources: [],
    });
    const conflict = await loadManagedConfig(
      windows(regSample, async () => ({ ok: true, value: { station: { name: 'Other' } } })),
    );
    expect(conflict).toMatchObject({
      ok: false,
      reason: 'configuration-invalid',
      errors: [expect.stringMatching(/^station\.name: set differently by /)],
    });
    // A value the schema refuses, from the registry, is a configuration error naming the key.
    const invalid = await loadManagedConfig(windows(regSample.replace('0x5a', '0x1')));
    expect(invalid).toMatchObject({
      ok: false,
      reason: 'configuration-invalid',
      errors: [expect.stringMatching(/^station\.idle\.signInSeconds: /)],
    });
  });
});

describe('waiting for configuration', () => {
  it('a managed policy without its Duo section waits, listing the keys it lacks', async () => {
    const loaded = await loadManagedConfig(windows(regSampleWithout('duo')));
    expect(loaded).toMatchObject({
      ok: false,
      reason: 'waiting-for-configuration',
      missing: ['duo.apiHost', 'duo.clientId', 'duo.clientSecret'],
      policySources: [registry],
    });
  });

  it('lists every required key of an almost empty policy, the directory probed as a real one', async () => {
    const loaded = await loadManagedConfig(
      windows('', async () => ({
        ok: true,
        value: { station: { name: 'Lobby' }, duo: { sdk: 'v2', ikey: 'DIXXXXXXXXXXXXXXXXXX' } },
      })),
    );
    expect(loaded).toMatchObject({
      ok: false,
      reason: 'waiting-for-configuration',
      missing: [
        'directory.baseDN',
        'directory.servers',
        'directory.type',
        'duo.akey',
        'duo.apiHost',
        'duo.skey',
      ],
    });
  });

  it('a managed policy that sets no required key at all is a first run: setup-required, the keys listed', async () => {
    const loaded = await loadManagedConfig(
      windows('', async () => ({ ok: true, value: { station: { name: 'Lobby' }, duo: { sdk: 'v2' } } })),
    );
    expect(loaded).toMatchObject({
      ok: false,
      reason: 'setup-required',
      missing: [
        'directory.baseDN',
        'directory.servers',
        'directory.type',
        'duo.akey',
        'duo.apiHost',
        'duo.ikey',
        'duo.skey',
      ],
    });
  });

  it('local settings may complete a managed policy', async () => {
    const loaded = await loadManagedConfig({
      ...windows(regSampleWithout('duo')),
      local: {
        duo: {
          apiHost: 'api-1234abcd.duosecurity.com',
          clientId: 'DIXXXXXXXXXXXXXXXXXX',
          clientSecret: { env: 'DUO' },
        },
      },
    });
    expect(loaded).toMatchObject({ ok: true });
  });

  it('a wrong value besides the missing keys is an invalid configuration; no configuration at all is a first run', async () => {
    const wrong = await loadManagedConfig(windows(regSampleWithout('duo').replace('0x5a', '0x1')));
    expect(wrong).toMatchObject({ ok: false, reason: 'configuration-invalid' });
    expect(wrong).not.toHaveProperty('missing');
    // First run on an unmanaged station: the kiosk offers the setup flow.
    const nothing = await loadManagedConfig({
      platform: 'linux',
      policyFile: '/etc/walkup/policy.json',
      readers: { readJson: noFile },
    });
    expect(nothing).toMatchObject({ ok: false, reason: 'setup-required', policySources: [] });
  });

  it('configurationGaps tells missing keys from wrong values', () => {
    expect(
      configurationGaps({ directory: { type: 'openldap', baseDN: 'dc=x' }, duo: { sdk: 'v4' } }),
    ).toEqual({
      missing: ['directory.servers', 'duo.apiHost', 'duo.clientId', 'duo.clientSecret'],
      otherProblems: false,
    });
    expect(configurationGaps({ directory: { type: 'nope' } })).toMatchObject({ otherProblems: true });
    expect(
      configurationGaps({
        directory: { type: 'ad', servers: ['ldaps://dc1'], baseDN: 'dc=x', bindDN: 'cn=svc,dc=x' },
        duo: { apiHost: 'api-1.duosecurity.com', clientId: 'DIXXXXXXXXXXXXXXXXXX', clientSecret: 's' },
      }),
    ).toEqual({ missing: ['directory.bindPassword'], otherProblems: false });
  });
});
