/**
 * Test PKI made with openssl: a CA and server certificates signed by it, in a temp directory.
 * Used by the slapd harness (and the Samba harness may issue its own server certificate).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A certificate authority on disk. */
export interface TestCA {
  name: string;
  certFile: string;
  keyFile: string;
  certPem: string;
}

/** A server certificate and key issued by a TestCA. */
export interface ServerCertificate {
  certFile: string;
  keyFile: string;
  certPem: string;
  keyPem: string;
  /** The issuing CA's certificate file (what clients should trust). */
  caFile: string;
}

/** A throwaway PKI: one CA and one server certificate for localhost / 127.0.0.1. */
export interface TestPki {
  dir: string;
  ca: TestCA;
  server: ServerCertificate;
  /** Removes the directory. */
  cleanup(): Promise<void>;
}

/** Writes a new EC P-256 private key (PEM) to `keyFile`. */
function generateKey(keyFile: string): Promise<unknown> {
  return run('openssl', [
    'genpkey',
    '-algorithm',
    'EC',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-out',
    keyFile,
  ]);
}

/** Creates a self-signed CA (EC P-256, 2 days) in `dir`. */
export async function createTestCA(dir: string, name = 'Walkup Test CA'): Promise<TestCA> {
  const base = join(dir, slug(name));
  const keyFile = `${base}.key`;
  const certFile = `${base}.crt`;
  await generateKey(keyFile);
  // Option/value pairs read better on shared lines.
  // prettier-ignore
  await run('openssl', [
    'req', '-x509', '-new', '-key', keyFile, '-sha256', '-days', '2', '-subj', `/CN=${name}`,
    '-addext', 'basicConstraints=critical,CA:TRUE',
    '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
    '-out', certFile,
  ]);
  return { name, certFile, keyFile, certPem: await readFile(certFile, 'utf8') };
}

/**
 * Issues a server certificate signed by `ca` with the given DNS names and IP addresses as
 * subject alternative names (host name verification uses them).
 */
export async function issueServerCertificate(
  ca: TestCA,
  options: { dir: string; commonName: string; dnsNames?: string[]; ipAddresses?: string[] },
): Promise<ServerCertificate> {
  const base = join(options.dir, slug(options.commonName));
  const keyFile = `${base}.key`;
  const csrFile = `${base}.csr`;
  const certFile = `${base}.crt`;
  const extFile = `${base}.ext`;
  const san = [
    ...(options.dnsNames ?? []).map((name) => `DNS:${name}`),
    ...(options.ipAddresses ?? []).map((ip) => `IP:${ip}`),
  ].join(',');
  await writeFile(
    extFile,
    [
      'basicConstraints=critical,CA:FALSE',
      'keyUsage=critical,digitalSignature,keyEncipherment',
      'extendedKeyUsage=serverAuth',
      ...(san ? [`subjectAltName=${san}`] : []),
    ].join('\n'),
  );
  await generateKey(keyFile);
  await run('openssl', [
    'req',
    '-new',
    '-key',
    keyFile,
    '-subj',
    `/CN=${options.commonName}`,
    '-out',
    csrFile,
  ]);
  // prettier-ignore
  await run('openssl', [
    'x509', '-req', '-in', csrFile, '-CA', ca.certFile, '-CAkey', ca.keyFile, '-CAcreateserial',
    '-days', '2', '-sha256', '-extfile', extFile, '-out', certFile,
  ]);
  return {
    certFile,
    keyFile,
    certPem: await readFile(certFile, 'utf8'),
    keyPem: await readFile(keyFile, 'utf8'),
    caFile: ca.certFile,
  };
}

/** Creates a temp directory with a CA and a server certificate for `localhost` and `127.0.0.1`. */
export async function createTestPki(
  options: { dnsNames?: string[]; ipAddresses?: string[] } = {},
): Promise<TestPki> {
  const dir = await mkdtemp(join(tmpdir(), 'walkup-pki-'));
  try {
    const ca = await createTestCA(dir);
    const server = await issueServerCertificate(ca, {
      dir,
      commonName: 'localhost',
      dnsNames: options.dnsNames ?? ['localhost'],
      ipAddresses: options.ipAddresses ?? ['127.0.0.1'],
    });
    return { dir, ca, server, cleanup: () => rm(dir, { recursive: true, force: true }) };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
}
