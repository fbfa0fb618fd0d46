/**
 * The throttle against a real slapd: compatibility spellings of a throttled name (fullwidth
 * `ｅrin`, `𝐞rin`, …, which slapd's matching rules resolve to the same entry) and the entry's other
 * uid never reach a bind; twenty attempts at once bind at most maxFailures times; a restarted
 * directory over the same state file stays throttled.
 *
 * Evidence comes from the wire: the directory talks plain LDAP (allowInsecure) through a proxy
 * that reads every BindRequest (RFC 4511 §4.2) the server receives and records its DN, so "never
 * reached the server" is counted where the server sees it, not inferred from our own answers.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { directorySchema } from '../../main/core/config/schema';
import { createDirectory, createFileThrottleStore, type AuthResult } from '../../main/core/directory';
import type { ThrottleStore } from '../../main/core/directory/throttle-store';
import { silentLogger } from '../../main/core/ports';
import { createFakeClock, type FakeClock } from '../support/directory-fixtures/fake-clock';
import { FIXTURE_SERVICE } from '../support/directory-fixtures/openldap';
import { openLdapSkipReason, useOpenLdapFixtures } from '../support/directory-fixtures/openldap-setup';

const unavailable = openLdapSkipReason('OpenLDAP throttling tests');

const ERIN_PASSWORD = 'erin-password-1';

/** Reads one BER length at `offset`: [length, bytes used], or undefined when incomplete. */
function berLength(buffer: Buffer, offset: number): [number, number] | undefined {
  const first = buffer[offset];
  if (first === undefined) return undefined;
  if (first < 0x80) return [first, 1];
  const count = first & 0x7f;
  if (offset + 1 + count > buffer.length) return undefined;
  let length = 0;
  for (let i = 0; i < count; i += 1) length = length * 256 + (buffer[offset + 1 + i] ?? 0);
  return [length, 1 + count];
}

/** One TLV at `offset`: its tag, where its content starts and ends. */
function tlv(buffer: Buffer, offset: number): { tag: number; start: number; end: number } | undefined {
  const tag = buffer[offset];
  const length = berLength(buffer, offset + 1);
  if (tag === undefined || !length) return undefined;
  const start = offset + 1 + length[1];
  return { tag, start, end: start + length[0] };
}

/** A proxy to slapd's plain LDAP port that records the DN of every BindRequest sent through it. */
async function startBindRecorder(targetPort: number): Promise<{
  port: number;
  binds: string[];
  close(): Promise<void>;
}> {
  const binds: string[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(targetPort, '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => socket.destroy());
    }
    let pending = Buffer.alloc(0);
    client.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      for (;;) {
        const message = tlv(pending, 0); // LDAPMessage ::= SEQUENCE
        if (!message || message.end > pending.length) break;
        const id = tlv(pending, message.start); // messageID INTEGER
        const op = id && tlv(pending, id.end); // protocolOp
        if (op?.tag === 0x60) {
          // BindRequest ::= [APPLICATION 0] SEQUENCE { version INTEGER, name LDAPDN, … }
          const version = tlv(pending, op.start);
          const name = version && tlv(pending, version.end);
          if (name) binds.push(pending.subarray(name.start, name.end).toString('utf8'));
        }
        pending = pending.subarray(message.end);
      }
      upstream.write(chunk);
    });
    upstream.pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no address');
  return {
    port: address.port,
    binds,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

describe.skipIf(unavailable)('throttling on OpenLDAP (real slapd, binds counted on the wire)', () => {
  const ldap = useOpenLdapFixtures();
  let recorder: Awaited<ReturnType<typeof startBindRecorder>>;
  let erinDn: string;
  let stateDir: string;

  beforeAll(async () => {
    erinDn = `uid=erin,ou=people,${ldap.slapd.suffix}`;
    const root = await ldap.slapd.rootClient();
    try {
      // Two uid values on one entry: two names, one account (one entryUUID).
      await root.add(erinDn, {
        objectClass: 'inetOrgPerson',
        uid: ['erin', 'erin.ellis'],
        cn: 'Erin Ellis',
        sn: 'Ellis',
        displayName: 'Erin Ellis',
        userPassword: ERIN_PASSWORD,
      });
    } finally {
      await root.unbind();
    }
    recorder = await startBindRecorder(ldap.slapd.ldapPort);
    stateDir = await mkdtemp(join(tmpdir(), 'walkup-throttle-state-'));
  });

  afterAll(async () => {
    await recorder?.close();
    if (stateDir) await rm(stateDir, { recursive: true, force: true });
  });

  const erinBinds = () => recorder.binds.filter((dn) => dn === erinDn).length;

  function directory(options: { clock?: FakeClock; store?: ThrottleStore; maxFailures?: number } = {}) {
    const config = directorySchema.parse({
      type: 'openldap',
      servers: [`ldap://127.0.0.1:${recorder.port}`],
      allowInsecure: true,
      baseDN: ldap.slapd.suffix,
      bindDN: ldap.dns.service,
      bindPassword: 'resolved by the caller',
      throttling: {
        minFailureMs: 0,
        perUser: { maxFailures: options.maxFailures ?? 3, windowSeconds: 1800, lockoutSeconds: 900 },
      },
    });
    return createDirectory(config, {
      bindPassword: FIXTURE_SERVICE.password,
      clock: options.clock ?? createFakeClock(),
      logger: silentLogger,
      ...(options.store ? { throttleStore: options.store } : {}),
    });
  }

  const reasonOf = (result: AuthResult) => (result.ok ? `ok:${result.user.username}` : result.reason);

  it('signs erin in when she types her name in fullwidth letters (the search uses the NFKC form)', async () => {
    const before = erinBinds();
    expect(reasonOf(await directory().authenticate('ｅｒｉｎ', ERIN_PASSWORD))).toBe('ok:erin');
    expect(erinBinds()).toBe(before + 1);
  });

  it('sends no bind for any spelling of erin, nor her other uid, once she is throttled', async () => {
    const dir = directory();
    const before = erinBinds();
    for (let i = 0; i < 3; i += 1) {
      expect(reasonOf(await dir.authenticate('erin', `wrong-${i}`))).toBe('invalid-credentials');
    }
    expect(erinBinds()).toBe(before + 3);

    for (const spelling of ['ｅrin', 'ＥＲＩＮ', '𝐞rin', 'erin\u3000', 'ERIN', ' Erin ']) {
      expect(await dir.authenticate(spelling, ERIN_PASSWORD)).toMatchObject({ reason: 'throttled-user' });
    }
    // Another name of the same entry: found by the search, stopped by the account's counter.
    expect(await dir.authenticate('erin.ellis', ERIN_PASSWORD)).toMatchObject({ reason: 'throttled-user' });
    expect(await dir.authenticate('ｅrin.ellis', ERIN_PASSWORD)).toMatchObject({ reason: 'throttled-user' });
    expect(erinBinds()).toBe(before + 3);
  });

  it('binds at most maxFailures times for 20 wrong passwords sent at once in several spellings', async () => {
    const dir = directory();
    const before = erinBinds();
    const spellings = ['erin', 'ｅrin', 'ERIN', 'erin.ellis', 'Erin.Ellis'];
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        dir.authenticate(spellings[i % spellings.length] ?? 'erin', `guess-${i}`),
      ),
    );
    expect(erinBinds() - before).toBeLessThanOrEqual(3);
    expect(results.filter((result) => !result.ok && result.reason === 'invalid-credentials')).toHaveLength(
      erinBinds() - before,
    );
    expect(results.every((result) => !result.ok)).toBe(true);
  });

  it('warns before the last try, alike for a real account and a name slapd does not know', async () => {
    const dir = directory({ maxFailures: 4 });
    const before = erinBinds();
    const told = async (name: string) => {
      const result = await dir.authenticate(name, 'not the password');
      return result.ok ? 'ok' : `${result.reason}:${String(result.attemptsLeft)}`;
    };
    const known: string[] = [];
    const unknown: string[] = [];
    for (let i = 0; i < 4; i += 1) {
      known.push(await told('erin'));
      unknown.push(await told('nobody-in-slapd'));
    }
    expect(known).toEqual([
      'invalid-credentials:undefined',
      'invalid-credentials:2',
      'invalid-credentials:1',
      'invalid-credentials:0',
    ]);
    expect(unknown).toEqual(known);
    // Each wrong password reached slapd; the fifth try of either name never does.
    expect(erinBinds()).toBe(before + 4);
    expect(await dir.authenticate('erin', ERIN_PASSWORD)).toMatchObject({ reason: 'throttled-user' });
    expect(erinBinds()).toBe(before + 4);
  });

  it('stays throttled after a restart mid-window (counters in the state folder)', async () => {
    const clock = createFakeClock();
    const file = join(stateDir, 'throttle-state.json');
    const firstStore = createFileThrottleStore(file, { clock, logger: silentLogger });
    const first = directory({ clock, store: firstStore, maxFailures: 2 });
    const before = erinBinds();
    await first.authenticate('erin', 'wrong-a');
    await first.authenticate('erin.ellis', 'wrong-b');
    await firstStore.flush();

    clock.advance(10 * 60_000);
    const secondStore = createFileThrottleStore(file, { clock, logger: silentLogger });
    const second = directory({ clock, store: secondStore, maxFailures: 2 });
    // A new process would know nothing of erin, but the file does: her names and her account.
    for (const spelling of ['erin', 'erin.ellis', 'ｅrin']) {
      expect(await second.authenticate(spelling, ERIN_PASSWORD)).toMatchObject({ reason: 'throttled-user' });
    }
    expect(erinBinds()).toBe(before + 2);
    // The refused attempts took and gave back slots: their write ends before the folder goes.
    await secondStore.flush();
  });
});
