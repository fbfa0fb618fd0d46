/**
 * The page that frames Duo's Web SDK v2 frame in the kiosk. It lives in the v2 view's own
 * per-visit partition (never in the renderer's session), served by that partition's `app:`
 * handler only: the HTML below, the script bundled from `renderer/duo/kiosk-v2-host.ts` (the
 * contract's v2 formats and the renderer's frame-message check), and the endpoint the script
 * posts the frame's message to.
 */
import { DUO_V2_HOST_PATH, DUO_V2_HOST_SCRIPT_PATH } from './navigation-policy';

/** The host page. No inline script or style: its CSP allows neither. */
export const DUO_V2_HOST_HTML = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>Duo</title>
    <script src="${DUO_V2_HOST_SCRIPT_PATH}" defer></script>
  </head>
  <body></body>
</html>
`;

/** The URL the v2 view loads for one visit: the host page with Duo's host and the TX part. */
export function duoV2HostUrl(appOrigin: string, host: string, tx: string): string {
  const query = new URLSearchParams({ host, tx });
  return `${appOrigin}${DUO_V2_HOST_PATH}?${query.toString()}`;
}
