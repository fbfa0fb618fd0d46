/**
 * Starts a throwaway OpenLDAP server (slapd) on loopback for tests and benchmarks: its own
 * slapd.conf, mdb database and TLS certificate in a temp directory, ldap:// (with StartTLS) and
 * ldaps:// on random ports, the memberof overlay and, as an option, the ppolicy overlay. `stop()`
 * kills it and removes everything; a process exit hook does the same if a test run dies first.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'ldapts';
import { createTestPki, type TestPki } from './certs';
import { stopDaemon, trackDaemon, waitForPort } from './daemon-process';

const SLAPD = '/usr/sbin/slapd';
const SCHEMA_DIR = '/etc/ldap/schema';

/** A running slapd. */
export interface SlapdServer {
  /** ldap://127.0.0.1:<port> (StartTLS available). */
  ldapUrl: string;
  /** ldaps://127.0.0.1:<port> */
  ldapsUrl: string;
  ldapPort: number;
  ldapsPort: number;
  suffix: string;
  rootDN: string;
  rootPassword: string;
  /** CA certificate (PEM file) that issued the server certificate. */
  caFile: string;
  pki: TestPki;
  dir: string;
  /** An ldapts client bound as rootdn over ldap:// (for loading fixtures). Unbind it when done. */
  rootClient(): Promise<Client>;
  stop(): Promise<void>;
}

export interface SlapdOptions {
  suffix?: string;
  /** LDIF loaded with slapadd before the server starts (fast bulk loading; overlays do not run). */
  bulkLdif?: string;
  /**
   * Load the ppolicy overlay (draft-behera password policy) with this DN as `ppolicy_default`
   * (an entry the test adds, `objectClass: pwdPolicy`). Without it no password policy applies.
   */
  ppolicyDefault?: string;
}

/** Why slapd cannot run here, or undefined when it can. */
export function slapdUnavailableReason(): string | undefined {
  if (!existsSync(SLAPD)) return `slapd not installed (${SLAPD} missing): apt-get install slapd ldap-utils`;
  if (!existsSync(join(SCHEMA_DIR, 'core.schema'))) return `OpenLDAP schema files missing in ${SCHEMA_DIR}`;
  return undefined;
}

/** Starts slapd; throws with slapd's own output when it does not come up. */
export async function startSlapd(options: SlapdOptions = {}): Promise<SlapdServer> {
  const unavailable = slapdUnavailableReason();
  if (unavailable) throw new Error(unavailable);

  const suffix = options.suffix ?? 'dc=example,dc=test';
  const rootDN = `cn=admin,${suffix}`;
  const rootPassword = randomBytes(12).toString('hex');
  const dir = await mkdtemp(join(tmpdir(), 'walkup-slapd-'));
  let pki: TestPki | undefined;
  let child: ChildProcess | undefined;

  const cleanup = async () => {
    if (child) await stopDaemon(child);
    await rm(dir, { recursive: true, force: true });
    await pki?.cleanup();
  };

  try {
    pki = await createTestPki();
    await mkdir(join(dir, 'db'));
    const confFile = join(dir, 'slapd.conf');
    await writeFile(
      confFile,
      slapdConf({
        dir,
        suffix,
        rootDN,
        rootPassword,
        pki,
        schemas: ['core', 'cosine', 'inetorgperson', 'nis'],
        ppolicyDefault: options.ppolicyDefault,
      }),
    );
    if (options.bulkLdif !== undefined) {
      const ldifFile = join(dir, 'bulk.ldif');
      await writeFile(ldifFile, options.bulkLdif);
      const added = spawnSync(SLAPD.replace(/slapd$/, 'slapadd'), ['-q', '-f', confFile, '-l', ldifFile], {
        encoding: 'utf8',
      });
      if (added.status !== 0) throw new Error(`slapadd failed: ${added.stderr || added.stdout}`);
    }

    for (let attempt = 1; ; attempt += 1) {
      const [ldapPort = 0, ldapsPort = 0] = await freePorts(2);
      const ldapUrl = `ldap://127.0.0.1:${ldapPort}`;
      const ldapsUrl = `ldaps://127.0.0.1:${ldapsPort}`;
      const output: string[] = [];
      // -d 0 keeps slapd in the foreground (our child, killed by stop()); no -u/-g, so it does
      // not switch users, and pid/args files live in the temp directory, not /var/run.
      child = spawn(SLAPD, ['-f', confFile, '-h', `${ldapUrl}/ ${ldapsUrl}/`, '-d', '0'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      trackDaemon(child);
      child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
      child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
      const up = await waitForPort(ldapPort, child, 10_000);
      if (up) {
        const server: SlapdServer = {
          ldapUrl,
          ldapsUrl,
          ldapPort,
          ldapsPort,
          suffix,
          rootDN,
          rootPassword,
          caFile: pki.ca.certFile,
          pki,
          dir,
          async rootClient() {
            const client = new Client({ url: ldapUrl, connectTimeout: 5000, timeout: 30_000 });
            await client.bind(rootDN, rootPassword);
            return client;
          },
          stop: cleanup,
        };
        return server;
      }
      await stopDaemon(child);
      child = undefined;
      // A port picked free can be taken before slapd binds it: try again a few times.
      if (attempt >= 3) throw new Error(`slapd did not start:\n${output.join('')}`);
    }
  } catch (error) {
    await cleanup();
    throw error;
  }
}

function slapdConf(options: {
  dir: string;
  suffix: string;
  rootDN: string;
  rootPassword: string;
  pki: TestPki;
  schemas: string[];
  ppolicyDefault: string | undefined;
}): string {
  const { dir, suffix, rootDN, rootPassword, pki, ppolicyDefault } = options;
  return [
    ...options.schemas.map((name) => `include ${SCHEMA_DIR}/${name}.schema`),
    `pidfile ${join(dir, 'slapd.pid')}`,
    `argsfile ${join(dir, 'slapd.args')}`,
    'modulepath /usr/lib/ldap',
    'moduleload back_mdb',
    'moduleload memberof',
    // slapd 2.5 builds the ppolicy schema into the module.
    ...(ppolicyDefault === undefined ? [] : ['moduleload ppolicy']),
    `TLSCACertificateFile ${pki.ca.certFile}`,
    `TLSCertificateFile ${pki.server.certFile}`,
    `TLSCertificateKeyFile ${pki.server.keyFile}`,
    'sizelimit unlimited',
    'database mdb',
    'maxsize 1073741824',
    `suffix "${suffix}"`,
    `rootdn "${rootDN}"`,
    `rootpw ${rootPassword}`,
    `directory ${join(dir, 'db')}`,
    'index objectClass eq',
    'index uid eq',
    'index member eq',
    'index uniqueMember eq',
    'overlay memberof',
    'memberof-refint TRUE',
    ...(ppolicyDefault === undefined ? [] : ['overlay ppolicy', `ppolicy_default "${ppolicyDefault}"`]),
    // The root DSE is public; passwords are usable only to bind; anonymous users may only bind.
    'access to dn.base="" by * read',
    'access to attrs=userPassword by self write by anonymous auth by * none',
    'access to * by users read by anonymous auth',
    '',
  ].join('\n');
}

async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<Server>((resolve, reject) => {
          const server = createServer();
          server.once('error', reject);
          server.listen(0, '127.0.0.1', () => resolve(server));
        }),
    ),
  );
  const ports = servers.map((server) => {
    const address = server.address();
    if (!address || typeof address === 'string') throw new Error('no port');
    return address.port;
  });
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}
