/**
 * One run of `walkup serve`'s station: reads the sources (the `--config` policy file and, with
 * `--state-dir`, the signed local settings), then assembles the station through the one station
 * assembly (`core/station`), or, when the configuration cannot run, an out-of-service station
 * with the reason (`setup-required`, `waiting-for-configuration`, `configuration-invalid`), as
 * the kiosk does, so the admin screen can fix it. `serve.ts` calls it at start and at every
 * admin restart.
 */
import path from 'node:path';
import type { LoadedSources } from '../core/admin/ports';
import { loadStationSources } from '../core/admin/station-sources';
import type { AuditPlacement } from '../core/audit';
import { loadConfig, readPolicyFile, type LoadedConfig } from '../core/config/load';
import { DEFAULT_DUO_SDK, portalSchema, type WalkupConfig } from '../core/config/schema';
import type { Directory } from '../core/directory/types';
import type { DuoIntegration } from '../core/duo/types';
import { unconfiguredDirectory, unconfiguredDuo } from '../core/enrollment';
import type { Clock, Logger } from '../core/ports';
import {
  assembleOutOfServiceStation,
  assembleStation,
  type AssembledStation,
  type RunningStation,
} from '../core/station';
import { serveAuditPlacement } from './audit-target';
import { createFileSecretStore } from './file-secret-store';
import { createSettingsFile } from './settings-file';

/** The audit log's name inside a state folder (when `audit.file` is unset). */
export const STATE_DIR_AUDIT_FILE = 'audit.jsonl';

/** Where one serve run reads its configuration. */
export interface ServeSourceOptions {
  /** The policy file (`--config`), absolute; absent: no policy (a fresh station). */
  configFile: string | undefined;
  /** The state folder (`--state-dir`), absolute; absent: no local settings, no admin screen. */
  stateDir: string | undefined;
}

/** The sources as read, or why the policy file itself cannot be used (a usage error). */
export type ServeSourcesResult =
  { ok: true; loaded: LoadedConfig; sources: LoadedSources } | { ok: false; errors: string[] };

/**
 * Reads the policy file (when given) and, with a state folder, loads the configuration the way
 * every shell does (`loadStationSources`: signed local settings over defaults, under the policy;
 * a settings file changed outside Walkup puts the station out of service). Without a state
 * folder the policy file alone is the configuration. A policy file that is missing or not a JSON
 * object is an error for the command line; everything else is the configuration's verdict
 * (`loaded`).
 */
export async function loadServeSources(options: ServeSourceOptions): Promise<ServeSourcesResult> {
  let policy: Record<string, unknown> = {};
  if (options.configFile !== undefined) {
    const read = await readPolicyFile(options.configFile);
    if (!read.ok) return { ok: false, errors: [`(file): ${read.error}`] };
    policy = read.value;
  }
  const managed = Object.keys(policy).length > 0;
  const policySources = options.configFile !== undefined && managed ? [options.configFile] : [];
  if (options.stateDir === undefined) {
    return {
      ok: true,
      loaded: loadConfig({ policy }),
      sources: { policy, local: {}, managed, policySources, settingsProblems: [] },
    };
  }
  const { loaded, sources } = await loadStationSources({
    policy,
    managed,
    policySources,
    settingsFile: createSettingsFile(options.stateDir),
    secrets: createFileSecretStore(options.stateDir),
  });
  return { ok: true, loaded, sources };
}

/**
 * The `portal` section that decides where and how the station is served: the valid
 * configuration's, else the policy's own (over the schema's defaults), so a station that is not
 * configured yet still listens where policy says and serves the admin screen when policy
 * enables it (local settings can never turn it on).
 */
export function servePortalSettings(
  loaded: LoadedConfig,
  policy: Record<string, unknown>,
): WalkupConfig['portal'] {
  if (loaded.ok) return loaded.config.portal;
  const parsed = portalSchema.safeParse(
    typeof policy.portal === 'object' && policy.portal !== null ? policy.portal : {},
  );
  return parsed.success ? parsed.data : portalSchema.parse({});
}

/** The audit placement of one serve run: `<state-dir>/audit.jsonl`, else the per-user default. */
export function serveStationAuditPlacement(
  stateDir: string | undefined,
  env: NodeJS.ProcessEnv,
): AuditPlacement {
  return stateDir !== undefined
    ? { defaultFile: path.join(stateDir, STATE_DIR_AUDIT_FILE) }
    : serveAuditPlacement(env);
}

/** A station as one serve run holds it. */
export interface ServedStation {
  running: RunningStation;
  /** The assembled station when the configuration is valid (it may still be out of service). */
  assembled: AssembledStation | undefined;
  config: WalkupConfig | undefined;
  directory: Directory;
  duo: DuoIntegration;
  /** Why it is out of service for good, one line per problem; empty when it runs. */
  problems: string[];
}

/**
 * Assembles the station of one run: the real one for a valid configuration, else an
 * out-of-service one whose reason says why (the missing keys, or the problems, as detail).
 * Never throws.
 */
export async function assembleServeStation(
  loaded: LoadedConfig,
  deps: {
    clock: Clock;
    logger: Logger;
    redirectUri: string;
    env: NodeJS.ProcessEnv;
    stateDir: string | undefined;
  },
): Promise<ServedStation> {
  const { clock, logger } = deps;
  const audit = serveStationAuditPlacement(deps.stateDir, deps.env);
  const onAuditError = (error: Error): void => logger.error('audit-write-failed', { error: error.name });
  if (!loaded.ok) {
    const detail = loaded.missing ? `missing keys: ${loaded.missing.join(', ')}` : loaded.errors.join('; ');
    const running = assembleOutOfServiceStation(
      { reason: loaded.reason, detail },
      { clock, logger, audit, onAuditError },
    );
    return {
      running,
      assembled: undefined,
      config: undefined,
      directory: unconfiguredDirectory,
      duo: unconfiguredDuo(DEFAULT_DUO_SDK),
      problems: loaded.missing ? [`missing keys: ${loaded.missing.join(', ')}`] : loaded.errors,
    };
  }
  const { config } = loaded;
  const assembled = await assembleStation(config, {
    clock,
    logger,
    redirectUri: deps.redirectUri,
    env: deps.env,
    audit,
    onAuditError,
    ...(deps.stateDir !== undefined ? { defaultStateDirectory: deps.stateDir } : {}),
  });
  return {
    running: assembled,
    assembled,
    config,
    directory: assembled.directory,
    duo: assembled.duo,
    problems: assembled.problems,
  };
}
