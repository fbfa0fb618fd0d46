import { describe, expect, it } from 'vitest';
import {
  chainToPem,
  decidePrivateCaTrust,
  TRUST,
  USE_CHROMIUM_RESULT,
  verifyPrivateCaChain,
} from '../../../main/electron/certificate-policy';
import { makeCa, makeServer } from './support/chain-pki';

const DAY_MS = 86_400_000;

describe('verifyPrivateCaChain (RFC 5280 path to the one configured CA)', async () => {
  const ca = await makeCa('Walkup test CA');
  const server = await makeServer(['127.0.0.1', 'localhost'], { issuer: ca });
  const intermediate = await makeCa('Walkup intermediate', { issuer: ca });
  const viaIntermediate = await makeServer(['127.0.0.1'], { issuer: intermediate });
  const notACa = await makeCa('Not a CA (CA:FALSE)', { issuer: ca, basicConstraintsCa: false });
  const viaNotACa = await makeServer(['127.0.0.1'], { issuer: notACa });
  const noCertSign = await makeCa('No keyCertSign', { issuer: ca, keyCertSign: false });
  const viaNoCertSign = await makeServer(['127.0.0.1'], { issuer: noCertSign });
  const expiredCa = await makeCa('Expired CA', { validity: { from: 10, to: -1 } });
  const underExpiredCa = await makeServer(['127.0.0.1'], { issuer: expiredCa });
  const selfSignedLeaf = await makeServer(['127.0.0.1']);
  const otherCa = await makeCa('Other CA');
  const fromOtherCa = await makeServer(['127.0.0.1'], { issuer: otherCa });
  const clientOnly = await makeServer(['127.0.0.1'], { issuer: ca, serverAuth: false });

  const now = new Date();
  const question = {
    hostname: '127.0.0.1',
    chainPem: [server.cert],
    chromiumResult: 'net::ERR_CERT_AUTHORITY_INVALID',
  };
  const options = { duoHostname: '127.0.0.1', caPem: ca.cert, now };

  it('trusts the Duo host when its certificate was issued by the configured CA', async () => {
    expect(await verifyPrivateCaChain(question, options)).toEqual({ trust: true });
    expect(await decidePrivateCaTrust(question, options)).toBe(TRUST);
  });
  it('trusts a DNS name as well as an IP address the certificate names', async () => {
    const named = { ...question, hostname: 'localhost' };
    expect(await verifyPrivateCaChain(named, { ...options, duoHostname: 'localhost' })).toEqual({
      trust: true,
    });
  });
  it('also accepts the CA sent along in the chain', async () => {
    expect(await decidePrivateCaTrust({ ...question, chainPem: [server.cert, ca.cert] }, options)).toBe(
      TRUST,
    );
  });
  it('follows a path through a proper intermediate CA', async () => {
    const chainPem = [viaIntermediate.cert, intermediate.cert];
    expect(await verifyPrivateCaChain({ ...question, chainPem }, options)).toEqual({ trust: true });
  });
  it('refuses a path through an intermediate with CA:FALSE (basic constraints)', async () => {
    const chainPem = [viaNotACa.cert, notACa.cert];
    expect(await verifyPrivateCaChain({ ...question, chainPem }, options)).toEqual({
      trust: false,
      reason: 'path-invalid',
    });
  });
  it('refuses a path through an intermediate without keyCertSign (key usage)', async () => {
    const chainPem = [viaNoCertSign.cert, noCertSign.cert];
    expect(await verifyPrivateCaChain({ ...question, chainPem }, options)).toMatchObject({ trust: false });
  });
  it('refuses a certificate under an expired CA', async () => {
    const verdict = await verifyPrivateCaChain(
      { ...question, chainPem: [underExpiredCa.cert] },
      { ...options, caPem: expiredCa.cert },
    );
    expect(verdict).toEqual({ trust: false, reason: 'path-invalid' });
  });
  it('refuses an expired server certificate', async () => {
    const later = new Date(Date.now() + 365 * DAY_MS);
    expect(await verifyPrivateCaChain(question, { ...options, now: later })).toEqual({
      trust: false,
      reason: 'path-invalid',
    });
  });
  it('refuses a certificate that does not name the host', async () => {
    const verdict = await verifyPrivateCaChain(
      { ...question, hostname: '127.0.0.2' },
      { ...options, duoHostname: '127.0.0.2' },
    );
    expect(verdict).toEqual({ trust: false, reason: 'name-mismatch' });
  });
  it('refuses a self-signed leaf, also when it sends our CA along', async () => {
    expect(await verifyPrivateCaChain({ ...question, chainPem: [selfSignedLeaf.cert] }, options)).toEqual({
      trust: false,
      reason: 'path-invalid',
    });
    expect(
      await decidePrivateCaTrust({ ...question, chainPem: [selfSignedLeaf.cert, ca.cert] }, options),
    ).toBe(USE_CHROMIUM_RESULT);
  });
  it('refuses a self-signed leaf configured as "the CA"', async () => {
    const verdict = await verifyPrivateCaChain(
      { ...question, chainPem: [selfSignedLeaf.cert] },
      { ...options, caPem: selfSignedLeaf.cert },
    );
    expect(verdict).toEqual({ trust: false, reason: 'ca-not-a-ca' });
  });
  it('refuses a certificate from a different CA, even one that sends our CA along', async () => {
    expect(await decidePrivateCaTrust({ ...question, chainPem: [fromOtherCa.cert] }, options)).toBe(
      USE_CHROMIUM_RESULT,
    );
    expect(await decidePrivateCaTrust({ ...question, chainPem: [fromOtherCa.cert, ca.cert] }, options)).toBe(
      USE_CHROMIUM_RESULT,
    );
  });
  it('refuses a CA certificate presented as the leaf', async () => {
    expect(await verifyPrivateCaChain({ ...question, chainPem: [intermediate.cert] }, options)).toEqual({
      trust: false,
      reason: 'leaf-is-ca',
    });
  });
  it('refuses a leaf whose extended key usage does not allow TLS servers', async () => {
    expect(await verifyPrivateCaChain({ ...question, chainPem: [clientOnly.cert] }, options)).toEqual({
      trust: false,
      reason: 'not-for-servers',
    });
  });
  it("keeps Chromium's verdict for every other host", async () => {
    expect(await verifyPrivateCaChain({ ...question, hostname: 'evil.test' }, options)).toEqual({
      trust: false,
      reason: 'other-host',
    });
  });
  it("keeps Chromium's verdict when no CA is configured (real Duo)", async () => {
    expect(await decidePrivateCaTrust(question, { ...options, caPem: undefined })).toBe(USE_CHROMIUM_RESULT);
  });
  it('leaves chains Chromium already trusts alone', async () => {
    expect(await decidePrivateCaTrust({ ...question, chromiumResult: 'net::OK' }, options)).toBe(
      USE_CHROMIUM_RESULT,
    );
  });
  it('fails closed on garbage', async () => {
    expect(await verifyPrivateCaChain({ ...question, chainPem: ['not a cert'] }, options)).toEqual({
      trust: false,
      reason: 'unparseable',
    });
    expect(await verifyPrivateCaChain({ ...question, chainPem: [] }, options)).toEqual({
      trust: false,
      reason: 'unparseable',
    });
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
