/**
 * Certificate chains for the private-CA tests, made with the `selfsigned` dependency: a CA, an
 * optional intermediate (good or broken in one chosen way) and a server certificate, each with
 * the validity window the test needs.
 */
import { generate } from 'selfsigned';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface Issued {
  cert: string;
  key: string;
}

export interface ValidityDays {
  /** Days before now the certificate starts (default 1). */
  from?: number;
  /** Days after now it ends (default 30; negative: already expired). */
  to?: number;
}

function window(days: ValidityDays = {}) {
  return {
    notBeforeDate: new Date(Date.now() - (days.from ?? 1) * DAY_MS),
    notAfterDate: new Date(Date.now() + (days.to ?? 30) * DAY_MS),
  };
}

const common = { keyType: 'ec', curve: 'P-256', algorithm: 'sha256' } as const;

/** A certificate authority; `basicConstraintsCa: false` or `keyCertSign: false` break it. */
export async function makeCa(
  name: string,
  options: {
    issuer?: Issued;
    basicConstraintsCa?: boolean;
    keyCertSign?: boolean;
    validity?: ValidityDays;
  } = {},
): Promise<Issued> {
  const made = await generate([{ name: 'commonName', value: name }], {
    ...common,
    ...window(options.validity),
    ...(options.issuer ? { ca: { key: options.issuer.key, cert: options.issuer.cert } } : {}),
    extensions: [
      { name: 'basicConstraints', cA: options.basicConstraintsCa ?? true, critical: true },
      {
        name: 'keyUsage',
        keyCertSign: options.keyCertSign ?? true,
        cRLSign: true,
        digitalSignature: true,
        critical: true,
      },
    ],
  });
  return { cert: made.cert, key: made.private };
}

/** A TLS server certificate for `hosts` (IP literals become IP SANs), issued by `issuer` or self-signed. */
export async function makeServer(
  hosts: string[],
  options: { issuer?: Issued; validity?: ValidityDays; serverAuth?: boolean } = {},
): Promise<Issued> {
  const altNames = hosts.map((host) =>
    /^[\d.]+$|:/.test(host) ? { type: 7 as const, ip: host } : { type: 2 as const, value: host },
  );
  const made = await generate([{ name: 'commonName', value: hosts[0] ?? 'server' }], {
    ...common,
    ...window(options.validity),
    ...(options.issuer ? { ca: { key: options.issuer.key, cert: options.issuer.cert } } : {}),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      options.serverAuth === false
        ? { name: 'extKeyUsage', clientAuth: true }
        : { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames },
    ],
  });
  return { cert: made.cert, key: made.private };
}
