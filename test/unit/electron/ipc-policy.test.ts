import { describe, expect, it } from 'vitest';
import { adminIpcChannel, adminMethods, ipcChannels } from '../../../main/contract/channels';
import { checkIpcSender, invokableChannels } from '../../../main/electron/ipc-policy';

const mainFrame = {
  origin: 'app://walkup',
  url: 'app://walkup/index.html',
  isMainFrame: true,
  inStationWindow: true,
};

describe('checkIpcSender', () => {
  it('serves every request channel from the main frame of app://walkup', () => {
    for (const channel of invokableChannels) expect(checkIpcSender(channel, mainFrame)).toEqual({ ok: true });
    expect(invokableChannels.size).toBe(Object.keys(ipcChannels).length - 1 + adminMethods.length);
  });
  it('serves one channel per admin method, behind the same frame, origin and window checks', () => {
    for (const method of adminMethods) {
      const channel = adminIpcChannel(method);
      expect(checkIpcSender(channel, mainFrame)).toEqual({ ok: true });
      expect(checkIpcSender(channel, { ...mainFrame, inStationWindow: false })).toEqual({
        ok: false,
        reason: 'wrong-window',
      });
      expect(checkIpcSender(channel, { ...mainFrame, isMainFrame: false })).toEqual({
        ok: false,
        reason: 'subframe',
      });
      expect(
        checkIpcSender(channel, { ...mainFrame, origin: 'https://evil.test', url: 'https://evil.test/' }),
      ).toEqual({ ok: false, reason: 'wrong-origin' });
    }
    expect(checkIpcSender(adminIpcChannel('readSecret'), mainFrame)).toEqual({
      ok: false,
      reason: 'unknown-channel',
    });
  });
  it('rejects unknown channels, including the main->renderer event channel', () => {
    expect(checkIpcSender('walkup:debug', mainFrame)).toEqual({ ok: false, reason: 'unknown-channel' });
    expect(checkIpcSender(ipcChannels.event, mainFrame)).toEqual({ ok: false, reason: 'unknown-channel' });
    expect(checkIpcSender('', mainFrame)).toEqual({ ok: false, reason: 'unknown-channel' });
  });
  it('rejects a message whose frame is gone', () => {
    expect(checkIpcSender(ipcChannels.signIn, null)).toEqual({ ok: false, reason: 'no-frame' });
  });
  it("rejects subframes, such as Duo's v2 iframe", () => {
    const duoFrame = {
      origin: 'https://api-x.duosecurity.com',
      url: 'https://api-x.duosecurity.com/frame',
      isMainFrame: false,
      inStationWindow: true,
    };
    expect(checkIpcSender(ipcChannels.signIn, duoFrame)).toEqual({ ok: false, reason: 'subframe' });
    expect(checkIpcSender(ipcChannels.signIn, { ...mainFrame, isMainFrame: false })).toEqual({
      ok: false,
      reason: 'subframe',
    });
  });
  it('rejects main frames of any other origin', () => {
    const others = [
      { origin: 'https://api-x.duosecurity.com', url: 'https://api-x.duosecurity.com/' },
      { origin: 'app://walkup.evil', url: 'app://walkup.evil/index.html' },
      { origin: 'null', url: 'file:///index.html' },
      { origin: 'app://walkup', url: '' },
      { origin: 'app://walkup', url: 'about:blank' },
      { origin: 'https://evil.test', url: 'app://walkup/index.html' },
    ];
    for (const frame of others) {
      expect(
        checkIpcSender(ipcChannels.signIn, { ...frame, isMainFrame: true, inStationWindow: true }),
      ).toEqual({
        ok: false,
        reason: 'wrong-origin',
      });
    }
  });
  it('rejects the main frame of app://walkup in any other web contents (a Duo view host page)', () => {
    for (const channel of invokableChannels) {
      expect(checkIpcSender(channel, { ...mainFrame, inStationWindow: false })).toEqual({
        ok: false,
        reason: 'wrong-window',
      });
    }
  });
});
