import { describe, expect, it } from 'vitest';
import { directorySchema, type DirectoryConfig } from '../../../../main/core/config/schema';
import { createDirectory } from '../../../../main/core/directory';
import { silentLogger, type Logger } from '../../../../main/core/ports';
import { createFakeClock } from '../../../support/directory-fixtures/fake-clock';

// Port 9 on 127.0.0.1: nothing listens; these cases must answer before any connection anyway.
const base = {
  type: 'openldap',
  servers: ['ldaps://127.0.0.1:9'],
  baseDN: 'dc=example,dc=test',
  tls: { useSystemCA: true },
  throttling: { minFailureMs: 0 },
};

function make(config: DirectoryConfig, bindPassword?: string, logger: Logger = silentLogger) {
  return createDirectory(config, { bindPassword, clock: createFakeClock(), logger });
}

describe('LDAP directory configuration problems', () => {
  it('answers configuration, naming the cause, when the service password is missing', async () => {
    const config = directorySchema.parse({
      ...base,
      bindDN: 'cn=svc,dc=example,dc=test',
      bindPassword: { env: 'X' },
    });
    const result = await make(config).authenticate('alice', 'secret');
    expect(result).toMatchObject({
      ok: false,
      reason: 'configuration',
      detail: expect.stringContaining('bindPassword'),
    });
  });

  it('answers configuration when the user filter does not parse', async () => {
    const config = directorySchema.parse({ ...base, userFilter: '(uid={username}))' });
    const result = await make(config).authenticate('alice', 'secret');
    expect(result).toMatchObject({
      ok: false,
      reason: 'configuration',
      detail: expect.stringContaining('userFilter'),
    });
  });

  it('never sends a password without TLS unless allowInsecure is set, even past the schema', async () => {
    const config = {
      ...directorySchema.parse({ ...base, servers: ['ldap://127.0.0.1:9'], allowInsecure: true }),
      allowInsecure: false,
    };
    const result = await make(config).authenticate('alice', 'secret');
    expect(result).toMatchObject({
      ok: false,
      reason: 'configuration',
      detail: expect.stringContaining('without TLS'),
    });
  });

  it('warns once at start-up when plain LDAP is allowed', () => {
    const warnings: string[] = [];
    const config = directorySchema.parse({ ...base, servers: ['ldap://127.0.0.1:9'], allowInsecure: true });
    make(config, undefined, { ...silentLogger, warn: (event) => warnings.push(event) });
    expect(warnings).toEqual(['directory.insecure']);
  });

  it('reports configuration problems in the health check instead of connecting', async () => {
    const config = directorySchema.parse({ ...base, bindDN: 'cn=svc,dc=example,dc=test', bindPassword: 'x' });
    const [health] = await make(config).checkHealth();
    expect(health).toMatchObject({
      reachable: false,
      serviceBindOk: false,
      error: expect.stringContaining('bindPassword'),
    });
  });
});
