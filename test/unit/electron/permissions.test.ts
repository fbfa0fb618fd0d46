import { beforeEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../../main/core/ports';
import { setupPermissions } from '../../../main/electron/permissions';
import { resetElectronFake, session } from './support/electron-fake';

vi.mock('electron', () => import('./support/electron-fake'));

const duoOrigin = 'https://api-x.duosecurity.com';

describe('setupPermissions', () => {
  beforeEach(() => {
    resetElectronFake();
    setupPermissions(() => ({ duoOrigin, allowSecurityKeys: false }), silentLogger);
  });

  function request(
    target: ReturnType<typeof session.fromPartition>,
    permission: string,
    requestingUrl: string,
  ) {
    let granted: boolean | undefined;
    target.requestHandler?.({}, permission, (answer: boolean) => (granted = answer), {
      requestingUrl,
      isMainFrame: true,
    });
    return granted;
  }

  it('denies requests on the default session', () => {
    expect(request(session.defaultSession, 'media', 'app://walkup/index.html')).toBe(false);
    expect(request(session.defaultSession, 'notifications', `${duoOrigin}/`)).toBe(false);
  });

  it("covers every session created later, such as a visit's Duo partition", () => {
    const partition = session.fromPartition('walkup-duo-x');
    expect(request(partition, 'geolocation', `${duoOrigin}/`)).toBe(false);
    expect(
      partition.checkHandler?.(null, 'hid', duoOrigin, { isMainFrame: true, requestingUrl: `${duoOrigin}/` }),
    ).toBe(false);
    expect(partition.deviceHandler?.({ deviceType: 'hid', origin: duoOrigin })).toBe(false);
  });

  it('refuses a subframe request even for a permission the table grants to Duo', () => {
    resetElectronFake();
    setupPermissions(() => ({ duoOrigin, allowSecurityKeys: true }), silentLogger);
    const partition = session.fromPartition('walkup-visit-x');
    const ask = (isMainFrame: boolean) => {
      let granted: boolean | undefined;
      partition.requestHandler?.({}, 'publickey-credentials-get', (answer: boolean) => (granted = answer), {
        requestingUrl: `${duoOrigin}/frame`,
        isMainFrame,
      });
      return granted;
    };
    expect(ask(true)).toBe(true);
    expect(ask(false)).toBe(false);
    expect(
      partition.checkHandler?.(null, 'publickey-credentials-get', duoOrigin, {
        isMainFrame: false,
        requestingUrl: `${duoOrigin}/`,
        embeddingOrigin: 'app://walkup',
      }),
    ).toBe(false);
  });
});
