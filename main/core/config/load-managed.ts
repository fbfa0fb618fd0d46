/**
 * A station's configuration from every managed source of its platform (issue #11): the managed
 * policy read by `readManagedPolicy` (Windows registry + policy.json, macOS managed preferences +
 * policy.json, Linux policy.json; sources must agree) stands where the policy file stood, over
 * local settings and defaults, validated and locked by `loadConfig`. A deployed source that is
 * broken, or two that disagree, refuse the whole configuration with every problem listed, so a
 * station never runs on part of its policy. Used by the kiosk (`main/electron/config.ts`) and by
 * `walkup check-config --managed`.
 */
import { loadConfig, type ConfigSources, type LoadedConfig } from './load';
import { readManagedPolicy, type ReadManagedPolicyOptions } from './policy-sources/managed-sources';

export type ManagedConfig = LoadedConfig & {
  /** The managed sources that set at least one key (a registry key, a plist, a file). */
  policySources: string[];
};

/** Reads the managed policy, then merges and validates it over `local` and `defaults`. Never throws. */
export async function loadManagedConfig(
  options: ReadManagedPolicyOptions & {
    local?: Record<string, unknown>;
    defaults?: Record<string, unknown>;
  },
): Promise<ManagedConfig> {
  const { local, defaults, ...read } = options;
  const policy = await readManagedPolicy(read);
  if (!policy.ok) {
    return {
      ok: false,
      reason: 'configuration-invalid',
      errors: policy.errors,
      locked: [],
      policySources: [],
    };
  }
  const sources: ConfigSources = {};
  if (Object.keys(policy.value).length > 0) sources.policy = policy.value;
  if (local) sources.local = local;
  if (defaults) sources.defaults = defaults;
  return { ...loadConfig(sources), policySources: policy.sources };
}
