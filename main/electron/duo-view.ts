/**
 * Duo in the kiosk, in a view of its own below the Walkup bar, in an in-memory partition made
 * for this visit and wiped and let go at reset (`sessions.ts`):
 * - Web SDK v4: Duo's page top-level. The redirect back to the redirect_uri is intercepted here
 *   (main-frame navigation events and webRequest) and handed to the engine; it never reaches
 *   the network.
 * - Web SDK v2: a host page on `app://walkup`, served only inside this partition, frames Duo's
 *   v2 frame and posts the frame's message to the partition's `app:` handler, which hands it to
 *   the engine. So Duo's v2 cookies and storage live in the visit's partition too, never in the
 *   renderer's (default) session.
 * A crashed or killed view ends the visit (`onGone`), like a crashed renderer.
 */
import { readFile } from 'node:fs/promises';
import { WebContentsView } from 'electron';
import type { BrowserWindow, Session } from 'electron';
import { duoResponseRequestSchema, type DuoResponseRequest } from '../contract';
import type { DuoCallbackParams } from '../contract/duo-formats';
import type { Logger } from '../core/ports';
import { applyDuoCertificateTrust } from './certificates';
import { isRendererCrash } from './crash-policy';
import { DUO_V2_HOST_HTML, duoV2HostUrl } from './duo-v2-host-page';
import {
  decideDuoV2ViewRequest,
  decideDuoViewNavigation,
  decideDuoViewRequest,
  DUO_V2_HOST_PATH,
  DUO_V2_HOST_SCRIPT_PATH,
  DUO_V2_RESPONSE_PATH,
  hasExactOrigin,
  type NavigationPolicy,
} from './navigation-policy';
import { webAuthnPermissionsPolicy, type PermissionPolicy } from './permission-policy';
import { assignRole } from './roles';
import { visitAcceptLanguages } from './session-policy';
import { openVisitPartition, type VisitPartition } from './sessions';
import { createActivityGate, getDuoViewBounds, getDuoViewOptions } from './window-policy';

export interface DuoViewOptions {
  window: BrowserWindow;
  policy: () => NavigationPolicy;
  /** Whether Duo's top-level page may use WebAuthn (security keys). */
  permissions: () => PermissionPolicy;
  /** PEM of a private CA for the Duo host (emulator); undefined for real Duo. */
  duoCaPem: string | undefined;
  isProduction: boolean;
  /**
   * The station's language (BCP 47): Duo's prompt follows the browser's Accept-Language. A visit
   * whose person picked another language asks for theirs first (`DuoViewContent.language`).
   */
  locale?: string | undefined;
  /** The v2 host page: its CSP (frames Duo only) and the bundled script on disk. */
  v2Host?: { csp: () => string | undefined; scriptPath: string } | undefined;
  logger: Logger;
  /** The v4 redirect_uri was reached: its query, once per view. */
  onCallback: (params: DuoCallbackParams) => void;
  /** The v2 frame's message, parsed with the contract's schema, once per view. */
  onV2Response: (request: DuoResponseRequest) => void;
  /** Someone is typing or clicking in Duo's page. */
  onActivity: () => void;
  /** The view's renderer crashed or was killed: the visit must end. */
  onGone: () => void;
  /**
   * Duo's page or frame could not be loaded (`isDuoOutageLoadError`): Duo is down mid-visit.
   * `detail` is Chromium's error name.
   */
  onDuoUnreachable?: ((detail: string) => void) | undefined;
}

/**
 * Whether a failed load of the Duo view's main frame means Duo cannot be reached: Chromium's
 * connection (-100 to -199), certificate (-200 to -299) and HTTP (-300 to -399) errors
 * (net_error_list.h). Not the view's own cancels: the intercepted redirect_uri and blocked
 * requests end in ERR_ABORTED (-3) or ERR_BLOCKED_BY_CLIENT (-20).
 */
export function isDuoOutageLoadError(errorCode: number): boolean {
  return errorCode <= -100 && errorCode > -400;
}

/**
 * What to show: Duo's own page at `url` (v4's authorize URL), or Duo's frame for `host`, `tx`
 * (v2). `language`: the language the person signed in with (`VisitSession.language`), which the
 * view's partition asks Duo for before the station's `locale`.
 */
export type DuoViewContent = ({ kind: 'page'; url: string } | { kind: 'frame'; host: string; tx: string }) & {
  language?: string | undefined;
};

/** Opens and closes the one Duo view of the current visit. */
export interface DuoViewController {
  /** Shows `content` in a fresh view and partition (closing any previous one first). */
  open(content: DuoViewContent): void;
  /** Destroys the view and wipes and releases its partition. Safe when nothing is open. */
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
  partition: VisitPartition;
  relayout: () => void;
}

/** Creates the controller for the kiosk window. */
export function createDuoViewController(options: DuoViewOptions): DuoViewController {
  const { window, logger } = options;
  let current: OpenView | undefined;
  let hostScript: Promise<string> | undefined;

  /**
   * Trust for Duo's certificate, and the visit's Accept-Language: set on the visit's own
   * partition, so it lasts exactly as long as the visit (the next visit gets a fresh partition).
   */
  function prepareCommon(target: Session, language: string | undefined): void {
    applyDuoCertificateTrust(target, () => options.policy().duoOrigin, options.duoCaPem, logger);
    const acceptLanguages = visitAcceptLanguages(language, options.locale);
    if (acceptLanguages) target.setUserAgent(target.getUserAgent(), acceptLanguages);
  }

  function prepareV4(
    target: Session,
    takeCallback: (params: DuoCallbackParams) => void,
    language: string | undefined,
  ): void {
    // Belt and braces under the navigation guards: nothing but Duo leaves this partition, and
    // the redirect_uri is cancelled before any DNS lookup.
    target.webRequest.onBeforeRequest((details, callback) => {
      const decision = decideDuoViewRequest(details.url, options.policy(), details.resourceType);
      if (decision === 'callback') {
        const navigation = decideDuoViewNavigation(details.url, options.policy());
        if (navigation.action === 'callback') takeCallback(navigation.params);
      } else if (decision === 'cancel') {
        logger.warn('duo-view-request-blocked', { resourceType: details.resourceType });
      }
      callback({ cancel: decision !== 'allow' });
    });
    // WebAuthn for Duo's top-level page (never its frames), as the permission table says.
    target.webRequest.onHeadersReceived((details, callback) => {
      if (details.resourceType !== 'mainFrame' || !hasExactOrigin(details.url, options.policy().duoOrigin)) {
        callback({});
        return;
      }
      const headers = { ...details.responseHeaders };
      const key = Object.keys(headers).find((name) => name.toLowerCase() === 'permissions-policy');
      const ours = webAuthnPermissionsPolicy(details.url, options.permissions());
      // Appended last: for a repeated key in the dictionary the last value wins (RFC 8941).
      headers[key ?? 'Permissions-Policy'] = [...(key ? (headers[key] ?? []) : []), ours];
      callback({ responseHeaders: headers });
    });
    prepareCommon(target, language);
  }

  function prepareV2(
    target: Session,
    takeResponse: (request: DuoResponseRequest) => void,
    language: string | undefined,
  ): void {
    target.webRequest.onBeforeRequest((details, callback) => {
      const decision = decideDuoV2ViewRequest(details.url, options.policy());
      if (decision === 'cancel')
        logger.warn('duo-view-request-blocked', { resourceType: details.resourceType });
      callback({ cancel: decision === 'cancel' });
    });
    const headers = (contentType: string): Record<string, string> => ({
      'content-type': contentType,
      'content-security-policy': options.v2Host?.csp() ?? "default-src 'none'",
      'permissions-policy': webAuthnPermissionsPolicy(
        `${options.policy().appOrigin}/`,
        options.permissions(),
      ),
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
    });
    target.protocol.handle('app', async (request) => {
      const url = new URL(request.url);
      if (!hasExactOrigin(request.url, options.policy().appOrigin))
        return new Response(null, { status: 403 });
      if (request.method === 'GET' && url.pathname === DUO_V2_HOST_PATH) {
        return new Response(DUO_V2_HOST_HTML, { status: 200, headers: headers('text/html; charset=utf-8') });
      }
      if (request.method === 'GET' && url.pathname === DUO_V2_HOST_SCRIPT_PATH && options.v2Host) {
        const scriptPath = options.v2Host.scriptPath;
        hostScript ??= readFile(scriptPath, 'utf8');
        try {
          return new Response(await hostScript, {
            status: 200,
            headers: headers('text/javascript; charset=utf-8'),
          });
        } catch {
          hostScript = undefined;
          logger.error('duo-v2-host-script-missing', { scriptPath });
          return new Response(null, { status: 404 });
        }
      }
      if (request.method === 'POST' && url.pathname === DUO_V2_RESPONSE_PATH) {
        // Only the host page posts here; a web page (Duo's frame, cross-origin) must not answer
        // for it, or take the view's one answer.
        if (/^https?:/i.test(request.headers.get('origin') ?? '')) return new Response(null, { status: 403 });
        // This endpoint is the edge for the v2 answer in the kiosk: parsed here, with the
        // contract's schema (the portal's /api/duo-response and IPC use the same), and only
        // the parsed request goes on.
        const parsed = duoResponseRequestSchema.safeParse({ response: await request.text() });
        if (!parsed.success) return new Response(null, { status: 400 });
        takeResponse(parsed.data);
        return new Response(null, { status: 204 });
      }
      return new Response(null, { status: 404 });
    });
    prepareCommon(target, language);
  }

  async function close(): Promise<void> {
    const closing = current;
    current = undefined;
    if (!closing) return;
    window.off('resize', closing.relayout);
    if (!window.isDestroyed()) window.contentView.removeChildView(closing.view);
    if (!closing.view.webContents.isDestroyed()) closing.view.webContents.close();
    if (!window.isDestroyed()) window.webContents.focus();
    // In memory, but a visit must not leak into the next one even while the process lives.
    await closing.partition.release();
    logger.info('duo-view-closed', { partition: closing.partition.name });
  }

  function open(content: DuoViewContent): void {
    if (current) void close();
    const partition = openVisitPartition(content.kind === 'page' ? 'duo-v4' : 'duo-v2', logger);
    let answered = false;
    /** Will-navigate, will-redirect and webRequest may all see the same answer: take it once. */
    const once =
      <T>(deliver: (value: T) => void) =>
      (value: T): void => {
        if (answered) return;
        answered = true;
        deliver(value);
      };
    const takeCallback = once(options.onCallback);
    if (content.kind === 'page') prepareV4(partition.session, takeCallback, content.language);
    else prepareV2(partition.session, once(options.onV2Response), content.language);

    const view = new WebContentsView(getDuoViewOptions(partition.name, options.isProduction));
    const activity = createActivityGate(5_000);
    const onActivity = (): void => {
      if (activity()) options.onActivity();
    };
    assignRole(
      view.webContents,
      content.kind === 'page'
        ? { kind: 'duo-view', onDuoCallback: takeCallback, onActivity }
        : { kind: 'duo-v2-view', onActivity },
    );
    view.webContents.on('did-fail-load', (_event, errorCode, errorDescription, _url, isMainFrame) => {
      // v4: Duo's page is the main frame. v2: our host page is, and Duo's frame is a subframe.
      const duoFrame = content.kind === 'page' ? isMainFrame : !isMainFrame;
      if (!duoFrame || !isDuoOutageLoadError(errorCode)) return;
      logger.warn('duo-view-unreachable', { code: errorCode, error: errorDescription.slice(0, 100) });
      // Only the view of the current visit ends it.
      if (current?.view === view) options.onDuoUnreachable?.(`${errorDescription} (${errorCode})`);
    });
    view.webContents.on('render-process-gone', (_event, details) => {
      if (!isRendererCrash(details.reason)) return;
      logger.error('duo-view-gone', { reason: details.reason, exitCode: details.exitCode });
      // Only the view of the current visit ends it; a late event of a closed view does not.
      if (current?.view === view) options.onGone();
    });
    const relayout = (): void => {
      const bounds = window.getContentBounds();
      view.setBounds(getDuoViewBounds({ width: bounds.width, height: bounds.height }));
    };
    window.contentView.addChildView(view);
    relayout();
    window.on('resize', relayout);
    current = { view, partition, relayout };
    const url =
      content.kind === 'page'
        ? content.url
        : duoV2HostUrl(options.policy().appOrigin, content.host, content.tx);
    view.webContents.loadURL(url).catch((error: unknown) => {
      // A cancelled load (the callback interception) is expected; other failures are logged.
      logger.warn('duo-view-load-failed', { error: error instanceof Error ? error.name : 'unknown' });
    });
    view.webContents.focus();
    logger.info('duo-view-opened', { partition: partition.name, shows: content.kind });
  }

  function setVisible(visible: boolean): void {
    if (!current) return;
    current.view.setVisible(visible);
    if (visible) current.view.webContents.focus();
    else window.webContents.focus();
  }

  return { open, close, isOpen: () => current !== undefined, setVisible };
}
