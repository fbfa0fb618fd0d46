import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MAX_SIGN_IN_FIELD_LENGTH } from '../../../../main/contract';
import { statusReport } from '../../../../main/core/admin/status-report';
import { silentLogger } from '../../../../main/core/ports';
import { isV2Username, v2UsernameProblem } from '../../../../main/core/duo/web-v2/signature';
import {
  AUDIT_USERNAME_KEY_FILE,
  createUsernameHasher,
  loadAuditUsernameKey,
  signInDeadlineMs,
} from '../../../../main/core/enrollment';
import { ALICE, CapturingLogger, PASSWORD, startHarness, useFakeTimersClosing, type Harness } from './fakes';

/** What a person might type into the username field by mistake. */
const PASSWORD_IN_USERNAME = 'Tr0ub4dor&3-Lobby';

let h: Harness | undefined;
useFakeTimersClosing(() => h);
afterEach(() => {
  h = undefined;
});

/** Every audit record and log line, as text. */
function everything(harness: Harness): string {
  return JSON.stringify({ audit: harness.audit.records, log: harness.logger.lines });
}

describe('what the audit log keeps of a typed username', () => {
  it('records a refused typed name as a keyed hash only, the same for each attempt', async () => {
    h = await startHarness('v4');
    const session = h.engine.openSession({ duoPresentation: 'redirect' });
    await session.signIn({ username: PASSWORD_IN_USERNAME, password: 'whatever-1' });
    await session.signIn({ username: ` ${PASSWORD_IN_USERNAME.toUpperCase()}`, password: 'whatever-2' });
    const failures = h.audit.records.filter((record) => record.type === 'sign-in-failed');
    expect(failures).toHaveLength(2);
    const hashes = failures.map((record) => (record as { usernameHash?: string }).usernameHash);
    expect(hashes[0]).toMatch(/^hmac-sha256:[0-9a-f]{32}$/);
    expect(hashes[1]).toBe(hashes[0]);
    for (const record of failures) expect(record).not.toHaveProperty('username');
    const text = everything(h);
    expect(text).not.toContain(PASSWORD_IN_USERNAME);
    expect(text.toLowerCase()).not.toContain(PASSWORD_IN_USERNAME.toLowerCase());
    expect(text).not.toContain('whatever-');
  });

  it('names the account once the directory resolved it (a failure after sign-in, a success)', async () => {
    h = await startHarness('v4');
    h.duo.healthResult = { ok: false, checkedAt: 0, code: 'unreachable', detail: 'down' };
    const session = h.engine.openSession({ duoPresentation: 'redirect' });
    await session.signIn({ username: 'alice', password: PASSWORD });
    expect(h.audit.records.at(-1)).toMatchObject({
      type: 'sign-in-failed',
      reason: 'duo-unreachable',
      username: 'alice',
    });
    expect(h.audit.records.at(-1)).not.toHaveProperty('usernameHash');
  });

  it('names the account a failure after resolution concerns (the directory says which)', async () => {
    h = await startHarness('v4');
    h.directory.nextFailure = { ok: false, reason: 'in-denied-group', detail: 'denied', account: 'alice' };
    await h.engine.openSession({ duoPresentation: 'view' }).signIn({ username: 'ALICE', password: PASSWORD });
    expect(h.audit.records.at(-1)).toMatchObject({
      type: 'sign-in-failed',
      reason: 'in-denied-group',
      username: 'alice',
    });
    expect(h.audit.records.at(-1)).not.toHaveProperty('usernameHash');
  });

  it('hashes with the station key: another key, another hash; nothing readable in it', () => {
    const one = createUsernameHasher(Buffer.alloc(32, 1));
    const other = createUsernameHasher(Buffer.alloc(32, 2));
    expect(one('alice')).toBe(one('ALICE '));
    expect(one('alice')).toBe(one('ａｌｉｃｅ'));
    expect(one('alice')).not.toBe(other('alice'));
    expect(one('alice')).not.toBe(one('alicf'));
    expect(one('alice')).not.toContain('alice');
  });
});

describe('the username hash key', () => {
  let folder: string | undefined;
  afterEach(() => {
    if (folder) rmSync(folder, { recursive: true, force: true });
    folder = undefined;
  });

  it('uses the configured key when there is one', async () => {
    const loaded = await loadAuditUsernameKey({ configured: 'k'.repeat(40), logger: silentLogger });
    expect(loaded.source).toBe('configured');
    expect(loaded.key.toString('utf8')).toBe('k'.repeat(40));
  });

  it('generates a key once in the state folder (0600) and reuses it after a restart', async () => {
    folder = mkdtempSync(path.join(tmpdir(), 'walkup-state-'));
    const stateDirectory = path.join(folder, 'nested');
    const first = await loadAuditUsernameKey({ stateDirectory, logger: silentLogger });
    const second = await loadAuditUsernameKey({ stateDirectory, logger: silentLogger });
    expect(first.source).toBe('state-file');
    expect(second.key.equals(first.key)).toBe(true);
    const file = path.join(stateDirectory, AUDIT_USERNAME_KEY_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8').trim()).toBe(first.key.toString('hex'));
  });

  it('falls back to a key per process, and says why, when the state file is unusable', async () => {
    folder = mkdtempSync(path.join(tmpdir(), 'walkup-state-'));
    writeFileSync(path.join(folder, AUDIT_USERNAME_KEY_FILE), 'not a key');
    const logger = new CapturingLogger();
    const loaded = await loadAuditUsernameKey({ stateDirectory: folder, logger });
    expect(loaded.source).toBe('process');
    expect(loaded.key).toHaveLength(32);
    expect(logger.lines).toEqual([
      expect.objectContaining({ level: 'warn', event: 'audit.username-key-unavailable' }),
    ]);
    // The unreadable file is left for the admin, not overwritten.
    expect(readFileSync(path.join(folder, AUDIT_USERNAME_KEY_FILE), 'utf8')).toBe('not a key');
  });

  it('the kiosk: generates the key once in its encrypted store, moves an old plain key file in, and falls back per run when the store refuses', async () => {
    folder = mkdtempSync(path.join(tmpdir(), 'walkup-state-'));
    const stored: string[] = [];
    const store = {
      read: async () => stored.at(-1),
      store: async (hex: string) => {
        stored.push(hex);
      },
    };
    const first = await loadAuditUsernameKey({
      stateDirectory: folder,
      keyStore: store,
      logger: silentLogger,
    });
    expect(first.source).toBe('secret-store');
    expect(stored).toEqual([first.key.toString('hex')]);
    const again = await loadAuditUsernameKey({
      stateDirectory: folder,
      keyStore: store,
      logger: silentLogger,
    });
    expect(again.key.equals(first.key)).toBe(true);
    expect(stored).toHaveLength(1);
    expect(() => statSync(path.join(folder!, AUDIT_USERNAME_KEY_FILE))).toThrow();

    // An older station's plain key file: moved into the store (hashes keep correlating), then deleted.
    const oldKey = 'ab'.repeat(32);
    writeFileSync(path.join(folder, AUDIT_USERNAME_KEY_FILE), `${oldKey}\n`, { mode: 0o600 });
    const moved: string[] = [];
    const empty = { read: async () => moved.at(-1), store: async (hex: string) => void moved.push(hex) };
    const migrated = await loadAuditUsernameKey({
      stateDirectory: folder,
      keyStore: empty,
      logger: silentLogger,
    });
    expect(migrated.key.toString('hex')).toBe(oldKey);
    expect(moved).toEqual([oldKey]);
    expect(() => statSync(path.join(folder!, AUDIT_USERNAME_KEY_FILE))).toThrow();

    // A store that refuses (Linux basic_text not allowed): a key per run, said in the log.
    const logger = new CapturingLogger();
    const refused = await loadAuditUsernameKey({
      stateDirectory: folder,
      keyStore: {
        read: async () => undefined,
        store: async () => {
          throw new Error('the secret store only obfuscates (Linux basic_text)');
        },
      },
      logger,
    });
    expect(refused.source).toBe('process');
    expect(logger.lines).toEqual([
      expect.objectContaining({ level: 'warn', event: 'audit.username-key-unavailable' }),
    ]);
    expect(() => statSync(path.join(folder!, AUDIT_USERNAME_KEY_FILE))).toThrow();
  });

  it('uses a random key per process without a state folder', async () => {
    const first = await loadAuditUsernameKey({ logger: silentLogger });
    const second = await loadAuditUsernameKey({ logger: silentLogger });
    expect(first.source).toBe('process');
    expect(first.key.equals(second.key)).toBe(false);
  });
});

describe('input bounds', () => {
  it('answers a field longer than the request schema allows with its typed input problem', async () => {
    h = await startHarness('v4');
    const session = h.engine.openSession({ duoPresentation: 'view' });
    const long = 'u'.repeat(MAX_SIGN_IN_FIELD_LENGTH + 1);
    expect(await session.signIn({ username: long, password: PASSWORD })).toMatchObject({
      ok: false,
      reason: 'invalid-input',
      detail: 'username-too-long',
    });
    expect(await session.signIn({ username: 'alice', password: long })).toMatchObject({
      ok: false,
      reason: 'invalid-input',
      detail: 'password-too-long',
    });
    expect(h.directory.authenticateCalls).toEqual([]);
  });
});

describe('Duo Web SDK v2 usernames', () => {
  it('knows which names v2 cannot carry', () => {
    expect(isV2Username('alice')).toBe(true);
    expect(isV2Username('a:b@example.test')).toBe(true);
    expect(v2UsernameProblem('ali|ce')).toBe('contains-pipe');
    expect(v2UsernameProblem('')).toBe('empty');
    expect(v2UsernameProblem('a\uD800b')).toBe('not-encodable');
  });

  it('sends an account whose name v2 cannot carry to the helpdesk, with its own reason, in service', async () => {
    const pipeUser = { ...ALICE, dn: 'uid=ali|ce,ou=people,dc=example,dc=test', username: 'ali|ce' };
    h = await startHarness('v2', { prepare: ({ directory }) => directory.users.set('ali|ce', pipeUser) });
    const session = h.engine.openSession({ duoPresentation: 'view' });
    const result = await session.signIn({ username: 'ali|ce', password: PASSWORD });
    expect(result).toEqual({ ok: false, reason: 'see-helpdesk', reference: expect.any(String) });
    expect(h.audit.records.at(-1)).toMatchObject({
      type: 'sign-in-failed',
      reason: 'duo-username-unsupported',
      shown: 'see-helpdesk',
      username: 'ali|ce',
    });
    expect(h.logger.lines).toContainEqual(
      expect.objectContaining({
        event: 'duo-username-unsupported',
        fields: expect.objectContaining({ sinceStart: 1 }),
      }),
    );
    // In service, with a warning for the admin (status, the station's answer to every screen).
    expect(h.engine.getStation()).toMatchObject({
      inService: true,
      warnings: ['duo-v2-username-unsupported'],
    });
    expect(session.getVisit()).toEqual({ phase: 'idle' });
    // Others still get through.
    expect(await session.signIn({ username: 'alice', password: PASSWORD })).toMatchObject({ ok: true });
  });

  it('counts v2 username refusals since start and publishes the admin warning once', async () => {
    const pipeUser = { ...ALICE, dn: 'uid=ali|ce,ou=people,dc=example,dc=test', username: 'ali|ce' };
    h = await startHarness('v2', { prepare: ({ directory }) => directory.users.set('ali|ce', pipeUser) });
    expect(h.engine.getStation().warnings).toEqual([]);
    const session = h.engine.openSession({ duoPresentation: 'view' });
    const published: string[][] = [];
    h.engine.onStationChanged((station) => published.push(station.warnings));
    for (let index = 0; index < 3; index += 1) {
      expect(await session.signIn({ username: 'ali|ce', password: PASSWORD })).toMatchObject({
        reason: 'see-helpdesk',
      });
    }
    expect(published).toEqual([['duo-v2-username-unsupported']]);
    const counts = h.logger.lines
      .filter((line) => line.event === 'duo-username-unsupported')
      .map((line) => line.fields?.['sinceStart']);
    expect(counts).toEqual([1, 2, 3]);
    expect(statusReport(h.config, h.engine.getStation(), [], { ok: true, checkedAt: 0 }).warnings).toEqual([
      'duo-v2-username-unsupported',
    ]);
  });

  it('lets the same account through on a v4 station', async () => {
    const pipeUser = { ...ALICE, username: 'ali|ce' };
    h = await startHarness('v4', { prepare: ({ directory }) => directory.users.set('ali|ce', pipeUser) });
    const session = h.engine.openSession({ duoPresentation: 'view' });
    expect(await session.signIn({ username: 'ali|ce', password: PASSWORD })).toMatchObject({ ok: true });
  });
});

describe('every phase has a bound', () => {
  it('gives up a sign-in the directory never answers, and the screen can sign in again', async () => {
    h = await startHarness('v4');
    const harness = h;
    let open!: () => void;
    harness.directory.gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    const session = harness.engine.openSession({ duoPresentation: 'view' });
    const pending = session.signIn({ username: 'alice', password: PASSWORD });
    await vi.advanceTimersByTimeAsync(signInDeadlineMs(harness.config) - 1);
    expect(session.inProgress).toBe(true);
    await vi.advanceTimersByTimeAsync(1);
    expect(await pending).toMatchObject({ ok: false, reason: 'directory-unavailable' });
    expect(session.inProgress).toBe(false);
    expect(harness.audit.records.at(-1)).toMatchObject({
      type: 'sign-in-failed',
      reason: 'unavailable',
      detail: expect.stringContaining('did not answer'),
    });
    // The late answer changes nothing; the next attempt works.
    harness.directory.gate = undefined;
    open();
    await vi.advanceTimersByTimeAsync(0);
    expect(session.getVisit()).toEqual({ phase: 'idle' });
    expect(await session.signIn({ username: 'alice', password: PASSWORD })).toMatchObject({ ok: true });
  });

  it('drops everything of the person at reset: name, v2 APP part, v4 pending authorization', async () => {
    for (const sdk of ['v2', 'v4'] as const) {
      h = await startHarness(sdk);
      const session = h.engine.openSession({ duoPresentation: 'view' });
      expect(await session.signIn({ username: 'alice', password: PASSWORD })).toMatchObject({ ok: true });
      const before = JSON.stringify((session as unknown as { state: unknown }).state);
      expect(before).toContain('alice');
      vi.advanceTimersByTime(h.config.station.idle.duoSeconds * 1000);
      expect(session.getVisit()).toEqual({ phase: 'idle' });
      expect(JSON.stringify((session as unknown as { state: unknown }).state)).toBe('{"phase":"idle"}');
      expect(session.pendingDuoUrl()).toBeUndefined();
      if (sdk === 'v2') {
        expect(await session.submitDuoResponse({ response: h.duo.frameResponse('alice') })).toMatchObject({
          ok: false,
          reason: 'no-visit',
        });
      }
      h.engine.close();
    }
  });
});

describe('which audit lines the per-client bound applies to', () => {
  it('tags refused sign-ins with the client key (IPv6 per /64), and decisions about a person who got in with nothing', async () => {
    h = await startHarness('v4');
    const calls: { type: string; client: string | undefined }[] = [];
    const record = h.audit.record.bind(h.audit);
    h.audit.record = (event, context) => {
      calls.push({ type: event.type, client: context?.client });
      return record(event, context);
    };
    const first = h.engine.openSession({ duoPresentation: 'redirect' });
    await first.signIn({ username: 'alice', password: 'wrong-password' }, { client: '2001:db8:1:2::17' });
    const second = h.engine.openSession({ duoPresentation: 'redirect' });
    await second.signIn({ username: 'alice', password: 'wrong-again' }, { client: '2001:db8:1:2::99' });
    await second.signIn({ username: 'alice', password: PASSWORD }, { client: '2001:db8:1:2::99' });
    const kiosk = h.engine.openSession({ duoPresentation: 'view' });
    await kiosk.signIn({ username: 'nobody', password: 'wrong' });

    const keys = calls.filter((call) => call.type === 'sign-in-failed').map((call) => call.client);
    expect(keys).toHaveLength(3);
    // Two addresses of one /64 are one client; the kiosk has none.
    expect(keys[0]).toMatch(/2001:db8:1:2/);
    expect(keys[1]).toBe(keys[0]);
    expect(keys[2]).toBeUndefined();
    const others = calls.filter((call) => call.type !== 'sign-in-failed');
    expect(others.some((call) => call.type === 'sign-in-succeeded')).toBe(true);
    expect(others.every((call) => call.client === undefined)).toBe(true);
  });
});
