/**
 * Local settings cannot weaken a station (issue #11): the one table of trust-widening keys, and
 * loadConfig refusing a local settings object that sets one.
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../../main/core/config/load';
import { policyKeys } from '../../../../main/core/config/policy-sources/policy-keys';
import { localTrustProblems, trustRules } from '../../../../main/core/config/trust-keys';

const directory = { type: 'openldap', servers: ['ldaps://dc1.example.test'], baseDN: 'dc=example,dc=test' };
const duo = {
  apiHost: 'api-12345678.duosecurity.com',
  clientId: 'DIXXXXXXXXXXXXXXXXXX',
  clientSecret: { env: 'DUO' },
};

/** Words of a dotted camelCase path, lower case: `directory.tls.useSystemCA` -> directory, tls, use, system, ca. */
function words(path: string): string[] {
  return path
    .split('.')
    .flatMap((segment) =>
      segment
        .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
        .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
        .split(' '),
    )
    .map((word) => word.toLowerCase());
}

const TRUST_WORDS = new Set([
  'ca',
  'tls',
  'insecure',
  'secure',
  'security',
  'trust',
  'demo',
  'cert',
  'certificate',
  'transport',
]);

/** Whether a schema key looks trust-related by its name or its values. */
function looksTrustRelated(key: { path: string; values?: readonly string[] }): boolean {
  const pathWords = words(key.path);
  return (
    pathWords.some(
      (word) => TRUST_WORDS.has(word) || word.startsWith('throttl') || word.startsWith('secur'),
    ) ||
    key.path
      .toLowerCase()
      .replace(/[^a-z]/g, '')
      .includes('servername') ||
    (key.values ?? []).some((value) => /demo|tls|insecure/i.test(value))
  );
}

describe('the table of trust-widening keys', () => {
  it('classifies every schema key whose name or values look trust-related', () => {
    const unclassified = policyKeys()
      .filter((key) => looksTrustRelated(key))
      .map((key) => key.path)
      .filter((path) => !Object.hasOwn(trustRules, path));
    expect(unclassified).toEqual([]);
  });

  it('names only keys the schema has', () => {
    const known = new Set(policyKeys().map((key) => key.path));
    expect(Object.keys(trustRules).filter((path) => !known.has(path))).toEqual([]);
  });

  it('the name test itself sees the classes the issue names (so the first test can fail)', () => {
    for (const path of [
      'duo.caFile',
      'directory.tls.useSystemCA',
      'directory.allowInsecure',
      'directory.throttling.minFailureMs',
      'portal.trustProxy',
      'x.newCertFile',
    ]) {
      expect(looksTrustRelated({ path }), path).toBe(true);
    }
    expect(looksTrustRelated({ path: 'directory.type', values: ['ad', 'openldap', 'demo'] })).toBe(true);
    expect(looksTrustRelated({ path: 'station.locale' })).toBe(false);
    expect(looksTrustRelated({ path: 'directory.servers' })).toBe(false);
  });
});

describe('local settings that would widen trust', () => {
  it('are refused, each key named: CA files, server names, the audit destination', () => {
    const problems = localTrustProblems(
      {
        directory: { tls: { caFile: '/home/kiosk/evil-ca.pem', servername: 'other.example' } },
        duo: { caFile: '/home/kiosk/evil-ca.pem' },
        audit: { file: '/tmp/audit.jsonl' },
      },
      undefined,
    );
    expect(problems.map((line) => line.split(':')[0])).toEqual([
      'directory.tls.caFile',
      'directory.tls.servername',
      'duo.caFile',
      'audit.file',
    ]);
    expect(problems[0]).toMatch(/local settings may not set this key .*only managed policy may set it$/);
    // Paths are named by key, never repeated.
    expect(problems.join('\n')).not.toContain('evil-ca.pem');
  });

  it('refuses switches that loosen, accepts those that tighten or repeat the default', () => {
    expect(
      localTrustProblems(
        {
          directory: { allowInsecure: true, tls: { minVersion: 'TLSv1.2', useSystemCA: true } },
          kiosk: { allowInsecureSecretStorage: true },
        },
        undefined,
      ).map((line) => line.split(':')[0]),
    ).toEqual(['directory.allowInsecure', 'kiosk.allowInsecureSecretStorage']);
    expect(
      localTrustProblems(
        {
          directory: {
            allowInsecure: false,
            tls: { minVersion: 'TLSv1.3', useSystemCA: false, startTLS: true },
          },
        },
        undefined,
      ),
    ).toEqual([]);
    // Below a policy that chose TLS 1.3, TLS 1.2 loosens.
    expect(
      localTrustProblems(
        { directory: { tls: { minVersion: 'TLSv1.2' } } },
        { directory: { tls: { minVersion: 'TLSv1.3' } } },
      ),
    ).toEqual([
      'directory.tls.minVersion: local settings may not loosen "TLSv1.3" (the managed policy) to "TLSv1.2" (an older TLS version); only managed policy may set it',
    ]);
  });

  it('refuses throttling above the defaults (or the policy), accepts stricter throttling', () => {
    const looser = localTrustProblems(
      {
        directory: {
          throttling: {
            perUser: { maxFailures: 50, windowSeconds: 60, lockoutSeconds: 1 },
            minFailureMs: 0,
          },
        },
      },
      undefined,
    );
    expect(looser).toEqual([
      'directory.throttling.perUser.maxFailures: local settings may not loosen 3 (the default) to 50 (more failures allowed before a cool-down); only managed policy may set it',
      'directory.throttling.perUser.windowSeconds: local settings may not loosen 1800 (the default) to 60 (failures forgotten sooner); only managed policy may set it',
      'directory.throttling.perUser.lockoutSeconds: local settings may not loosen 900 (the default) to 1 (a shorter cool-down); only managed policy may set it',
      'directory.throttling.minFailureMs: local settings may not loosen 1500 (the default) to 0 (a faster answer to a failed sign-in (timing tells which usernames exist)); only managed policy may set it',
    ]);
    expect(
      localTrustProblems(
        {
          directory: {
            throttling: { perUser: { maxFailures: 2, windowSeconds: 3600, lockoutSeconds: 1800 } },
          },
        },
        undefined,
      ),
    ).toEqual([]);
    // A policy that allows 5 failures: 4 locally is stricter, fine.
    expect(
      localTrustProblems(
        { directory: { throttling: { perStation: { maxFailures: 4 } } } },
        { directory: { throttling: { perStation: { maxFailures: 5 } } } },
      ),
    ).toEqual([]);
  });

  it('refuses the demo directory and more account conditions told, but not a real directory type', () => {
    expect(localTrustProblems({ directory: { type: 'demo' } }, undefined)).toEqual([
      'directory.type: local settings may not choose "demo" (the demo directory signs in made-up people without a directory); only managed policy may set it',
    ]);
    expect(localTrustProblems({ directory: { type: 'ad' } }, undefined)).toEqual([]);
    expect(
      localTrustProblems(
        { directory: { showConditions: ['account-disabled', 'password-expired'] } },
        undefined,
      ),
    ).toEqual([
      "directory.showConditions: local settings may not add account-disabled to the default's list (telling a condition confirms the password was right); only managed policy may set it",
    ]);
    expect(localTrustProblems({ directory: { showConditions: [] } }, undefined)).toEqual([]);
  });

  it('loadConfig refuses the whole configuration (configuration-invalid), even when policy sets the rest', () => {
    const refused = loadConfig({
      policy: { directory, duo },
      local: {
        station: { name: 'Lobby' },
        duo: { caFile: '/home/kiosk/ca.pem' },
        directory: { allowInsecure: true },
      },
    });
    expect(refused).toMatchObject({
      ok: false,
      reason: 'configuration-invalid',
      errors: [expect.stringMatching(/^directory\.allowInsecure: /), expect.stringMatching(/^duo\.caFile: /)],
    });
    // The same keys from managed policy are the admin's decision.
    expect(
      loadConfig({
        policy: {
          directory: { ...directory, allowInsecure: true },
          duo: { ...duo, caFile: '/etc/walkup/ca.pem' },
        },
        local: { station: { name: 'Lobby' } },
      }),
    ).toMatchObject({
      ok: true,
      config: { station: { name: 'Lobby' }, duo: { caFile: '/etc/walkup/ca.pem' } },
    });
    // Harmless local settings still load.
    expect(
      loadConfig({ policy: { directory, duo }, local: { station: { idle: { duoSeconds: 600 } } } }),
    ).toMatchObject({
      ok: true,
    });
  });
});
