/**
 * `walkup auth-test` reads the directory's bind password the way the station does
 * (`core/config/secrets`): a secret file other users can read is refused naming the key and the
 * mode (no sign-in is tried), and neither the secret nor the typed password reaches the output. The demo
 * directory stands in for LDAP (the command's path is the same).
 */
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runAuthTest } from '../../../main/cli/auth-test';

/** File modes are POSIX; Windows protects files with ACLs, so these cases do not apply there. */
const POSIX_ONLY = process.platform === 'win32';
if (POSIX_ONLY) console.log('skipped: file-mode cases (POSIX permissions; Windows uses ACLs)');

const SECRET = 'service-secret-never-printed';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'walkup-auth-test-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function run(mode: number) {
  const secretFile = path.join(dir, 'bind-password');
  await writeFile(secretFile, `${SECRET}\n`);
  await chmod(secretFile, mode);
  const policy = path.join(dir, 'policy.json');
  await writeFile(
    policy,
    JSON.stringify({
      directory: { type: 'demo', bindPassword: { file: secretFile }, throttling: { minFailureMs: 0 } },
    }),
  );
  const out: string[] = [];
  const err: string[] = [];
  const code = await runAuthTest(['--config', policy, '--username', 'alice'], {
    stdin: Readable.from(['enroll-alice\n']),
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    env: {},
    cwd: dir,
  });
  return { code, out, err, secretFile };
}

describe.skipIf(POSIX_ONLY)('walkup auth-test and the bind password file', () => {
  it('refuses, naming the key and the mode, when other users can read the file', async () => {
    for (const mode of [0o644, 0o640, 0o604]) {
      const { code, out, err, secretFile } = await run(mode);
      expect(code).not.toBe(0);
      expect([...out, ...err].join('\n')).toContain(
        `directory.bindPassword: file ${secretFile} is readable by other users (mode 0${mode.toString(8)}); make it mode 0600`,
      );
      expect([...out, ...err].join('\n')).not.toMatch(new RegExp(`${SECRET}|enroll-alice`));
    }
  });

  it('says nothing about a file only its owner can read', async () => {
    const { code, err } = await run(0o600);
    expect(code).toBe(0);
    expect(err).toEqual([]);
  });
});
