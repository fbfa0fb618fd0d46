import { describe, expect, it } from 'vitest';
import { configSchema } from '../../../../../main/core/config/schema';
import {
  matchPolicyPath,
  policyKeys,
  policySections,
} from '../../../../../main/core/config/policy-sources/policy-keys';

/** Leaf paths of a parsed configuration (secret references are objects with one key). */
function leafPaths(value: unknown, prefix: string[] = []): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [prefix.join('.')];
  const names = Object.keys(value);
  if (names.length === 1 && (names[0] === 'file' || names[0] === 'env')) return [prefix.join('.')];
  return Object.entries(value).flatMap(([name, child]) => leafPaths(child, [...prefix, name]));
}

describe('policy keys derived from the configuration schema', () => {
  it('hold every key a parsed configuration has, for both Duo SDKs (secrets as one key)', () => {
    const base = {
      station: { stateDirectory: '/var/lib/walkup' },
      branding: { logoFile: '/logo.svg', welcomeText: 'Welcome.', helpdesk: 'Room 1.04' },
      directory: {
        type: 'openldap',
        servers: ['ldaps://ldap.example.org'],
        baseDN: 'dc=example,dc=org',
        bindDN: 'cn=walkup,dc=example,dc=org',
        bindPassword: { env: 'PW' },
        userFilter: '(uid={username})',
        groupBaseDN: 'dc=example,dc=org',
        passwordPolicyDN: 'cn=default,dc=example,dc=org',
        tls: { caFile: '/ca.pem', servername: 'ldap.example.org' },
      },
      portal: { publicUrl: 'https://walkup.example.org' },
      audit: {
        file: '/var/log/walkup.jsonl',
        usernameHashKey: { file: '/k' },
        syslog: {
          host: 'syslog.example.org',
          port: 6514,
          caFile: '/s.pem',
          serverName: 'syslog.example.org',
        },
      },
    };
    const v4 = configSchema.parse({
      ...base,
      duo: {
        apiHost: 'api-1.duosecurity.com',
        clientId: 'DIXXXXXXXXXXXXXXXXXX',
        clientSecret: { env: 'S' },
        caFile: '/duo.pem',
      },
    });
    const v2 = configSchema.parse({
      ...base,
      duo: {
        sdk: 'v2',
        apiHost: 'api-1.duosecurity.com',
        ikey: 'DIXXXXXXXXXXXXXXXXXX',
        skey: { env: 'S' },
        akey: { env: 'A' },
      },
    });
    const fromConfigs = new Set([...leafPaths(v4), ...leafPaths(v2)]);
    expect(new Set(policyKeys().map((key) => key.path))).toEqual(fromConfigs);
  });

  it('give each key its kind, bounds and default from the schema', () => {
    const byPath = new Map(policyKeys().map((key) => [key.path, key]));
    expect(byPath.get('directory.type')).toMatchObject({ kind: 'enum', values: ['ad', 'openldap', 'demo'] });
    expect(byPath.get('directory.timeouts.connectMs')).toMatchObject({
      kind: 'integer',
      minimum: 100,
      maximum: 60_000,
      default: 3000,
    });
    expect(byPath.get('audit.minHistoryHours')).toMatchObject({ kind: 'number', default: 24 });
    expect(byPath.get('directory.servers')).toMatchObject({ kind: 'string-list', default: [] });
    expect(byPath.get('directory.showConditions')).toMatchObject({ kind: 'enum-list' });
    expect(byPath.get('kiosk.allowSecurityKeys')).toMatchObject({ kind: 'boolean', default: false });
    expect(byPath.get('duo.sdk')).toMatchObject({ kind: 'enum', values: ['v4', 'v2'] });
    expect(byPath.get('duo.clientSecret')).toMatchObject({ kind: 'secret', sdk: 'v4' });
    expect(byPath.get('duo.akey')).toMatchObject({ kind: 'secret', sdk: 'v2' });
    expect(byPath.get('duo.apiHost')?.sdk).toBeUndefined();
    expect(byPath.get('directory.bindPassword')).toMatchObject({ kind: 'secret' });
  });

  it('list the sections below the root', () => {
    expect(policySections().map((section) => section.path)).toEqual([
      'station',
      'station.idle',
      'branding',
      'directory',
      'directory.tls',
      'directory.timeouts',
      'directory.throttling',
      'directory.throttling.perUser',
      'directory.throttling.perStation',
      'directory.throttling.allClients',
      'duo',
      'portal',
      'audit',
      'audit.syslog',
      'kiosk',
      'admin',
    ]);
  });

  it('match paths exactly, or ignoring case when asked', () => {
    expect(matchPolicyPath(['directory', 'tls', 'caFile'])).toMatchObject({ kind: 'key' });
    expect(matchPolicyPath(['Directory', 'TLS', 'cafile'])).toEqual({ kind: 'unknown' });
    expect(matchPolicyPath(['Directory', 'TLS', 'cafile'], { ignoreCase: true })).toMatchObject({
      kind: 'key',
      key: { path: 'directory.tls.caFile' },
    });
    expect(matchPolicyPath(['directory', 'tls'])).toMatchObject({
      kind: 'section',
      section: { path: 'directory.tls' },
    });
    expect(matchPolicyPath([])).toEqual({ kind: 'unknown' });
  });
});
