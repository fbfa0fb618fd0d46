/**
 * The managed policy of one station, from every managed source its platform has, merged by the
 * rule in `merge.ts` (sources must agree):
 *
 * - Windows: `HKLM\Software\Policies\Walkup` (registry) and the policy.json file;
 * - macOS: `/Library/Managed Preferences/<bundle id>.plist`, the user-level one when a user is
 *   named, and the policy.json file;
 * - Linux and others: the policy.json file.
 *
 * A source that is not deployed (`missing`) takes no part; any other failure of any source makes
 * the whole read fail, every source's problems listed, so a station never runs on part of its
 * policy. Used through `loadManagedConfig` (`../load-managed.ts`) by the kiosk and by
 * `walkup check-config --managed`: `value` becomes the `policy` source of `loadConfig`.
 */
import { readPolicyFile, type PolicyFileResult } from '../load';
import {
  managedPreferencesPaths,
  readManagedPreferencesFile,
  WALKUP_BUNDLE_ID,
} from './macos-managed-preferences';
import { mergeManagedPolicies, type ManagedPolicySource } from './merge';
import type { PolicySourceResult } from './policy-object';
import { readRegistryPolicy } from './windows-registry';

export interface ManagedPolicyReaders {
  /** The policy.json file (default `readPolicyFile` of `../load.ts`). */
  readJson(path: string): Promise<PolicyFileResult>;
  /** Windows registry policy (default `readRegistryPolicy`). */
  readRegistry(): Promise<PolicySourceResult>;
  /** One managed preferences file (default `readManagedPreferencesFile`). */
  readPlist(path: string): Promise<PolicySourceResult>;
}

const defaultReaders: ManagedPolicyReaders = {
  readJson: (path) => readPolicyFile(path),
  readRegistry: () => readRegistryPolicy(),
  readPlist: (path) => readManagedPreferencesFile(path),
};

export interface ReadManagedPolicyOptions {
  platform: NodeJS.Platform;
  /** The platform's policy.json (`managedPolicyPath` in main/electron/config-policy.ts), if any. */
  policyFile?: string;
  /** macOS: also read this user's user-level managed preferences. */
  userName?: string;
  bundleId?: string;
  readers?: Partial<ManagedPolicyReaders>;
}

export type ManagedPolicyRead =
  | {
      ok: true;
      /** The merged managed policy ({} when nothing is deployed); its keys are locked. */
      value: Record<string, unknown>;
      /** The sources that set at least one key, for the status screen and the log. */
      sources: string[];
    }
  | { ok: false; errors: string[] };

/** Reads and merges every managed source of the platform. Never throws. */
export async function readManagedPolicy(options: ReadManagedPolicyOptions): Promise<ManagedPolicyRead> {
  const readers = { ...defaultReaders, ...options.readers };
  const pending: Promise<{ name: string; result: PolicySourceResult }>[] = [];
  if (options.platform === 'win32') {
    pending.push(
      readers.readRegistry().then((result) => ({ name: 'HKLM\\Software\\Policies\\Walkup', result })),
    );
  }
  if (options.platform === 'darwin') {
    const paths = managedPreferencesPaths(options.bundleId ?? WALKUP_BUNDLE_ID, options.userName);
    for (const path of [paths.computer, paths.user]) {
      if (path !== undefined)
        pending.push(readers.readPlist(path).then((result) => ({ name: path, result })));
    }
  }
  if (options.policyFile !== undefined) {
    const file = options.policyFile;
    pending.push(
      readers.readJson(file).then((read) => ({
        name: file,
        result: read.ok
          ? { ok: true as const, value: read.value }
          : {
              ok: false as const,
              code: read.code === 'missing' ? ('missing' as const) : ('invalid' as const),
              errors: [read.error],
            },
      })),
    );
  }
  const settled = await Promise.all(
    pending.map((read) =>
      read.catch((error: unknown) => ({
        name: 'managed policy',
        result: {
          ok: false as const,
          code: 'unreadable' as const,
          errors: [
            `a managed policy reader failed: ${error instanceof Error ? error.message : String(error)}`,
          ],
        },
      })),
    ),
  );
  const sources: ManagedPolicySource[] = [];
  const errors: string[] = [];
  for (const { name, result } of settled) {
    if (result.ok) sources.push({ name, value: result.value });
    else if (result.code !== 'missing') errors.push(...result.errors);
  }
  if (errors.length > 0) return { ok: false, errors };
  const merged = mergeManagedPolicies(sources);
  return merged.ok ? { ok: true, value: merged.value, sources: merged.sources } : merged;
}
