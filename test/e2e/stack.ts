/**
 * The end-to-end stack, started by Playwright's webServer: a real slapd with the OpenLDAP
 * fixtures, the Duo emulator, and three portal-mode stations built exactly as `walkup serve`
 * builds them (buildStation + startPortal):
 *   - v4 (Universal Prompt) on E2E_PORTS.v4Portal,
 *   - v2 (iframe) on E2E_PORTS.v2Portal,
 *   - a station whose Duo cannot be reached, on E2E_PORTS.duoDownPortal;
 *   - v2 with short idle timings on E2E_PORTS.shortV2Portal (the screens' time bounds), and v2
 *     whose visit cap comes first on E2E_PORTS.capV2Portal (the cap warning).
 * Runs until SIGINT/SIGTERM, then stops everything.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import path from 'node:path';
import { createMemoryAuditLog } from '../../main/core/audit';
import { systemClock, type Logger } from '../../main/core/ports';
import { buildStation } from '../../main/core/station';
import type { WalkupConfig } from '../../main/core/config/schema';
import { parseConfig } from '../../main/core/config/schema';
import { portalRedirectUri, startPortal, type RunningPortal } from '../../main/portal';
import { startSlapd } from '../support/slapd';
import { loadOpenLdapFixtures, FIXTURE_SERVICE } from '../support/directory-fixtures/openldap';
import { startDuoEmulator } from '../support/duo-emulator';
import { E2E_PORTS } from './ports';

const host = '127.0.0.1';
/** Errors only: the stack's output goes to Playwright's log. */
const logger: Logger = { info() {}, warn() {}, error: (event, fields) => console.error(event, fields ?? '') };
const rendererDir = path.resolve(import.meta.dirname, '../../out/renderer');

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
  const station = { name: 'Walkup end-to-end', idle: { doneSeconds: 3 } };
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
    },
  };
  const capStation = {
    name: 'Walkup end-to-end (visit cap first)',
    idle: { ...shortStation.idle, duoSeconds: 300 },
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
  ): Promise<void> {
    const parsed = parseConfig({ station: stationConfig, directory, duo, portal: { host, port } });
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

  await serve(E2E_PORTS.v2Portal, v2Duo);
  await serve(E2E_PORTS.duoDownPortal, { ...v4Duo, apiHost: deadDuoHost });
  await serve(E2E_PORTS.shortV2Portal, v2Duo, shortStation);
  await serve(E2E_PORTS.capV2Portal, v2Duo, capStation);
  // Last: Playwright waits for this one's /api/station before it starts the tests.
  await serve(E2E_PORTS.v4Portal, v4Duo);
  console.log(`e2e stack up: slapd ${slapd.ldapsUrl}, Duo emulator ${emulator.baseUrl}`);

  const stop = async () => {
    await Promise.allSettled(portals.map((portal) => portal.close()));
    for (const { engine } of engines) engine.close();
    await Promise.allSettled([emulator.close(), slapd.stop()]);
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error('e2e stack failed to start:', error);
  process.exit(1);
});
