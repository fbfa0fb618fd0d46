/**
 * `walkup serve [--config <policy.json>] [--state-dir <dir>] [--port N] [--host H]
 * [--allow-host NAME]… [--verbose]`: portal mode. Loads the configuration, builds the station
 * (directory, Duo, engine), serves it over HTTP, prints the URL, and runs until Ctrl-C.
 *
 * Without `--state-dir` it needs `--config`, and an invalid configuration is a usage error (exit
 * 2), as before. With `--state-dir` (the station's state folder: signed `settings.json`,
 * `secrets/`, throttle counters, the default audit log) `--config` is optional (a fresh station
 * has none), a configuration that cannot run yet is served out of service with the reason
 * (`setup-required`, `waiting-for-configuration`, `configuration-invalid`), and, when policy sets
 * `portal.adminScreen`, the admin screen is served to loopback clients: its Restart stops the
 * station and the portal and starts them again from the saved configuration on the same host and
 * port; its Exit stops the process as SIGTERM does (exit 0).
 *
 * Port, highest first: `--port`, `portal.port` set in the file, `PORT` from the environment, 8787.
 * Host: `--host`, else `portal.host` (default 127.0.0.1: exposing the portal is a deliberate choice).
 * Browsers may reach it by IP address, `localhost`, the public URL's name, or a name given with
 * `--allow-host` (other names are refused, against DNS rebinding).
 */
import path from 'node:path';
import type { AdminApi, AdminMethod } from '../contract/admin';
import type { LoadedSources } from '../core/admin';
import { duoDisplayOf } from '../core/duo/registry';
import { systemClock, type Logger } from '../core/ports';
import { settlesWithin, STATION_STOP_STEP_MS, type StationStopReport } from '../core/station';
import {
  parsePortValue,
  portalRedirectUri,
  reserveFreePort,
  startPortal,
  type RunningPortal,
} from '../portal';
import { isLoopbackAddress } from '../portal/host-check';
import { parseCommandOptions, parsePortOption } from './args';
import { createConsoleLogger } from './console-logger';
import { exitCodes, type CliIo } from './io';
import { loadConfigFile } from './load-config';
import { findRendererDir } from './renderer-dir';
import { createServeAdmin } from './serve-admin';
import {
  assembleServeStation,
  loadServeSources,
  servePortalSettings,
  type ServedStation,
} from './serve-station';

/** Whether the file itself sets `portal.port` (the schema's default does not count). */
function fileSetsPort(raw: Record<string, unknown>): boolean {
  const portal = raw.portal;
  return typeof portal === 'object' && portal !== null && 'port' in portal;
}

/** Why a serve run ended. */
type RunEnd = { kind: 'signal'; signal: string } | { kind: 'restart' } | { kind: 'exit' };

/**
 * A restart or exit the admin screen asked for. It is carried out only once the answer to that
 * request has gone out (`answered`), so the admin's browser learns that it was accepted before
 * the portal closes; a request whose answer never completes (the browser went away) is carried
 * out after `ANSWER_GRACE_MS` all the same.
 */
function createAdminStopRequest(): {
  request(kind: 'restart' | 'exit'): void;
  answered(method: AdminMethod): void;
  ended: Promise<RunEnd>;
  dispose(): void;
} {
  let requested: 'restart' | 'exit' | undefined;
  let fire: (end: RunEnd) => void = () => {};
  let grace: ReturnType<typeof setTimeout> | undefined;
  const ended = new Promise<RunEnd>((resolve) => (fire = resolve));
  const end = (): void => {
    if (grace) clearTimeout(grace);
    if (requested) fire({ kind: requested });
  };
  return {
    request(kind) {
      requested ??= kind;
      grace ??= setTimeout(end, ANSWER_GRACE_MS);
    },
    answered(method) {
      if (method === requested) end();
    },
    ended,
    dispose: () => {
      if (grace) clearTimeout(grace);
    },
  };
}

/** How long a requested restart or exit waits for its own answer to be sent, at most (ms). */
const ANSWER_GRACE_MS = 1000;

/** Runs the command; resolves with the exit code once the portal has stopped. */
export async function runServe(args: string[], io: CliIo): Promise<number> {
  const options = parseCommandOptions(args, {
    config: { type: 'string', short: 'c' },
    'state-dir': { type: 'string' },
    port: { type: 'string', short: 'p' },
    host: { type: 'string' },
    'allow-host': { type: 'string', multiple: true },
    verbose: { type: 'boolean' },
  });
  if (!options.ok || (!options.values.config && !options.values['state-dir'])) {
    io.err(
      `walkup serve: ${options.ok ? 'missing --config <policy.json> (or --state-dir <dir> for a station set up in its admin screen)' : options.error}`,
    );
    return exitCodes.usage;
  }
  const flagPort = options.values.port === undefined ? undefined : parsePortOption(options.values.port);
  if (options.values.port !== undefined && flagPort === undefined) {
    io.err(`walkup serve: --port must be an integer 0-65535, got "${options.values.port}"`);
    return exitCodes.usage;
  }
  const configFile =
    options.values.config === undefined ? undefined : path.resolve(io.cwd, options.values.config);
  const stateDir =
    options.values['state-dir'] === undefined ? undefined : path.resolve(io.cwd, options.values['state-dir']);

  // Without a state folder the configuration must be valid now, as before (exit 2 otherwise).
  if (stateDir === undefined && configFile !== undefined) {
    const checked = await loadConfigFile(configFile, io.cwd);
    if (!checked.ok) {
      io.err(`walkup serve: invalid configuration in ${checked.file}:`);
      for (const line of checked.errors) io.err(`  ${line}`);
      return exitCodes.usage;
    }
  }
  const first = await loadServeSources({ configFile, stateDir });
  if (!first.ok) {
    io.err(`walkup serve: cannot read ${configFile ?? 'the configuration'}:`);
    for (const line of first.errors) io.err(`  ${line}`);
    return exitCodes.usage;
  }
  const logger = createConsoleLogger(io, { verbose: options.values.verbose ?? false });

  // Host and port are settled once: a restart serves on the same ones.
  const portalSettings = servePortalSettings(first.loaded, first.sources.policy);
  const host = options.values.host ?? portalSettings.host;
  let port =
    flagPort ??
    (fileSetsPort(first.sources.policy)
      ? portalSettings.port
      : (parsePortValue(io.env.PORT) ?? portalSettings.port));
  // The v4 redirect_uri names the port, so "any free port" is settled before the station exists.
  if (port === 0) port = await reserveFreePort(host);
  const publicUrl = portalSettings.publicUrl;
  const redirectUri = portalRedirectUri({ host, port, publicUrl });

  const stopSignal = io.waitForStop().then((signal): RunEnd => ({ kind: 'signal', signal }));
  let sources = first;
  for (let runs = 0; ; runs += 1) {
    const served = await assembleServeStation(sources.loaded, {
      clock: systemClock,
      logger,
      redirectUri,
      env: io.env,
      stateDir,
    });
    const adminStop = createAdminStopRequest();
    const admin = adminApiFor(served, sources.sources, {
      stateDir,
      redirectUri,
      adminScreen: servePortalSettings(sources.loaded, sources.sources.policy).adminScreen,
      io,
      logger,
      stop: adminStop,
    });

    let portal: RunningPortal;
    try {
      portal = await startPortal({
        engine: served.running.engine,
        rendererDir: findRendererDir(io.env),
        // Only Duo shown in a frame needs the portal's CSP to frame Duo's host.
        duoHost:
          served.config && duoDisplayOf(served.config.duo) === 'frame'
            ? served.config.duo.apiHost
            : undefined,
        publicUrl,
        allowedHostNames: options.values['allow-host'] ?? [],
        trustProxy: portalSettings.trustProxy,
        admin,
        onAdminAnswered: adminStop.answered,
        logger,
        host,
        port,
      });
    } catch (error) {
      adminStop.dispose();
      await served.running.stop();
      const code = (error as NodeJS.ErrnoException).code;
      io.err(`walkup serve: cannot listen on ${host}:${port}${code ? ` (${code})` : ''}`);
      return exitCodes.usage;
    }

    printBanner(io, served, portal, {
      host,
      publicUrl,
      stateDir,
      restarted: runs > 0,
      admin: admin !== undefined,
    });

    const end = await Promise.race([stopSignal, adminStop.ended]);
    adminStop.dispose();
    logger.info('portal.stopping', end.kind === 'signal' ? { signal: end.signal } : { why: end.kind });
    if (end.kind === 'restart') {
      await stopRun(portal, served, io, logger);
      const next = await loadServeSources({ configFile, stateDir });
      if (!next.ok) {
        io.err(`walkup serve: cannot read ${configFile ?? 'the configuration'} at restart:`);
        for (const line of next.errors) io.err(`  ${line}`);
        return exitCodes.usage;
      }
      sources = next;
      continue;
    }
    // A second Ctrl-C ends the process at once (no listener is left: Node's default).
    const forced = setTimeout(() => {
      const open = process
        .getActiveResourcesInfo()
        .filter((name) => name !== 'TTYWrap' && name !== 'Timeout');
      io.err(
        `walkup serve: still not stopped after ${SHUTDOWN_SECONDS} s (open: ${open.join(', ') || 'none'}); exiting`,
      );
      io.forceExit?.(exitCodes.ok);
    }, SHUTDOWN_SECONDS * 1000);
    // Only a process held open by something else gets this far: the timer alone keeps nothing alive.
    forced.unref();
    await stopRun(portal, served, io, logger);
    return exitCodes.ok;
  }
}

/**
 * The admin API of one run, when policy enables the admin screen and a state folder holds its
 * PIN, settings and secrets; undefined otherwise (the routes then do not exist).
 */
function adminApiFor(
  served: ServedStation,
  sources: LoadedSources,
  options: {
    stateDir: string | undefined;
    adminScreen: boolean;
    io: CliIo;
    logger: Logger;
    redirectUri: string;
    stop: ReturnType<typeof createAdminStopRequest>;
  },
): AdminApi | undefined {
  if (!options.adminScreen) return undefined;
  if (options.stateDir === undefined) {
    options.io.err(
      'walkup serve: portal.adminScreen is set, but the admin screen needs --state-dir <dir> (its PIN, settings and secrets); not serving it',
    );
    return undefined;
  }
  const { stateDir } = options;
  return createServeAdmin({
    stateDir,
    served,
    sources,
    logger: options.logger,
    env: options.io.env,
    redirectUri: options.redirectUri,
    requestStop: (kind) => options.stop.request(kind),
  });
}

function printBanner(
  io: CliIo,
  served: ServedStation,
  portal: RunningPortal,
  options: {
    host: string;
    publicUrl: string | undefined;
    stateDir: string | undefined;
    restarted: boolean;
    admin: boolean;
  },
): void {
  if (options.restarted) io.out('Walkup restarted with the saved configuration.');
  io.out(`Walkup portal: ${portal.url}/`);
  io.out(`Audit log: ${served.running.audit.where}`);
  const stateDirectory = served.config?.station.stateDirectory ?? options.stateDir;
  io.out(
    `Throttle counters: ${stateDirectory ?? 'in memory (set station.stateDirectory or --state-dir to keep them across restarts)'}`,
  );
  if (options.admin) io.out('Admin screen: served to this machine only (loopback), behind the admin PIN.');
  // The station still starts (and shows "out of service"), as a kiosk would; the admin reads why here.
  if (served.problems.length > 0) {
    io.err('walkup serve: the station is out of service:');
    for (const line of served.problems) io.err(`  ${line}`);
    // What to do next, without guessing: the screens can fix it only when the admin screen is served.
    io.err(
      options.admin
        ? `walkup serve: to set it up, open ${portal.url}/ on this machine and tap the top-left corner five times (a fresh station opens its setup by itself).`
        : 'walkup serve: to set it up on its screens, run with --state-dir <dir> and a --config policy that sets portal.adminScreen: true (loopback only); or complete the --config policy file.',
    );
  }
  if (
    options.host !== 'localhost' &&
    !isLoopbackAddress(options.host) &&
    !options.publicUrl?.startsWith('https:')
  ) {
    io.err(
      'walkup serve: warning: listening beyond loopback without an https publicUrl; passwords would cross the network in clear text. Put a TLS reverse proxy in front and set portal.publicUrl.',
    );
  }
  if (served.assembled?.demo) {
    io.out('Demo accounts:');
    for (const user of served.assembled.demo.users) io.out(`  ${user.username} / ${user.password}`);
  }
  io.out('Press Ctrl-C to stop.');
}

/** Stops the portal, then the station, each step bounded; reports what could not finish. */
async function stopRun(
  portal: RunningPortal,
  served: ServedStation,
  io: CliIo,
  logger: Logger,
): Promise<void> {
  if (!(await settlesWithin(STATION_STOP_STEP_MS, portal.close()))) {
    logger.warn('portal.close-timeout', { ms: STATION_STOP_STEP_MS });
  }
  reportStop(await served.running.stop(), served.running.audit.where, io, logger);
}

function reportStop(stopped: StationStopReport, auditWhere: string, io: CliIo, logger: Logger): void {
  if (!stopped.stateSaved) logger.warn('state.save-timeout', { ms: STATION_STOP_STEP_MS });
  if ('error' in stopped.audit) {
    io.err(`walkup serve: the audit log at ${auditWhere} could not be closed (${stopped.audit.error})`);
    return;
  }
  const result = stopped.audit;
  if (!result.flushed) {
    io.err(
      `walkup serve: ${result.unwritten.length} audit line(s) could not be written to ${auditWhere}; here they are:`,
    );
    for (const line of result.unwritten) io.err(`  ${line}`);
  }
  if (result.dropped > 0) io.err(`walkup serve: ${result.dropped} audit line(s) were dropped (queue full)`);
}

/**
 * Stop deadline after SIGTERM / Ctrl-C (issue #14: within 5 s, whatever is open). The three stop
 * steps (portal, saved state, audit) get at most `STATION_STOP_STEP_MS` each.
 */
const SHUTDOWN_SECONDS = 5;
