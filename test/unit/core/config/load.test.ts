import { mkdtemp, rm, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  describeJsonError,
  isLocked,
  loadConfig,
  loadConfigFiles,
  mergeConfigSources,
  readPolicyFile,
} from '../../../../main/core/config/load';

const directory = { type: 'openldap', servers: ['ldaps://dc1.example.test'], baseDN: 'dc=example,dc=test' };
const duo = {
  apiHost: 'api-12345678.duosecurity.com',
  clientId: 'DIXXXXXXXXXXXXXXXXXX',
  clientSecret: { env: 'DUO' },
};

describe('Duo API host', () => {
  it('takes a host name or address with an optional port, and refuses what gives no single https origin', () => {
    for (const apiHost of ['api-12345678.duosecurity.com', 'API-1.DuoSecurity.com', '127.0.0.1:43123']) {
      expect(loadConfig({ policy: { directory, duo: { ...duo, apiHost } } }).ok).toBe(true);
    }
    for (const apiHost of [
      'api-1.duosecurity.com.',
      '-api.duosecurity.com',
      '.',
      'api-1.duosecurity.com:99999',
      'https://api-1.duosecurity.com',
      'api-1.duosecurity.com/path',
      'user@api-1.duosecurity.com',
    ]) {
      const result = loadConfig({ policy: { directory, duo: { ...duo, apiHost } } });
      expect(result.ok, apiHost).toBe(false);
      if (!result.ok) expect(result.errors.join('\n')).toContain('duo.apiHost: must be a host name');
    }
  });
});

describe('configuration precedence', () => {
  it('lets policy win over local settings, and local settings over defaults', () => {
    const result = loadConfig({
      defaults: { station: { name: 'Default', locale: 'fr' }, directory, duo },
      local: { station: { name: 'Local', idle: { duoSeconds: 600 } } },
      policy: { station: { name: 'Policy' } },
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config.station).toMatchObject({ name: 'Policy', locale: 'fr' });
    expect(result.config.station.idle).toMatchObject({ duoSeconds: 600, doneSeconds: 8 });
    expect(result.locked).toEqual(['station.name']);
  });

  it('reports every leaf set by policy as locked, arrays as one key', () => {
    const { locked } = mergeConfigSources({
      policy: {
        directory: { servers: ['ldaps://a', 'ldaps://b'], tls: { startTLS: false } },
        duo: { sdk: 'v2' },
      },
    });
    expect(locked).toEqual(['directory.servers', 'directory.tls.startTLS', 'duo.sdk']);
  });

  it('replaces arrays instead of merging them', () => {
    const { merged } = mergeConfigSources({
      local: { directory: { servers: ['ldaps://local1', 'ldaps://local2'] } },
      policy: { directory: { servers: ['ldaps://policy'] } },
    });
    expect(merged).toEqual({ directory: { servers: ['ldaps://policy'] } });
  });

  it('does not mix v2 keys into a v4 Duo section from a higher source', () => {
    const result = loadConfig({
      local: {
        directory,
        duo: { sdk: 'v2', apiHost: 'api-1.duosecurity.com', ikey: 'x', skey: 'y', akey: 'z' },
      },
      policy: { duo },
    });
    expect(result).toMatchObject({ ok: true, config: { duo: { sdk: 'v4' } } });
  });

  it('ignores keys that would reach the prototype', () => {
    const policy = JSON.parse('{"__proto__": {"polluted": true}, "station": {"name": "P"}}') as Record<
      string,
      unknown
    >;
    const { merged, locked } = mergeConfigSources({ policy });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(merged).toEqual({ station: { name: 'P' } });
    expect(locked).toEqual(['station.name']);
  });

  it('names the key of every schema error', () => {
    const result = loadConfig({
      local: { directory: { ...directory, servers: ['http://dc1'] }, duo: { ...duo, clientId: 'short' } },
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^directory\.servers\[0\]: must be an ldap:\/\/ or ldaps:\/\/ URL/),
        'duo.clientId: must be the 20-character Client ID',
      ]),
    );
  });

  it('says which sections are missing altogether', () => {
    const result = loadConfig({});
    expect(result).toMatchObject({ ok: false });
    if (result.ok) return;
    expect(result.errors.some((error) => error.startsWith('directory:'))).toBe(true);
    expect(result.errors.some((error) => error.startsWith('duo:'))).toBe(true);
  });

  it('tells whether a key is locked, counting enclosing sections', () => {
    const locked = ['directory.servers', 'station'];
    expect(isLocked(locked, 'directory.servers')).toBe(true);
    expect(isLocked(locked, 'station.name')).toBe(true);
    expect(isLocked(locked, 'directory')).toBe(true);
    expect(isLocked(locked, 'directory.baseDN')).toBe(false);
  });
});

describe('policy files', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'walkup-policy-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads a JSON object (a byte-order mark is fine)', async () => {
    const file = join(dir, 'policy.json');
    await writeFile(file, '\uFEFF{"station": {"name": "Lobby"}}');
    expect(await readPolicyFile(file)).toEqual({ ok: true, value: { station: { name: 'Lobby' } } });
  });

  it('says when the file is missing', async () => {
    const file = join(dir, 'nope.json');
    expect(await readPolicyFile(file)).toEqual({
      ok: false,
      code: 'missing',
      error: `${file} does not exist`,
    });
  });

  it('says when the file cannot be read', async () => {
    expect(await readPolicyFile(dir)).toMatchObject({
      ok: false,
      code: 'unreadable',
      error: `${dir} cannot be read (is a directory)`,
    });
    const result = await readPolicyFile('/x', {
      readFile: () => Promise.reject(Object.assign(new Error('nope'), { code: 'EACCES' })),
    });
    expect(result).toEqual({ ok: false, code: 'unreadable', error: '/x cannot be read (permission denied)' });
  });

  it('points at the line and column of a JSON mistake', async () => {
    const file = join(dir, 'policy.json');
    await writeFile(file, '{\n  "station": {\n    "name": "Lobby",\n  }\n}\n');
    const result = await readPolicyFile(file);
    expect(result).toMatchObject({ ok: false, code: 'invalid-json' });
    expect(!result.ok && result.error).toMatch(new RegExp(`^${file} is not valid JSON: line 4, column 3: `));
  });

  it('places an unexpected end at the end of the text', () => {
    const text = '{\n "a": 1';
    let error: unknown;
    try {
      JSON.parse(text);
    } catch (caught) {
      error = caught;
    }
    expect(describeJsonError(text, error)).toMatch(/^line 2, column 8: /);
  });

  it('refuses a file that is not an object', async () => {
    const file = join(dir, 'policy.json');
    await writeFile(file, '[1, 2]');
    expect(await readPolicyFile(file)).toMatchObject({ ok: false, code: 'not-an-object' });
  });

  it('loads from files, accepting a missing policy but not a broken one', async () => {
    const local = { directory, duo };
    expect(await loadConfigFiles({ policyFile: join(dir, 'none.json'), local })).toMatchObject({
      ok: true,
      locked: [],
    });
    const broken = join(dir, 'broken.json');
    await writeFile(broken, '{');
    await chmod(broken, 0o644);
    expect(await loadConfigFiles({ policyFile: broken, local })).toMatchObject({
      ok: false,
      errors: [expect.stringContaining('is not valid JSON')],
    });
    const policy = join(dir, 'policy.json');
    await writeFile(policy, JSON.stringify({ duo: { clientId: 'DIYYYYYYYYYYYYYYYYYY' } }));
    expect(await loadConfigFiles({ policyFile: policy, local })).toMatchObject({
      ok: true,
      config: { duo: { clientId: 'DIYYYYYYYYYYYYYYYYYY' } },
      locked: ['duo.clientId'],
    });
  });
});

describe('first run and trusted local settings', () => {
  it('no source sets a required key: setup-required with the keys listed; switches and portal keys do not count', () => {
    for (const sources of [
      {},
      { local: { station: { name: 'Lobby' } } },
      { local: { directory: { allowInsecure: false }, portal: { adminScreen: false } } },
    ]) {
      const result = loadConfig(sources);
      expect(result, JSON.stringify(sources)).toMatchObject({
        ok: false,
        reason: 'setup-required',
        missing: expect.arrayContaining(['directory.type', 'directory.servers', 'duo.apiHost']),
      });
    }
  });

  it('one required key set locally and nothing else: not a first run (configuration-invalid without policy, waiting with one)', () => {
    expect(loadConfig({ local: { duo: { apiHost: duo.apiHost } } })).toMatchObject({
      ok: false,
      reason: 'configuration-invalid',
    });
    expect(loadConfig({ policy: { directory } })).toMatchObject({
      ok: false,
      reason: 'waiting-for-configuration',
      missing: ['duo.apiHost', 'duo.clientId', 'duo.clientSecret'],
    });
  });

  it('trust-widening local keys: refused unless localTrusted on a station without managed policy', () => {
    const local = { directory: { ...directory, allowInsecure: true }, duo };
    expect(loadConfig({ local })).toMatchObject({ ok: false, reason: 'configuration-invalid' });
    expect(loadConfig({ local, localTrusted: true })).toMatchObject({ ok: true });
    const managed = loadConfig({ policy: { station: { name: 'Lobby' } }, local, localTrusted: true });
    expect(managed).toMatchObject({ ok: false, reason: 'configuration-invalid' });
    if (!managed.ok) expect(managed.errors.join('\n')).toContain('directory.allowInsecure');
  });
});
