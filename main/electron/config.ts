/**
 * Loads the kiosk's configuration: the managed policy of this platform (Windows registry +
 * policy.json, macOS managed preferences + policy.json, Linux policy.json; `readManagedPolicy`),
 * or `--policy <file>` in development / the demo; then opens the secret store (its insecure-backend
 * switch from the policy alone, since the local settings cannot be verified before it opens);
 * then the local settings the admin screen wrote, verified by their integrity tag, over the policy
 * (`loadStationSources`, validated by the one schema). Local settings that would widen trust are
 * refused on a managed station (`core/config/trust-keys`). With no policy and no local settings
 * the station is `setup-required`: out of service, and its admin gate offers the setup flow.
 * Never throws: problems come back as lines naming the key.
 */
import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import type { AdminSecretStore, LoadedSources } from '../core/admin/ports';
import { loadStationSources } from '../core/admin/station-sources';
import { readPolicyFile, type ConfigFailureReason, type LoadedConfig } from '../core/config/load';
import { readManagedPolicy, type ManagedPolicyReaders } from '../core/config/policy-sources/managed-sources';
import type { WalkupConfig } from '../core/config/schema';
import { silentLogger, type Logger, type SettingsStore } from '../core/ports';
import { choosePolicyFile, managedPolicyPath, parsePolicyArgument } from './config-policy';
import { createKioskSecretStore, type KioskSecretStore } from './kiosk-secret-store';
import type { SafeStorageCipher } from './safe-storage-cipher';

export type KioskConfig =
  | {
      ok: true;
      config: WalkupConfig;
      locked: string[];
      /** The policy file read (`--policy`, or the managed file when deployed). */
      policyFile: string | undefined;
      /** Every managed source that set a key (registry key, managed preferences, file). */
      policySources: string[];
      /** The configuration's parts and where they came from (for the admin screen). */
      sources?: LoadedSources;
      /** The process's one secret store (the station and the admin screen share it). */
      secretStore?: AdminSecretStore & Partial<Pick<KioskSecretStore, 'vaultReader'>>;
    }
  | {
      ok: false;
      /** `waiting-for-configuration`: a managed policy is deployed but lacks `missing`. */
      reason: ConfigFailureReason;
      errors: string[];
      missing?: string[];
      policyFile: string | undefined;
      policySources: string[];
      sources?: LoadedSources;
      secretStore?: AdminSecretStore & Partial<Pick<KioskSecretStore, 'vaultReader'>>;
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
  extra: Pick<KioskConfig, 'sources' | 'secretStore'> = {},
): KioskConfig {
  if (loaded.ok)
    return { ok: true, config: loaded.config, locked: loaded.locked, policyFile, policySources, ...extra };
  return {
    ok: false,
    reason: loaded.reason,
    errors: loaded.errors,
    ...(loaded.missing ? { missing: loaded.missing } : {}),
    policyFile,
    policySources,
    ...extra,
  };
}

/** The policy's `kiosk.allowInsecureSecretStorage`, read before anything is validated. */
export function policyAllowsInsecureSecretStorage(policy: Record<string, unknown>): boolean {
  const kiosk = policy.kiosk;
  return (
    typeof kiosk === 'object' &&
    kiosk !== null &&
    (kiosk as { allowInsecureSecretStorage?: unknown }).allowInsecureSecretStorage === true
  );
}

/** Reads and validates the configuration. */
export async function loadKioskConfig(options: {
  argv: readonly string[];
  isPackaged: boolean;
  /** The local settings file (electron-store, `settings-store.ts`): the signed envelope. */
  settings: SettingsStore;
  /** The kiosk's userData folder (the vault and the backend record). */
  stateDir: string;
  platform?: NodeJS.Platform;
  env?: Readonly<Record<string, string | undefined>>;
  /** Told when a packaged station ignores `--policy`; the secret store logs here too. */
  logger?: Logger;
  /** macOS: whose user-level managed preferences to read (default: the account running the kiosk). */
  userName?: string;
  /** Tests: the managed policy readers (default: the real registry, plist and file readers). */
  readers?: Partial<ManagedPolicyReaders>;
  /** Tests: the secret store (default: the kiosk's vault over safeStorage in `stateDir`). */
  secrets?: AdminSecretStore;
  /** Tests: the cipher of the default secret store. */
  cipher?: SafeStorageCipher;
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

  // 1. The policy: the named file alone in development and the demo (never the machine's MDM
  //    sources), else every managed source of the platform (a missing source takes no part).
  let policy: Record<string, unknown>;
  let policySources: string[];
  let policyFile: string | undefined;
  if (chosen.source === 'argument' && chosen.path !== undefined) {
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
    policy = read.value;
    policySources = [chosen.path];
    policyFile = chosen.path;
  } else {
    const userName = platform === 'darwin' ? (options.userName ?? currentUserName()) : undefined;
    const read = await readManagedPolicy({
      platform,
      policyFile: managedPath,
      ...(userName !== undefined ? { userName } : {}),
      ...(options.readers ? { readers: options.readers } : {}),
    });
    if (!read.ok) {
      return {
        ok: false,
        reason: 'configuration-invalid',
        errors: read.errors,
        policyFile: undefined,
        policySources: [],
      };
    }
    policy = read.value;
    policySources = read.sources;
    policyFile = read.sources.includes(managedPath) ? managedPath : undefined;
  }

  // 2. The secret store, its insecure-backend switch from the policy alone.
  const secretStore =
    options.secrets ??
    createKioskSecretStore({
      stateDir: options.stateDir,
      allowInsecure: policyAllowsInsecureSecretStorage(policy),
      logger: options.logger ?? silentLogger,
      ...(options.cipher ? { cipher: options.cipher } : {}),
    });

  // 3. The verified local settings over the policy.
  const { sources, loaded } = await loadStationSources({
    policy,
    managed: Object.keys(policy).length > 0,
    policySources,
    settingsFile: options.settings,
    secrets: secretStore,
  });
  return toKioskConfig(loaded, policyFile, policySources, { sources, secretStore });
}
