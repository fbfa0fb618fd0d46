/**
 * Reads and validates the configuration file a command was given (`readPolicyFile` +
 * `parseConfig`), or this machine's managed policy (`--managed`): one place for file errors and
 * the "one line per problem, naming the key" report.
 */
import path from 'node:path';
import { readPolicyFile } from '../core/config/load';
import { loadManagedConfig } from '../core/config/load-managed';
import type { ManagedPolicyReaders } from '../core/config/policy-sources/managed-sources';
import { managedPolicyPath } from '../core/config/policy-sources/policy-paths';
import { parseConfig, type WalkupConfig } from '../core/config/schema';

/** A validated configuration with its raw file value, or one line per problem. */
export type LoadConfigResult =
  | { ok: true; config: WalkupConfig; raw: Record<string, unknown>; file: string }
  | { ok: false; file: string; errors: string[]; missing?: undefined };

/** Loads `file` (relative to `cwd`) and validates it with the configuration schema. */
export async function loadConfigFile(file: string, cwd: string): Promise<LoadConfigResult> {
  const resolved = path.resolve(cwd, file);
  const read = await readPolicyFile(resolved);
  if (!read.ok) return { ok: false, file: resolved, errors: [`(file): ${read.error}`] };
  const parsed = parseConfig(read.value);
  return parsed.ok
    ? { ok: true, config: parsed.config, raw: read.value, file: resolved }
    : { ok: false, file: resolved, errors: parsed.errors };
}

/** Where `--managed` reads from: this machine's platform and managed policy readers (tests inject them). */
export interface ManagedSourcesDeps {
  platform?: NodeJS.Platform;
  /** macOS: whose user-level managed preferences to read too. */
  userName?: string;
  readers?: Partial<ManagedPolicyReaders>;
}

/** A managed configuration checked by the CLI: as `LoadConfigResult`, plus the missing keys when that is all. */
export type ManagedLoadResult =
  | { ok: true; config: WalkupConfig; file: string; sources: string[] }
  | { ok: false; file: string; errors: string[]; missing?: string[]; sources: string[] };

/**
 * Loads this machine's managed policy the way the kiosk does (`loadManagedConfig`: Windows
 * registry + policy.json, macOS managed preferences + policy.json, Linux policy.json), without
 * local settings. `file` names what was read for the summary line.
 */
export async function loadManagedCliConfig(
  env: Readonly<Record<string, string | undefined>>,
  deps: ManagedSourcesDeps = {},
): Promise<ManagedLoadResult> {
  const platform = deps.platform ?? process.platform;
  const loaded = await loadManagedConfig({
    platform,
    policyFile: managedPolicyPath(platform, env),
    ...(deps.userName !== undefined ? { userName: deps.userName } : {}),
    ...(deps.readers ? { readers: deps.readers } : {}),
  });
  const file = `managed policy (${loaded.policySources.length > 0 ? loaded.policySources.join(', ') : 'none deployed'})`;
  if (loaded.ok) return { ok: true, config: loaded.config, file, sources: loaded.policySources };
  return {
    ok: false,
    file,
    errors: loaded.errors,
    ...(loaded.missing ? { missing: loaded.missing } : {}),
    sources: loaded.policySources,
  };
}
