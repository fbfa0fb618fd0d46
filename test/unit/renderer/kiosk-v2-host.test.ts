// @vitest-environment jsdom
// @vitest-environment-options {"url": "https://walkup.test/duo-v2/host.html?host=127.0.0.1%3A43123&tx=TX%7Ca%7Cb"}
/**
 * The kiosk's v2 host page script (renderer/duo/kiosk-v2-host.ts) in jsdom: it frames Duo with
 * the contract's v2 formats and the renderer's origin/sender check, and posts exactly one
 * accepted frame message to its partition's endpoint. (jsdom cannot host `app://`, so the page
 * sits on an https origin here; the script only reads its own location.)
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { kioskDuoV2HostPaths } from '../../../main/contract/channels';

describe('kiosk-v2-host', () => {
  const fetchMock = vi.fn(async () => new Response(null, { status: 204 }));
  let frame: HTMLIFrameElement;

  beforeAll(async () => {
    vi.stubGlobal('fetch', fetchMock);
    // Imported for its effect: it builds the page.
    await import('../../../renderer/duo/kiosk-v2-host');
    const found = document.querySelector('iframe');
    if (!found) throw new Error('no frame');
    frame = found;
  });
  afterAll(() => vi.unstubAllGlobals());

  function post(
    origin: string,
    data: unknown,
    source: MessageEventSource | null = frame.contentWindow,
  ): void {
    window.dispatchEvent(new MessageEvent('message', { origin, source, data }));
  }

  it("frames Duo's v2 frame with the page's origin and path as parent (not its query)", () => {
    const src = new URL(frame.src);
    expect(`${src.origin}${src.pathname}`).toBe('https://127.0.0.1:43123/frame/web/v1/auth');
    expect(src.searchParams.get('tx')).toBe('TX|a|b');
    expect(src.searchParams.get('parent')).toBe('https://walkup.test/duo-v2/host.html');
    expect(src.searchParams.get('v')).toBe('2.9');
  });

  it('sandboxes the frame and grants it no WebAuthn (never to an embedded frame)', () => {
    expect(frame.getAttribute('sandbox')).toBe('allow-scripts allow-same-origin allow-forms');
    expect(frame.getAttribute('allow')).toBeNull();
  });

  it('ignores messages from another origin, another window or in another format', () => {
    post('https://evil.test', 'AUTH|dXNlcg==|abc');
    post('https://127.0.0.1:43123', 'AUTH|dXNlcg==|abc', null);
    post('https://127.0.0.1:43123', 'DUO_OPEN_WINDOW|https://evil.test/');
    post('https://127.0.0.1:43123', { data: 'AUTH|dXNlcg==|abc' });
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it("posts Duo's message once to the partition's endpoint", () => {
    post('https://127.0.0.1:43123', 'AUTH|dXNlcg==|abc');
    post('https://127.0.0.1:43123', 'AUTH|b3RoZXI=|def');
    expect(fetchMock).toHaveBeenCalledTimes(1);
    expect(kioskDuoV2HostPaths.response).toBe('/duo-v2/response');
    expect(fetchMock).toHaveBeenCalledWith('/duo-v2/response', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'AUTH|dXNlcg==|abc',
    });
  });
});
