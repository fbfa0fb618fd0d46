import { InvalidCredentialsError } from 'ldapts';
import { describe, expect, it } from 'vitest';
import { TlsSetupError, classifyError, parseServer } from '../../../../main/core/directory/connection';
import { loadTrustedCAs, tlsOptionsFor } from '../../../../main/core/directory/tls-trust';

const tlsConfig = { useSystemCA: false, startTLS: false, minVersion: 'TLSv1.2' as const };
const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

describe('trusted CAs', () => {
  it('reads the configured CA file', () => {
    expect(loadTrustedCAs({ ...tlsConfig, caFile: '/ca.pem' }, () => PEM)).toEqual({ ok: true, ca: [PEM] });
  });

  it('names tls.caFile when it cannot be read', () => {
    const result = loadTrustedCAs({ ...tlsConfig, caFile: '/missing.pem' }, () => {
      throw Object.assign(new Error('nope'), { code: 'ENOENT' });
    });
    expect(result).toEqual({ ok: false, problem: 'tls.caFile: cannot read /missing.pem (ENOENT)' });
  });

  it('refuses a CA file without a PEM certificate', () => {
    expect(loadTrustedCAs({ ...tlsConfig, caFile: '/x' }, () => 'hello')).toMatchObject({ ok: false });
  });

  it('refuses a configuration that trusts nothing', () => {
    expect(loadTrustedCAs(tlsConfig)).toMatchObject({
      ok: false,
      problem: expect.stringContaining('tls.caFile'),
    });
  });

  it('adds the system store when asked', () => {
    const result = loadTrustedCAs({ ...tlsConfig, useSystemCA: true, caFile: '/ca.pem' }, () => PEM);
    expect(result.ok && result.ca.length).toBeGreaterThan(1);
    expect(result.ok && result.ca[0]).toBe(PEM);
  });
});

describe('TLS options', () => {
  it('verifies the host name from the URL', () => {
    expect(tlsOptionsFor('dc1.walkup.test', tlsConfig, [PEM])).toMatchObject({
      host: 'dc1.walkup.test',
      servername: 'dc1.walkup.test',
      rejectUnauthorized: true,
      minVersion: 'TLSv1.2',
    });
  });

  it('sends no SNI for an IP address unless a servername is configured', () => {
    expect(tlsOptionsFor('127.0.0.1', tlsConfig, [PEM])).not.toHaveProperty('servername');
    expect(tlsOptionsFor('127.0.0.1', { ...tlsConfig, servername: 'dc1' }, [PEM])).toMatchObject({
      servername: 'dc1',
    });
  });
});

describe('servers and errors', () => {
  it('parses ldaps:// and StartTLS targets', () => {
    expect(parseServer('ldaps://dc1.walkup.test:636', true)).toEqual({
      url: 'ldaps://dc1.walkup.test:636',
      host: 'dc1.walkup.test',
      port: 636,
      ldaps: true,
      startTLS: false,
    });
    expect(parseServer('ldap://[::1]:389', true)).toMatchObject({
      host: '::1',
      ldaps: false,
      startTLS: true,
    });
  });

  it.each([
    [new Error('Connection timeout'), 'timeout'],
    [new Error('SearchRequest: Operation timed out'), 'timeout'],
    [Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }), 'network'],
    [
      Object.assign(new Error('unable to verify the first certificate'), {
        code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
      }),
      'tls',
    ],
    [
      Object.assign(new Error("Hostname/IP does not match certificate's altnames"), {
        code: 'ERR_TLS_CERT_ALTNAME_INVALID',
      }),
      'tls',
    ],
    [new Error('Client network socket disconnected before secure TLS connection was established'), 'tls'],
    [new TlsSetupError('StartTLS failed', undefined), 'tls'],
    [new InvalidCredentialsError('Invalid credentials'), 'ldap'],
  ])('classifies %s as %s', (error, kind) => {
    expect(classifyError(error)).toBe(kind);
  });
});
