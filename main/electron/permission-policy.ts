/**
 * The permission table (Signal style): every permission a page may ask for, and whether the
 * station grants it. Electron approves every request unless a handler says otherwise
 * (security checklist #5), so the table denies by default and every decision is logged.
 */
import { hasExactOrigin } from './navigation-policy';

/** Who may get a permission that the table allows. */
type Grant = 'never' | 'duo-security-keys';

/**
 * Permissions with a considered answer. Anything not listed (including names a future Electron
 * adds) is denied.
 * - `hid`: WebHID, which FIDO security keys use on some platforms, for Duo's origin only and
 *   only when the configuration allows security keys.
 */
export const permissionTable: Readonly<Record<string, Grant>> = {
  hid: 'duo-security-keys',
  media: 'never',
  geolocation: 'never',
  notifications: 'never',
  'clipboard-read': 'never',
  'clipboard-sanitized-write': 'never',
  fullscreen: 'never',
  openExternal: 'never',
  pointerLock: 'never',
  midi: 'never',
  midiSysex: 'never',
  usb: 'never',
  serial: 'never',
  'display-capture': 'never',
  'idle-detection': 'never',
  'persistent-storage': 'never',
  'storage-access': 'never',
  'top-level-storage-access': 'never',
  'window-management': 'never',
  'local-fonts': 'never',
  fileSystem: 'never',
  unknown: 'never',
};

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
}

/** The answer plus a reason for the log line. */
export interface PermissionDecision {
  granted: boolean;
  reason: 'not-in-table' | 'never' | 'security-keys-disabled' | 'wrong-origin' | 'embedded' | 'allowed';
}

/**
 * Decides one permission question: deny unless the table allows it for this origin.
 * An embedded (cross-origin subframe) request never gets a grant: Duo v4 runs top-level.
 */
export function decidePermission(question: PermissionQuestion, policy: PermissionPolicy): PermissionDecision {
  const grant = Object.hasOwn(permissionTable, question.permission)
    ? permissionTable[question.permission]
    : undefined;
  if (grant === undefined) return { granted: false, reason: 'not-in-table' };
  if (grant === 'never') return { granted: false, reason: 'never' };
  if (!policy.allowSecurityKeys) return { granted: false, reason: 'security-keys-disabled' };
  if (question.embeddingOrigin !== undefined && question.embeddingOrigin !== '') {
    return { granted: false, reason: 'embedded' };
  }
  if (question.requestingUrl === undefined || !hasExactOrigin(question.requestingUrl, policy.duoOrigin)) {
    return { granted: false, reason: 'wrong-origin' };
  }
  return { granted: true, reason: 'allowed' };
}

/**
 * Device selection (`setDevicePermissionHandler`): a HID device may be used only by the Duo
 * origin, and only when security keys are allowed.
 */
export function decideDevicePermission(
  device: { deviceType: string; origin: string },
  policy: PermissionPolicy,
): boolean {
  return (
    policy.allowSecurityKeys &&
    policy.duoOrigin !== undefined &&
    device.deviceType === 'hid' &&
    device.origin === policy.duoOrigin
  );
}
