/**
 * Loads the kiosk's configuration: the managed policy of this platform (Windows registry +
 * policy.json, macOS managed preferences + policy.json, Linux policy.json; `loadManagedConfig`),
 * or `--policy <file>` in development / the demo, over the local settings written by the admin
 * screen, validated by the one schema (`core/config/load`). Local settings that would widen trust
 * are refused (`core/config/trust-keys`). Never throws: problems come back as lines naming the key.
 */
import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import { loadConfig, readPolicyFile, type ConfigFailureReason, type LoadedConfig } from '../core/config/load';
import { loadManagedConfig } from '../core/config/load-managed';
import type { ManagedPolicyReaders } from '../core/config/policy-sources/managed-sources';
import type { WalkupConfig } from '../core/config/schema';
import type { Logger, SettingsStore } from '../core/ports';
import { choosePolicyFile, managedPolicyPath, parsePolicyArgument } from './config-policy';

export type KioskConfig =
  | {
      ok: true;
      config: WalkupConfig;
      locked: string[];
      /** The policy file read (`--policy`, or the managed file when deployed). */
      policyFile: string | undefined;
      /** Every managed source that set a key (registry key, managed preferences, file). */
      policySources: string[];
    }
  | {
      ok: false;
      /** `waiting-for-configuration`: a managed policy is deployed but lacks `missing`. */
      reason: ConfigFailureReason;
      errors: string[];
      missing?: string[];
      policyFile: string | undefined;
      policySources: string[];
    };

/** The account whose user-level managed preferences macOS may hold; undefined when unknown. */
function currentUserName(): string | undefined {
  try {
    return userInfo().username;
  } catch {
    return undefined;
  }
}

function toKioskConfig(
  loaded: LoadedConfig,
  policyFile: string | undefined,
  policySources: string[],
): KioskConfig {
  if (loaded.ok) return { ok: true, config: loaded.config, locked: loaded.locked, policyFile, policySources };
  return {
    ok: false,
    reason: loaded.reason,
    errors: loaded.errors,
    ...(loaded.missing ? { missing: loaded.missing } : {}),
    policyFile,
    policySources,
  };
}

/** Reads and validates the configuration. */
export async function loadKioskConfig(options: {
  argv: readonly string[];
  isPackaged: boolean;
  settings: SettingsStore;
  platform?: NodeJS.Platform;
  env?: Readonly<Record<string, string | undefined>>;
  /** Told when a packaged station ignores `--policy`. */
  logger?: Logger;
  /** macOS: whose user-level managed preferences to read (default: the account running the kiosk). */
  userName?: string;
  /** Tests: the managed policy readers (default: the real registry, plist and file readers). */
  readers?: Partial<ManagedPolicyReaders>;
}): Promise<KioskConfig> {
  const platform = options.platform ?? process.platform;
  const managedPath = managedPolicyPath(platform, options.env ?? process.env);
  const chosen = choosePolicyFile({
    argument: parsePolicyArgument(options.argv),
    managedPath,
    managedExists: existsSync(managedPath),
    isPackaged: options.isPackaged,
  });
  if (!chosen.ok) {
    return {
      ok: false,
      reason: 'configuration-invalid',
      errors: [chosen.reason],
      policyFile: undefined,
      policySources: [],
    };
  }
  if (chosen.ignoredArgument) {
    options.logger?.warn('policy-argument-ignored', { reason: 'packaged', source: chosen.source });
  }

  const stored = await options.settings.read();
  const local =
    typeof stored === 'object' && stored !== null ? (stored as Record<string, unknown>) : undefined;

  if (chosen.source === 'argument' && chosen.path !== undefined) {
    // Development and the demo: the named file alone is the policy (never the machine's MDM sources).
    const read = await (options.readers?.readJson ?? readPolicyFile)(chosen.path);
    if (!read.ok) {
      return {
        ok: false,
        reason: 'configuration-invalid',
        errors: [read.error],
        policyFile: chosen.path,
        policySources: [],
      };
    }
    return toKioskConfig(loadConfig({ policy: read.value, ...(local ? { local } : {}) }), chosen.path, [
      chosen.path,
    ]);
  }

  // Every managed source of the platform; the policy file is read even when `existsSync` said no
  // (a missing source simply takes no part).
  const userName = platform === 'darwin' ? (options.userName ?? currentUserName()) : undefined;
  const loaded = await loadManagedConfig({
    platform,
    policyFile: managedPath,
    ...(userName !== undefined ? { userName } : {}),
    ...(options.readers ? { readers: options.readers } : {}),
    ...(local ? { local } : {}),
  });
  const policyFile = loaded.policySources.includes(managedPath) ? managedPath : undefined;
  return toKioskConfig(loaded, policyFile, loaded.policySources);
}
