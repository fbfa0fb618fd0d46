/**
 * Derives every shell policy from the configuration in one place, so the guards, permission
 * handlers, CSP and Duo view agree on the Duo origin (`duoOriginOf`, the contract's one API-host
 * check; the CSP from `core/renderer-csp.ts`, the builder portal mode uses too). Without a valid configuration there is
 * no Duo origin: nothing may be framed or navigated to, and the station shows out of service.
 */
import { duoOriginOf } from '../contract/duo-formats';
import { parseAdminChord, type AdminChord } from '../core/config/admin-chord';
import type { WalkupConfig } from '../core/config/schema';
import { duoDisplayOf } from '../core/duo/registry';
import { buildRendererCsp } from '../core/renderer-csp';
import { DEFAULT_DUO_CALLBACK_URL } from './app-origin';
import { defaultAdminChord } from './key-policy';
import { createNavigationPolicy, type NavigationPolicy } from './navigation-policy';
import type { PermissionPolicy } from './permission-policy';

export interface ShellPolicies {
  navigation: NavigationPolicy;
  permissions: PermissionPolicy;
  /** The renderer's CSP (`app://walkup` in the default session): frames nothing. */
  csp: string;
  /**
   * The CSP of the Duo view's host page (its own per-visit partition): frames Duo's origin only.
   * Undefined unless the station's integration shows Duo in a frame (Web SDK v2).
   */
  duoV2HostCsp: string | undefined;
  /** The Duo CA file for a private endpoint (the emulator), if configured. */
  duoCaFile: string | undefined;
  /** The key chord that opens the admin PIN pad (`kiosk.adminChord`; the default without a config). */
  adminChord: AdminChord;
}

/** The configured chord (the schema already refused one that does not parse). */
function adminChordOf(config: WalkupConfig | undefined): AdminChord {
  if (config === undefined) return defaultAdminChord;
  const parsed = parseAdminChord(config.kiosk.adminChord);
  return parsed.ok ? parsed.chord : defaultAdminChord;
}

/** Builds the policies for a configuration (or for none). */
export function deriveShellPolicies(config: WalkupConfig | undefined): ShellPolicies {
  const duoOrigin = config ? duoOriginOf(config.duo.apiHost) : undefined;
  // How the integration shows Duo decides (`duoDisplayOf`), not its SDK name: only a Duo page of
  // its own returns to the callback URL, and only Duo shown in a frame is framed by the host page.
  const display = config ? duoDisplayOf(config.duo) : undefined;
  const callbackUrl = display === 'page' ? DEFAULT_DUO_CALLBACK_URL : undefined;
  return {
    navigation: createNavigationPolicy({ duoOrigin, ...(callbackUrl ? { callbackUrl } : {}) }),
    permissions: { duoOrigin, allowSecurityKeys: config?.kiosk.allowSecurityKeys ?? false },
    // Duo never runs in the renderer's session: v4 has its own view, and so does the v2 frame
    // (a host page in a per-visit partition). The renderer frames nothing.
    csp: buildRendererCsp(),
    duoV2HostCsp: display === 'frame' && duoOrigin ? buildRendererCsp({ frameOrigin: duoOrigin }) : undefined,
    duoCaFile: config?.duo.caFile,
    adminChord: adminChordOf(config),
  };
}
