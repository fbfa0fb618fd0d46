/**
 * Replica failover against real sockets: a blackhole that accepts and never answers, a refused
 * port, counting proxies in front of a real slapd. Failover happens only on connect/TLS/timeout
 * errors and never after a bad password; a failed server cools down.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { directorySchema } from '../../main/core/config/schema';
import { createDirectory } from '../../main/core/directory';
import { silentLogger } from '../../main/core/ports';
import { createFakeClock, type FakeClock } from '../support/directory-fixtures/fake-clock';
import { FIXTURE_SERVICE, FIXTURE_USERS } from '../support/directory-fixtures/openldap';
import {
  refusedPort,
  startBlackhole,
  startCountingProxy,
  type TcpHelper,
} from '../support/directory-fixtures/tcp';
import { openLdapSkipReason, useOpenLdapFixtures } from '../support/directory-fixtures/openldap-setup';

const unavailable = openLdapSkipReason('directory failover tests');

describe.skipIf(unavailable)('directory failover between replicas', () => {
  const ldap = useOpenLdapFixtures();
  const helpers: TcpHelper[] = [];

  afterEach(async () => {
    await Promise.all(helpers.splice(0).map((helper) => helper.close()));
  });

  const track = (helper: TcpHelper) => {
    helpers.push(helper);
    return helper;
  };
  const blackhole = async () => track(await startBlackhole());
  const replica = async () => track(await startCountingProxy(ldap.slapd.ldapPort));
  const url = (helper: TcpHelper | number) =>
    `ldap://127.0.0.1:${typeof helper === 'number' ? helper : helper.port}`;

  function directory(
    servers: string[],
    clock: FakeClock = createFakeClock(),
    timeouts = { connectMs: 300, operationMs: 300 },
  ) {
    const config = directorySchema.parse({
      type: 'openldap',
      servers,
      baseDN: ldap.slapd.suffix,
      bindDN: ldap.dns.service,
      bindPassword: 'resolved by the caller',
      tls: { caFile: ldap.slapd.caFile, useSystemCA: false, startTLS: true },
      // Short timeouts keep the blackhole cases quick; the result is asserted, never the time.
      timeouts,
      failoverCooldownSeconds: 30,
      throttling: { minFailureMs: 0 },
    });
    return createDirectory(config, { bindPassword: FIXTURE_SERVICE.password, clock, logger: silentLogger });
  }

  it('signs in through the second server when the first accepts connections and never answers', async () => {
    const dead = await blackhole();
    const healthy = await replica();
    const result = await directory([url(dead), url(healthy)]).authenticate(
      'alice',
      FIXTURE_USERS.alice.password,
    );
    expect(result).toMatchObject({ ok: true, user: { username: 'alice' } });
    expect(dead.connections).toBe(1);
    expect(healthy.connections).toBeGreaterThan(0);
  });

  it('treats a StartTLS upgrade that never completes as a connect failure, not a slow operation', async () => {
    // The operation timeout is far beyond this test's own time limit: only the connect timeout
    // can end the stalled upgrade on the first server in time for the second to answer.
    const dead = await blackhole();
    const healthy = await replica();
    const result = await directory([url(dead), url(healthy)], createFakeClock(), {
      connectMs: 300,
      operationMs: 120_000,
    }).authenticate('alice', FIXTURE_USERS.alice.password);
    expect(result).toMatchObject({ ok: true, user: { username: 'alice' } });
    expect(dead.connections).toBe(1);
  });

  it('signs in through the second server when the first refuses connections', async () => {
    const healthy = await replica();
    const result = await directory([url(await refusedPort()), url(healthy)]).authenticate(
      'alice',
      FIXTURE_USERS.alice.password,
    );
    expect(result.ok).toBe(true);
  });

  it('fails over when the first server fails the TLS handshake', async () => {
    const plain = await replica();
    const healthy = await replica();
    // The first replica is addressed as ldaps:// but speaks plain LDAP: the handshake fails.
    const result = await directory([`ldaps://127.0.0.1:${plain.port}`, url(healthy)]).authenticate(
      'alice',
      FIXTURE_USERS.alice.password,
    );
    expect(result.ok).toBe(true);
    expect(plain.connections).toBe(1);
  });

  it('does not try the second server after a bad password on the first', async () => {
    const first = await replica();
    const second = await replica();
    const result = await directory([url(first), url(second)]).authenticate('alice', 'a wrong password');
    expect(result).toMatchObject({ ok: false, reason: 'invalid-credentials' });
    expect(first.connections).toBeGreaterThan(0);
    expect(second.connections).toBe(0);
  });

  it('skips a server that just failed until its cool-down is over', async () => {
    const clock = createFakeClock();
    const dead = await blackhole();
    const healthy = await replica();
    const dir = directory([url(dead), url(healthy)], clock);

    expect((await dir.authenticate('alice', FIXTURE_USERS.alice.password)).ok).toBe(true);
    expect(dead.connections).toBe(1);

    clock.advance(29_000);
    expect((await dir.authenticate('alice', FIXTURE_USERS.alice.password)).ok).toBe(true);
    expect(dead.connections).toBe(1);

    clock.advance(2_000);
    expect((await dir.authenticate('alice', FIXTURE_USERS.alice.password)).ok).toBe(true);
    expect(dead.connections).toBe(2);
  });

  it('answers unavailable when no server can be reached', async () => {
    const dead = await blackhole();
    const result = await directory([url(dead), url(await refusedPort())]).authenticate(
      'alice',
      FIXTURE_USERS.alice.password,
    );
    expect(result).toMatchObject({ ok: false, reason: 'unavailable' });
    expect(result.ok || result.detail).toContain(url(dead));
  });

  it('still tries every server when all of them are cooling down', async () => {
    const clock = createFakeClock();
    const dead = await blackhole();
    const dir = directory([url(dead)], clock);
    expect(await dir.authenticate('alice', FIXTURE_USERS.alice.password)).toMatchObject({
      reason: 'unavailable',
    });
    expect(await dir.authenticate('alice', FIXTURE_USERS.alice.password)).toMatchObject({
      reason: 'unavailable',
    });
    expect(dead.connections).toBe(2);
  });

  it('reports an unreachable server in the health check', async () => {
    const healthy = await replica();
    const health = await directory([url(await refusedPort()), url(healthy)]).checkHealth();
    expect(health.map((server) => [server.reachable, server.tlsOk, server.serviceBindOk])).toEqual([
      [false, false, false],
      [true, true, true],
    ]);
  });
});
