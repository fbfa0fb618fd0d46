/**
 * Trust for a private Duo endpoint. When the configuration names a CA file for Duo (the local
 * Duo emulator in the demo and the Electron end-to-end suite), Chromium does not know that CA;
 * this verifies the presented chain against it, in Node, for the Duo host only. Without a CA
 * file Chromium's own verdict stands, unchanged.
 *
 * Path validation is not written by hand: PKI.js's `CertificateChainValidationEngine` applies
 * RFC 5280 section 6 (signatures, validity of every certificate including the CA, basic
 * constraints `cA` and path length, key usage `keyCertSign`, name constraints), with the one
 * configured CA as the only trust anchor. The host name rule is Node's `X509Certificate.checkHost`
 * / `checkIP` (RFC 6125 / RFC 2818: subject alternative names). Certificates the server sends
 * along are only candidates for the path, never anchors: a self-signed leaf or a look-alike root
 * in the chain is not trusted because it is present.
 */
import { webcrypto, X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { Certificate, CertificateChainValidationEngine, CryptoEngine, setEngine } from 'pkijs';

/** Chromium's verify-proc answers: 0 trust, -2 reject, -3 keep Chromium's own result. */
export const TRUST = 0;
export const USE_CHROMIUM_RESULT = -3;

/** Id-kp-serverAuth (RFC 5280 4.2.1.12): the only extended key usage a Duo server needs. */
const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
const ANY_EXTENDED_KEY_USAGE = '2.5.29.37.0';

// PKI.js verifies signatures through WebCrypto; Node's is the engine.
type EngineCrypto = ConstructorParameters<typeof CryptoEngine>[0]['crypto'];
setEngine('node', new CryptoEngine({ name: 'node', crypto: webcrypto as unknown as EngineCrypto }));

export interface CertificateQuestion {
  hostname: string;
  /** The server's chain as PEM, leaf first (`certificate`, then each `issuerCert`). */
  chainPem: string[];
  /** Chromium's result: `net::OK` when it already trusts the chain. */
  chromiumResult: string;
}

/** Why a chain was not trusted (for tests and the log line; never the certificate itself). */
export type PrivateCaVerdict =
  | { trust: true }
  | {
      trust: false;
      reason:
        | 'chromium-trusts'
        | 'no-private-ca'
        | 'other-host'
        | 'unparseable'
        | 'ca-not-a-ca'
        | 'path-invalid'
        | 'leaf-is-ca'
        | 'not-for-servers'
        | 'name-mismatch';
    };

function toPkijs(cert: X509Certificate): Certificate {
  return Certificate.fromBER(new Uint8Array(cert.raw));
}

/** The extended key usages of `cert`, or undefined when it has none (then any use is allowed). */
function extendedKeyUsages(cert: X509Certificate): string[] | undefined {
  // Node returns undefined when the extension is absent.
  const usages = cert.keyUsage as string[] | undefined;
  return usages === undefined || usages.length === 0 ? undefined : usages;
}

/**
 * Checks a chain against the configured CA: only for the configured Duo host, only when
 * Chromium did not already trust it, and only when an RFC 5280 path leads from the leaf to the
 * CA, the leaf is an end-entity certificate usable for TLS servers, and it names the host.
 */
export async function verifyPrivateCaChain(
  question: CertificateQuestion,
  options: { duoHostname: string | undefined; caPem: string | undefined; now: Date },
): Promise<PrivateCaVerdict> {
  if (question.chromiumResult === 'net::OK') return { trust: false, reason: 'chromium-trusts' };
  if (!options.caPem || !options.duoHostname) return { trust: false, reason: 'no-private-ca' };
  if (question.hostname.toLowerCase() !== options.duoHostname.toLowerCase()) {
    return { trust: false, reason: 'other-host' };
  }
  let ca: X509Certificate;
  let chain: X509Certificate[];
  try {
    ca = new X509Certificate(options.caPem);
    chain = question.chainPem.map((pem) => new X509Certificate(pem));
  } catch {
    return { trust: false, reason: 'unparseable' };
  }
  const [leaf] = chain;
  if (!leaf) return { trust: false, reason: 'unparseable' };
  // The anchor itself must be a CA (basicConstraints cA, RFC 5280 4.2.1.9): a self-signed
  // server certificate configured as "the CA" is not one.
  if (!ca.ca) return { trust: false, reason: 'ca-not-a-ca' };
  if (leaf.ca) return { trust: false, reason: 'leaf-is-ca' };
  const usages = extendedKeyUsages(leaf);
  if (usages && !usages.includes(SERVER_AUTH) && !usages.includes(ANY_EXTENDED_KEY_USAGE)) {
    return { trust: false, reason: 'not-for-servers' };
  }
  try {
    const engine = new CertificateChainValidationEngine({
      trustedCerts: [toPkijs(ca)],
      // PKI.js takes the last certificate as the end entity: leaf last. The anchor is not a
      // candidate a second time, whatever the server sent along.
      certs: chain
        .filter((cert) => cert.fingerprint256 !== ca.fingerprint256)
        .map(toPkijs)
        .reverse(),
      checkDate: options.now,
    });
    const result = await engine.verify();
    if (!result.result) return { trust: false, reason: 'path-invalid' };
    // RFC 5280 6.1.3 (a)(2): every certificate in its validity period, the anchor included;
    // PKI.js checks this too, and it is cheap to hold independently of the library.
    const at = options.now.getTime();
    const valid = (cert: X509Certificate): boolean =>
      Date.parse(cert.validFrom) <= at && at <= Date.parse(cert.validTo);
    if (!valid(ca) || !chain.every(valid)) return { trust: false, reason: 'path-invalid' };
  } catch {
    return { trust: false, reason: 'path-invalid' };
  }
  const namesHost =
    isIP(question.hostname) !== 0
      ? leaf.checkIP(question.hostname) !== undefined
      : leaf.checkHost(question.hostname, { subject: 'never' }) !== undefined;
  return namesHost ? { trust: true } : { trust: false, reason: 'name-mismatch' };
}

/** The verify-proc answer for a chain: TRUST or Chromium's own (failing) result. */
export async function decidePrivateCaTrust(
  question: CertificateQuestion,
  options: { duoHostname: string | undefined; caPem: string | undefined; now: Date },
): Promise<number> {
  const verdict = await verifyPrivateCaChain(question, options);
  return verdict.trust ? TRUST : USE_CHROMIUM_RESULT;
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
