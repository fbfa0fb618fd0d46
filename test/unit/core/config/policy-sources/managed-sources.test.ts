import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../../../main/core/config/load';
import { readManagedPolicy } from '../../../../../main/core/config/policy-sources/managed-sources';
import { parseManagedPreferences } from '../../../../../main/core/config/policy-sources/macos-managed-preferences';
import { registryPolicyFromRegQuery } from '../../../../../main/core/config/policy-sources/windows-registry';
import type { PolicySourceResult } from '../../../../../main/core/config/policy-sources/policy-object';

const fixtures = path.resolve(import.meta.dirname, '../../../../fixtures/policy');
const missing: PolicySourceResult = { ok: false, code: 'missing', errors: ['not deployed'] };
const registry = 'HKLM\\Software\\Policies\\Walkup';
const computerPlist = '/Library/Managed Preferences/edu.walkup.station.plist';
const userPlist = '/Library/Managed Preferences/kiosk/edu.walkup.station.plist';

describe('readManagedPolicy: every managed source of the platform, merged', () => {
  it('Windows: the registry sample and policy.json together, keys from both', async () => {
    const read = await readManagedPolicy({
      platform: 'win32',
      policyFile: 'C:\\ProgramData\\Walkup\\policy.json',
      readers: {
        readRegistry: async () =>
          registryPolicyFromRegQuery(readFileSync(path.join(fixtures, 'reg-query-walkup.txt'), 'utf8'), {
            ProgramData: 'C:\\ProgramData',
          }),
        readJson: async () => ({ ok: true, value: { portal: { port: 9000 }, station: { locale: 'de' } } }),
      },
    });
    expect(read).toMatchObject({
      ok: true,
      sources: [registry, 'C:\\ProgramData\\Walkup\\policy.json'],
      value: {
        portal: { port: 9000 },
        station: { locale: 'de', name: 'IT Helpdesk - Building 4' },
        duo: { sdk: 'v4' },
      },
    });
  });

  it('macOS: computer- and user-level managed preferences and the file; nothing deployed is an empty policy', async () => {
    const asked: string[] = [];
    const binary = readFileSync(path.join(fixtures, 'managed-preferences.binary.plist'));
    const read = await readManagedPolicy({
      platform: 'darwin',
      userName: 'kiosk',
      policyFile: '/Library/Application Support/Walkup/policy.json',
      readers: {
        readPlist: async (file) => {
          asked.push(file);
          return file === computerPlist ? parseManagedPreferences(binary, file) : missing;
        },
        readJson: async (file) => ({ ok: false, code: 'missing', error: `${file} does not exist` }),
      },
    });
    expect(asked).toEqual([computerPlist, userPlist]);
    expect(read).toMatchObject({ ok: true, sources: [computerPlist], value: { duo: { sdk: 'v2' } } });

    const nothing = await readManagedPolicy({
      platform: 'darwin',
      readers: { readPlist: async () => missing },
    });
    expect(nothing).toEqual({ ok: true, value: {}, sources: [] });
  });

  it('Linux: only the file; the registry and managed preferences are never asked', async () => {
    const read = await readManagedPolicy({
      platform: 'linux',
      policyFile: '/etc/walkup/policy.json',
      readers: {
        readRegistry: () => Promise.reject(new Error('asked the registry')),
        readPlist: () => Promise.reject(new Error('asked for a plist')),
        readJson: async () => ({ ok: true, value: { kiosk: { allowSecurityKeys: true } } }),
      },
    });
    expect(read).toEqual({
      ok: true,
      value: { kiosk: { allowSecurityKeys: true } },
      sources: ['/etc/walkup/policy.json'],
    });
  });

  it('fails with every source’s problems when any deployed source is broken: never part of a policy', async () => {
    const read = await readManagedPolicy({
      platform: 'win32',
      policyFile: 'C:\\ProgramData\\Walkup\\policy.json',
      readers: {
        readRegistry: async () => ({ ok: false, code: 'timeout', errors: ['reg.exe did not answer'] }),
        readJson: async () => ({
          ok: false,
          code: 'invalid-json',
          error: 'policy.json is not valid JSON: line 1',
        }),
      },
    });
    expect(read).toEqual({
      ok: false,
      errors: ['reg.exe did not answer', 'policy.json is not valid JSON: line 1'],
    });
  });

  it('fails on a conflict between sources, and on a reader that throws', async () => {
    const conflict = await readManagedPolicy({
      platform: 'win32',
      policyFile: 'C:\\ProgramData\\Walkup\\policy.json',
      readers: {
        readRegistry: async () => ({ ok: true, value: { station: { name: 'A' } } }),
        readJson: async () => ({ ok: true, value: { station: { name: 'B' } } }),
      },
    });
    expect(conflict).toEqual({
      ok: false,
      errors: [
        `station.name: set differently by ${registry} and C:\\ProgramData\\Walkup\\policy.json; managed sources must agree (remove it from one)`,
      ],
    });
    const thrown = await readManagedPolicy({
      platform: 'win32',
      readers: { readRegistry: () => Promise.reject(new Error('boom')) },
    });
    expect(thrown).toEqual({ ok: false, errors: ['a managed policy reader failed: boom'] });
  });

  it('gives loadConfig a policy source as the policy file does today: validated, its keys locked', async () => {
    const read = await readManagedPolicy({
      platform: 'win32',
      readers: {
        readRegistry: async () =>
          registryPolicyFromRegQuery(readFileSync(path.join(fixtures, 'reg-query-walkup.txt'), 'utf8'), {
            ProgramData: 'C:\\ProgramData',
          }),
      },
    });
    if (!read.ok) throw new Error(read.errors.join('; '));
    const loaded = loadConfig({ policy: read.value, local: { station: { name: 'local name' } } });
    expect(loaded).toMatchObject({ ok: true, config: { station: { name: 'IT Helpdesk - Building 4' } } });
    expect(loaded.locked).toContain('directory.tls.caFile');
    expect(loaded.locked).toContain('duo.clientSecret.file');
  });
});
