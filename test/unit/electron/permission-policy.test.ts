import { describe, expect, it } from 'vitest';
import {
  decideDevicePermission,
  decidePermission,
  permissionTable,
} from '../../../main/electron/permission-policy';

const duoOrigin = 'https://api-x.duosecurity.com';
const strict = { duoOrigin, allowSecurityKeys: false };
const keys = { duoOrigin, allowSecurityKeys: true };

describe('decidePermission', () => {
  it('denies every permission in the table by default, for every origin', () => {
    for (const permission of Object.keys(permissionTable)) {
      expect(decidePermission({ permission, requestingUrl: `${duoOrigin}/x` }, strict).granted).toBe(false);
      expect(decidePermission({ permission, requestingUrl: 'app://walkup/index.html' }, strict).granted).toBe(
        false,
      );
    }
  });
  it('denies permissions it has never heard of', () => {
    expect(decidePermission({ permission: 'future-thing', requestingUrl: `${duoOrigin}/` }, keys)).toEqual({
      granted: false,
      reason: 'not-in-table',
    });
    expect(decidePermission({ permission: 'toString', requestingUrl: `${duoOrigin}/` }, keys).granted).toBe(
      false,
    );
  });
  it('never grants camera, microphone, notifications or geolocation, even with security keys on', () => {
    for (const permission of ['media', 'notifications', 'geolocation', 'openExternal', 'clipboard-read']) {
      expect(decidePermission({ permission, requestingUrl: `${duoOrigin}/` }, keys)).toEqual({
        granted: false,
        reason: 'never',
      });
    }
  });
  it('grants HID to the Duo origin only when security keys are allowed', () => {
    expect(decidePermission({ permission: 'hid', requestingUrl: `${duoOrigin}/frame` }, keys)).toEqual({
      granted: true,
      reason: 'allowed',
    });
    expect(decidePermission({ permission: 'hid', requestingUrl: `${duoOrigin}/frame` }, strict).reason).toBe(
      'security-keys-disabled',
    );
  });
  it('refuses HID to look-alike origins, the app itself and unknown requesters', () => {
    for (const requestingUrl of [
      'https://api-x.duosecurity.com.evil.test/',
      'app://walkup/index.html',
      undefined,
    ]) {
      expect(decidePermission({ permission: 'hid', requestingUrl }, keys).reason).toBe('wrong-origin');
    }
  });
  it('refuses HID to a Duo frame embedded in another page', () => {
    expect(
      decidePermission(
        { permission: 'hid', requestingUrl: `${duoOrigin}/`, embeddingOrigin: 'app://walkup' },
        keys,
      ).reason,
    ).toBe('embedded');
  });
});

describe('decideDevicePermission', () => {
  it('lets only the Duo origin use a HID device, and only when security keys are allowed', () => {
    expect(decideDevicePermission({ deviceType: 'hid', origin: duoOrigin }, keys)).toBe(true);
    expect(decideDevicePermission({ deviceType: 'hid', origin: duoOrigin }, strict)).toBe(false);
    expect(decideDevicePermission({ deviceType: 'usb', origin: duoOrigin }, keys)).toBe(false);
    expect(decideDevicePermission({ deviceType: 'hid', origin: 'https://evil.test' }, keys)).toBe(false);
  });
});
