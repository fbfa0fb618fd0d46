/**
 * The page's own part of Duo Web SDK v2 (renderer/duo/web-v2-frame.ts): which `message` event
 * speaks for Duo's frame. The formats themselves are the contract's (main/contract/duo-formats.ts);
 * here: exact origin (`duoOriginOf`), the frame's own window, and nothing but Duo's messages.
 */
import { describe, expect, it } from 'vitest';
import { acceptDuoFrameMessage } from '../../../renderer/duo/web-v2-frame';

const frameWindow = {} as Window;
const ok = 'AUTH|dXNlcg==|abc';

describe('acceptDuoFrameMessage', () => {
  it("takes Duo's success and error messages from the frame's window on the host's origin", () => {
    const origin = 'https://api-x.duosecurity.com';
    expect(
      acceptDuoFrameMessage({ origin, source: frameWindow, data: ok }, 'api-x.duosecurity.com', frameWindow),
    ).toBe(ok);
    const error = 'ERR|Enrollment window expired.';
    expect(
      acceptDuoFrameMessage(
        { origin, source: frameWindow, data: error },
        'api-x.duosecurity.com',
        frameWindow,
      ),
    ).toBe(error);
    // Duo-Web-v2.js's own pattern repeats the prefix (`(?:AUTH|ENROLL)+`); so does the contract's.
    const repeated = 'AUTHAUTH|dXNlcg==|abc';
    expect(
      acceptDuoFrameMessage(
        { origin, source: frameWindow, data: repeated },
        'api-x.duosecurity.com',
        frameWindow,
      ),
    ).toBe(repeated);
  });

  it('compares origins as the browser serializes them: case and the default port do not matter', () => {
    const message = { origin: 'https://api-x.duosecurity.com', source: frameWindow, data: ok };
    expect(acceptDuoFrameMessage(message, 'API-X.duosecurity.com', frameWindow)).toBe(ok);
    expect(acceptDuoFrameMessage(message, 'api-x.duosecurity.com:443', frameWindow)).toBe(ok);
    const emulator = { origin: 'https://127.0.0.1:43123', source: frameWindow, data: ok };
    expect(acceptDuoFrameMessage(emulator, '127.0.0.1:43123', frameWindow)).toBe(ok);
  });

  it('accepts nothing for a host that is not a plain name[:port], whatever the message says', () => {
    for (const host of ['evil.test/x', 'user@api-x.duosecurity.com', 'https://api-x.duosecurity.com', '']) {
      const origin = `https://${host}`;
      expect(
        acceptDuoFrameMessage({ origin, source: frameWindow, data: ok }, host, frameWindow),
      ).toBeUndefined();
    }
  });

  it('ignores another origin, another window, a missing frame and anything not in a Duo format', () => {
    const host = 'api-x.duosecurity.com';
    const origin = `https://${host}`;
    expect(
      acceptDuoFrameMessage(
        { origin: 'https://evil.test', source: frameWindow, data: ok },
        host,
        frameWindow,
      ),
    ).toBeUndefined();
    expect(
      acceptDuoFrameMessage({ origin: `${origin}:8443`, source: frameWindow, data: ok }, host, frameWindow),
    ).toBeUndefined();
    expect(
      acceptDuoFrameMessage({ origin, source: {} as Window, data: ok }, host, frameWindow),
    ).toBeUndefined();
    expect(acceptDuoFrameMessage({ origin, source: null, data: ok }, host, null)).toBeUndefined();
    for (const data of [
      'DUO_OPEN_WINDOW|https://evil.test/',
      'AUTH|a',
      'ERR|<script>',
      { response: ok },
      42,
      null,
    ]) {
      expect(acceptDuoFrameMessage({ origin, source: frameWindow, data }, host, frameWindow)).toBeUndefined();
    }
  });
});
