/**
 * The secret commands, run in-process through the dispatcher: `walkup generate-akey` (a fresh
 * akey Duo v2 accepts), `walkup hash-pin` (scrypt in the documented form, the demo directory's
 * verifier agrees; a PIN from a pipe or typed twice on a terminal without echo) and
 * `walkup import-secrets` (the kiosk's pending import, 0600, names printed, values never). Every
 * test scans what was printed for the secrets it used.
 */
import { EventEmitter } from 'node:events';
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultKioskStateDir } from '../../../main/cli/import-secrets';
import type { CliIo } from '../../../main/cli/io';
import { runCli } from '../../../main/cli/run-cli';
import { verifyScryptHash } from '../../../main/core/directory/demo-directory';
import { duoSecretProblems } from '../../../main/core/duo';
import { parseConfig } from '../../../main/core/config/schema';
import { parseProvisioning, SECRETS_IMPORT_FILE } from '../../../main/core/secrets/provisioning';
import { silentLogger, systemClock } from '../../../main/core/ports';
import { assembleStation } from '../../../main/core/station';
import { refusedPort } from '../../support/directory-fixtures/tcp';

/** File modes are POSIX; Windows protects files with ACLs, so these cases do not apply there. */
const POSIX_ONLY = process.platform === 'win32';
if (POSIX_ONLY) console.log('skipped: file-mode cases (POSIX permissions; Windows uses ACLs)');

const SECRET = 'import-me-secret-0123456789abcdefghijklmn';
const PIN = '40417093';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'walkup-secret-cli-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function recordingIo(
  stdin: CliIo['stdin'] = new PassThrough(),
): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    stdout,
    stderr,
    out: (line) => stdout.push(line),
    err: (line) => stderr.push(line),
    env: {},
    cwd: dir,
    stdin,
    waitForStop: () => new Promise(() => {}),
  };
}

/** A terminal: raw mode is recorded, and each `type` call arrives as typed keys. */
class FakeTerminal extends EventEmitter {
  isTTY = true;
  rawModes: boolean[] = [];
  setRawMode(mode: boolean) {
    this.rawModes.push(mode);
    return this;
  }
  resume() {
    return this;
  }
  pause() {
    return this;
  }
  type(keys: string) {
    this.emit('data', Buffer.from(keys));
  }
}

describe('walkup generate-akey', () => {
  it('prints a new akey of 40+ characters each time, which a v2 configuration accepts', async () => {
    const keys: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const io = recordingIo();
      expect(await runCli(['generate-akey'], io)).toBe(0);
      expect(io.stderr).toEqual([]);
      expect(io.stdout).toHaveLength(1);
      keys.push(io.stdout[0] ?? '');
    }
    expect(new Set(keys).size).toBe(3);
    for (const akey of keys) {
      expect(akey).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const parsed = parseConfig({
        directory: { type: 'demo' },
        duo: {
          sdk: 'v2',
          apiHost: 'api-1.duosecurity.com',
          ikey: 'DIXXXXXXXXXXXXXXXXXX',
          skey: 's'.repeat(40),
          akey,
        },
      });
      if (!parsed.ok) throw new Error(parsed.errors.join());
      expect(duoSecretProblems(parsed.config.duo, { skey: 's'.repeat(40), akey })).toEqual([]);
    }
  });

  it('has --help and refuses options it does not know', async () => {
    const help = recordingIo();
    expect(await runCli(['generate-akey', '--help'], help)).toBe(0);
    expect(help.stdout.join('\n')).toMatch(/^Usage: walkup generate-akey\n/);
    const wrong = recordingIo();
    expect(await runCli(['generate-akey', '--length', '50'], wrong)).toBe(2);
    expect(wrong.stderr.join('\n')).toMatch(/^walkup generate-akey: .*--length/);
  });
});

describe('walkup hash-pin', () => {
  it('hashes a piped PIN into scrypt$16384$8$5$salt$hash, which the one scrypt verifier accepts', async () => {
    const io = recordingIo(Readable.from([`${PIN}\n`]));
    expect(await runCli(['hash-pin'], io)).toBe(0);
    expect(io.stdout).toHaveLength(1);
    const hash = io.stdout[0] ?? '';
    const [scheme, n, r, p, salt, digest] = hash.split('$');
    expect([scheme, n, r, p]).toEqual(['scrypt', '16384', '8', '5']);
    expect(Buffer.from(salt ?? '', 'base64')).toHaveLength(16);
    expect(Buffer.from(digest ?? '', 'base64')).toHaveLength(32);
    expect(await verifyScryptHash(PIN, hash)).toBe(true);
    expect(await verifyScryptHash('40417094', hash)).toBe(false);
    expect([...io.stdout, ...io.stderr].join('\n').replace(hash, '')).not.toContain(PIN);

    // A fresh salt each time.
    const again = recordingIo(Readable.from([PIN]));
    expect(await runCli(['hash-pin'], again)).toBe(0);
    expect(again.stdout[0]).not.toBe(hash);
  });

  it('reads the PIN twice from a terminal without echo, leaving raw mode, and refuses two that differ', async () => {
    const terminal = new FakeTerminal();
    const io = recordingIo(terminal as unknown as CliIo['stdin']);
    const done = runCli(['hash-pin'], io);
    await new Promise((resolve) => setImmediate(resolve));
    terminal.type(`${PIN}\r`);
    await new Promise((resolve) => setImmediate(resolve));
    terminal.type(`${PIN}9\u007f\r`); // a slip, then Backspace
    expect(await done).toBe(0);
    expect(await verifyScryptHash(PIN, io.stdout[0] ?? '')).toBe(true);
    expect(terminal.rawModes).toEqual([true, false, true, false]);
    expect(io.stderr).toEqual(['PIN (input hidden), then Enter:', 'PIN again (input hidden), then Enter:']);

    const other = new FakeTerminal();
    const differ = recordingIo(other as unknown as CliIo['stdin']);
    const refused = runCli(['hash-pin'], differ);
    await new Promise((resolve) => setImmediate(resolve));
    other.type(`${PIN}\r`);
    await new Promise((resolve) => setImmediate(resolve));
    other.type('11112222\r');
    expect(await refused).toBe(2);
    expect(differ.stdout).toEqual([]);
    expect(differ.stderr.at(-1)).toBe('walkup hash-pin: the two PINs differ');
    expect(differ.stderr.join('\n')).not.toMatch(/40417093|11112222/);
  });

  it('refuses a PIN that is not 6 to 16 digits, or none, without printing it', async () => {
    for (const input of ['12345', 'abcdef12', '1'.repeat(17), '12 3456']) {
      const io = recordingIo(Readable.from([`${input}\n`]));
      expect(await runCli(['hash-pin'], io)).toBe(2);
      expect(io.stdout).toEqual([]);
      expect(io.stderr).toEqual(['walkup hash-pin: a PIN is 6 to 16 digits']);
    }
    const empty = recordingIo(Readable.from(['']));
    expect(await runCli(['hash-pin'], empty)).toBe(2);
    expect(empty.stderr).toEqual(['walkup hash-pin: no PIN given (type it, or pipe it on standard input)']);
  });

  it('documents the output format in --help', async () => {
    const io = recordingIo();
    expect(await runCli(['hash-pin', '--help'], io)).toBe(0);
    expect(io.stdout.join('\n')).toContain('scrypt$16384$8$5$<salt, base64>$<hash, base64>');
  });
});

describe('walkup import-secrets', () => {
  async function provisioningFile(content: string, mode = 0o600): Promise<string> {
    const file = path.join(dir, 'secrets.json');
    await writeFile(file, content);
    await chmod(file, mode);
    return file;
  }

  it('writes the pending import in the state folder with mode 0600 and prints names only', async () => {
    const file = await provisioningFile(
      JSON.stringify({ 'duo.clientSecret': SECRET, 'directory.bindPassword': `${SECRET}-bind` }),
    );
    const stateDir = path.join(dir, 'userData');
    const io = recordingIo();
    expect(await runCli(['import-secrets', '--file', file, '--state-dir', stateDir], io)).toBe(0);
    const pending = path.join(stateDir, SECRETS_IMPORT_FILE);
    expect((await stat(pending)).mode & 0o777).toBe(0o600);
    expect(parseProvisioning(await readFile(pending, 'utf8'))).toEqual({
      ok: true,
      secrets: { 'duo.clientSecret': SECRET, 'directory.bindPassword': `${SECRET}-bind` },
    });
    expect(io.stdout[0]).toBe(`pending import written: ${pending} (mode 0600)`);
    expect(io.stdout[1]).toBe('  entries: directory.bindPassword, duo.clientSecret');
    expect([...io.stdout, ...io.stderr].join('\n')).not.toContain(SECRET);

    // A second run before the kiosk started: merged, the replaced name said.
    const second = await provisioningFile(JSON.stringify({ 'duo.clientSecret': `${SECRET}-new` }));
    const again = recordingIo();
    expect(await runCli(['import-secrets', '--file', second, '--state-dir', stateDir], again)).toBe(0);
    expect(again.stdout).toContain('  replaced pending entries: duo.clientSecret');
    expect(again.stdout).toContain('  pending in all: directory.bindPassword, duo.clientSecret');
    expect([...again.stdout, ...again.stderr].join('\n')).not.toContain(SECRET);
  });

  it.skipIf(POSIX_ONLY)(
    'refuses a provisioning file others can read, a bad entry, and a missing file, printing no value',
    async () => {
      const stateDir = path.join(dir, 'userData');
      const readable = await provisioningFile(JSON.stringify({ 'duo.clientSecret': SECRET }), 0o644);
      const cases: [string[], string[]][] = [
        [
          ['--file', readable],
          [
            `walkup import-secrets: file ${readable} is readable by other users (mode 0644); make it mode 0600`,
          ],
        ],
        [
          ['--file', path.join(dir, 'none.json')],
          [`walkup import-secrets: file ${path.join(dir, 'none.json')} does not exist`],
        ],
        [[], ['walkup import-secrets: missing --file <secrets.json>']],
      ];
      for (const [args, stderr] of cases) {
        const io = recordingIo();
        expect(await runCli(['import-secrets', ...args, '--state-dir', stateDir], io)).toBe(2);
        expect(io.stderr).toEqual(stderr);
        expect(io.stdout).toEqual([]);
      }
      const unknown = recordingIo();
      expect(await runCli(['import-secrets', '--file', readable, '--bogus'], unknown)).toBe(2);
      expect(unknown.stderr.join('\n')).toMatch(/^walkup import-secrets: Unknown option '--bogus'/);

      const bad = await provisioningFile(
        JSON.stringify({ 'duo.clientSecret': SECRET, 'bad name': SECRET, 'duo.akey': '' }),
      );
      const io = recordingIo();
      expect(await runCli(['import-secrets', '--file', bad, '--state-dir', stateDir], io)).toBe(2);
      expect(io.stderr).toEqual([
        `walkup import-secrets: file ${bad}: bad name: must be a vault entry name: 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit`,
        `walkup import-secrets: file ${bad}: duo.akey: is empty`,
      ]);
      expect(io.stderr.join('\n')).not.toContain(SECRET);
      // Nothing half written.
      await expect(stat(stateDir)).rejects.toMatchObject({ code: 'ENOENT' });
    },
  );

  it("defaults to this account's kiosk userData folder, as Electron names it", () => {
    expect(defaultKioskStateDir('linux', {}, '/home/kiosk')).toBe('/home/kiosk/.config/Walkup');
    expect(defaultKioskStateDir('linux', { XDG_CONFIG_HOME: '/srv/cfg' }, '/home/kiosk')).toBe(
      '/srv/cfg/Walkup',
    );
    expect(defaultKioskStateDir('linux', { XDG_CONFIG_HOME: 'relative' }, '/home/kiosk')).toBe(
      '/home/kiosk/.config/Walkup',
    );
    expect(defaultKioskStateDir('darwin', {}, '/Users/kiosk')).toBe(
      '/Users/kiosk/Library/Application Support/Walkup',
    );
    expect(
      defaultKioskStateDir('win32', { APPDATA: 'C:\\Users\\kiosk\\AppData\\Roaming' }, 'C:\\Users\\kiosk'),
    ).toBe('C:\\Users\\kiosk\\AppData\\Roaming\\Walkup');
  });

  it('has --help that says where the values go and that they are not encrypted by it', async () => {
    const io = recordingIo();
    expect(await runCli(['import-secrets', '--help'], io)).toBe(0);
    expect(io.stdout.join('\n')).toContain('the values are encrypted by the kiosk, not by');
  });
});

describe('{ vault } references outside the kiosk', () => {
  async function vaultPolicy(): Promise<Record<string, unknown>> {
    return {
      directory: { type: 'demo', throttling: { minFailureMs: 0 } },
      duo: {
        sdk: 'v4',
        apiHost: `127.0.0.1:${await refusedPort()}`,
        clientId: 'DIXXXXXXXXXXXXXXXXXX',
        clientSecret: { vault: 'duo.clientSecret' },
      },
    };
  }
  const refusal =
    'duo.clientSecret: vault entry duo.clientSecret is kept in the kiosk vault, which only the kiosk can read; portal mode and the CLI take { "env": … } or { "file": … }';

  it('check-config notes them (the kiosk reads them at its start) and still passes the policy', async () => {
    const file = path.join(dir, 'policy.json');
    await writeFile(file, JSON.stringify(await vaultPolicy()), { mode: 0o600 });
    const io = recordingIo();
    expect(await runCli(['check-config', '--config', file], io)).toBe(0);
    expect(io.stdout[0]).toBe(`note: ${refusal}`);
    expect(io.stdout.at(-1)).toMatch(/: valid \(directory demo, Duo Web SDK v4/);
  });

  it('portal mode and walkup status have no vault: the station is out of service with the reason', async () => {
    const parsed = parseConfig(await vaultPolicy());
    if (!parsed.ok) throw new Error(parsed.errors.join());
    const station = await assembleStation(parsed.config, {
      clock: systemClock,
      logger: silentLogger,
      audit: 'check',
      redirectUri: 'http://127.0.0.1:8787/duo/callback',
      env: {},
    });
    try {
      expect(station.problems).toEqual([refusal]);
      expect(station.engine.getStation()).toMatchObject({
        inService: false,
        outOfService: { reason: 'secrets-unavailable' },
      });
    } finally {
      await station.stop();
    }
  });
});
