/**
 * The permission table (Signal style): every permission a page may ask for, and whether the
 * station grants it. Electron approves every request unless a handler says otherwise
 * (security checklist #5), so the table denies by default and every decision is logged. It is
 * the one place that decides what a page may use: Electron's request, check and device handlers
 * ask it, and so does the Permissions-Policy the station puts on Duo's pages for WebAuthn.
 */
import { hasExactOrigin } from './navigation-policy';

/** Who may get a permission that the table allows. */
type Grant = 'never' | 'duo-security-keys';

/**
 * Permissions with a considered answer. Anything not listed (including names a future Electron
 * adds) is denied.
 * - `publickey-credentials-get` / `-create`: WebAuthn (Permissions Policy features, W3C Web
 *   Authentication Level 2, section 5.9). Security keys need nothing else: Chromium reaches
 *   FIDO authenticators through the platform APIs (Windows webauthn.dll) or its own FIDO
 *   stack, never through WebHID, which blocks the FIDO usage page. Granted only to Duo's
 *   top-level document, and only when the configuration allows security keys.
 * - `hid`, `usb`, `serial`: never. They cannot reach a security key (above) and would expose
 *   every other device on the kiosk to the page.
 */
export const permissionTable: Readonly<Record<string, Grant>> = {
  'publickey-credentials-get': 'duo-security-keys',
  'publickey-credentials-create': 'duo-security-keys',
  hid: 'never',
  usb: 'never',
  serial: 'never',
  media: 'never',
  mediaKeySystem: 'never',
  geolocation: 'never',
  notifications: 'never',
  'clipboard-read': 'never',
  'clipboard-sanitized-write': 'never',
  'deprecated-sync-clipboard-read': 'never',
  fullscreen: 'never',
  openExternal: 'never',
  pointerLock: 'never',
  keyboardLock: 'never',
  midi: 'never',
  midiSysex: 'never',
  'display-capture': 'never',
  'idle-detection': 'never',
  'persistent-storage': 'never',
  'speaker-selection': 'never',
  'storage-access': 'never',
  'top-level-storage-access': 'never',
  'window-management': 'never',
  'local-fonts': 'never',
  fileSystem: 'never',
  unknown: 'never',
};

/** The WebAuthn features, as the Permissions-Policy header names them. */
export const WEBAUTHN_FEATURES = ['publickey-credentials-get', 'publickey-credentials-create'] as const;

/** What the station allows, from the configuration. */
export interface PermissionPolicy {
  duoOrigin: string | undefined;
  allowSecurityKeys: boolean;
}

/** One permission question, as either handler (request or check) sees it. */
export interface PermissionQuestion {
  permission: string;
  /** The requesting frame's origin or last URL (`requestingOrigin`, `details.requestingUrl`). */
  requestingUrl: string | undefined;
  /** Set for cross-origin subframes; checks then arrive with a null webContents. */
  embeddingOrigin?: string | undefined;
  /** `details.isMainFrame`: false for any subframe (same-origin ones included). */
  isMainFrame?: boolean | undefined;
}

/** The answer plus a reason for the log line. */
export interface PermissionDecision {
  granted: boolean;
  reason: 'not-in-table' | 'never' | 'security-keys-disabled' | 'wrong-origin' | 'embedded' | 'allowed';
}

/**
 * Decides one permission question: deny unless the table allows it for this origin.
 * An embedded request (any subframe, or a cross-origin check with an embedding origin) never
 * gets a grant: only Duo's top-level page may use what the table allows (Duo v4 runs top-level).
 */
export function decidePermission(question: PermissionQuestion, policy: PermissionPolicy): PermissionDecision {
  const grant = Object.hasOwn(permissionTable, question.permission)
    ? permissionTable[question.permission]
    : undefined;
  if (grant === undefined) return { granted: false, reason: 'not-in-table' };
  if (grant === 'never') return { granted: false, reason: 'never' };
  if (!policy.allowSecurityKeys) return { granted: false, reason: 'security-keys-disabled' };
  const embedded =
    question.isMainFrame === false ||
    (question.embeddingOrigin !== undefined &&
      question.embeddingOrigin !== '' &&
      !hasExactOrigin(question.embeddingOrigin, policy.duoOrigin));
  if (embedded) return { granted: false, reason: 'embedded' };
  if (question.requestingUrl === undefined || !hasExactOrigin(question.requestingUrl, policy.duoOrigin)) {
    return { granted: false, reason: 'wrong-origin' };
  }
  return { granted: true, reason: 'allowed' };
}

/**
 * Device selection (`setDevicePermissionHandler`): no device, ever. WebHID, WebUSB and Web
 * Serial are `never` in the table; security keys do not use them (see the table).
 */
export function decideDevicePermission(device: { deviceType: string; origin: string }): boolean {
  return decidePermission(
    { permission: device.deviceType, requestingUrl: device.origin, isMainFrame: true },
    { duoOrigin: undefined, allowSecurityKeys: false },
  ).granted;
}

/**
 * The Permissions-Policy header value (RFC 8941 dictionary) for a top-level document from
 * `documentUrl`: WebAuthn for the document itself (`self`, never its frames) when the table
 * grants it to Duo's top-level page, otherwise for nobody (`()`).
 */
export function webAuthnPermissionsPolicy(documentUrl: string, policy: PermissionPolicy): string {
  return WEBAUTHN_FEATURES.map((feature) => {
    const decision = decidePermission(
      { permission: feature, requestingUrl: documentUrl, isMainFrame: true },
      policy,
    );
    return `${feature}=${decision.granted ? '(self)' : '()'}`;
  }).join(', ');
}
