/**
 * Trust for a private Duo endpoint. When the configuration names a CA file for Duo (the local
 * Duo emulator in the demo and the Electron end-to-end suite), Chromium does not know that CA;
 * this verifies the presented chain against it, in Node, for the Duo host only. Without a CA
 * file Chromium's own verdict stands, unchanged.
 */
import { X509Certificate } from 'node:crypto';

/** Chromium's verify-proc answers: 0 trust, -2 reject, -3 keep Chromium's own result. */
export const TRUST = 0;
export const USE_CHROMIUM_RESULT = -3;

export interface CertificateQuestion {
  hostname: string;
  /** The server's chain as PEM, leaf first (`certificate`, then each `issuerCert`). */
  chainPem: string[];
  /** Chromium's result: `net::OK` when it already trusts the chain. */
  chromiumResult: string;
}

/**
 * Decides whether to trust a chain Chromium rejected: only for the configured Duo host, only
 * when every certificate is in its validity period, each is signed by the next, the last one
 * is signed by the configured CA, and the leaf names the host.
 */
export function decidePrivateCaTrust(
  question: CertificateQuestion,
  options: { duoHostname: string | undefined; caPem: string | undefined; now: Date },
): number {
  if (question.chromiumResult === 'net::OK') return USE_CHROMIUM_RESULT;
  if (!options.caPem || !options.duoHostname) return USE_CHROMIUM_RESULT;
  if (question.hostname.toLowerCase() !== options.duoHostname.toLowerCase()) return USE_CHROMIUM_RESULT;
  try {
    const ca = new X509Certificate(options.caPem);
    const chain = question.chainPem.map((pem) => new X509Certificate(pem));
    const leaf = chain[0];
    if (!leaf) return USE_CHROMIUM_RESULT;
    const at = options.now.getTime();
    const valid = (cert: X509Certificate): boolean =>
      Date.parse(cert.validFrom) <= at && at <= Date.parse(cert.validTo);
    // Walk up from the leaf until a certificate the CA signed; a self-signed root the server
    // sends along is not trusted just because it is present.
    for (let index = 0; index < chain.length; index += 1) {
      const cert = chain[index] as X509Certificate;
      if (!valid(cert)) return USE_CHROMIUM_RESULT;
      if (cert.checkIssued(ca) && cert.verify(ca.publicKey)) {
        if (!valid(ca)) return USE_CHROMIUM_RESULT;
        const namesHost =
          leaf.checkHost(question.hostname) !== undefined || leaf.checkIP(question.hostname) !== undefined;
        return namesHost ? TRUST : USE_CHROMIUM_RESULT;
      }
      const issuer = chain[index + 1];
      if (!issuer || !cert.checkIssued(issuer) || !cert.verify(issuer.publicKey)) return USE_CHROMIUM_RESULT;
    }
    return USE_CHROMIUM_RESULT;
  } catch {
    return USE_CHROMIUM_RESULT;
  }
}

/** The chain Electron hands over, as PEM, leaf first (stops at self-issued roots). */
export function chainToPem(certificate: {
  data: string;
  issuerCert?: unknown;
  fingerprint?: string;
}): string[] {
  const pems: string[] = [];
  let current: { data: string; issuerCert?: unknown; fingerprint?: string } | undefined = certificate;
  const seen = new Set<string>();
  while (current && typeof current.data === 'string' && pems.length < 10) {
    const key = current.fingerprint ?? current.data;
    if (seen.has(key)) break;
    seen.add(key);
    pems.push(current.data);
    current = current.issuerCert as typeof current;
  }
  return pems;
}
