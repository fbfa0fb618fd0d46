/**
 * Hardening for every web contents (Signal's pattern): one function applied from the global
 * `web-contents-created` event, so nothing the station creates, or anything created behind its
 * back, escapes it. Navigation and redirects follow the allow-list; new windows and webviews
 * are refused; the key filter drops reload, devtools, zoom and close keys.
 */
import { app } from 'electron';
import type { Event, WebContents } from 'electron';
import type { AdminChord } from '../core/config/admin-chord';
import type { Logger } from '../core/ports';
import { classifyKeyInput } from './key-policy';
import {
  decideDuoV2ViewNavigation,
  decideDuoViewNavigation,
  decideUnknownNavigation,
  decideWindowNavigation,
  hasExactOrigin,
  type NavigationDecision,
  type NavigationPolicy,
} from './navigation-policy';
import { roleOf } from './roles';

export interface GuardOptions {
  policy: () => NavigationPolicy;
  logger: Logger;
  /** The admin key chord of the configuration (`kiosk.adminChord`, parsed). */
  adminChord: () => AdminChord;
  /** The admin key chord was typed (in any web contents). */
  onAdminChord: () => void;
}

/** Host name only, for log lines: queries may carry Duo codes or state. */
function logSafeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return '(unparseable)';
  }
}

/** Decides one navigation of `contents` according to its role. */
function decide(
  contents: WebContents,
  url: string,
  isMainFrame: boolean,
  policy: NavigationPolicy,
): NavigationDecision {
  const role = roleOf(contents);
  if (role === undefined) return decideUnknownNavigation();
  if (role.kind === 'window') return decideWindowNavigation(url, { isMainFrame }, policy);
  if (role.kind === 'duo-v2-view') return decideDuoV2ViewNavigation(url, { isMainFrame }, policy);
  // The redirect_uri counts only as a main-frame navigation of the v4 view.
  if (isMainFrame) return decideDuoViewNavigation(url, policy);
  // Frames inside Duo's own page may show Duo, nothing else.
  return hasExactOrigin(url, policy.duoOrigin) ? { action: 'allow' } : { action: 'deny' };
}

/** Applies the navigation decision to a navigation event; intercepts the v4 redirect_uri. */
function enforce(
  options: GuardOptions,
  contents: WebContents,
  event: Event,
  kind: string,
  url: string,
  isMainFrame: boolean,
): void {
  const decision = decide(contents, url, isMainFrame, options.policy());
  if (decision.action === 'allow') return;
  event.preventDefault();
  if (decision.action === 'callback') {
    const role = roleOf(contents);
    if (role?.kind === 'duo-view') role.onDuoCallback(decision.params);
    return;
  }
  options.logger.warn('navigation-blocked', {
    kind,
    url: logSafeUrl(url),
    isMainFrame,
    role: roleOf(contents)?.kind ?? 'unknown',
  });
}

/** Hardens one web contents. Exported for tests with a binary; production uses `setupGuards`. */
export function hardenWebContents(contents: WebContents, options: GuardOptions): void {
  contents.on('will-navigate', (event) =>
    enforce(options, contents, event, 'will-navigate', event.url, event.isMainFrame),
  );
  // Also subframes: `will-navigate` covers only the main frame.
  contents.on('will-frame-navigate', (event) =>
    enforce(options, contents, event, 'will-frame-navigate', event.url, event.isMainFrame),
  );
  contents.on('will-redirect', (event) =>
    enforce(options, contents, event, 'will-redirect', event.url, event.isMainFrame),
  );
  contents.setWindowOpenHandler(({ url }) => {
    options.logger.warn('window-open-blocked', { url: logSafeUrl(url) });
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    options.logger.warn('webview-blocked');
  });
  contents.on('before-input-event', (event, input) => {
    const decision = classifyKeyInput(input, process.platform, options.adminChord());
    if (decision !== 'allow') event.preventDefault();
    if (decision === 'admin-chord') options.onAdminChord();
    const role = roleOf(contents);
    if (decision === 'allow' && (role?.kind === 'duo-view' || role?.kind === 'duo-v2-view'))
      role.onActivity();
  });
}

/** Installs the global guard: every web contents is hardened as it is created. */
export function setupGuards(options: GuardOptions): void {
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, options));
}
