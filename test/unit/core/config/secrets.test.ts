import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../../main/core/config/schema';
import { universalEntry } from '../../../../main/core/duo/universal';
import { webV2Entry } from '../../../../main/core/duo/web-v2';
import {
  defaultSecretIo,
  resolveSecret,
  resolveStationSecrets,
  type SecretIo,
} from '../../../../main/core/config/secrets';

/** File modes are POSIX; Windows protects files with ACLs, so these cases do not apply there. */
const POSIX_ONLY = process.platform === 'win32';
if (POSIX_ONLY) console.log('skipped: file-mode cases (POSIX permissions; Windows uses ACLs)');

const SECRET = 'Very-Secret-Value-123';

describe('resolveSecret', () => {
  let dir: string;
  let io: SecretIo;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'walkup-secret-'));
    io = { ...defaultSecretIo, env: { DUO_SECRET: SECRET, EMPTY: '' } };
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('returns an inline value as it is', async () => {
    expect(await resolveSecret(SECRET, io)).toEqual({ ok: true, value: SECRET });
  });

  it('reads an environment variable', async () => {
    expect(await resolveSecret({ env: 'DUO_SECRET' }, io)).toEqual({ ok: true, value: SECRET });
  });

  it('names a missing or empty environment variable', async () => {
    expect(await resolveSecret({ env: 'NOPE' }, io)).toEqual({
      ok: false,
      error: 'environment variable NOPE is not set',
    });
    expect(await resolveSecret({ env: 'EMPTY' }, io)).toEqual({
      ok: false,
      error: 'environment variable EMPTY is empty',
    });
  });

  it('reads a 0600 file without its trailing newline', async () => {
    const file = join(dir, 'secret');
    await writeFile(file, `${SECRET}\n`, { mode: 0o600 });
    expect(await resolveSecret({ file }, io)).toEqual({ ok: true, value: SECRET });
  });

  it.skipIf(POSIX_ONLY)(
    'refuses a secret file its group or others can read, with the path and the mode, and never its content',
    async () => {
      const file = join(dir, 'secret');
      await writeFile(file, SECRET);
      for (const mode of [0o644, 0o640, 0o604, 0o660, 0o606, 0o700]) {
        await chmod(file, mode);
        const result = await resolveSecret({ file }, io);
        const shown = `0${mode.toString(8)}`;
        if (mode === 0o700) {
          expect(result).toEqual({ ok: true, value: SECRET });
          continue;
        }
        expect(result).toEqual({
          ok: false,
          error: `file ${file} is readable by other users (mode ${shown}); make it mode 0600`,
        });
      }
      await chmod(file, 0o400);
      expect(await resolveSecret({ file }, io)).toEqual({ ok: true, value: SECRET });
    },
  );

  it.skipIf(POSIX_ONLY)(
    'follows a symlink and judges the file it points to; refuses a directory and a dangling link',
    async () => {
      const target = join(dir, 'target');
      await writeFile(target, SECRET, { mode: 0o600 });
      const link = join(dir, 'link');
      await symlink(target, link);
      expect(await resolveSecret({ file: link }, io)).toEqual({ ok: true, value: SECRET });
      await chmod(target, 0o644);
      expect(await resolveSecret({ file: link }, io)).toEqual({
        ok: false,
        error: `file ${link} is readable by other users (mode 0644); make it mode 0600`,
      });

      const folder = join(dir, 'folder');
      await mkdir(folder, { mode: 0o700 });
      expect(await resolveSecret({ file: folder }, io)).toEqual({
        ok: false,
        error: `file ${folder} is a directory`,
      });

      const dangling = join(dir, 'dangling');
      await symlink(join(dir, 'gone'), dangling);
      expect(await resolveSecret({ file: dangling }, io)).toEqual({
        ok: false,
        error: `file ${dangling} does not exist`,
      });
    },
  );

  it('refuses a file that is not a regular file (a FIFO, a device)', async () => {
    const fifo = await resolveSecret(
      { file: '/run/walkup/pipe' },
      { env: {}, readFile: async () => SECRET, stat: async () => ({ mode: 0o010600 }) },
    );
    expect(fifo).toEqual({ ok: false, error: 'file /run/walkup/pipe is not a regular file' });
  });

  it('refuses a vault reference where there is no vault, and asks the vault where there is one', async () => {
    expect(await resolveSecret({ vault: 'duo.clientSecret' }, io)).toEqual({
      ok: false,
      error:
        'vault entry duo.clientSecret is kept in the kiosk vault, which only the kiosk can read; portal mode and the CLI take { "env": … } or { "file": … }',
    });
    const asked: string[] = [];
    const withVault: SecretIo = {
      ...io,
      vault: async (name) => {
        asked.push(name);
        return { ok: true, value: SECRET };
      },
    };
    expect(await resolveSecret({ vault: 'duo.clientSecret' }, withVault)).toEqual({
      ok: true,
      value: SECRET,
    });
    expect(asked).toEqual(['duo.clientSecret']);
  });

  it('names a missing, empty or unreadable file without showing any content', async () => {
    const missing = join(dir, 'missing');
    expect(await resolveSecret({ file: missing }, io)).toEqual({
      ok: false,
      error: `file ${missing} does not exist`,
    });
    const empty = join(dir, 'empty');
    await writeFile(empty, '\n', { mode: 0o600 });
    expect(await resolveSecret({ file: empty }, io)).toEqual({ ok: false, error: `file ${empty} is empty` });
    const denied = await resolveSecret(
      { file: '/etc/walkup/skey' },
      { env: {}, readFile: () => Promise.reject(Object.assign(new Error(SECRET), { code: 'EACCES' })) },
    );
    expect(denied).toEqual({ ok: false, error: 'file /etc/walkup/skey cannot be read (permission denied)' });
  });
});

describe('resolveStationSecrets', () => {
  const base = {
    directory: {
      type: 'openldap',
      servers: ['ldaps://dc1.example.test'],
      baseDN: 'dc=example,dc=test',
      bindDN: 'cn=svc,dc=example,dc=test',
      bindPassword: { env: 'BIND' },
    },
  };

  it('resolves the directory and v2 Duo secrets', async () => {
    const parsed = parseConfig({
      ...base,
      duo: {
        sdk: 'v2',
        apiHost: 'api-1.duosecurity.com',
        ikey: 'DIXXXXXXXXXXXXXXXXXX',
        skey: { env: 'SKEY' },
        akey: 'a'.repeat(40),
      },
    });
    if (!parsed.ok) throw new Error(parsed.errors.join());
    const result = await resolveStationSecrets(parsed.config, {
      env: { BIND: 'bind-pw', SKEY: 's'.repeat(40) },
      readFile: async () => '',
    });
    expect(result).toEqual({
      ok: true,
      secrets: { bindPassword: 'bind-pw', duo: { skey: 's'.repeat(40), akey: 'a'.repeat(40) } },
    });
  });

  it("resolves exactly the secrets the integration's entry lists, for v2 and v4", async () => {
    const v2 = parseConfig({
      ...base,
      duo: {
        sdk: 'v2',
        apiHost: 'api-1.duosecurity.com',
        ikey: 'DI'.padEnd(20, 'X'),
        skey: { env: 'S' },
        akey: { env: 'A' },
      },
    });
    const v4 = parseConfig({
      ...base,
      duo: { apiHost: 'api-1.duosecurity.com', clientId: 'DI'.padEnd(20, 'X'), clientSecret: { env: 'C' } },
    });
    if (!v2.ok || !v4.ok) throw new Error('fixture configurations must parse');
    if (v2.config.duo.sdk !== 'v2' || v4.config.duo.sdk !== 'v4') throw new Error('fixture SDKs');
    const io = { env: { BIND: 'bind-pw' }, readFile: async () => '' };
    const duoErrors = async (config: typeof v2.config) => {
      const result = await resolveStationSecrets(config, io);
      if (result.ok) throw new Error('unset Duo secrets must fail');
      return result.errors.filter((line) => line.startsWith('duo.')).map((line) => line.split(':')[0]);
    };
    const v2Keys = webV2Entry.secretKeys(v2.config.duo).map((secret) => secret.key);
    const v4Keys = universalEntry.secretKeys(v4.config.duo).map((secret) => secret.key);
    expect(v2Keys).toEqual(['duo.skey', 'duo.akey']);
    expect(v4Keys).toEqual(['duo.clientSecret']);
    expect(await duoErrors(v2.config)).toEqual(v2Keys);
    expect(await duoErrors(v4.config)).toEqual(v4Keys);
    const v4Resolved = await resolveStationSecrets(v4.config, {
      ...io,
      env: { BIND: 'bind-pw', C: 'c'.repeat(40) },
    });
    expect(v4Resolved).toEqual({
      ok: true,
      secrets: { bindPassword: 'bind-pw', duo: { clientSecret: 'c'.repeat(40) } },
    });
  });

  it('lists every failing reference by key, and no value', async () => {
    const parsed = parseConfig({
      ...base,
      duo: {
        apiHost: 'api-1.duosecurity.com',
        clientId: 'DIXXXXXXXXXXXXXXXXXX',
        clientSecret: { file: '/run/secrets/duo' },
      },
    });
    if (!parsed.ok) throw new Error(parsed.errors.join());
    const result = await resolveStationSecrets(parsed.config, {
      env: {},
      readFile: () => Promise.reject(Object.assign(new Error('x'), { code: 'ENOENT' })),
    });
    expect(result).toEqual({
      ok: false,
      errors: [
        'directory.bindPassword: environment variable BIND is not set',
        'duo.clientSecret: file /run/secrets/duo does not exist',
      ],
    });
  });
});
