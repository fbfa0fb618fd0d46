/**
 * What the admin service (`admin-service.ts`, the `AdminApi` of main/contract/admin.ts behind both
 * transports) needs from its shell: the kiosk passes Electron's (vault over safeStorage,
 * electron-store, app.relaunch), portal mode its own (0600 files in the state folder, a restart
 * of the serving loop). Every decision stays in core; these are the I/O ends.
 */
import type { SecretStoreInfo } from '../../contract/admin';
import type { AuditLog, AuditRecord } from '../audit/types';
import type { SecretResult } from '../config/secrets';
import type { SecretRef, WalkupConfig } from '../config/schema';
import type { Directory } from '../directory/types';
import type { DuoIntegration } from '../duo/types';
import type { EnrollmentEngine } from '../enrollment/types';
import type { Clock, Logger, SettingsStore } from '../ports';
import { RESERVED_SECRET_NAMES } from '../secrets/names';
import type { PinGateMemory } from './pin-gate-memory';

/** Names of the secret store's entries that are not configuration keys. */
export const ADMIN_SECRET_NAMES: {
  /** The admin PIN's scrypt hash (`pin-hash.ts`), as `walkup hash-pin` prints it. */
  readonly pinHash: 'admin.pinHash';
  /** The HMAC-SHA256 key of the local settings' integrity tag (32 random bytes, base64). */
  readonly settingsKey: 'settings.hmacKey';
} = RESERVED_SECRET_NAMES;

/**
 * Where the admin screen keeps secrets: the kiosk's vault (Electron safeStorage, one 0600 blob
 * per entry), or in portal mode 0600 files in the state folder.
 */
export interface AdminSecretStore {
  /** The backend, whether it really protects data, and why it cannot be used now. */
  describe(): Promise<SecretStoreInfo>;
  /**
   * Stores (or replaces) a secret under `name` (a vault entry name: `duo.clientSecret`,
   * `admin.pinHash`) and returns the reference the configuration should hold for it
   * (`{ vault: name }` in the kiosk, `{ file: path }` in portal mode). Never echoes the value.
   */
  store(name: string, value: string): Promise<{ ok: true; ref: SecretRef } | { ok: false; problem: string }>;
  /** Main only: reads an entry (the PIN hash, the settings key). Never wired to a transport. */
  read(name: string): Promise<SecretResult>;
  has(name: string): Promise<boolean>;
}

/** The configuration as loaded, with where each part came from. */
export interface LoadedSources {
  /** The managed policy (or `--policy` / `--config` file) as read; `{}` when there is none. */
  policy: Record<string, unknown>;
  /** The local settings the admin screen wrote, once their integrity tag was verified. */
  local: Record<string, unknown>;
  /** Whether a managed policy is deployed (trust-widening keys are then policy-only). */
  managed: boolean;
  /** Where the policy came from (registry key, plist, file). */
  policySources: string[];
  /** Problems of the local settings: changed outside Walkup, unverifiable, refused keys. */
  settingsProblems: string[];
}

/** The running station, as the admin screen reads it. */
export interface RunningStationView {
  engine: EnrollmentEngine;
  directory: Directory;
  duo: DuoIntegration;
  /** The valid configuration it runs on, when there is one. */
  config: WalkupConfig | undefined;
  /** Why it is out of service for good (config or secret problems), one line each. */
  problems: string[];
}

export interface AdminServiceDeps {
  clock: Clock;
  logger: Logger;
  /** The station's audit log: admin events are recorded there. */
  audit: AuditLog;
  /** The last audit records, newest first (at most `limit`). */
  recentAudit(limit: number): AuditRecord[];
  secrets: AdminSecretStore;
  /** The raw local settings file (electron-store / a JSON file); the service signs what it writes. */
  settingsFile: SettingsStore;
  sources(): LoadedSources;
  station(): RunningStationView;
  /**
   * The admin settings of the policy (`admin.*`): from the valid configuration, else the policy
   * over the schema's defaults, so a broken configuration still has a PIN gate.
   */
  adminSettings: WalkupConfig['admin'];
  /** Secret reading for a draft check (`{ file }`/`{ env }`/`{ vault }` as the station reads them). */
  readSecret(ref: SecretRef): Promise<SecretResult>;
  /** The v4 redirect_uri a station of this shell uses (for draft checks). */
  redirectUri: string;
  version: { version: string; build: string };
  /** Restarts the station with the saved configuration (kiosk: relaunch; portal: rebuild). */
  restart(): Promise<void>;
  /** Exits the kiosk (portal mode: stops serving). */
  exit(): Promise<void>;
  /**
   * Where the PIN attempts and lockout survive a restart (`pinGateFile` in the state folder);
   * absent: in memory only.
   */
  pinGateMemory?: PinGateMemory;
}
