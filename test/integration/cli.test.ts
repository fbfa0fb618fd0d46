/**
 * The `walkup` command line: the dispatcher and check-config/duo-check/status in-process (with a
 * recording CliIo), and `serve` / `check-config` / `status` as real processes, the way an admin
 * runs them. `status` runs over a real slapd and the Duo emulator.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSRF_HEADER, httpRoutes, type StationInfo } from '../../main/contract';
import type { CliIo } from '../../main/cli/io';
import { runCli } from '../../main/cli/run-cli';
import {
  FIXTURE_SERVICE,
  loadOpenLdapFixtures,
  type fixtureDns,
} from '../support/directory-fixtures/openldap';
import { startDuoEmulator, type DuoEmulator } from '../support/duo-emulator';
import { skipUnlessServer } from '../support/server-skip';
import { slapdUnavailableReason, startSlapd, type SlapdServer } from '../support/slapd';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');
let emulator: DuoEmulator;
let dir: string;

beforeAll(async () => {
  emulator = await startDuoEmulator();
  dir = mkdtempSync(path.join(tmpdir(), 'walkup-cli-test-'));
});
afterAll(async () => {
  await emulator?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function writeJson(name: string, value: unknown): string {
  const file = path.join(dir, name);
  writeFileSync(file, JSON.stringify(value), { mode: 0o600 });
  return file;
}

function demoPolicy(overrides: { clientSecret?: unknown; port?: number } = {}): Record<string, unknown> {
  return {
    directory: { type: 'demo' },
    duo: {
      apiHost: emulator.apiHost,
      clientId: emulator.integrations.v4.clientId,
      clientSecret: overrides.clientSecret ?? emulator.integrations.v4.clientSecret,
      caFile: emulator.caFile,
    },
    ...(overrides.port === undefined ? {} : { portal: { port: overrides.port } }),
  };
}

/** A CliIo that records what a command prints; `stop()` plays Ctrl-C. */
function recordingIo(
  env: NodeJS.ProcessEnv = {},
  stdinText?: string,
): CliIo & { stdout: string[]; stderr: string[]; stop(): void } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const stdin = new PassThrough();
  if (stdinText !== undefined) stdin.end(stdinText);
  let stop: (signal: string) => void = () => {};
  const stopped = new Promise<string>((resolve) => (stop = resolve));
  return {
    stdout,
    stderr,
    out: (line) => stdout.push(line),
    err: (line) => stderr.push(line),
    env,
    cwd: dir,
    stdin,
    waitForStop: () => stopped,
    stop: () => stop('SIGINT'),
  };
}

/** Runs `walkup <args>` as its own process (Node + tsx, as `npm run walkup` does). */
function spawnWalkup(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'main', 'cli.ts'), ...args], {
    cwd: repoRoot,
    env: { ...process.env, PORT: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => ({ stdout, stderr }) };
}

describe('walkup dispatcher', () => {
  it('prints the usage for --help and exits 0', async () => {
    const io = recordingIo();
    expect(await runCli(['--help'], io)).toBe(0);
    expect(io.stdout.join('\n')).toMatch(
      /Usage: walkup <command>[\s\S]*serve[\s\S]*check-config[\s\S]*auth-test[\s\S]*duo-check[\s\S]*status/,
    );
  });

  it('names an unknown command, prints the usage and exits 2', async () => {
    const io = recordingIo();
    expect(await runCli(['enrol'], io)).toBe(2);
    expect(io.stderr[0]).toBe('walkup: unknown command "enrol"');
    expect(io.stderr.join('\n')).toContain('Usage: walkup <command>');
  });

  it('exits 2 without a command', async () => {
    expect(await runCli([], recordingIo())).toBe(2);
  });

  it('refuses an unknown option with exit 2', async () => {
    const io = recordingIo();
    expect(await runCli(['check-config', '--conifg', 'x.json'], io)).toBe(2);
    expect(io.stderr.join('\n')).toContain('--conifg');
  });
});

describe('walkup check-config', () => {
  it('passes a valid demo configuration', async () => {
    const io = recordingIo();
    expect(await runCli(['check-config', '--config', writeJson('valid.json', demoPolicy())], io)).toBe(0);
    expect(io.stdout.at(-1)).toMatch(/valid \(directory demo, Duo Web SDK v4/);
  });

  it('names the key of every problem in a broken file (as a real process)', async () => {
    const file = writeJson('broken.json', {
      directory: { type: 'openldap', servers: ['ldaps://dc1.example.test'], baseDN: 'dc=example,dc=test' },
      duo: { apiHost: 'api-1234abcd.duosecurity.com', clientId: 'too-short', clientSecret: 'x' },
      station: { idle: { duoSeconds: 5 } },
    });
    const run = spawnWalkup(['check-config', '--config', file]);
    expect(await run.exited).toBe(2);
    const lines = run.output().stdout.trim().split('\n');
    expect(lines).toContain('duo.clientId: must be the 20-character Client ID');
    expect(lines.some((line) => line.startsWith('station.idle.duoSeconds: '))).toBe(true);
    expect(lines.at(-1)).toBe(`${file}: 2 problems`);
  });

  it('reports a secret reference that cannot be resolved, by key, without its value', async () => {
    const io = recordingIo({});
    const file = writeJson(
      'env-secret.json',
      demoPolicy({ clientSecret: { env: 'WALKUP_TEST_UNSET_SECRET' } }),
    );
    expect(await runCli(['check-config', '--config', file], io)).toBe(2);
    expect(io.stdout[0]).toBe('duo.clientSecret: environment variable WALKUP_TEST_UNSET_SECRET is not set');
  });

  it('reports a file that is not JSON with its position', async () => {
    const file = path.join(dir, 'not-json.json');
    writeFileSync(file, '{ "directory": { "type": "demo" }, }');
    const io = recordingIo();
    expect(await runCli(['check-config', '--config', file], io)).toBe(2);
    expect(io.stdout[0]).toMatch(/^\(file\): .*line 1, column/);
  });
});

describe('walkup policy-template and check-config --managed (real processes)', () => {
  it('policy-template prints the committed example policy', async () => {
    const run = spawnWalkup(['policy-template']);
    expect(await run.exited).toBe(0);
    const committed = readFileSync(path.join(repoRoot, 'assets/policy/policy.example.jsonc'), 'utf8');
    expect(run.output().stdout).toBe(committed.replace(/\r\n/g, '\n'));
  });

  // The check reads this machine's real managed sources: only where their answer is known.
  const managedSkip =
    process.platform !== 'linux'
      ? 'not Linux (the registry or managed preferences would be read)'
      : existsSync('/etc/walkup/policy.json')
        ? '/etc/walkup/policy.json is deployed on this machine'
        : undefined;
  if (managedSkip) console.warn(`skipping check-config --managed as a real process: ${managedSkip}`);
  it.skipIf(managedSkip !== undefined)(
    'check-config --managed on Linux reads /etc/walkup/policy.json: none deployed is not a valid configuration',
    async () => {
      const run = spawnWalkup(['check-config', '--managed', '--skip-secrets']);
      expect(await run.exited).toBe(2);
      const lines = run.output().stdout.trim().split('\n');
      expect(lines.at(-1)).toMatch(/^managed policy \(none deployed\): \d+ problems?$/);
      expect(lines.some((line) => line.startsWith('directory: '))).toBe(true);
    },
  );
});

describe('walkup duo-check', () => {
  it('prints one JSON line and exits 0 when Duo accepts the credentials', async () => {
    const io = recordingIo();
    expect(await runCli(['duo-check', '--config', writeJson('duo-ok.json', demoPolicy())], io)).toBe(0);
    expect(io.stdout).toHaveLength(1);
    expect(JSON.parse(io.stdout[0]!)).toMatchObject({
      ok: true,
      sdk: 'v4',
      reachable: true,
      credentialsOk: true,
    });
  });

  it('exits 1 when Duo rejects the credentials, and never prints the secret', async () => {
    const wrongSecret = 'wrongSecretWalkup0123456789abcdefABCDEFG';
    const io = recordingIo();
    const file = writeJson('duo-wrong.json', demoPolicy({ clientSecret: wrongSecret }));
    expect(await runCli(['duo-check', '--config', file], io)).toBe(1);
    expect(JSON.parse(io.stdout[0]!)).toMatchObject({ ok: false, reachable: true, credentialsOk: false });
    expect([...io.stdout, ...io.stderr].join('\n')).not.toContain(wrongSecret);
  });

  it('exits 2 when Duo cannot be reached', async () => {
    emulator.setAvailable(false);
    try {
      const io = recordingIo();
      expect(await runCli(['duo-check', '--config', writeJson('duo-down.json', demoPolicy())], io)).toBe(2);
      expect(JSON.parse(io.stdout[0]!)).toMatchObject({ ok: false, reachable: false });
    } finally {
      emulator.setAvailable(true);
    }
  });

  it('exits 2 for an invalid configuration', async () => {
    const io = recordingIo();
    expect(await runCli(['duo-check', '--config', writeJson('duo-bad.json', { duo: {} })], io)).toBe(2);
    expect(JSON.parse(io.stdout[0]!)).toMatchObject({ ok: false, error: 'configuration invalid' });
  });
});

describe('walkup auth-test', () => {
  it('is dispatched with the password on stdin and prints one JSON line', async () => {
    const file = writeJson('auth-test.json', demoPolicy());
    const allowed = recordingIo({}, 'enroll-alice\n');
    expect(await runCli(['auth-test', '--config', file, '--username', 'alice'], allowed)).toBe(0);
    expect(JSON.parse(allowed.stdout[0]!)).toMatchObject({ ok: true, user: { username: 'alice' } });
    const denied = recordingIo({}, 'not-her-password\n');
    expect(await runCli(['auth-test', '--config', file, '--username', 'alice'], denied)).toBe(1);
    expect(JSON.parse(denied.stdout[0]!)).toEqual({ ok: false, reason: 'invalid-credentials' });
  });
});

describe('walkup serve', () => {
  it('serves an out-of-service station and says why when a secret cannot be read', async () => {
    const io = recordingIo({});
    const file = writeJson(
      'serve-no-secret.json',
      demoPolicy({ clientSecret: { env: 'WALKUP_TEST_UNSET_SECRET' }, port: 0 }),
    );
    const serving = runCli(['serve', '--config', file], io);
    await expect.poll(() => io.stdout.join('\n'), { timeout: 30_000 }).toContain('Press Ctrl-C to stop.');
    expect(io.stderr).toContain(
      '  duo.clientSecret: environment variable WALKUP_TEST_UNSET_SECRET is not set',
    );
    const url = /Walkup portal: (http:\/\/[^ ]+)\//.exec(io.stdout.join('\n'))?.[1];
    const station = (await (await fetch(`${url}${httpRoutes.getStation}`)).json()) as StationInfo;
    expect(station).toMatchObject({ inService: false, outOfService: { reason: 'secrets-unavailable' } });
    io.stop();
    expect(await serving).toBe(0);
  });

  it('uses PORT from the environment when neither --port nor the file names a port', async () => {
    const { reserveFreePort } = await import('../../main/portal');
    const port = await reserveFreePort();
    const io = recordingIo({ PORT: String(port) });
    const serving = runCli(['serve', '--config', writeJson('serve-env-port.json', demoPolicy())], io);
    await expect.poll(() => io.stdout.join('\n'), { timeout: 30_000 }).toContain('Press Ctrl-C to stop.');
    expect(io.stdout[0]).toBe(`Walkup portal: http://127.0.0.1:${port}/`);
    io.stop();
    expect(await serving).toBe(0);
  });

  it('starts portal mode, prints the URL and demo accounts, answers /api/station, and stops on SIGINT', async () => {
    const run = spawnWalkup(['serve', '--config', writeJson('serve.json', demoPolicy()), '--port', '0']);
    try {
      await expect.poll(() => run.output().stdout, { timeout: 30_000 }).toContain('Press Ctrl-C to stop.');
      const { stdout } = run.output();
      const url = /Walkup portal: (http:\/\/127\.0\.0\.1:\d+)\//.exec(stdout)?.[1];
      expect(url).toBeDefined();
      expect(stdout).toContain('alice / enroll-alice');
      // The demo station's audit log stays in memory (the station assembly's demo rule).
      expect(stdout).toContain('Audit log: memory (demo)');

      const response = await fetch(`${url}${httpRoutes.getStation}`);
      expect(response.status).toBe(200);
      expect(response.headers.get(CSRF_HEADER)).toBeTruthy();
      const station = (await response.json()) as StationInfo;
      expect(station).toMatchObject({ duoSdk: 'v4', demo: { users: expect.any(Array) } });
    } finally {
      run.child.kill('SIGINT');
    }
    expect(await run.exited).toBe(0);
  });

  it('refuses an invalid configuration with exit 2, naming the key', async () => {
    const run = spawnWalkup([
      'serve',
      '--config',
      writeJson('serve-bad.json', { directory: { type: 'demo' } }),
    ]);
    expect(await run.exited).toBe(2);
    expect(run.output().stderr).toContain('duo');
    expect(run.output().stderr).toMatch(/invalid configuration/);
  });
});

const slapdUnavailable = skipUnlessServer('walkup status over OpenLDAP', slapdUnavailableReason());

describe.skipIf(slapdUnavailable)('walkup status', () => {
  let slapd: SlapdServer;
  let dns: ReturnType<typeof fixtureDns>;
  let bindPasswordFile: string;

  beforeAll(async () => {
    slapd = await startSlapd();
    dns = await loadOpenLdapFixtures(slapd);
    bindPasswordFile = path.join(dir, 'status-bind-password');
    writeFileSync(bindPasswordFile, `${FIXTURE_SERVICE.password}\n`, { mode: 0o600 });
  });
  afterAll(async () => {
    await slapd?.stop();
  });

  /** A station over slapd (LDAPS and ldap:// + StartTLS) and the Duo emulator. */
  function statusPolicy(servers: string[]): Record<string, unknown> {
    return {
      directory: {
        type: 'openldap',
        servers,
        baseDN: slapd.suffix,
        bindDN: dns.service,
        bindPassword: { file: bindPasswordFile },
        tls: { caFile: slapd.caFile, useSystemCA: false, startTLS: true },
      },
      duo: {
        apiHost: emulator.apiHost,
        clientId: emulator.integrations.v4.clientId,
        clientSecret: emulator.integrations.v4.clientSecret,
        caFile: emulator.caFile,
      },
    };
  }

  /** Fails when any secret the station was given appears in the command's output. */
  function expectNoSecret(output: string): void {
    for (const secret of [
      FIXTURE_SERVICE.password,
      emulator.integrations.v4.clientSecret,
      emulator.integrations.v2.skey,
      slapd.rootPassword,
    ]) {
      expect(output).not.toContain(secret);
    }
  }

  it('reports every server and Duo healthy and exits 0 (as a real process, which then exits)', async () => {
    const file = writeJson('status-ok.json', statusPolicy([slapd.ldapsUrl, slapd.ldapUrl]));
    const run = spawnWalkup(['status', '--config', file]);
    expect(await run.exited).toBe(0);
    const { stdout, stderr } = run.output();
    expect(stdout.trim().split('\n')).toHaveLength(1);
    const report = JSON.parse(stdout) as Record<string, unknown>;
    expect(report).toMatchObject({
      inService: true,
      outOfService: null,
      warnings: [],
      directory: { type: 'openldap' },
      duo: { sdk: 'v4', apiHost: emulator.apiHost, ok: true, skewSeconds: expect.any(Number) },
    });
    const servers = (report.directory as { servers: Record<string, unknown>[] }).servers;
    expect(servers.map((server) => server.url)).toEqual([slapd.ldapsUrl, slapd.ldapUrl]);
    for (const server of servers) {
      expect(server).toMatchObject({ reachable: true, tlsOk: true, serviceBindOk: true, insecure: false });
      expect(server).not.toHaveProperty('error');
    }
    expectNoSecret(stdout + stderr);
  });

  it('prints indented JSON with --pretty', async () => {
    const io = recordingIo();
    const file = writeJson('status-pretty.json', statusPolicy([slapd.ldapsUrl]));
    expect(await runCli(['status', '--config', file, '--pretty'], io)).toBe(0);
    expect(io.stdout).toHaveLength(1);
    expect(io.stdout[0]).toContain('\n  "inService": true,\n');
    expect(JSON.parse(io.stdout[0]!)).toMatchObject({ inService: true });
  });

  it('exits 1 with the replica that is a closed port marked unreachable', async () => {
    const { reserveFreePort } = await import('../../main/portal');
    const closedUrl = `ldaps://127.0.0.1:${await reserveFreePort()}`;
    const io = recordingIo();
    const file = writeJson('status-replica-down.json', statusPolicy([slapd.ldapsUrl, closedUrl]));
    expect(await runCli(['status', '--config', file], io)).toBe(1);
    expect(io.stdout).toHaveLength(1);
    const report = JSON.parse(io.stdout[0]!) as {
      inService: boolean;
      warnings: string[];
      directory: { servers: Record<string, unknown>[] };
    };
    expect(report.inService).toBe(true);
    expect(report.warnings).toContain('directory-server-down');
    expect(report.directory.servers[0]).toMatchObject({ url: slapd.ldapsUrl, reachable: true });
    expect(report.directory.servers[1]).toMatchObject({
      url: closedUrl,
      reachable: false,
      error: expect.any(String),
    });
    expectNoSecret([...io.stdout, ...io.stderr].join('\n'));
  });

  it('exits 2 with outOfService duo-unreachable when Duo is down', async () => {
    emulator.setAvailable(false);
    try {
      const io = recordingIo();
      const file = writeJson('status-duo-down.json', statusPolicy([slapd.ldapsUrl]));
      expect(await runCli(['status', '--config', file], io)).toBe(2);
      expect(JSON.parse(io.stdout[0]!)).toMatchObject({
        inService: false,
        outOfService: { reason: 'duo-unreachable' },
        duo: { sdk: 'v4', ok: false, code: 'unreachable' },
      });
      expectNoSecret([...io.stdout, ...io.stderr].join('\n'));
    } finally {
      emulator.setAvailable(true);
    }
  });

  it('exits 2 for a broken configuration, naming the key on stderr and printing no report', async () => {
    const io = recordingIo();
    const policy = statusPolicy([slapd.ldapUrl]);
    const directory = policy.directory as Record<string, unknown>;
    directory.tls = { caFile: slapd.caFile, useSystemCA: false };
    const file = writeJson('status-broken.json', policy);
    expect(await runCli(['status', '--config', file], io)).toBe(2);
    expect(io.stdout).toEqual([]);
    expect(io.stderr[0]).toBe(`walkup status: invalid configuration in ${file}:`);
    expect(io.stderr).toContain(
      '  directory.servers[0]: is plain LDAP: use ldaps://, set tls.startTLS, or set allowInsecure: true',
    );
  });

  it('exits 2 with outOfService secrets-unavailable when the bind password file cannot be read', async () => {
    const io = recordingIo();
    const policy = statusPolicy([slapd.ldapsUrl]);
    (policy.directory as Record<string, unknown>).bindPassword = { file: path.join(dir, 'no-such-file') };
    const file = writeJson('status-no-secret.json', policy);
    expect(await runCli(['status', '--config', file], io)).toBe(2);
    expect(JSON.parse(io.stdout[0]!)).toMatchObject({
      inService: false,
      outOfService: { reason: 'secrets-unavailable' },
    });
    expect(io.stderr.join('\n')).toContain('directory.bindPassword');
    expectNoSecret([...io.stdout, ...io.stderr].join('\n'));
  });
});
