/**
 * A user bind that fails after the password was sent still counts (real slapd with the ppolicy
 * overlay as the witness). A proxy in front of slapd's plain LDAP port holds back every answer on
 * a connection once it has carried the bind for tom, so Walkup's user bind times out after slapd
 * has already checked the wrong password and recorded a pwdFailureTime. Walkup answers
 * `unavailable` (the person sees "directory unavailable") but counts the attempt: with
 * `perUser.maxFailures: 1` the next attempts are throttled before they reach slapd, so slapd
 * (pwdMaxFailure 2) never locks tom, and the right password works afterwards.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { directorySchema } from '../../main/core/config/schema';
import { createDirectory, type AuthResult } from '../../main/core/directory';
import { silentLogger } from '../../main/core/ports';
import { createFakeClock } from '../support/directory-fixtures/fake-clock';
import { skipUnlessServer } from '../support/server-skip';
import { slapdUnavailableReason, startSlapd, type SlapdServer } from '../support/slapd';

const unavailable = skipUnlessServer('bind-timeout throttling test (slapd)', slapdUnavailableReason());

const SUFFIX = 'dc=bindtimeout,dc=test';
const POLICY = `cn=default,ou=policies,${SUFFIX}`;
const TOM = `uid=tom,ou=people,${SUFFIX}`;
const ANSWER_DELAY_MS = 1500;

const entry = (dn: string, lines: string[]) => [`dn: ${dn}`, ...lines, ''].join('\n');
const ldif = [
  entry(SUFFIX, ['objectClass: dcObject', 'objectClass: organization', 'dc: bindtimeout', 'o: bind timeout']),
  ...['people', 'policies', 'services'].map((ou) =>
    entry(`ou=${ou},${SUFFIX}`, ['objectClass: organizationalUnit', `ou: ${ou}`]),
  ),
  entry(`cn=svc,ou=services,${SUFFIX}`, [
    'objectClass: applicationProcess',
    'objectClass: simpleSecurityObject',
    'cn: svc',
    'userPassword: svc-pw',
  ]),
  entry(POLICY, [
    'objectClass: device',
    'objectClass: pwdPolicy',
    'cn: default',
    'pwdAttribute: userPassword',
    'pwdLockout: TRUE',
    'pwdMaxFailure: 2',
    'pwdLockoutDuration: 600',
  ]),
  entry(TOM, ['objectClass: inetOrgPerson', 'uid: tom', 'cn: tom', 'sn: tom', 'userPassword: tom-pw']),
].join('\n');

/** A proxy to `targetPort` that delays every answer on a connection after it carried tom's bind. */
async function startSlowProxy(targetPort: number): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const server: Server = createServer((client) => {
    const upstream = connect(targetPort, '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => {
        sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
      socket.on('error', () => socket.destroy());
    }
    let slow = false;
    client.on('data', (chunk: Buffer) => {
      if (chunk.includes(Buffer.from('uid=tom,'))) slow = true;
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (!slow) {
        client.write(chunk);
        return;
      }
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (!client.destroyed) client.write(chunk);
      }, ANSWER_DELAY_MS);
      timers.add(timer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    port,
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe.skipIf(unavailable)('a user bind that times out after the password was sent (slapd ppolicy)', () => {
  let slapd: SlapdServer;
  let proxy: Awaited<ReturnType<typeof startSlowProxy>>;

  beforeAll(async () => {
    slapd = await startSlapd({ suffix: SUFFIX, bulkLdif: ldif, ppolicyDefault: POLICY });
    proxy = await startSlowProxy(slapd.ldapPort);
  });
  afterAll(async () => {
    await proxy?.close();
    await slapd?.stop();
  });

  const directory = (server: string, insecure: boolean) =>
    createDirectory(
      directorySchema.parse({
        type: 'openldap',
        servers: [server],
        baseDN: SUFFIX,
        bindDN: `cn=svc,ou=services,${SUFFIX}`,
        bindPassword: { env: 'WALKUP_TEST_UNUSED' },
        allowInsecure: insecure,
        tls: insecure
          ? { startTLS: false, useSystemCA: false }
          : { caFile: slapd.caFile, useSystemCA: false },
        timeouts: { connectMs: 1000, operationMs: 500 },
        throttling: {
          minFailureMs: 0,
          perUser: { maxFailures: 1, windowSeconds: 1800, lockoutSeconds: 900 },
        },
      }),
      { bindPassword: 'svc-pw', clock: createFakeClock(Date.now()), logger: silentLogger },
    );

  const failureTimes = async (): Promise<{ failures: number; locked: boolean }> => {
    const root = await slapd.rootClient();
    try {
      const { searchEntries } = await root.search(TOM, {
        scope: 'base',
        attributes: ['pwdFailureTime', 'pwdAccountLockedTime'],
      });
      const found: Record<string, unknown> = searchEntries[0] ?? {};
      // ldapts gives an absent requested attribute as [] and a single value as a string.
      const count = (value: unknown): number => (value === undefined ? 0 : [value].flat().length);
      return { failures: count(found.pwdFailureTime), locked: count(found.pwdAccountLockedTime) > 0 };
    } finally {
      await root.unbind();
    }
  };

  it('counts the timed-out bind: the next wrong passwords never reach slapd, which never locks tom', async () => {
    const slow = directory(`ldap://127.0.0.1:${proxy.port}`, true);
    const reasons: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const result: AuthResult = await slow.authenticate('tom', `wrong-${i}`);
      reasons.push(result.ok ? 'ok' : result.reason);
    }
    // The first one timed out after slapd had the password; it is shown as an outage, and counted.
    expect(reasons).toEqual(['unavailable', 'throttled-user', 'throttled-user']);
    // Let the held-back answer arrive (slapd has long written its pwdFailureTime).
    await new Promise((resolve) => setTimeout(resolve, ANSWER_DELAY_MS + 200));
    expect(await failureTimes()).toEqual({ failures: 1, locked: false });
    // tom can still sign in (directly, over LDAPS).
    const direct = await directory(slapd.ldapsUrl, false).authenticate('tom', 'tom-pw');
    expect(direct.ok).toBe(true);
  });
});
