/**
 * The end-to-end stack, started by Playwright's webServer: a real slapd with the OpenLDAP
 * fixtures, the Duo emulator, and three portal-mode stations built exactly as `walkup serve`
 * builds them (buildStation + startPortal):
 *   - v4 (Universal Prompt) on E2E_PORTS.v4Portal,
 *   - v2 (iframe) on E2E_PORTS.v2Portal,
 *   - a station whose Duo cannot be reached, on E2E_PORTS.duoDownPortal;
 *   - v2 with short idle timings on E2E_PORTS.shortV2Portal (the screens' time bounds), and v2
 *     whose visit cap comes first on E2E_PORTS.capV2Portal (the cap warning);
 *   - real `walkup serve --state-dir` processes of the built CLI (out/cli/cli.mjs), each with a
 *     state folder of its own: a fresh station on E2E_PORTS.firstRunPortal (a policy of switches
 *     only: admin screen on, the servers' CA files; `setup-required`), and two stations configured
 *     by policy with an admin PIN provisioned (E2E_PORTS.adminPortal, E2E_PORTS.lockoutPortal).
 *     What the specs must type (the emulator's host, slapd's URL and DNs) goes to
 *     E2E_STACK_INFO_FILE.
 * Runs until SIGINT/SIGTERM, then stops everything.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createFileSecretStore } from '../../main/cli/file-secret-store';
import { ADMIN_SECRET_NAMES } from '../../main/core/admin/ports';
import { hashPin } from '../../main/core/secrets/pin-hash';
import { createMemoryAuditLog } from '../../main/core/audit';
import { systemClock, type Logger } from '../../main/core/ports';
import { buildStation } from '../../main/core/station';
import type { WalkupConfig } from '../../main/core/config/schema';
import { parseConfig } from '../../main/core/config/schema';
import { portalRedirectUri, startPortal, type RunningPortal } from '../../main/portal';
import { startSlapd } from '../support/slapd';
import { loadOpenLdapFixtures, FIXTURE_SERVICE } from '../support/directory-fixtures/openldap';
import { startDuoEmulator } from '../support/duo-emulator';
import {
  E2E_ADMIN_PIN,
  E2E_MAX_PIN_ATTEMPTS,
  E2E_STACK_INFO_FILE,
  type E2EStackInfo,
} from './admin-stations';
import { E2E_BRANDING } from './branding';
import { E2E_PORTS } from './ports';

const host = '127.0.0.1';
/** Errors only: the stack's output goes to Playwright's log. */
const logger: Logger = { info() {}, warn() {}, error: (event, fields) => console.error(event, fields ?? '') };
const rendererDir = path.resolve(import.meta.dirname, '../../out/renderer');
const repoRoot = path.resolve(import.meta.dirname, '../..');
/** The built CLI (`npm run build`), as an admin would run it. */
const cliPath = path.join(repoRoot, 'out', 'cli', 'cli.mjs');

/** A running `walkup serve` child process. */
interface ServeChild {
  name: string;
  child: ChildProcess;
  exited: Promise<void>;
}

/**
 * Starts `walkup serve` with `args` and resolves once it prints that it serves; its standard error
 * goes to the stack's (Playwright's log), prefixed with `name`. Rejects with that output when it
 * exits first.
 */
function startServe(name: string, args: string[]): Promise<ServeChild> {
  const child = spawn(process.execPath, [cliPath, 'serve', ...args], {
    cwd: repoRoot,
    env: { ...process.env, PORT: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stdout = '';
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    for (const line of chunk.split('\n').filter(Boolean)) console.error(`[${name}] ${line}`);
  });
  return new Promise((resolve, reject) => {
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (stdout.includes('Press Ctrl-C to stop.')) resolve({ name, child, exited });
    });
    void exited.then(() =>
      reject(new Error(`walkup serve (${name}) exited before serving:\n${stdout}\n${stderr}`)),
    );
  });
}

/** The `walkup serve` children started so far, stopped with the stack (or when it fails to start). */
const children: ServeChild[] = [];

/** Writes a policy file (mode 0600: it may hold secrets) and returns its path. */
function writePolicy(dir: string, name: string, policy: Record<string, unknown>): string {
  const file = path.join(dir, name);
  writeFileSync(file, JSON.stringify(policy, null, 2), { mode: 0o600 });
  return file;
}

/** A TCP port with nothing listening: Duo "down" for the out-of-service station. */
async function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen({ host, port: 0 }, () => {
      const address = probe.address();
      probe.close(() => resolve(address && typeof address === 'object' ? address.port : 1));
    });
  });
}

async function main(): Promise<void> {
  const slapd = await startSlapd();
  const dns = await loadOpenLdapFixtures(slapd);
  const emulator = await startDuoEmulator();
  const deadDuoHost = `${host}:${await closedPort()}`;

  const directory = {
    type: 'openldap',
    servers: [slapd.ldapsUrl],
    baseDN: slapd.suffix,
    bindDN: dns.service,
    bindPassword: FIXTURE_SERVICE.password,
    tls: { caFile: slapd.caFile, useSystemCA: false },
    allowedGroups: [dns.groups.enrollers],
    deniedGroups: [dns.groups.contractors],
    // The suite signs in many times; the throttle has its own tests.
    throttling: {
      perUser: { maxFailures: 50, windowSeconds: 60, lockoutSeconds: 1 },
      perStation: { maxFailures: 200, windowSeconds: 60, lockoutSeconds: 1 },
      allClients: { maxFailures: 400, windowSeconds: 60, lockoutSeconds: 1 },
      minFailureMs: 200,
    },
  };
  const station = { name: 'Walkup end-to-end', idle: { doneSeconds: 3, failedSeconds: 3 } };
  /** Close to the shortest timings the schema allows (main/core/config/schema.ts). */
  const shortStation = {
    name: 'Walkup end-to-end (short timings)',
    idle: {
      signInSeconds: 10,
      refusedSeconds: 5,
      warningSeconds: 5,
      duoSeconds: 30,
      visitCapSeconds: 60,
      doneSeconds: 3,
      failedSeconds: 3,
    },
  };
  const capStation = {
    name: 'Walkup end-to-end (visit cap first)',
    // The warning lasts long enough for the test to read and click it on a busy machine.
    idle: { ...shortStation.idle, duoSeconds: 300, warningSeconds: 20 },
  };
  /**
   * The screen sweep's stations (screens-all.spec.ts): named as the demo is, default branding,
   * Done and Failed kept up while each is checked in every language and colour mode.
   */
  const sweepStation = {
    name: 'Walkup demo',
    idle: { refusedSeconds: 300, doneSeconds: 60, failedSeconds: 600 },
  };
  const v4Duo = {
    sdk: 'v4',
    apiHost: emulator.apiHost,
    clientId: emulator.integrations.v4.clientId,
    clientSecret: emulator.integrations.v4.clientSecret,
    caFile: emulator.caFile,
  };
  const v2Duo = {
    sdk: 'v2',
    apiHost: emulator.apiHost,
    ikey: emulator.integrations.v2.ikey,
    skey: emulator.integrations.v2.skey,
    akey: randomBytes(32).toString('hex'),
    caFile: emulator.caFile,
  };

  const portals: RunningPortal[] = [];
  const engines: { engine: { close(): void } }[] = [];
  async function serve(
    port: number,
    duo: Record<string, unknown>,
    stationConfig: Record<string, unknown> = station,
    branding?: Record<string, unknown>,
  ): Promise<void> {
    const parsed = parseConfig({ station: stationConfig, branding, directory, duo, portal: { host, port } });
    if (!parsed.ok) throw new Error(`e2e configuration is invalid:\n${parsed.errors.join('\n')}`);
    const config: WalkupConfig = parsed.config;
    const built = await buildStation(config, {
      clock: systemClock,
      logger,
      audit: createMemoryAuditLog({ clock: systemClock, stationName: config.station.name }),
      redirectUri: portalRedirectUri({ host, port }),
    });
    if (built.problems.length > 0)
      throw new Error(`e2e station is out of service:\n${built.problems.join('\n')}`);
    engines.push(built);
    portals.push(
      await startPortal({
        engine: built.engine,
        rendererDir,
        duoHost: config.duo.sdk === 'v2' ? config.duo.apiHost : undefined,
        logger,
        host,
        port,
      }),
    );
  }

  // Real `walkup serve` stations with a state folder each (issue #11).
  const stateRoot = mkdtempSync(path.join(tmpdir(), 'walkup-e2e-state-'));
  const firstRunPolicy = writePolicy(stateRoot, 'first-run-policy.json', {
    // Switches only, no required key: the station starts in first run (setup-required).
    portal: { host, port: E2E_PORTS.firstRunPortal, adminScreen: true },
    duo: { caFile: emulator.caFile },
    directory: { tls: { caFile: slapd.caFile } },
  });
  children.push(
    await startServe('first-run', [
      '--config',
      firstRunPolicy,
      '--state-dir',
      path.join(stateRoot, 'first-run'),
    ]),
  );
  for (const [name, port] of [
    ['admin', E2E_PORTS.adminPortal],
    ['lockout', E2E_PORTS.lockoutPortal],
  ] as const) {
    const stateDir = path.join(stateRoot, name);
    mkdirSync(stateDir, { mode: 0o700 });
    // What `walkup hash-pin` prints, kept where the admin screen reads the PIN hash.
    const stored = await createFileSecretStore(stateDir).store(
      ADMIN_SECRET_NAMES.pinHash,
      await hashPin(E2E_ADMIN_PIN),
    );
    if (!stored.ok) throw new Error(`e2e: the admin PIN cannot be stored: ${stored.problem}`);
    // Everything but station.name comes from policy (locked); station.name stays editable.
    const policy = writePolicy(stateRoot, `${name}-policy.json`, {
      directory,
      duo: v4Duo,
      admin: { maxPinAttempts: E2E_MAX_PIN_ATTEMPTS },
      portal: { host, port, adminScreen: true },
    });
    children.push(await startServe(name, ['--config', policy, '--state-dir', stateDir]));
  }
  const info: E2EStackInfo = {
    duo: {
      apiHost: emulator.apiHost,
      clientId: emulator.integrations.v4.clientId,
      clientSecret: emulator.integrations.v4.clientSecret,
    },
    directory: {
      url: slapd.ldapsUrl,
      baseDN: slapd.suffix,
      bindDN: dns.service,
      bindPassword: FIXTURE_SERVICE.password,
    },
  };
  mkdirSync(path.dirname(E2E_STACK_INFO_FILE), { recursive: true, mode: 0o700 });
  writeFileSync(E2E_STACK_INFO_FILE, JSON.stringify(info), { mode: 0o600 });

  await serve(E2E_PORTS.v2Portal, v2Duo);
  await serve(E2E_PORTS.duoDownPortal, { ...v4Duo, apiHost: deadDuoHost });
  await serve(E2E_PORTS.shortV2Portal, v2Duo, shortStation);
  await serve(E2E_PORTS.capV2Portal, v2Duo, capStation);
  // The branded station also shows the on-screen keyboard in a browser (touch.spec.ts), and keeps
  // the default failedSeconds (60 s: failed-reference.spec.ts).
  await serve(
    E2E_PORTS.brandedPortal,
    v4Duo,
    { ...station, idle: { doneSeconds: 3 }, onScreenKeyboard: 'on' },
    E2E_BRANDING,
  );
  await serve(E2E_PORTS.sweepV4Portal, v4Duo, sweepStation);
  await serve(E2E_PORTS.sweepV2Portal, v2Duo, sweepStation);
  // Last: Playwright waits for this one's /api/station before it starts the tests.
  await serve(E2E_PORTS.v4Portal, v4Duo);
  console.log(`e2e stack up: slapd ${slapd.ldapsUrl}, Duo emulator ${emulator.baseUrl}`);

  const stop = async () => {
    for (const { child } of children) child.kill('SIGTERM');
    await Promise.allSettled(children.map(({ exited }) => exited));
    rmSync(stateRoot, { recursive: true, force: true });
    rmSync(E2E_STACK_INFO_FILE, { force: true });
    await Promise.allSettled(portals.map((portal) => portal.close()));
    for (const { engine } of engines) engine.close();
    await Promise.allSettled([emulator.close(), slapd.stop()]);
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch(async (error: unknown) => {
  console.error('e2e stack failed to start:', error);
  // Children do not end with this process by themselves: they would keep the fixed ports.
  for (const { child } of children) child.kill('SIGTERM');
  await Promise.allSettled(children.map(({ exited }) => exited));
  process.exit(1);
});
