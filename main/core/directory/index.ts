/**
 * Primary authentication for the engine: `createDirectory` picks the LDAP directory (AD,
 * OpenLDAP) or the demo directory from the configuration.
 */
import type { DirectoryConfig } from '../config/schema';
import type { Clock, Logger } from '../ports';
import { createDemoDirectory } from './demo-directory';
import { createLdapDirectory } from './ldap-directory';
import type { ThrottleStore } from './throttle-store';
import type { Directory } from './types';

export type { AuthResult, Directory, DirectoryFailureReason, DirectoryUser, ServerHealth } from './types';
export { DEMO_USERS, type DemoUser } from './demo-directory';
export { AD_SUB_CODES, parseAdSubCode, reasonForBindFailure } from './ad-diagnostics';
export { normalizeLoginName, checkPassword, type LoginName } from './login-name';
export { DEFAULT_USER_FILTERS } from './user-entry';
export { createFileThrottleStore, THROTTLE_STATE_FILE } from './throttle-store-file';
export type { ThrottleStore } from './throttle-store';

/** What the directory needs from its host. */
export interface DirectoryDeps {
  /** The resolved service account password (`directory.bindPassword`), when a bindDN is set. */
  bindPassword?: string;
  clock: Clock;
  logger: Logger;
  /**
   * Where throttle counters live (`createFileThrottleStore` in the station's state folder, so
   * they survive a restart). Default: memory.
   */
  throttleStore?: ThrottleStore;
}

/**
 * Creates the directory the configuration describes. Never throws for configuration problems:
 * the directory then answers every attempt with `configuration` and a detail for the admin.
 */
export function createDirectory(config: DirectoryConfig, deps: DirectoryDeps): Directory {
  if (config.type === 'demo') return createDemoDirectory(config, deps);
  return createLdapDirectory({ ...config, type: config.type }, deps);
}
