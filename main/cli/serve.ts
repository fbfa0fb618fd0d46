/**
 * `walkup serve --config <policy.json> [--port N] [--host H] [--allow-host NAME]… [--verbose]`:
 * portal mode. Loads and
 * validates the configuration, builds the station (directory, Duo, engine), serves it over HTTP,
 * prints the URL, and runs until Ctrl-C.
 *
 * Port, highest first: `--port`, `portal.port` set in the file, `PORT` from the environment, 8787.
 * Host: `--host`, else `portal.host` (default 127.0.0.1: exposing the portal is a deliberate choice).
 * Browsers may reach it by IP address, `localhost`, the public URL's name, or a name given with
 * `--allow-host` (other names are refused, against DNS rebinding).
 */
import { duoDisplayOf } from '../core/duo/registry';
import { systemClock } from '../core/ports';
import { assembleStation, settlesWithin, STATION_STOP_STEP_MS } from '../core/station';
import { parsePortValue, portalRedirectUri, reserveFreePort, startPortal } from '../portal';
import { parseCommandOptions, parsePortOption } from './args';
import { serveAuditPlacement } from './audit-target';
import { createConsoleLogger } from './console-logger';
import { exitCodes, type CliIo } from './io';
import { loadConfigFile } from './load-config';
import { findRendererDir } from './renderer-dir';

/** Whether the file itself sets `portal.port` (the schema's default does not count). */
function fileSetsPort(raw: Record<string, unknown>): boolean {
  const portal = raw.portal;
  return typeof portal === 'object' && portal !== null && 'port' in portal;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/i;

/** Runs the command; resolves with the exit code once the portal has stopped. */
export async function runServe(args: string[], io: CliIo): Promise<number> {
  const options = parseCommandOptions(args, {
    config: { type: 'string', short: 'c' },
    port: { type: 'string', short: 'p' },
    host: { type: 'string' },
    'allow-host': { type: 'string', multiple: true },
    verbose: { type: 'boolean' },
  });
  if (!options.ok || !options.values.config) {
    io.err(`walkup serve: ${options.ok ? 'missing --config <policy.json>' : options.error}`);
    return exitCodes.usage;
  }
  const flagPort = options.values.port === undefined ? undefined : parsePortOption(options.values.port);
  if (options.values.port !== undefined && flagPort === undefined) {
    io.err(`walkup serve: --port must be an integer 0-65535, got "${options.values.port}"`);
    return exitCodes.usage;
  }

  const loaded = await loadConfigFile(options.values.config, io.cwd);
  if (!loaded.ok) {
    io.err(`walkup serve: invalid configuration in ${loaded.file}:`);
    for (const line of loaded.errors) io.err(`  ${line}`);
    return exitCodes.usage;
  }
  const { config } = loaded;
  const logger = createConsoleLogger(io, { verbose: options.values.verbose ?? false });

  const host = options.values.host ?? config.portal.host;
  let port =
    flagPort ??
    (fileSetsPort(loaded.raw) ? config.portal.port : (parsePortValue(io.env.PORT) ?? config.portal.port));
  // The v4 redirect_uri names the port, so "any free port" is settled before the station exists.
  if (port === 0) port = await reserveFreePort(host);
  const publicUrl = config.portal.publicUrl;
  const redirectUri = portalRedirectUri({ host, port, publicUrl });

  const station = await assembleStation(config, {
    clock: systemClock,
    logger,
    redirectUri,
    env: io.env,
    audit: serveAuditPlacement(io.env),
  });
  const auditWhere = station.audit.where;
  // The station still starts (and shows "out of service"), as a kiosk would; the admin reads why here.
  if (station.problems.length > 0) {
    io.err('walkup serve: the station is out of service:');
    for (const line of station.problems) io.err(`  ${line}`);
  }

  let portal;
  try {
    portal = await startPortal({
      engine: station.engine,
      rendererDir: findRendererDir(io.env),
      // Only Duo shown in a frame needs the portal's CSP to frame Duo's host.
      duoHost: duoDisplayOf(config.duo) === 'frame' ? config.duo.apiHost : undefined,
      publicUrl,
      allowedHostNames: options.values['allow-host'] ?? [],
      trustProxy: config.portal.trustProxy,
      logger,
      host,
      port,
    });
  } catch (error) {
    await station.stop();
    const code = (error as NodeJS.ErrnoException).code;
    io.err(`walkup serve: cannot listen on ${host}:${port}${code ? ` (${code})` : ''}`);
    return exitCodes.usage;
  }

  io.out(`Walkup portal: ${portal.url}/`);
  io.out(`Audit log: ${auditWhere}`);
  io.out(
    `Throttle counters: ${config.station.stateDirectory ?? 'in memory (set station.stateDirectory to keep them across restarts)'}`,
  );
  if (!LOOPBACK.test(host) && !publicUrl?.startsWith('https:')) {
    io.err(
      'walkup serve: warning: listening beyond loopback without an https publicUrl; passwords would cross the network in clear text. Put a TLS reverse proxy in front and set portal.publicUrl.',
    );
  }
  if (station.demo) {
    io.out('Demo accounts:');
    for (const user of station.demo.users) io.out(`  ${user.username} / ${user.password}`);
  }
  io.out('Press Ctrl-C to stop.');

  const signal = await io.waitForStop();
  logger.info('portal.stopping', { signal });
  // A second Ctrl-C ends the process at once (no listener is left: Node's default).
  const forced = setTimeout(() => {
    const open = process.getActiveResourcesInfo().filter((name) => name !== 'TTYWrap' && name !== 'Timeout');
    io.err(
      `walkup serve: still not stopped after ${SHUTDOWN_SECONDS} s (open: ${open.join(', ') || 'none'}); exiting`,
    );
    io.forceExit?.(exitCodes.ok);
  }, SHUTDOWN_SECONDS * 1000);
  // Only a process held open by something else gets this far: the timer alone keeps nothing alive.
  forced.unref();
  if (!(await settlesWithin(STATION_STOP_STEP_MS, portal.close()))) {
    logger.warn('portal.close-timeout', { ms: STATION_STOP_STEP_MS });
  }
  const stopped = await station.stop();
  if (!stopped.stateSaved) logger.warn('state.save-timeout', { ms: STATION_STOP_STEP_MS });
  if ('error' in stopped.audit) {
    io.err(`walkup serve: the audit log at ${auditWhere} could not be closed (${stopped.audit.error})`);
  } else {
    const result = stopped.audit;
    if (!result.flushed) {
      io.err(
        `walkup serve: ${result.unwritten.length} audit line(s) could not be written to ${auditWhere}; here they are:`,
      );
      for (const line of result.unwritten) io.err(`  ${line}`);
    }
    if (result.dropped > 0) io.err(`walkup serve: ${result.dropped} audit line(s) were dropped (queue full)`);
  }
  return exitCodes.ok;
}

/**
 * Stop deadline after SIGTERM / Ctrl-C (issue #14: within 5 s, whatever is open). The three stop
 * steps (portal, saved state, audit) get at most `STATION_STOP_STEP_MS` each.
 */
const SHUTDOWN_SECONDS = 5;
