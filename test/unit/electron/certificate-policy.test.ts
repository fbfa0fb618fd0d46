import { describe, expect, it } from 'vitest';
import {
  chainToPem,
  decidePrivateCaTrust,
  TRUST,
  USE_CHROMIUM_RESULT,
} from '../../../main/electron/certificate-policy';
import { createEmulatorCertificates } from '../../support/duo-emulator/certificates';

describe('decidePrivateCaTrust', async () => {
  const pki = await createEmulatorCertificates();
  const other = await createEmulatorCertificates();
  const now = new Date();
  const question = {
    hostname: '127.0.0.1',
    chainPem: [pki.serverCertPem],
    chromiumResult: 'net::ERR_CERT_AUTHORITY_INVALID',
  };
  const options = { duoHostname: '127.0.0.1', caPem: pki.caPem, now };

  it('trusts the Duo host when its certificate was issued by the configured CA', () => {
    expect(decidePrivateCaTrust(question, options)).toBe(TRUST);
  });
  it('also accepts the CA sent along in the chain', () => {
    expect(decidePrivateCaTrust({ ...question, chainPem: [pki.serverCertPem, pki.caPem] }, options)).toBe(
      TRUST,
    );
  });
  it("keeps Chromium's verdict for every other host", () => {
    expect(decidePrivateCaTrust({ ...question, hostname: 'evil.test' }, options)).toBe(USE_CHROMIUM_RESULT);
  });
  it("keeps Chromium's verdict when no CA is configured (real Duo)", () => {
    expect(decidePrivateCaTrust(question, { ...options, caPem: undefined })).toBe(USE_CHROMIUM_RESULT);
  });
  it('refuses a certificate from a different CA, even one that sends our CA along', () => {
    expect(decidePrivateCaTrust({ ...question, chainPem: [other.serverCertPem] }, options)).toBe(
      USE_CHROMIUM_RESULT,
    );
    expect(decidePrivateCaTrust({ ...question, chainPem: [other.serverCertPem, pki.caPem] }, options)).toBe(
      USE_CHROMIUM_RESULT,
    );
  });
  it('refuses a certificate that does not name the host', () => {
    expect(
      decidePrivateCaTrust({ ...question, hostname: '127.0.0.2' }, { ...options, duoHostname: '127.0.0.2' }),
    ).toBe(USE_CHROMIUM_RESULT);
  });
  it('refuses an expired certificate', () => {
    expect(decidePrivateCaTrust(question, { ...options, now: new Date(Date.now() + 365 * 86_400_000) })).toBe(
      USE_CHROMIUM_RESULT,
    );
  });
  it('leaves chains Chromium already trusts alone', () => {
    expect(decidePrivateCaTrust({ ...question, chromiumResult: 'net::OK' }, options)).toBe(
      USE_CHROMIUM_RESULT,
    );
  });
  it('fails closed on garbage', () => {
    expect(decidePrivateCaTrust({ ...question, chainPem: ['not a cert'] }, options)).toBe(
      USE_CHROMIUM_RESULT,
    );
  });
});

describe('chainToPem', () => {
  it('walks issuerCert links and stops at a self-issued root', () => {
    const root = { data: 'ROOT', fingerprint: 'r', issuerCert: undefined as unknown };
    root.issuerCert = root;
    const leaf = { data: 'LEAF', fingerprint: 'l', issuerCert: root };
    expect(chainToPem(leaf)).toEqual(['LEAF', 'ROOT']);
  });
});
