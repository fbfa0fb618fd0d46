import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDirectoryConfig } from '../../../../main/cli/auth-test';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'walkup-dircfg-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function validate(directory: unknown) {
  const file = join(dir, `${Math.random().toString(36).slice(2)}.json`);
  await writeFile(file, JSON.stringify({ directory, duo: { note: 'not validated by auth-test' } }));
  return loadDirectoryConfig(file);
}

describe('directory configuration messages', () => {
  it('accepts a minimal LDAPS configuration and fills the defaults', async () => {
    const result = await validate({
      type: 'ad',
      servers: ['ldaps://dc1.walkup.test'],
      baseDN: 'DC=walkup,DC=test',
    });
    expect(result).toMatchObject({
      ok: true,
      config: {
        timeouts: { connectMs: 3000, operationMs: 8000 },
        throttling: { perUser: { maxFailures: 3 }, minFailureMs: 1500 },
        allowInsecure: false,
      },
    });
  });

  it.each([
    [{ type: 'ad', servers: ['ldaps://dc1'] }, 'directory.baseDN: is required'],
    [{ type: 'ad', servers: [], baseDN: 'dc=x' }, 'directory.servers: needs at least one server URL'],
    [
      { type: 'ad', servers: ['ldaps://dc1', 'http://dc2'], baseDN: 'dc=x' },
      'directory.servers[1]: must be an ldap:// or ldaps:// URL',
    ],
    [{ type: 'openldap', servers: ['ldap://dc1'], baseDN: 'dc=x' }, 'directory.servers[0]: is plain LDAP'],
    [
      { type: 'ad', servers: ['ldaps://dc1'], baseDN: 'dc=x', bindDN: 'cn=svc' },
      'directory.bindPassword: is required when bindDN is set',
    ],
    [
      { type: 'ad', servers: ['ldaps://dc1'], baseDN: 'dc=x', userFilter: '(uid=x)' },
      'directory.userFilter: must contain the {username} placeholder',
    ],
    [
      { type: 'ad', servers: ['ldaps://dc1'], baseDN: 'dc=x', timeouts: { connectMs: 5 } },
      'directory.timeouts.connectMs',
    ],
    [{ type: 'ldap' }, 'directory.type'],
    [
      { type: 'ad', servers: ['ldaps://dc1'], baseDN: 'DC=corp,example' },
      'directory.baseDN: is not a valid DN (RFC 4514)',
    ],
    [
      { type: 'ad', servers: ['ldaps://dc1'], baseDN: 'dc=x', groupBaseDN: 'Groups' },
      'directory.groupBaseDN: is not a valid DN (RFC 4514)',
    ],
    [
      {
        type: 'ad',
        servers: ['ldaps://dc1'],
        baseDN: 'dc=x',
        allowedGroups: ['cn=ok,dc=x', 'cn=Duo, Users'],
      },
      'directory.allowedGroups[1]: is not a valid DN (RFC 4514)',
    ],
    [
      { type: 'ad', servers: ['ldaps://dc1'], baseDN: 'dc=x', deniedGroups: ['cn=Admins,dc=x\\'] },
      'directory.deniedGroups[0]: is not a valid DN (RFC 4514)',
    ],
    [
      { type: 'openldap', servers: ['ldaps://dc1'], baseDN: 'dc=x', passwordPolicyDN: 'default policy' },
      'directory.passwordPolicyDN: is not a valid DN (RFC 4514)',
    ],
  ])('names the offending key for %j', async (directory, message) => {
    const result = await validate(directory);
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.errors.join('\n')).toContain(message);
  });

  it('accepts plain LDAP only with allowInsecure', async () => {
    const result = await validate({
      type: 'openldap',
      servers: ['ldap://dc1'],
      baseDN: 'dc=x',
      allowInsecure: true,
    });
    expect(result.ok).toBe(true);
  });

  it('says when the directory section is missing', async () => {
    const file = join(dir, 'empty.json');
    await writeFile(file, '{}');
    expect(await loadDirectoryConfig(file)).toEqual({
      ok: false,
      errors: [`directory: is required in ${file}`],
    });
  });

  it('says when the file cannot be read or is not JSON', async () => {
    expect(await loadDirectoryConfig(join(dir, 'missing.json'))).toMatchObject({
      ok: false,
      errors: [expect.stringContaining('ENOENT')],
    });
    const file = join(dir, 'broken.json');
    await writeFile(file, '{ not json');
    expect(await loadDirectoryConfig(file)).toMatchObject({
      ok: false,
      errors: [expect.stringContaining('not valid JSON')],
    });
  });
});
