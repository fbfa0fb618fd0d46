import type { WalkupApi } from '../../main/contract';
import { createHttpWalkupApi } from './http-client';

/**
 * Picks the transport once, at start: the Electron preload's `window.walkup` when present
 * (kiosk), otherwise HTTP to the portal that served this page (browser).
 */
export function selectWalkupApi(win: Window = window): WalkupApi {
  return win.walkup ?? createHttpWalkupApi();
}
