import { isIP } from 'node:net';
import { generate } from 'selfsigned';

/** A throwaway CA and a server certificate it signed, all PEM. */
export interface EmulatorCertificates {
  caPem: string;
  serverCertPem: string;
  serverKeyPem: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Makes a fresh CA and a TLS server certificate for the loopback names (plus `extraHost` when the
 * emulator binds elsewhere on loopback). Clients trust the emulator by trusting the CA only, the
 * way Duo's SDKs pin a CA bundle rather than a leaf certificate.
 */
export async function createEmulatorCertificates(extraHost?: string): Promise<EmulatorCertificates> {
  // Backdated a day so a test that skews its own clock a little still accepts the certificate.
  const notBeforeDate = new Date(Date.now() - DAY_MS);
  const notAfterDate = new Date(Date.now() + 30 * DAY_MS);
  const ca = await generate([{ name: 'commonName', value: 'Walkup Duo emulator test CA' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });

  const altNames: { type: 2 | 7; value?: string; ip?: string }[] = [
    { type: 2, value: 'localhost' },
    { type: 7, ip: '127.0.0.1' },
    { type: 7, ip: '::1' },
  ];
  if (extraHost && !['localhost', '127.0.0.1', '::1'].includes(extraHost)) {
    altNames.push(isIP(extraHost) ? { type: 7, ip: extraHost } : { type: 2, value: extraHost });
  }

  const server = await generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames },
    ],
  });

  return { caPem: ca.cert, serverCertPem: server.cert, serverKeyPem: server.private };
}
