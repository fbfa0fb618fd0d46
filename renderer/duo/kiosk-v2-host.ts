/**
 * The script of the kiosk's Duo Web SDK v2 host page (`app://walkup/duo-v2/host.html`), bundled
 * by scripts/build-main.mjs into out/main/duo-v2-host.js and served only by the `app:` handler
 * of a visit's own v2 partition (main/electron/duo-view.ts). It frames Duo's v2 frame as the
 * renderer does in a browser, with the same rules (the frame URL and message formats from
 * `main/contract/duo-formats.ts`, the origin and sender check from `web-v2-frame.ts`), and posts
 * the one accepted message to main through the partition's handler.
 *
 * It lives with the renderer because it is browser code: type-checked with DOM types by
 * tsconfig.renderer.json, while the main project has none.
 */
import { kioskDuoV2HostPaths } from '../../main/contract/channels';
import { buildDuoFrameSrc, isDuoApiHost } from '../../main/contract/duo-formats';
import { acceptDuoFrameMessage } from './web-v2-frame';

const params = new URLSearchParams(location.search);
const host = params.get('host') ?? '';
const tx = params.get('tx') ?? '';

for (const element of [document.documentElement, document.body]) {
  element.style.margin = '0';
  element.style.height = '100%';
  element.style.overflow = 'hidden';
}

if (isDuoApiHost(host) && tx !== '') {
  const frame = document.createElement('iframe');
  frame.title = 'Duo';
  // Scripts, its own origin (cookies) and forms; no popups, no top-level navigation, and no
  // `allow` for WebAuthn: an embedded frame never gets it (Electron's permission table).
  frame.setAttribute('sandbox', 'allow-scripts allow-same-origin allow-forms');
  frame.style.border = '0';
  frame.style.width = '100%';
  frame.style.height = '100%';
  // Duo only needs the parent's origin (its postMessage target); the query stays out of it.
  frame.src = buildDuoFrameSrc(host, tx, `${location.origin}${location.pathname}`);
  let sent = false;
  window.addEventListener('message', (event) => {
    if (sent) return;
    const response = acceptDuoFrameMessage(event, host, frame.contentWindow);
    if (response === undefined) return;
    sent = true;
    void fetch(kioskDuoV2HostPaths.response, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: response,
    });
  });
  document.body.append(frame);
}
