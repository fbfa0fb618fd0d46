import type { FakeDevice } from './devices.js';

/**
 * HTML of the emulator's pages. Everything is server-rendered with plain forms; the only script
 * (the v2 frame's postMessage) is served from `/frame/static/frame.js`, so the pages work under
 * a strict Content-Security-Policy with no inline script or style.
 */

/** Path of the stylesheet every page links. */
export const STYLESHEET_PATH = '/frame/static/emulator.css';
/** Path of the v2 frame script. */
export const FRAME_SCRIPT_PATH = '/frame/static/frame.js';

/** Escapes text for HTML element content and double-quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function layout(options: { title: string; body: string; script?: boolean; lang?: string }): string {
  return [
    '<!doctype html>',
    `<html lang="${escapeHtml(options.lang ?? 'en')}">`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(options.title)}</title>`,
    `<link rel="stylesheet" href="${STYLESHEET_PATH}">`,
    options.script ? `<script src="${FRAME_SCRIPT_PATH}" defer></script>` : '',
    '</head>',
    `<body><main>${options.body}</main></body>`,
    '</html>',
  ].join('\n');
}

function deviceList(devices: FakeDevice[]): string {
  if (devices.length === 0) return '<p>No devices yet.</p>';
  const items = devices.map((d) => `<li>${escapeHtml(d.name)}</li>`).join('');
  return `<ul aria-label="Devices">${items}</ul>`;
}

function button(action: string, sid: string, label: string, extraClass = ''): string {
  return (
    `<form method="post" action="${escapeHtml(action)}">` +
    `<input type="hidden" name="sid" value="${escapeHtml(sid)}">` +
    `<button type="submit"${extraClass ? ` class="${extraClass}"` : ''}>${escapeHtml(label)}</button>` +
    '</form>'
  );
}

/** The v2 frame's device-management page (what Duo's traditional DMP frame stands for). */
export function renderFramePortal(options: {
  sid: string;
  username: string;
  devices: FakeDevice[];
  enroll: boolean;
  /** The language the browser asked for (`noteLanguage`): the page's `lang`. */
  lang?: string;
}): string {
  const body = [
    '<p class="brand">Duo Security (emulator) · Device Management</p>',
    `<h1>${options.enroll ? 'Enroll' : 'My Settings &amp; Devices'} — ${escapeHtml(options.username)}</h1>`,
    '<h2>Your devices</h2>',
    deviceList(options.devices),
    '<div class="actions">',
    button('/frame/web/v1/devices', options.sid, 'Add a device'),
    button('/frame/web/v1/finish', options.sid, 'Finish', 'primary'),
    '</div>',
  ].join('\n');
  return layout({ title: 'Duo Security', body, ...(options.lang ? { lang: options.lang } : {}) });
}

/**
 * A page whose only job is to post `message` to the parent window (the v2 result or an error).
 * The script reads both values from data attributes, so nothing inline needs to run.
 */
export function renderFrameMessage(options: {
  heading: string;
  text: string;
  message: string;
  parentOrigin: string | null;
}): string {
  const data =
    options.parentOrigin === null
      ? ''
      : ` data-duo-message="${escapeHtml(options.message)}" data-parent-origin="${escapeHtml(options.parentOrigin)}"`;
  const body = [
    `<h1 id="duo-frame-message"${data}>${escapeHtml(options.heading)}</h1>`,
    `<p>${escapeHtml(options.text)}</p>`,
  ].join('\n');
  return layout({ title: 'Duo Security', body, script: true });
}

/** The Universal Prompt stand-in: Duo's device-management experience for one person. */
export function renderUniversalPortal(options: {
  sid: string;
  username: string;
  devices: FakeDevice[];
  /** The language the browser asked for at authorize (`noteLanguage`): the page's `lang`. */
  lang?: string;
}): string {
  const body = [
    '<p class="brand">Duo Security (emulator) · Universal Prompt</p>',
    `<h1>Manage devices for ${escapeHtml(options.username)}</h1>`,
    '<h2>Your devices</h2>',
    deviceList(options.devices),
    '<div class="actions">',
    button('/frame/frameless/v4/devices', options.sid, 'Add a device'),
    button('/frame/frameless/v4/finish', options.sid, 'Finish', 'primary'),
    button('/frame/frameless/v4/cancel', options.sid, 'Cancel'),
    '</div>',
  ].join('\n');
  return layout({ title: 'Duo Security', body, ...(options.lang ? { lang: options.lang } : {}) });
}

/** A plain error page (v4 requests that cannot be sent back to any redirect_uri). */
export function renderErrorPage(heading: string, text: string): string {
  return layout({
    title: 'Duo Security',
    body: `<h1>${escapeHtml(heading)}</h1>\n<p>${escapeHtml(text)}</p>`,
  });
}

/** The frame script: posts the page's message to the parent origin once the page has loaded. */
export const FRAME_SCRIPT = `'use strict';
(function () {
  var el = document.getElementById('duo-frame-message');
  if (!el) return;
  var message = el.getAttribute('data-duo-message');
  var origin = el.getAttribute('data-parent-origin');
  if (message && origin && window.parent && window.parent !== window) {
    window.parent.postMessage(message, origin);
  }
})();
`;

/** A small stylesheet so screenshots look like a prompt rather than raw HTML. */
export const STYLESHEET = `body{font-family:system-ui,sans-serif;margin:0;background:#f4f6f8;color:#1b1b1b}
main{max-width:32rem;margin:2rem auto;padding:1.5rem;background:#fff;border-radius:8px;box-shadow:0 1px 4px rgba(0,0,0,.15)}
.brand{color:#2b7a0b;font-weight:600;font-size:.9rem}
h1{font-size:1.4rem}h2{font-size:1.1rem}
ul{padding-left:1.2rem}
.actions{display:flex;gap:.75rem;flex-wrap:wrap;margin-top:1rem}
button{font-size:1rem;padding:.5rem 1rem;border-radius:4px;border:1px solid #888;background:#fff;cursor:pointer}
button.primary{background:#2b7a0b;color:#fff;border-color:#2b7a0b}
`;
