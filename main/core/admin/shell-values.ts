/**
 * Values both shells hand the admin service, decided once here: the PIN gate's settings when the
 * configuration may be broken, and the version line the admin screen shows.
 */
import type { BuildInfo } from '../../build-info';
import { adminSchema, type WalkupConfig } from '../config/schema';

/**
 * The admin settings (`admin.*`: PIN attempts, lockout, idle time): the valid configuration's,
 * else the policy's own section over the schema's defaults, so a station that cannot run (or is
 * not set up yet) still has a PIN gate with the limits its policy sets; local settings never
 * weaken it, and a section the schema refuses gives the defaults.
 */
export function adminSettingsOf(
  config: WalkupConfig | undefined,
  policy: Record<string, unknown> | undefined,
): WalkupConfig['admin'] {
  if (config) return config.admin;
  const section = policy?.admin;
  const parsed = adminSchema.safeParse(typeof section === 'object' && section !== null ? section : {});
  return parsed.success ? parsed.data : adminSchema.parse({});
}

/** The version and build as the admin screen shows them (`walkup --version`'s parts). */
export function adminVersion(info: BuildInfo): { version: string; build: string } {
  if (!info.isBuild) return { version: info.version, build: 'run from source' };
  return {
    version: info.version,
    build: `commit ${info.commit ?? 'unknown'}, built ${info.builtAt ?? 'unknown'}`,
  };
}
