/** The enrollment engine: the visit state machine, station health and the audit trail of visits. */
export {
  createEnrollmentEngine,
  IN_SERVICE_CHECK_MS,
  OUT_OF_SERVICE_CHECK_MS,
  type EnrollmentEngineDeps,
} from './engine';
export type { EnrollmentEngine, VisitSession } from './types';
export { signInDeadlineMs } from './visit-session';
export type { Timers } from '../ports';
export {
  AUDIT_USERNAME_KEY_ENTRY,
  AUDIT_USERNAME_KEY_FILE,
  createUsernameHasher,
  loadAuditUsernameKey,
  type UsernameHasher,
  type UsernameKeyStore,
} from './username-hash';
export { toSignInFailure, toStationSignInFailure, type SignInFailure } from './failure-mapping';
export { assessStation, CLOCK_SKEW_WARNING_SECONDS, type HealthSnapshot } from './station-health';
export { newSupportReference } from './support-reference';
export { createOutOfServiceEngine, unconfiguredDirectory, unconfiguredDuo } from './out-of-service';
