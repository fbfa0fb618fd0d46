/**
 * The Duo integration of a station that cannot be built (unreadable secrets, unusable keys): it
 * is never reachable, so the station stays out of service, and it never begins a step.
 */
import type { DuoIntegration, DuoSdk } from './types';

/** A Duo integration that is never reachable; `sdk` is what the station reports. */
export function unconfiguredDuo(sdk: DuoSdk): DuoIntegration {
  return {
    sdk,
    health: async () => ({
      ok: false,
      checkedAt: Date.now(),
      code: 'unreachable',
      detail: 'Duo is not configured',
    }),
    canCarry: () => undefined,
    isReplay: () => false,
    begin: async () => {
      throw new Error('Duo is not configured');
    },
  };
}
