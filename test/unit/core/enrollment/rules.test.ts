import { describe, expect, it } from 'vitest';
import { assessStation, newSupportReference, toSignInFailure } from '../../../../main/core/enrollment';
import { downServer, healthyServer, testConfig } from './fakes';

describe('toSignInFailure', () => {
  it('defaults a throttled retry time it was not told to a minute', () => {
    expect(toSignInFailure({ ok: false, reason: 'throttled-user' }, [])).toEqual({
      reason: 'throttled',
      retryAfterSeconds: 60,
    });
  });

  it('shows invalid input without a problem when none was named', () => {
    expect(toSignInFailure({ ok: false, reason: 'invalid-input' }, [])).toEqual({ reason: 'invalid-input' });
  });

  it('never names a condition decided without the password, whatever showConditions lists', () => {
    // Review of issue #8: slapd's expired-with-grace state is refused before the bind, to anyone.
    const all = ['password-expired', 'password-must-change', 'account-locked', 'account-disabled'] as const;
    expect(
      toSignInFailure(
        { ok: false, reason: 'password-expired', passwordUnverified: true, detail: 'expired (admin)' },
        all,
      ),
    ).toEqual({ reason: 'see-helpdesk' });
    expect(toSignInFailure({ ok: false, reason: 'password-expired' }, all)).toEqual({
      reason: 'see-helpdesk',
      detail: 'password-expired',
    });
    // A lock is reported whatever the password (AD data 775; slapd checks the lock first).
    expect(toSignInFailure({ ok: false, reason: 'account-locked' }, all)).toEqual({ reason: 'see-helpdesk' });
    expect(toSignInFailure({ ok: false, reason: 'account-locked', passwordUnverified: true }, all)).toEqual({
      reason: 'see-helpdesk',
    });
  });

  it('never leaks the admin detail', () => {
    expect(toSignInFailure({ ok: false, reason: 'tls-failed', detail: 'CERT_HAS_EXPIRED' }, [])).toEqual({
      reason: 'directory-unavailable',
    });
  });
});

describe('assessStation', () => {
  const config = testConfig('v4');
  const duoOk = { ok: true as const, checkedAt: 0 };

  it('is starting until both checks have answered', () => {
    expect(assessStation(config, {})).toEqual({ outOfService: { reason: 'starting' }, warnings: [] });
    expect(assessStation(config, { directory: [healthyServer()] }).outOfService?.reason).toBe('starting');
  });

  it('names directory trouble before Duo trouble', () => {
    expect(
      assessStation(config, {
        directory: [downServer()],
        duo: { ok: false, checkedAt: 0, code: 'unreachable', detail: '503' },
      }).outOfService,
    ).toEqual({ reason: 'directory-unreachable', detail: 'ldaps://dc2.example.test: ECONNREFUSED' });
  });

  it('counts a server whose service bind fails as unusable', () => {
    const server = { ...healthyServer(), serviceBindOk: false, error: 'invalid credentials' };
    expect(assessStation(config, { directory: [server], duo: duoOk }).outOfService?.reason).toBe(
      'directory-unreachable',
    );
  });

  it('reports a directory check that failed outright', () => {
    expect(assessStation(config, { directory: { error: 'boom' }, duo: duoOk }).outOfService).toEqual({
      reason: 'directory-unreachable',
      detail: 'boom',
    });
  });

  it('warns about skew only beyond a minute either way', () => {
    expect(assessStation(config, { directory: [], duo: { ...duoOk, skewSeconds: 60 } }).warnings).toEqual([]);
    expect(assessStation(config, { directory: [], duo: { ...duoOk, skewSeconds: 61 } }).warnings).toEqual([
      'clock-skew',
    ]);
  });

  it('keeps a plain LDAP server allowed by allowInsecure in service, with the insecure warning', () => {
    const plain = { ...healthyServer('ldap://dc1.example.test'), tlsOk: false, insecure: true };
    expect(assessStation(config, { directory: [plain], duo: duoOk })).toEqual({
      warnings: ['directory-insecure'],
    });
  });

  it('still counts a TLS server whose TLS fails as unusable', () => {
    const broken = { ...healthyServer(), tlsOk: false, serviceBindOk: false, error: 'CERT_HAS_EXPIRED' };
    expect(assessStation(config, { directory: [broken], duo: duoOk }).outOfService?.reason).toBe(
      'directory-unreachable',
    );
  });

  it('warns about a server that reports itself insecure', () => {
    expect(
      assessStation(config, { directory: [{ ...healthyServer(), insecure: true }], duo: duoOk }).warnings,
    ).toEqual(['directory-insecure']);
  });
});

describe('support references', () => {
  it('are two groups of four unambiguous characters and differ each time', () => {
    const references = new Set(Array.from({ length: 50 }, () => newSupportReference()));
    expect(references.size).toBe(50);
    for (const reference of references)
      expect(reference).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
  });
});
