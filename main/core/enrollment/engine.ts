/**
 * The enrollment engine: the station (in service or not, and why), its sessions, and the
 * background health checks that take the station out of service and bring it back by itself.
 */
import { randomBytes } from 'node:crypto';
import type { OutOfServiceReason, StationInfo, StationWarning, WalkupEvent } from '../../contract';
import type { AuditLog } from '../audit/types';
import { brandingWithoutLogo, type ResolvedBranding } from '../branding/station-branding';
import type { WalkupConfig } from '../config/schema';
import type { Directory } from '../directory/types';
import type { DuoHealth, DuoIntegration, DuoPresentation } from '../duo/types';
import { systemTimers, type Clock, type Logger, type Timers } from '../ports';
import { createUsernameHasher } from './username-hash';
import { assessStation, type HealthSnapshot, type StationAssessment } from './station-health';
import type { EnrollmentEngine, EngineVisits, VisitSession } from './types';
import { createVisitRegistry } from './visit-registry';
import { EngineVisitSession, type SessionContext } from './visit-session';

/** Health checks while out of service: soon enough that a fixed network is noticed quickly. */
export const OUT_OF_SERVICE_CHECK_MS = 15_000;
/** Health checks while in service. */
export const IN_SERVICE_CHECK_MS = 5 * 60_000;
/**
 * Sessions kept at most, whatever a transport asks for (`visit-registry.ts`): beyond it, the least
 * recently used session without a visit in progress is evicted; a visit in progress never is.
 */
export const MAX_SESSIONS = 1000;

export interface EnrollmentEngineDeps {
  config: WalkupConfig;
  directory: Directory;
  /** The station's Duo integration (`createDuoIntegration`), chosen once for its configuration. */
  duo: DuoIntegration;
  clock: Clock;
  logger: Logger;
  audit: AuditLog;
  /** Demo directory accounts, shown on the welcome screen in demo mode. */
  demoUsers?: { username: string; password: string }[];
  /**
   * Key of the audit log's username hash (`loadAuditUsernameKey`); absent: a random key for this
   * engine, so hashes correlate within one run only.
   */
  usernameHashKey?: Uint8Array;
  timers?: Timers;
  /**
   * The station's branding with its logo read (`resolveBranding`); absent: the configuration's
   * branding without a logo (the renderer's default logo). A `logoProblem` adds the warning
   * `branding-logo-unusable`.
   */
  branding?: ResolvedBranding;
  /**
   * Keeps the station out of service for good, without health checks: the secrets could not be
   * resolved or the Duo/directory settings cannot work. Fixing it means a restart with new settings.
   */
  forcedOutOfService?: { reason: OutOfServiceReason; detail?: string };
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** Creates the engine and starts its first health check at once. */
export function createEnrollmentEngine(deps: EnrollmentEngineDeps): EnrollmentEngine {
  const { config, directory, duo, clock, logger, audit } = deps;
  const timers = deps.timers ?? systemTimers;
  // The one list of visit sessions: bounds, expiry, eviction and ends (`visit-registry.ts`).
  const sessions = createVisitRegistry<EngineVisitSession>({ clock, maxSessions: MAX_SESSIONS });
  const stationListeners = new Set<(station: StationInfo) => void>();

  let snapshot: HealthSnapshot = {};
  /** Sign-ins refused since start because the Duo integration cannot carry the username. */
  let duoUsernameRefusals = 0;
  /** The admin warnings those refusals raised (`DuoUsernameProblem.warning`), for good. */
  const duoUsernameWarnings = new Set<StationWarning>();
  let assessment: StationAssessment = { outOfService: { reason: 'starting' }, warnings: [] };
  let outOfServiceSince = clock.now();
  let lastPublished = '';
  let inFlight: Promise<StationInfo> | undefined;
  let nextCheck: unknown;
  let closed = false;
  /** Set when the station is forced out of service: no checks, ever. */
  let closedForChecks = false;

  const branding = deps.branding?.branding ?? brandingWithoutLogo(config.branding);
  const brandingWarnings: StationWarning[] = deps.branding?.logoProblem ? ['branding-logo-unusable'] : [];

  function getStation(): StationInfo {
    const station: StationInfo = {
      name: config.station.name,
      locale: config.station.locale,
      duoSdk: duo.sdk,
      inService: !assessment.outOfService,
      warnings: [...assessment.warnings, ...duoUsernameWarnings, ...brandingWarnings],
      idle: { ...config.station.idle },
      branding: { ...branding },
      onScreenKeyboard: config.station.onScreenKeyboard,
    };
    if (assessment.outOfService) {
      station.outOfService = {
        reason: assessment.outOfService.reason,
        since: new Date(outOfServiceSince).toISOString(),
      };
    }
    if (config.directory.type === 'demo' && deps.demoUsers) {
      station.demo = { users: deps.demoUsers.map(({ username, password }) => ({ username, password })) };
    }
    return station;
  }

  function publishIfChanged(): void {
    const station = getStation();
    const serialized = JSON.stringify(station);
    if (serialized === lastPublished) return;
    lastPublished = serialized;
    const event: WalkupEvent = { type: 'station-changed', station };
    for (const listener of [...stationListeners]) {
      try {
        listener(station);
      } catch (error) {
        logger.error('station-listener-failed', { error: errorMessage(error) });
      }
    }
    for (const session of sessions.values()) session.emit(event);
  }

  function apply(next: StationAssessment): void {
    const before = assessment.outOfService;
    const after = next.outOfService;
    assessment = next;
    if (before?.reason !== after?.reason) {
      outOfServiceSince = clock.now();
      if (after && after.reason !== 'starting') {
        const event = after.detail
          ? {
              type: 'station-out-of-service' as const,
              reason: after.reason,
              detail: after.detail.slice(0, 500),
            }
          : { type: 'station-out-of-service' as const, reason: after.reason };
        void audit.record(event);
        logger.warn('station-out-of-service', { reason: after.reason, detail: after.detail });
      } else if (!after) {
        void audit.record({ type: 'station-in-service' });
        logger.info('station-in-service');
      }
    }
    publishIfChanged();
  }

  /** The assessment of the latest checks and the audit log's state (its backpressure signal). */
  function assess(): StationAssessment {
    const auditHealth = audit.health?.();
    return assessStation(config, auditHealth ? { ...snapshot, audit: auditHealth } : snapshot);
  }

  async function checkDirectory(): Promise<HealthSnapshot['directory']> {
    try {
      return await directory.checkHealth();
    } catch (error) {
      return { error: `health check threw ${errorMessage(error)}` };
    }
  }

  async function checkDuo(): Promise<DuoHealth> {
    try {
      return await duo.health({ fresh: true });
    } catch (error) {
      return {
        ok: false,
        checkedAt: clock.now(),
        code: 'unreachable',
        detail: `health threw ${errorMessage(error)}`,
      };
    }
  }

  function scheduleNextCheck(): void {
    if (closed) return;
    if (nextCheck !== undefined) timers.clearTimeout(nextCheck);
    const delay = assessment.outOfService ? OUT_OF_SERVICE_CHECK_MS : IN_SERVICE_CHECK_MS;
    nextCheck = timers.setTimeout(() => {
      nextCheck = undefined;
      void refreshHealth();
    }, delay);
    // A background check alone must not keep a CLI process alive.
    (nextCheck as { unref?: () => void } | undefined)?.unref?.();
  }

  function refreshHealth(): Promise<StationInfo> {
    if (closedForChecks) return Promise.resolve(getStation());
    if (inFlight) return inFlight;
    inFlight = (async () => {
      try {
        const [directoryHealth, duoHealth] = await Promise.all([checkDirectory(), checkDuo()]);
        if (!closed) {
          snapshot = { directory: directoryHealth, duo: duoHealth };
          apply(assess());
        }
        return getStation();
      } finally {
        inFlight = undefined;
        scheduleNextCheck();
      }
    })();
    return inFlight;
  }

  const context: SessionContext = {
    config,
    directory,
    duo,
    clock,
    logger,
    audit,
    timers,
    async readyStation() {
      if (assessment.outOfService?.reason === 'starting' && !closed && !closedForChecks)
        return refreshHealth();
      return getStation();
    },
    noteDirectoryTrouble() {
      if (!closedForChecks) void refreshHealth();
    },
    noteDuoHealth(health) {
      if (closed || closedForChecks || snapshot.directory === undefined) return;
      snapshot = { ...snapshot, duo: health };
      apply(assess());
      if (!health.ok) scheduleNextCheck();
    },
    forget(id) {
      sessions.forget(id);
    },
    hashUsername: createUsernameHasher(deps.usernameHashKey ?? randomBytes(32)),
    noteDuoUsernameUnsupported(warning) {
      duoUsernameRefusals += 1;
      duoUsernameWarnings.add(warning);
      // The first one adds the warning; later ones change nothing the station publishes.
      publishIfChanged();
      return duoUsernameRefusals;
    },
    endOtherVisitsOf(account, starting) {
      for (const session of [...sessions.values()]) {
        if (session === starting || session.account !== account) continue;
        // Audited as a cancelled visit: the person left it by signing in again elsewhere.
        logger.info('visit-superseded');
        session.resetVisit('cancelled');
      }
    },
  };

  if (deps.forcedOutOfService) {
    closedForChecks = true;
    apply({ outOfService: { ...deps.forcedOutOfService }, warnings: [] });
  } else {
    void refreshHealth();
  }
  // New visits wait while the audit log cannot take lines; the change is applied at once.
  const stopAuditHealth = audit.onHealthChange?.(() => {
    if (!closed && !closedForChecks && snapshot.directory !== undefined) apply(assess());
  });

  const visits: EngineVisits = {
    open: ({ duoPresentation, bounds }) =>
      sessions.open((id) => new EngineVisitSession(id, duoPresentation, context), { bounds }),
    find: (id) => sessions.find(id),
    touch: (id) => sessions.touch(id),
    hold: (id) => sessions.hold(id),
    admitVisit: (id, client, maxVisitsPerClient) => sessions.admitVisit(id, client, maxVisitsPerClient),
    onEnded: (listener) => sessions.onEnded(listener),
    sweep: () => sessions.sweep(),
    get size() {
      return sessions.size;
    },
  };

  return {
    getStation,
    openSession(options: { id?: string; duoPresentation: DuoPresentation }): VisitSession {
      // Without bounds the registry always opens (`ok` is always true).
      const opened = sessions.open((id) => new EngineVisitSession(id, options.duoPresentation, context), {
        ...(options.id === undefined ? {} : { id: options.id }),
      });
      if (!opened.ok) throw new Error('an unbounded session was refused');
      return opened.session;
    },
    findSession(id) {
      return sessions.find(id);
    },
    visits,
    refreshHealth,
    onStationChanged(listener) {
      stationListeners.add(listener);
      return () => {
        stationListeners.delete(listener);
      };
    },
    close() {
      closed = true;
      stopAuditHealth?.();
      if (nextCheck !== undefined) timers.clearTimeout(nextCheck);
      nextCheck = undefined;
      sessions.close();
      stationListeners.clear();
    },
  };
}
