// The v2 host page's script (browser side, bundled by scripts/build-main.mjs to
// out/duo-v2-host/host.js). It frames Duo's v2 frame exactly as the renderer does, with the
// renderer's own rules (frame URL, message check), and posts the one accepted message to
// main through this partition's app: handler. JavaScript, not TypeScript: the main project has
// no DOM types and this file must not bring them in; the imported rules are type-checked in
// the renderer project.
/* global document, window, location */
import { acceptDuoFrameMessage, buildDuoFrameSrc, isDuoApiHost } from '../../renderer/duo/web-v2-frame';

const RESPONSE_PATH = '/duo-v2/response';

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
  // `allow` for WebAuthn: an embedded frame never gets it (permission table).
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
    void fetch(RESPONSE_PATH, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: response });
  });
  document.body.append(frame);
}
