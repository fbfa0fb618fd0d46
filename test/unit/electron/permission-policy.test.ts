import { describe, expect, it } from 'vitest';
import {
  decideDevicePermission,
  decidePermission,
  permissionTable,
  webAuthnPermissionsPolicy,
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
  it('never grants WebHID, WebUSB or Web Serial: they cannot reach a security key', () => {
    for (const permission of ['hid', 'usb', 'serial']) {
      expect(
        decidePermission({ permission, requestingUrl: `${duoOrigin}/frame`, isMainFrame: true }, keys),
      ).toEqual({
        granted: false,
        reason: 'never',
      });
    }
  });
  it("grants WebAuthn to Duo's top-level page only when security keys are allowed", () => {
    const question = {
      permission: 'publickey-credentials-get',
      requestingUrl: `${duoOrigin}/frame`,
      isMainFrame: true,
    };
    expect(decidePermission(question, keys)).toEqual({ granted: true, reason: 'allowed' });
    expect(decidePermission(question, strict).reason).toBe('security-keys-disabled');
  });
  it('refuses WebAuthn to look-alike origins, the app itself and unknown requesters', () => {
    for (const requestingUrl of [
      'https://api-x.duosecurity.com.evil.test/',
      'app://walkup/index.html',
      undefined,
    ]) {
      expect(
        decidePermission(
          { permission: 'publickey-credentials-create', requestingUrl, isMainFrame: true },
          keys,
        ).reason,
      ).toBe('wrong-origin');
    }
  });
  it("refuses WebAuthn to any embedded frame, Duo's own included", () => {
    const permission = 'publickey-credentials-get';
    expect(
      decidePermission({ permission, requestingUrl: `${duoOrigin}/`, embeddingOrigin: 'app://walkup' }, keys)
        .reason,
    ).toBe('embedded');
    expect(
      decidePermission({ permission, requestingUrl: `${duoOrigin}/`, isMainFrame: false }, keys).reason,
    ).toBe('embedded');
  });
});

describe('decideDevicePermission', () => {
  it('lets no page use a device, whatever the origin or configuration', () => {
    for (const deviceType of ['hid', 'usb', 'serial']) {
      expect(decideDevicePermission({ deviceType, origin: duoOrigin })).toBe(false);
    }
  });
});

describe('webAuthnPermissionsPolicy', () => {
  it("allows WebAuthn to Duo's top-level document itself (never its frames) when keys are allowed", () => {
    expect(webAuthnPermissionsPolicy(`${duoOrigin}/frame/prompt`, keys)).toBe(
      'publickey-credentials-get=(self), publickey-credentials-create=(self)',
    );
  });
  it('allows it to nobody otherwise', () => {
    const none = 'publickey-credentials-get=(), publickey-credentials-create=()';
    expect(webAuthnPermissionsPolicy(`${duoOrigin}/frame/prompt`, strict)).toBe(none);
    expect(webAuthnPermissionsPolicy('app://walkup/duo-v2/host.html', keys)).toBe(none);
    expect(webAuthnPermissionsPolicy('https://evil.test/', keys)).toBe(none);
  });
});
