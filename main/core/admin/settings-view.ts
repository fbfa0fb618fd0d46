/**
 * The settings list of the admin screen (issue #11: "for every setting its value (secrets shown
 * only as "set" / "not set") and its source (policy, local, default), with policy-set values
 * locked"): one entry per policy key of the one schema (`policyKeys()`), for Duo only the keys of
 * the SDK in force.
 */
import type { AdminSetting } from '../../contract/admin';
import { isLocked, leafPaths, mergeConfigSources } from '../config/load';
import { policyKeys, type PolicyKey } from '../config/policy-sources/policy-keys';
import { DEFAULT_DUO_SDK } from '../config/schema';
import { trustRules } from '../config/trust-keys';
import type { LoadedSources } from './ports';

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value at a dotted path, or undefined. */
export function valueAtPath(value: unknown, path: string): unknown {
  let here = value;
  for (const segment of path.split('.')) {
    if (!isPlainObject(here) || !Object.hasOwn(here, segment)) return undefined;
    here = here[segment];
  }
  return here;
}

/** Whether a configuration key widens trust (`trust-keys.ts`, all but the `harmless` kind). */
export function widensTrust(path: string): boolean {
  const rule = trustRules[path];
  return rule !== undefined && rule.kind !== 'harmless';
}

/** The policy keys of the Duo SDK in force (`duo.sdk` of the merged sources, else the default). */
export function keysInForce(merged: Record<string, unknown>): PolicyKey[] {
  const sdk = valueAtPath(merged, 'duo.sdk') ?? DEFAULT_DUO_SDK;
  return policyKeys().filter((key) => key.sdk === undefined || key.sdk === sdk);
}

/**
 * Whether the admin screen may change a key here: not set by policy, and on a managed station not
 * a policy-only trust key (a CA file, a server name…). Other trust keys stay editable: the save
 * judges their values by the one rule (`localTrustProblems`: tighten, never loosen).
 */
export function isEditableHere(path: string, locked: boolean, managed: boolean): boolean {
  return !locked && !(managed && trustRules[path]?.kind === 'policy-only');
}

/** One `AdminSetting` per key in force. Secret values never appear: `set` only. */
export function settingsView(sources: Pick<LoadedSources, 'policy' | 'local' | 'managed'>): AdminSetting[] {
  const { merged } = mergeConfigSources({ policy: sources.policy, local: sources.local });
  const locked = leafPaths(sources.policy);
  return keysInForce(merged).map((key) => {
    const fromPolicy = valueAtPath(sources.policy, key.path);
    const fromLocal = valueAtPath(sources.local, key.path);
    const source = fromPolicy !== undefined ? 'policy' : fromLocal !== undefined ? 'local' : 'default';
    const setting: AdminSetting = {
      path: key.path,
      kind: key.kind,
      source,
      locked: isLocked(locked, key.path),
      widensTrust: widensTrust(key.path),
      editable: isEditableHere(key.path, isLocked(locked, key.path), sources.managed),
    };
    if (key.values) setting.values = [...key.values];
    if (key.kind === 'secret') {
      setting.set = valueAtPath(merged, key.path) !== undefined;
    } else {
      const value = valueAtPath(merged, key.path) ?? key.default;
      if (value !== undefined) setting.value = value;
    }
    return setting;
  });
}
