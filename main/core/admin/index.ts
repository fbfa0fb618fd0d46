/**
 * The admin screen's core: the service behind both transports, the PIN gate, signed local
 * settings, the station's configuration sources, the settings view and the station check.
 */
export { createAdminService } from './admin-service';
export {
  ADMIN_TOKEN_BYTES,
  createPinGate,
  type PinGate,
  type PinGateDeps,
  type SessionEndReason,
} from './pin-gate';
export {
  ADMIN_SECRET_NAMES,
  type AdminSecretStore,
  type AdminServiceDeps,
  type LoadedSources,
  type RunningStationView,
} from './ports';
export { settingsView } from './settings-view';
export {
  canonicalJson,
  readSignedSettings,
  writeSignedSettings,
  type SignedSettingsRead,
  type SignedSettingsWrite,
} from './signed-settings';
export { loadStationSources, type StationSourcesOptions } from './station-sources';
export { checkStation, statusReport, type CheckableStation, type StatusReport } from './status-report';
