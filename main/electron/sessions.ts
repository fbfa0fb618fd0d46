/**
 * Session-wide hardening: every session (the default one, each visit's Duo partitions, and any
 * created behind the station's back) cancels downloads; the app never sends a client
 * certificate; the default session (the renderer's) loads nothing from the network. And the
 * life of a per-visit partition: made fresh for one visit, wiped and let go at reset.
 */
import { randomBytes } from 'node:crypto';
import { app, session } from 'electron';
import type { Session } from 'electron';
import type { Logger } from '../core/ports';
import { decideDefaultSessionRequest, type NavigationPolicy } from './navigation-policy';
import {
  createPartitionNamer,
  decideClientCertificate,
  downloadLogFields,
  VISIT_WIPE_STEPS,
  type VisitPartitionKind,
} from './session-policy';

/** Cancels every download of `target`, and logs it. */
export function hardenSession(target: Session, logger: Logger): void {
  target.on('will-download', (event, item) => {
    event.preventDefault();
    item.cancel();
    logger.warn('download-cancelled', downloadLogFields(item.getURL(), item.getMimeType()));
  });
}

/**
 * Installs the session hardening on the default session and every session created later, the
 * client-certificate refusal, and the default session's network block.
 */
export function setupSessionHardening(options: { policy: () => NavigationPolicy; logger: Logger }): void {
  const { logger } = options;
  app.on('session-created', (created) => hardenSession(created, logger));
  hardenSession(session.defaultSession, logger);
  app.on('select-client-certificate', (event, _contents, url, list, callback) => {
    event.preventDefault();
    const decision = decideClientCertificate(list.length);
    logger.warn('client-certificate-refused', {
      origin: downloadLogFields(url, '').origin,
      offered: decision.offered,
    });
    callback();
  });
  session.defaultSession.webRequest.onBeforeRequest((details, callback) => {
    const decision = decideDefaultSessionRequest(details.url, options.policy());
    if (decision === 'cancel') {
      logger.warn('default-session-request-blocked', {
        origin: downloadLogFields(details.url, '').origin,
        resourceType: details.resourceType,
      });
    }
    callback({ cancel: decision === 'cancel' });
  });
}

/** Runs every wipe step on `target`, even if one fails; returns the steps that failed. */
async function wipe(target: Session): Promise<string[]> {
  const results = await Promise.allSettled(
    VISIT_WIPE_STEPS.map((step) =>
      step === 'clearCodeCaches' ? target.clearCodeCaches({}) : target[step](),
    ),
  );
  return VISIT_WIPE_STEPS.filter((_, index) => results[index]?.status === 'rejected');
}

/**
 * Wipes the default session at start, before the window exists. It holds no Duo state by
 * design (Duo runs in per-visit partitions), but a station upgraded from a version that framed
 * Duo's v2 frame in the window may still have Duo's cookies on disk there.
 */
export async function wipeDefaultSession(logger: Logger): Promise<void> {
  const failed = await wipe(session.defaultSession);
  if (failed.length > 0) logger.error('default-session-wipe-failed', { failed });
  else logger.info('default-session-wiped');
}

/** One visit's partition, from creation to release. */
export interface VisitPartition {
  readonly name: string;
  readonly session: Session;
  /**
   * Wipes the partition (every step of `VISIT_WIPE_STEPS`, even if one fails) and drops the
   * station's reference. Electron keeps no API to destroy a session; its name is never used
   * again, so nothing can reach the emptied session afterwards.
   */
  release(): Promise<void>;
}

const namer = createPartitionNamer(() => randomBytes(12).toString('hex'));

/** Makes a fresh in-memory partition for one visit's Duo view. */
export function openVisitPartition(kind: VisitPartitionKind, logger: Logger): VisitPartition {
  const name = namer.next(kind);
  let target: Session | undefined = session.fromPartition(name, { cache: false });
  const created = target;
  let released: Promise<void> | undefined;
  return {
    name,
    session: created,
    release() {
      released ??= (async () => {
        const wiping = target;
        target = undefined;
        if (!wiping) return;
        const failed = await wipe(wiping);
        if (failed.length > 0) logger.error('visit-partition-wipe-failed', { partition: name, failed });
        logger.info('visit-partition-released', { partition: name });
      })();
      return released;
    },
  };
}
