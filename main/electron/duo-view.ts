/**
 * Duo Web SDK v4 in the kiosk: Duo's page top-level in its own WebContentsView below the Walkup
 * bar, in an in-memory partition made for this visit and destroyed at reset. The redirect back
 * to the redirect_uri is intercepted here (navigation events and webRequest) and handed to the
 * engine; it never reaches the network.
 */
import { randomBytes } from 'node:crypto';
import { session as electronSession, WebContentsView } from 'electron';
import type { BrowserWindow, Session } from 'electron';
import type { CallbackParams } from '../core/duo/types';
import type { Logger } from '../core/ports';
import { applyDuoCertificateTrust } from './certificates';
import { decideDuoViewNavigation, decideDuoViewRequest, type NavigationPolicy } from './navigation-policy';
import { assignRole } from './roles';
import { createActivityGate, duoPartitionName, getDuoViewBounds, getDuoViewOptions } from './window-policy';

export interface DuoViewOptions {
  window: BrowserWindow;
  policy: () => NavigationPolicy;
  /** PEM of a private CA for the Duo host (emulator); undefined for real Duo. */
  duoCaPem: string | undefined;
  isProduction: boolean;
  /** The station's language (BCP 47): Duo's prompt follows the browser's Accept-Language. */
  locale?: string | undefined;
  logger: Logger;
  /** The redirect_uri was reached: its query, once per view. */
  onCallback: (params: CallbackParams) => void;
  /** Someone is typing or clicking in Duo's page. */
  onActivity: () => void;
}

/** Opens and closes the one Duo view of the current visit. */
export interface DuoViewController {
  /** Shows `url` in a fresh view and partition (closing any previous one first). */
  open(url: string, visitId: string): void;
  /** Destroys the view and wipes its partition. Safe to call when nothing is open. */
  close(): Promise<void>;
  isOpen(): boolean;
  /**
   * Hides or shows the open view without losing Duo's page: hidden while the renderer asks
   * "Are you still there?", which the view would otherwise cover.
   */
  setVisible(visible: boolean): void;
}

interface OpenView {
  view: WebContentsView;
  session: Session;
  partition: string;
  relayout: () => void;
}

/** Creates the controller for the kiosk window. */
export function createDuoViewController(options: DuoViewOptions): DuoViewController {
  const { window, logger } = options;
  let current: OpenView | undefined;

  function prepareSession(target: Session, takeCallback: (params: CallbackParams) => void): void {
    // Belt and braces under the navigation guards: nothing but Duo leaves this partition, and
    // the redirect_uri is cancelled before any DNS lookup.
    target.webRequest.onBeforeRequest((details, callback) => {
      const decision = decideDuoViewRequest(details.url, options.policy());
      if (decision === 'callback') {
        const navigation = decideDuoViewNavigation(details.url, options.policy());
        if (navigation.action === 'callback') takeCallback(navigation.params);
      } else if (decision === 'cancel') {
        logger.warn('duo-view-request-blocked', { resourceType: details.resourceType });
      }
      callback({ cancel: decision !== 'allow' });
    });
    applyDuoCertificateTrust(target, () => options.policy().duoOrigin, options.duoCaPem);
    if (options.locale) target.setUserAgent(target.getUserAgent(), options.locale);
  }

  async function close(): Promise<void> {
    const closing = current;
    current = undefined;
    if (!closing) return;
    window.off('resize', closing.relayout);
    if (!window.isDestroyed()) window.contentView.removeChildView(closing.view);
    if (!closing.view.webContents.isDestroyed()) closing.view.webContents.close();
    if (!window.isDestroyed()) window.webContents.focus();
    // The partition is in-memory, but a visit must not leak into the next one even while the
    // process lives: wipe cookies, storage, caches and HTTP auth.
    await Promise.allSettled([
      closing.session.clearStorageData(),
      closing.session.clearCache(),
      closing.session.clearAuthCache(),
    ]);
    logger.info('duo-view-closed', { partition: closing.partition });
  }

  function open(url: string, visitId: string): void {
    if (current) void close();
    const partition = duoPartitionName(visitId, randomBytes(8).toString('hex'));
    const partitionSession = electronSession.fromPartition(partition, { cache: false });
    let callbackTaken = false;
    const takeCallback = (params: CallbackParams): void => {
      // will-navigate, will-redirect and webRequest may all see the same redirect.
      if (callbackTaken) return;
      callbackTaken = true;
      options.onCallback(params);
    };
    prepareSession(partitionSession, takeCallback);

    const view = new WebContentsView(getDuoViewOptions(partition, options.isProduction));
    const activity = createActivityGate(5_000);
    assignRole(view.webContents, {
      kind: 'duo-view',
      onDuoCallback: takeCallback,
      onActivity: () => {
        if (activity()) options.onActivity();
      },
    });
    const relayout = (): void => {
      const bounds = window.getContentBounds();
      view.setBounds(getDuoViewBounds({ width: bounds.width, height: bounds.height }));
    };
    window.contentView.addChildView(view);
    relayout();
    window.on('resize', relayout);
    current = { view, session: partitionSession, partition, relayout };
    view.webContents.loadURL(url).catch((error: unknown) => {
      // A cancelled load (the callback interception) is expected; other failures are logged.
      logger.warn('duo-view-load-failed', { error: error instanceof Error ? error.name : 'unknown' });
    });
    view.webContents.focus();
    logger.info('duo-view-opened', { partition });
  }

  function setVisible(visible: boolean): void {
    if (!current) return;
    current.view.setVisible(visible);
    if (visible) current.view.webContents.focus();
    else window.webContents.focus();
  }

  return { open, close, isOpen: () => current !== undefined, setVisible };
}
