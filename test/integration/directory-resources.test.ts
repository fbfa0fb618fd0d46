/**
 * No connection outlives its sign-in (issue #8), against a real slapd on loopback: each outcome
 * class of `authenticate` and `checkHealth`, over LDAPS and over StartTLS, then the test process
 * must hold no socket to the server's port. Samba AD gets the same check in
 * directory-ad-resources.test.ts.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { directorySchema } from '../../main/core/config/schema';
import { createDirectory, type AuthResult } from '../../main/core/directory';
import { silentLogger } from '../../main/core/ports';
import { createTestCA } from '../support/certs';
import { createFakeClock } from '../support/directory-fixtures/fake-clock';
import { FIXTURE_SERVICE, FIXTURE_USERS } from '../support/directory-fixtures/openldap';
import { openLdapSkipReason, useOpenLdapFixtures } from '../support/directory-fixtures/openldap-setup';
import { socketsLeftToPort, socketsToPort } from '../support/directory-fixtures/sockets';
import { startBlackhole, type TcpHelper } from '../support/directory-fixtures/tcp';

const unavailable = openLdapSkipReason('directory connection cleanup tests (OpenLDAP)');

/** LDAPMessage protocolOp tag of a SearchRequest (RFC 4511 §4.5.1: [APPLICATION 3]). */
const SEARCH_REQUEST = 0x63;

/**
 * The protocolOp tag of a plain-LDAP message starting a chunk: SEQUENCE, length, messageID
 * INTEGER, then the op (RFC 4511 §4.2). Good enough for a test proxy: ldapts writes each request
 * in one chunk.
 */
function protocolOpTag(chunk: Buffer): number | undefined {
  if (chunk[0] !== 0x30 || chunk.length < 2) return undefined;
  const lengthByte = chunk[1] ?? 0;
  let at = 2 + (lengthByte & 0x80 ? lengthByte & 0x7f : 0);
  if (chunk[at] !== 0x02) return undefined;
  at += 2 + (chunk[at + 1] ?? 0);
  return chunk[at];
}

/**
 * A plain-LDAP proxy to slapd that passes everything but search requests, which it swallows: the
 * binds work and the search never answers, so the attempt ends on its operation timeout.
 */
async function startSearchStallingProxy(targetPort: number) {
  const sockets = new Set<Socket>();
  let stalledSearches = 0;
  const server: Server = createServer((client) => {
    const upstream = connect(targetPort, '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    }
    client.on('data', (chunk: Buffer) => {
      if (protocolOpTag(chunk) === SEARCH_REQUEST) stalledSearches += 1;
      else upstream.write(chunk);
    });
    upstream.pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no address');
  return {
    port: address.port,
    get stalledSearches() {
      return stalledSearches;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Throttling that never answers first: these tests are about the directory's own outcomes. */
const NO_THROTTLING = {
  minFailureMs: 0,
  perUser: { maxFailures: 1000, windowSeconds: 60, lockoutSeconds: 60 },
  perStation: { maxFailures: 1000, windowSeconds: 60, lockoutSeconds: 60 },
};

describe.skipIf(unavailable)('no directory connection outlives its sign-in (real slapd)', () => {
  const ldap = useOpenLdapFixtures();
  let wrongCaDir: string;
  let wrongCaFile: string;
  let blackhole: TcpHelper;

  beforeAll(async () => {
    wrongCaDir = await mkdtemp(join(tmpdir(), 'walkup-wrong-ca-'));
    wrongCaFile = (await createTestCA(wrongCaDir, 'Some Other CA')).certFile;
    blackhole = await startBlackhole();
  });
  afterAll(async () => {
    await blackhole?.close();
    if (wrongCaDir) await rm(wrongCaDir, { recursive: true, force: true });
  });

  const transports = {
    LDAPS: () => ({ servers: [ldap.slapd.ldapsUrl], port: ldap.slapd.ldapsPort, startTLS: false }),
    StartTLS: () => ({ servers: [ldap.slapd.ldapUrl], port: ldap.slapd.ldapPort, startTLS: true }),
  } as const;

  function directory(transport: keyof typeof transports, overrides: Record<string, unknown> = {}) {
    const { servers, startTLS } = transports[transport]();
    const config = directorySchema.parse({
      type: 'openldap',
      servers,
      baseDN: ldap.slapd.suffix,
      bindDN: ldap.dns.service,
      bindPassword: 'resolved by the caller',
      tls: { caFile: ldap.slapd.caFile, useSystemCA: false, startTLS },
      throttling: NO_THROTTLING,
      ...overrides,
    });
    return createDirectory(config, {
      bindPassword: FIXTURE_SERVICE.password,
      clock: createFakeClock(),
      logger: silentLogger,
    });
  }

  const outcome = (result: AuthResult) => (result.ok ? 'ok' : result.reason);

  /** Each outcome class: what to run and the answer that proves the class was reached. */
  const cases: {
    name: string;
    run: (transport: keyof typeof transports) => Promise<AuthResult>;
    expected: string;
  }[] = [
    {
      name: 'success',
      run: (t) => directory(t).authenticate('alice', FIXTURE_USERS.alice.password),
      expected: 'ok',
    },
    {
      name: 'wrong password',
      run: (t) => directory(t).authenticate('alice', 'not the password'),
      expected: 'invalid-credentials',
    },
    {
      name: 'unknown user',
      run: (t) => directory(t).authenticate('nosuchuser', 'whatever it is'),
      expected: 'invalid-credentials',
    },
    {
      name: 'ambiguous user',
      run: (t) => directory(t).authenticate('twin', FIXTURE_USERS.twin.password),
      expected: 'ambiguous-user',
    },
    {
      name: 'search error (no such base)',
      run: (t) =>
        directory(t, { baseDN: `ou=missing,${ldap.slapd.suffix}` }).authenticate('alice', 'x-password'),
      expected: 'configuration',
    },
    {
      name: 'group search error (no such group base)',
      run: (t) =>
        directory(t, {
          allowedGroups: [ldap.dns.groups.enrollers],
          groupBaseDN: `ou=missing,${ldap.slapd.suffix}`,
        }).authenticate('nora', FIXTURE_USERS.nora.password),
      expected: 'unavailable',
    },
    {
      name: 'group policy refusal',
      run: (t) =>
        directory(t, { allowedGroups: [ldap.dns.groups.enrollers] }).authenticate(
          'nora',
          FIXTURE_USERS.nora.password,
        ),
      expected: 'not-in-allowed-group',
    },
    {
      name: 'service bind refused',
      run: (t) =>
        createDirectory(
          directorySchema.parse({
            type: 'openldap',
            servers: transports[t]().servers,
            baseDN: ldap.slapd.suffix,
            bindDN: ldap.dns.service,
            bindPassword: 'x',
            tls: { caFile: ldap.slapd.caFile, useSystemCA: false, startTLS: transports[t]().startTLS },
            throttling: NO_THROTTLING,
          }),
          { bindPassword: 'not the service password', clock: createFakeClock(), logger: silentLogger },
        ).authenticate('alice', FIXTURE_USERS.alice.password),
      expected: 'service-bind-failed',
    },
    {
      name: 'TLS error (certificate from another CA)',
      run: (t) =>
        directory(t, {
          tls: { caFile: wrongCaFile, useSystemCA: false, startTLS: transports[t]().startTLS },
        }).authenticate('alice', FIXTURE_USERS.alice.password),
      expected: 'tls-failed',
    },
  ];

  for (const transport of Object.keys(transports) as (keyof typeof transports)[]) {
    describe(`over ${transport}`, () => {
      it.each(cases.map((c) => [c.name, c] as const))(
        'leaves no socket to the server after: %s',
        async (_name, { run, expected }) => {
          const port = transports[transport]().port;
          expect(await socketsToPort(port)).toEqual([]);
          // Ten at once, as ten portal sessions would send them.
          const results = await Promise.all(Array.from({ length: 10 }, () => run(transport)));
          expect(new Set(results.map(outcome))).toEqual(new Set([expected]));
          expect(await socketsLeftToPort(port)).toEqual([]);
        },
      );

      it('leaves no socket to the server after a health check', async () => {
        const port = transports[transport]().port;
        const health = await directory(transport).checkHealth();
        expect(health).toMatchObject([{ reachable: true, tlsOk: true, serviceBindOk: true }]);
        const failing = await directory(transport, {
          tls: { caFile: wrongCaFile, useSystemCA: false, startTLS: transports[transport]().startTLS },
        }).checkHealth();
        expect(failing).toMatchObject([{ tlsOk: false }]);
        expect(await socketsLeftToPort(port)).toEqual([]);
      });
    });
  }

  it('leaves no socket to the server after the account gate refuses (throttled by another name)', async () => {
    // One entry with two uid values: two names, one account and one counter.
    const dn = `uid=dual,ou=people,${ldap.slapd.suffix}`;
    const root = await ldap.slapd.rootClient();
    try {
      await root.add(dn, {
        objectClass: 'inetOrgPerson',
        uid: ['dual', 'dual.name'],
        cn: 'Dual Name',
        sn: 'Name',
        userPassword: 'dual-password-1',
      });
    } finally {
      await root.unbind();
    }
    for (const transport of Object.keys(transports) as (keyof typeof transports)[]) {
      const dir = directory(transport, {
        throttling: { ...NO_THROTTLING, perUser: { maxFailures: 1, windowSeconds: 60, lockoutSeconds: 60 } },
      });
      expect(outcome(await dir.authenticate('dual', 'not the password'))).toBe('invalid-credentials');
      // The other name passes the name check, and the account's counter refuses it after the search.
      const results = await Promise.all(
        Array.from({ length: 10 }, () => dir.authenticate('dual.name', 'dual-password-1')),
      );
      expect(new Set(results.map(outcome))).toEqual(new Set(['throttled-user']));
      expect(await socketsLeftToPort(transports[transport]().port)).toEqual([]);
    }
  });

  it('leaves no socket to a server whose search times out after the binds (operation timeout)', async () => {
    const stall = await startSearchStallingProxy(ldap.slapd.ldapPort);
    try {
      const dir = createDirectory(
        directorySchema.parse({
          type: 'openldap',
          servers: [`ldap://127.0.0.1:${stall.port}`],
          allowInsecure: true,
          baseDN: ldap.slapd.suffix,
          bindDN: ldap.dns.service,
          bindPassword: 'resolved by the caller',
          timeouts: { connectMs: 2000, operationMs: 200 },
          throttling: NO_THROTTLING,
        }),
        { bindPassword: FIXTURE_SERVICE.password, clock: createFakeClock(), logger: silentLogger },
      );
      const results = await Promise.all(
        Array.from({ length: 5 }, () => dir.authenticate('alice', 'x-password')),
      );
      expect(
        results.map((result) => (result.ok ? 'ok' : `${result.reason}: ${result.detail ?? ''}`)),
      ).toEqual(
        Array.from({ length: 5 }, () => expect.stringMatching(/^unavailable: .*user search: .*timed out/i)),
      );
      expect(stall.stalledSearches).toBeGreaterThanOrEqual(5);
      expect(await socketsLeftToPort(stall.port)).toEqual([]);
    } finally {
      await stall.close();
    }
  });

  it('leaves no socket to a server that timed out (accepts TCP, never answers)', async () => {
    const dir = createDirectory(
      directorySchema.parse({
        type: 'openldap',
        servers: [`ldaps://127.0.0.1:${blackhole.port}`],
        baseDN: ldap.slapd.suffix,
        tls: { caFile: ldap.slapd.caFile, useSystemCA: false },
        timeouts: { connectMs: 200, operationMs: 200 },
        throttling: NO_THROTTLING,
      }),
      { clock: createFakeClock(), logger: silentLogger },
    );
    const results = await Promise.all(
      Array.from({ length: 5 }, () => dir.authenticate('alice', 'x-password')),
    );
    expect(new Set(results.map(outcome))).toEqual(new Set(['unavailable']));
    expect(await socketsLeftToPort(blackhole.port)).toEqual([]);
  });
});
