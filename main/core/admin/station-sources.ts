/**
 * The configuration a station runs on, with where each part came from: the managed policy (as
 * the shell read it), the local settings the admin screen wrote (verified by their integrity tag,
 * `signed-settings.ts`), and the schema's defaults. The kiosk and portal mode call exactly this
 * before assembling a station, and hand `sources` to the admin service.
 *
 * Local settings whose tag is missing or wrong, or cannot be checked, put the station out of
 * service (`configuration-invalid`, the problem line as the detail): a station never runs
 * silently on other settings than the ones its admin saved.
 */
import type { SettingsStore } from '../ports';
import { loadConfig, type LoadedConfig } from '../config/load';
import { localTrustProblems } from '../config/trust-keys';
import type { AdminSecretStore, LoadedSources } from './ports';
import { readSignedSettings } from './signed-settings';

export interface StationSourcesOptions {
  /** The managed policy (or `--policy` file) as read; `{}` when there is none. */
  policy: Record<string, unknown>;
  /** Whether a managed policy is deployed. */
  managed: boolean;
  /** Where the policy came from (registry key, plist, file). */
  policySources: string[];
  settingsFile: SettingsStore;
  secrets: AdminSecretStore;
}

/** Reads and verifies the local settings, then loads the configuration. Never throws. */
export async function loadStationSources(
  options: StationSourcesOptions,
): Promise<{ sources: LoadedSources; loaded: LoadedConfig }> {
  const { policy, managed, policySources } = options;
  const read = await readSignedSettings(options.settingsFile, options.secrets);
  const base = { policy, managed, policySources: [...policySources] };
  if (read.problems.length > 0) {
    return {
      sources: { ...base, local: {}, settingsProblems: read.problems },
      loaded: { ok: false, reason: 'configuration-invalid', errors: read.problems, locked: [] },
    };
  }
  const local = read.settings;
  // Verified settings may widen trust only on a station without managed policy (`loadConfig`).
  const localTrusted = !managed;
  const refused = localTrusted ? [] : localTrustProblems(local, policy);
  const loaded = loadConfig({
    ...(Object.keys(policy).length > 0 ? { policy } : {}),
    local,
    localTrusted,
  });
  return { sources: { ...base, local, settingsProblems: refused }, loaded };
}
