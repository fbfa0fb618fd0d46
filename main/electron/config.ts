/**
 * Loads the kiosk's configuration: the managed policy file for this platform (or `--policy` in
 * development / the demo) over the local settings written by the admin screen, validated by the
 * one schema (`core/config/load`). Never throws: problems come back as lines naming the key.
 */
import { existsSync } from 'node:fs';
import { loadConfigFiles } from '../core/config/load';
import type { WalkupConfig } from '../core/config/schema';
import type { Logger, SettingsStore } from '../core/ports';
import { choosePolicyFile, managedPolicyPath, parsePolicyArgument } from './config-policy';

export type KioskConfig =
  | { ok: true; config: WalkupConfig; locked: string[]; policyFile: string | undefined }
  | { ok: false; errors: string[]; policyFile: string | undefined };

/** Reads and validates the configuration. */
export async function loadKioskConfig(options: {
  argv: readonly string[];
  isPackaged: boolean;
  settings: SettingsStore;
  platform?: NodeJS.Platform;
  env?: Readonly<Record<string, string | undefined>>;
  /** Told when a packaged station ignores `--policy`. */
  logger?: Logger;
}): Promise<KioskConfig> {
  const platform = options.platform ?? process.platform;
  const managedPath = managedPolicyPath(platform, options.env ?? process.env);
  const chosen = choosePolicyFile({
    argument: parsePolicyArgument(options.argv),
    managedPath,
    managedExists: existsSync(managedPath),
    isPackaged: options.isPackaged,
  });
  if (!chosen.ok) return { ok: false, errors: [chosen.reason], policyFile: undefined };
  if (chosen.ignoredArgument) {
    options.logger?.warn('policy-argument-ignored', { reason: 'packaged', source: chosen.source });
  }

  const local = await options.settings.read();
  const loaded = await loadConfigFiles({
    ...(chosen.path !== undefined ? { policyFile: chosen.path } : {}),
    ...(typeof local === 'object' && local !== null ? { local: local as Record<string, unknown> } : {}),
  });
  return loaded.ok
    ? { ok: true, config: loaded.config, locked: loaded.locked, policyFile: chosen.path }
    : { ok: false, errors: loaded.errors, policyFile: chosen.path };
}
