import { describe, expect, it } from 'vitest';
import { mergeManagedPolicies } from '../../../../../main/core/config/policy-sources/merge';

const registry = 'HKLM\\Software\\Policies\\Walkup';
const file = 'C:\\ProgramData\\Walkup\\policy.json';

describe('merging managed policy sources: they must agree', () => {
  it('takes each key from the source that sets it', () => {
    const result = mergeManagedPolicies([
      { name: registry, value: { directory: { type: 'ad', tls: { caFile: 'C:\\ca.pem' } } } },
      {
        name: file,
        value: { directory: { baseDN: 'DC=corp,DC=example', tls: { startTLS: true } }, kiosk: {} },
      },
    ]);
    expect(result).toEqual({
      ok: true,
      value: {
        directory: {
          type: 'ad',
          baseDN: 'DC=corp,DC=example',
          tls: { caFile: 'C:\\ca.pem', startTLS: true },
        },
        kiosk: {},
      },
      sources: [registry, file],
    });
  });

  it('accepts a key set to the same value by several sources, lists and references included', () => {
    const value = {
      directory: { servers: ['ldaps://dc1', 'ldaps://dc2'], bindPassword: { file: 'C:\\pw' } },
      duo: { sdk: 'v4', apiHost: 'api-1.duosecurity.com' },
    };
    const result = mergeManagedPolicies([
      { name: registry, value },
      { name: file, value: structuredClone(value) },
    ]);
    expect(result).toEqual({ ok: true, value, sources: [registry, file] });
  });

  it('refuses a key set differently, naming the key and both sources but not the values', () => {
    const result = mergeManagedPolicies([
      { name: registry, value: { station: { name: 'Kiosk A' }, directory: { servers: ['ldaps://dc1'] } } },
      {
        name: file,
        value: { station: { name: 'Kiosk B' }, directory: { servers: ['ldaps://dc1', 'ldaps://dc2'] } },
      },
    ]);
    expect(result).toEqual({
      ok: false,
      errors: [
        `station.name: set differently by ${registry} and ${file}; managed sources must agree (remove it from one)`,
        `directory.servers: set differently by ${registry} and ${file}; managed sources must agree (remove it from one)`,
      ],
    });
    expect(JSON.stringify(result)).not.toMatch(/Kiosk A|Kiosk B/);
  });

  it('treats a secret reference as one value: file in one source and env in another is a conflict', () => {
    const result = mergeManagedPolicies([
      { name: registry, value: { duo: { clientSecret: { file: 'C:\\s' } } } },
      { name: file, value: { duo: { clientSecret: { env: 'DUO_SECRET' } } } },
    ]);
    expect(result).toEqual({
      ok: false,
      errors: [
        `duo.clientSecret: set differently by ${registry} and ${file}; managed sources must agree (remove it from one)`,
      ],
    });
  });

  it('refuses two Duo SDKs, counting an absent sdk as v4', () => {
    const result = mergeManagedPolicies([
      { name: registry, value: { duo: { apiHost: 'api-1.duosecurity.com' } } },
      { name: file, value: { duo: { sdk: 'v2', ikey: 'DIXXXXXXXXXXXXXXXXXX' } } },
    ]);
    expect(result).toEqual({
      ok: false,
      errors: [`duo.sdk: ${registry} and ${file} configure different Duo SDKs; managed sources must agree`],
    });
    expect(
      mergeManagedPolicies([
        { name: registry, value: { duo: { apiHost: 'api-1.duosecurity.com' } } },
        { name: file, value: { duo: { sdk: 'v4', clientId: 'DIXXXXXXXXXXXXXXXXXX' } } },
      ]),
    ).toMatchObject({ ok: true, value: { duo: { sdk: 'v4', apiHost: 'api-1.duosecurity.com' } } });
  });

  it('refuses a section in one source that is a plain value in another', () => {
    const result = mergeManagedPolicies([
      { name: registry, value: { directory: { tls: { caFile: 'C:\\ca.pem' } } } },
      { name: file, value: { directory: { tls: 'strict' } } },
    ]);
    expect(result).toEqual({
      ok: false,
      errors: [
        `directory.tls: set differently by ${registry} and ${file}; managed sources must agree (remove it from one)`,
      ],
    });
  });

  it('leaves out sources with no keys, and merges nothing to an empty policy', () => {
    expect(mergeManagedPolicies([])).toEqual({ ok: true, value: {}, sources: [] });
    expect(
      mergeManagedPolicies([
        { name: registry, value: {} },
        { name: file, value: { kiosk: { allowSecurityKeys: true } } },
      ]),
    ).toEqual({ ok: true, value: { kiosk: { allowSecurityKeys: true } }, sources: [file] });
  });

  it('never lets a __proto__ key reach the merged object', () => {
    const hostile = JSON.parse('{"__proto__": {"polluted": true}, "station": {"name": "x"}}') as Record<
      string,
      unknown
    >;
    const result = mergeManagedPolicies([{ name: file, value: hostile }]);
    expect(result).toEqual({ ok: true, value: { station: { name: 'x' } }, sources: [file] });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
