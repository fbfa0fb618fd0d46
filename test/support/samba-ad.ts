/**
 * A throwaway Samba Active Directory domain controller on loopback for the integration tests:
 * real AD behaviour (sAMAccountName / UPN / DOMAIN\user binds, userAccountControl, nested groups
 * with LDAP_MATCHING_RULE_IN_CHAIN, and the real bind diagnostics), provisioned in a temp dir.
 *
 * Samba listens on the fixed ports 389 and 636, so only one can run at a time: integration test
 * files run serially (vitest.config.ts). Provision once per test file (`beforeAll`) and always
 * `stop()` it in `afterAll`.
 *
 * Bind diagnostics this Samba (4.17) really returns, checked with ldapwhoami and ldapts (result
 * code 49 unless noted):
 *   wrong password           80090308: LdapErr: DSID-0C0903A9, comment: AcceptSecurityContext error, data 52e, v1db1
 *   disabled account         … data 533, v1db1
 *   must change (pwdLastSet=0) … data 773, v1db1
 *   expired account          … data 701, v1db1
 *   expired password         … data 532, v1db1   (pwdLastSet older than maxPwdAge, see backdatePassword)
 *   locked out               … data 775, v1db1   (with the right password and with a wrong one)
 *   simple bind over plain ldap:// without TLS: result 8, "BindSimple: Transport encryption required."
 *     (OpenLDAP tools print it as "Strong(er) authentication required")
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { accessSync, constants as fsConstants } from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, readFile, readlink, rm, writeFile } from 'node:fs/promises';
import { connect as netConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Attribute, Change, Client, type Entry } from 'ldapts';
import { createTestCA, issueServerCertificate } from './certs';

/** Kerberos realm of the test domain. */
export const AD_REALM = 'WALKUP.TEST';
/** DNS domain, the implicit UPN suffix. */
export const AD_DNS_DOMAIN = 'walkup.test';
/** NetBIOS (down-level) domain name, for `WALKUP\user`. */
export const AD_NETBIOS_DOMAIN = 'WALKUP';
/** A second UPN suffix registered in the forest and used by {@link AD_USERS.ursula}. */
export const AD_ALT_UPN_SUFFIX = 'students.walkup.test';
export const AD_BASE_DN = 'DC=walkup,DC=test';
/** Host name of the DC; the TLS certificate holds it and the IP 127.0.0.1. */
export const AD_SERVERNAME = 'dc.walkup.test';

const usersDN = (cn: string): string => `CN=${cn},CN=Users,${AD_BASE_DN}`;

/** The people in the test domain and the state each one is in. */
export const AD_USERS = {
  /** Normal account; member of G-Inner, which is a member of G-Outer. */
  alice: {
    sAMAccountName: 'alice',
    dn: usersDN('alice'),
    upn: `alice@${AD_DNS_DOMAIN}`,
    displayName: 'Alice Archer',
  },
  /** Disabled (userAccountControl 0x2): bind sub-code 533. */
  bob: { sAMAccountName: 'bob', dn: usersDN('bob'), upn: `bob@${AD_DNS_DOMAIN}`, displayName: 'Bob Baker' },
  /** Must change password at next logon (pwdLastSet=0): 773. */
  carol: {
    sAMAccountName: 'carol',
    dn: usersDN('carol'),
    upn: `carol@${AD_DNS_DOMAIN}`,
    displayName: 'Carol Clark',
  },
  /** Account expired yesterday (accountExpires): 701. */
  dave: {
    sAMAccountName: 'dave',
    dn: usersDN('dave'),
    upn: `dave@${AD_DNS_DOMAIN}`,
    displayName: 'Dave Dunn',
  },
  /** Password older than the domain's maximum password age (42 days): 532. */
  erin: {
    sAMAccountName: 'erin',
    dn: usersDN('erin'),
    upn: `erin@${AD_DNS_DOMAIN}`,
    displayName: 'Erin Ellis',
  },
  /** Normal until a test makes AD lock it out ({@link AD_LOCKOUT_THRESHOLD} bad passwords): 775. */
  frank: {
    sAMAccountName: 'frank',
    dn: usersDN('frank'),
    upn: `frank@${AD_DNS_DOMAIN}`,
    displayName: 'Frank Fox',
  },
  /** Normal account; member of G-Denied. */
  grace: {
    sAMAccountName: 'grace',
    dn: usersDN('grace'),
    upn: `grace@${AD_DNS_DOMAIN}`,
    displayName: 'Grace Green',
  },
  /** Normal account for the throttling test (must never reach AD's lockout threshold). */
  henry: {
    sAMAccountName: 'henry',
    dn: usersDN('henry'),
    upn: `henry@${AD_DNS_DOMAIN}`,
    displayName: 'Henry Hill',
  },
  /**
   * A UPN whose name part differs from the sAMAccountName (lee / lee.smith@walkup.test): two
   * login names, one account, for the throttling tests.
   */
  lee: {
    sAMAccountName: 'lee',
    dn: usersDN('lee'),
    upn: `lee.smith@${AD_DNS_DOMAIN}`,
    displayName: 'Lee Smith',
  },
  /** UPN with the alternative suffix (ursula@students.walkup.test). */
  ursula: {
    sAMAccountName: 'ursula',
    dn: usersDN('ursula'),
    upn: `ursula@${AD_ALT_UPN_SUFFIX}`,
    displayName: 'Ursula Underwood',
  },
} as const;
export type AdUserName = keyof typeof AD_USERS;

/** Group DNs: alice ∈ G-Inner ∈ G-Outer; grace ∈ G-Denied. */
export const AD_GROUPS = {
  inner: usersDN('G-Inner'),
  outer: usersDN('G-Outer'),
  denied: usersDN('G-Denied'),
} as const;

/** AD's lockout threshold in the test domain (bad passwords before 775). */
export const AD_LOCKOUT_THRESHOLD = 5;

/** Choices for one test domain. */
export interface SambaAdOptions {
  /** The domain's account lockout threshold (default {@link AD_LOCKOUT_THRESHOLD}). */
  lockoutThreshold?: number;
}

/** A running Samba AD DC. */
export interface SambaAd {
  /** `ldaps://127.0.0.1:636` */
  url: string;
  /** `ldap://127.0.0.1:389` (StartTLS, or refused simple binds without it). */
  ldapUrl: string;
  /** PEM file of the CA that signed the DC's certificate. */
  caFile: string;
  caPem: string;
  /** Host name in the DC's certificate (it also holds IP 127.0.0.1). */
  servername: string;
  baseDN: string;
  adminDN: string;
  adminPassword: string;
  /** Service account Walkup searches with. */
  serviceDN: string;
  servicePassword: string;
  /** Password of every person in {@link AD_USERS}. */
  userPassword: string;
  /** The domain's account lockout threshold (bad passwords before AD locks the account). */
  lockoutThreshold: number;
  /** Runs `samba-tool <args> -s <smb.conf>` against this DC's database; resolves stdout. */
  run(args: string[]): Promise<string>;
  /** Runs `fn` with an ldapts client bound as Administrator over LDAPS, then unbinds. */
  asAdmin<T>(fn: (client: Client) => Promise<T>): Promise<T>;
  /** Reads attributes of one person (e.g. badPwdCount, lockoutTime) as Administrator. */
  readUser(name: AdUserName, attributes: string[]): Promise<Entry>;
  /** Samba's console output so far (for failure messages). */
  output(): string;
  /** Stops Samba (whole process group), waits for it to exit and deletes the temp dir. Idempotent. */
  stop(): Promise<void>;
}

const LDAPS_PORT = 636;
const LDAP_PORT = 389;
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;
const OUTPUT_LIMIT = 64 * 1024;

/** FILETIME (100 ns since 1601) of a Unix time in ms. */
function toFileTime(unixMs: number): bigint {
  return (BigInt(Math.floor(unixMs)) + 11_644_473_600_000n) * 10_000n;
}

/** Satisfies AD's complexity rule (three of upper, lower, digit, symbol) whatever the random part. */
function strongPassword(): string {
  return `Wk9!${randomBytes(18).toString('base64url')}aZ`;
}

function findExecutable(name: string): string | undefined {
  // samba lives in /usr/sbin, which a non-login PATH may lack.
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/bin', '/sbin', '/bin'];
  for (const dir of dirs) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, fsConstants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/**
 * Why a Samba AD DC cannot run here (missing samba-tool / samba, not root), or undefined when it
 * can. Tests skip with this reason locally; in CI they must not skip (startSambaAd throws it).
 */
export function sambaUnavailableReason(): string | undefined {
  if (!findExecutable('samba-tool') || !findExecutable('samba')) {
    return (
      'samba-tool or samba not found in PATH or /usr/sbin: apt-get install samba ' +
      '(with samba-ad-provision, samba-dsdb-modules, python3-samba; .ci/run installs them)'
    );
  }
  if (process.getuid?.() !== 0) {
    return 'not root: Samba must bind the privileged ports 389 and 636';
  }
  return undefined;
}

function execFileText(file: string, args: string[], timeoutMs = 60_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) {
        reject(new Error(`${stderr || stdout || error.message}`.trim()));
        return;
      }
      resolve(stdout);
    });
  });
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = netConnect({ host: '127.0.0.1', port });
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const PID_FILE = 'samba.pid';
const TEMP_PREFIX = 'walkup-samba-';

/**
 * A test process that was killed outright (SIGKILL, a crashed worker) cannot stop its Samba, which
 * then holds 389/636. Each harness records its Samba's pid in its temp dir; a leftover one, still
 * running with that dir's smb.conf, is stopped here, and its dir removed. Nothing else is touched.
 */
async function stopLeftoverSambas(): Promise<void> {
  const entries = await readdir(tmpdir()).catch(() => [] as string[]);
  for (const name of entries.filter((entry) => entry.startsWith(TEMP_PREFIX))) {
    const dir = join(tmpdir(), name);
    const pid = Number.parseInt(await readFile(join(dir, PID_FILE), 'utf8').catch(() => ''), 10);
    if (!Number.isInteger(pid) || pid <= 1) continue;
    // Samba rewrites its command line ("samba: root process"), so recognise it by its open files.
    if (!(await holdsFilesIn(pid, dir))) continue;
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
    for (let i = 0; i < 50 && (await holdsFilesIn(pid, dir)); i += 1) {
      await sleep(100);
    }
    await rm(dir, { recursive: true, force: true });
  }
}

/** Whether process `pid` has a file open under `dir` (false when it is gone). */
async function holdsFilesIn(pid: number, dir: string): Promise<boolean> {
  const fds = await readdir(`/proc/${pid}/fd`).catch(() => [] as string[]);
  for (const fd of fds) {
    const target = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
    if (target.startsWith(`${dir}/`)) return true;
  }
  return false;
}

/**
 * Provisions the WALKUP.TEST domain in a temp dir, starts `samba -i -M single` in the foreground
 * (its own process group), waits until LDAPS answers, and creates the fixtures ({@link AD_USERS},
 * {@link AD_GROUPS}, a service account, lockout threshold {@link AD_LOCKOUT_THRESHOLD} unless
 * `options.lockoutThreshold` says otherwise).
 * Fails with a clear message when samba-tool is missing, when not root, or when 389/636 are taken;
 * cleans up (process group and temp dir) when any step fails.
 */
export async function startSambaAd(options: SambaAdOptions = {}): Promise<SambaAd> {
  const lockoutThreshold = options.lockoutThreshold ?? AD_LOCKOUT_THRESHOLD;
  const unavailable = sambaUnavailableReason();
  const sambaTool = findExecutable('samba-tool');
  const samba = findExecutable('samba');
  if (unavailable || !sambaTool || !samba) {
    throw new Error(`Cannot start the Samba AD DC for the tests: ${unavailable ?? 'samba missing'}`);
  }
  await stopLeftoverSambas();
  for (const port of [LDAP_PORT, LDAPS_PORT]) {
    if (await portOpen(port)) {
      throw new Error(
        `Port ${port} on 127.0.0.1 is already in use (another Samba or slapd?): the Samba AD tests ` +
          'need 389 and 636 and must run one at a time.',
      );
    }
  }

  const dir = await mkdtemp(join(tmpdir(), TEMP_PREFIX));
  const dcDir = join(dir, 'dc');
  const smbConf = join(dcDir, 'etc', 'smb.conf');
  const adminPassword = strongPassword();
  const servicePassword = strongPassword();
  const userPassword = strongPassword();
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let output = '';
  let stopped = false;

  const killGroup = (signal: NodeJS.Signals): void => {
    if (child?.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  };
  // Last resort if the test process exits without afterAll (crash, Ctrl-C): never leave a DC behind.
  const onProcessExit = (): void => killGroup('SIGKILL');

  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    process.off('exit', onProcessExit);
    if (child) {
      killGroup('SIGTERM');
      const gone = await Promise.race([exited.then(() => true), sleep(STOP_TIMEOUT_MS).then(() => false)]);
      if (!gone) {
        killGroup('SIGKILL');
        await exited;
      }
    }
    await rm(dir, { recursive: true, force: true });
  };

  const run = (args: string[]): Promise<string> =>
    execFileText(sambaTool, [...args, '-s', smbConf]).catch((error: unknown) => {
      // Only the sub-command names: the arguments may hold passwords.
      throw new Error(`samba-tool ${args.slice(0, 2).join(' ')} failed: ${(error as Error).message}`);
    });

  const url = `ldaps://127.0.0.1:${LDAPS_PORT}`;
  const adminDN = usersDN('Administrator');
  let caPem = '';
  const asAdmin = async <T>(fn: (client: Client) => Promise<T>): Promise<T> => {
    const client = new Client({
      url,
      connectTimeout: 5000,
      timeout: 15_000,
      tlsOptions: { ca: [caPem], servername: AD_SERVERNAME, minVersion: 'TLSv1.2' },
    });
    try {
      await client.bind(adminDN, adminPassword);
      return await fn(client);
    } finally {
      await client.unbind().catch(() => undefined);
    }
  };

  try {
    // Our own certificate for dc.walkup.test and 127.0.0.1 (Samba's self-made one names only the
    // machine's host name and has no extensions), so clients verify the host the normal way.
    const tlsDir = join(dir, 'tls');
    await mkdir(tlsDir);
    const ca = await createTestCA(tlsDir, 'Walkup Samba AD test CA');
    const server = await issueServerCertificate(ca, {
      dir: tlsDir,
      commonName: AD_SERVERNAME,
      dnsNames: [AD_SERVERNAME],
      ipAddresses: ['127.0.0.1'],
    });
    caPem = ca.certPem;
    const caFile = ca.certFile;
    // Samba refuses a key file that others can read.
    await chmod(server.keyFile, 0o600);

    const options = [
      'interfaces=lo',
      'bind interfaces only=yes',
      // Only the LDAP server: no smbd, winbindd, KDC or DNS, so start is quick and nothing else binds.
      'server services=ldap',
      `log file=${join(dir, 'log.%m')}`,
      'tls enabled=yes',
      `tls keyfile=${server.keyFile}`,
      `tls certfile=${server.certFile}`,
      `tls cafile=${ca.certFile}`,
    ];
    await execFileText(sambaTool, [
      'domain',
      'provision',
      `--targetdir=${dcDir}`,
      `--realm=${AD_REALM}`,
      `--domain=${AD_NETBIOS_DOMAIN}`,
      `--host-name=${AD_SERVERNAME.split('.')[0]}`,
      '--server-role=dc',
      '--dns-backend=NONE',
      '--use-rfc2307',
      `--adminpass=${adminPassword}`,
      ...options.map((option) => `--option=${option}`),
    ]).catch((error: unknown) => {
      throw new Error(`samba-tool domain provision failed: ${(error as Error).message.slice(-2000)}`);
    });

    child = spawn(samba, ['-i', '-s', smbConf, '-M', 'single'], {
      detached: true, // own process group, so stop() can kill Samba and anything it forked
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const started = child;
    exited = new Promise((resolve) => started.once('exit', () => resolve()));
    process.on('exit', onProcessExit);
    if (started.pid !== undefined) await writeFile(join(dir, PID_FILE), `${started.pid}\n`);
    const collect = (chunk: Buffer): void => {
      output = (output + chunk.toString()).slice(-OUTPUT_LIMIT);
    };
    started.stdout?.on('data', collect);
    started.stderr?.on('data', collect);

    await waitForLdaps(
      url,
      caPem,
      () => started.exitCode !== null || started.signalCode !== null,
      () => output,
    );
    await createFixtures({
      run,
      asAdmin,
      sambaTool,
      smbConf,
      servicePassword,
      userPassword,
      lockoutThreshold,
    });

    return {
      url,
      ldapUrl: `ldap://127.0.0.1:${LDAP_PORT}`,
      caFile,
      caPem,
      servername: AD_SERVERNAME,
      baseDN: AD_BASE_DN,
      adminDN,
      adminPassword,
      serviceDN: usersDN('svc-walkup'),
      servicePassword,
      userPassword,
      lockoutThreshold,
      run,
      asAdmin,
      readUser: (name, attributes) =>
        asAdmin(async (client) => {
          const { searchEntries } = await client.search(AD_USERS[name].dn, { scope: 'base', attributes });
          const entry = searchEntries[0];
          if (!entry) throw new Error(`no entry for ${name}`);
          return entry;
        }),
      output: () => output,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Polls until an anonymous rootDSE read over LDAPS succeeds. */
async function waitForLdaps(
  url: string,
  caPem: string,
  hasExited: () => boolean,
  output: () => string,
): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  let lastError = '';
  while (Date.now() < deadline) {
    if (hasExited()) throw new Error(`samba exited during start:\n${output().slice(-4000)}`);
    if (await portOpen(LDAPS_PORT)) {
      const client = new Client({
        url,
        connectTimeout: 2000,
        timeout: 5000,
        tlsOptions: { ca: [caPem], servername: AD_SERVERNAME },
      });
      try {
        await client.search('', { scope: 'base', attributes: ['defaultNamingContext'] });
        return;
      } catch (error) {
        lastError = (error as Error).message;
      } finally {
        await client.unbind().catch(() => undefined);
      }
    }
    await sleep(200);
  }
  throw new Error(
    `Samba did not answer on LDAPS within ${START_TIMEOUT_MS} ms (${lastError}):\n${output().slice(-4000)}`,
  );
}

interface FixtureContext {
  run(args: string[]): Promise<string>;
  asAdmin<T>(fn: (client: Client) => Promise<T>): Promise<T>;
  sambaTool: string;
  smbConf: string;
  servicePassword: string;
  userPassword: string;
  lockoutThreshold: number;
}

/** AD's unicodePwd: the password in double quotes, UTF-16LE (settable over LDAPS only). */
function unicodePwd(password: string): Buffer {
  return Buffer.from(`"${password}"`, 'utf16le');
}

/**
 * People and groups go in over LDAPS as Administrator, the way a provisioning script talks to a
 * real DC (one connection instead of ~20 samba-tool runs at ~0.7 s each). The account states use
 * the documented admin commands: samba-tool for lockout policy, disable and expiry.
 */
async function createFixtures(ctx: FixtureContext): Promise<void> {
  const { run, userPassword } = ctx;
  await ctx.asAdmin(async (client) => {
    const addPerson = async (cn: string, attributes: Record<string, string | Buffer>): Promise<void> => {
      await client.add(usersDN(cn), {
        objectClass: ['top', 'person', 'organizationalPerson', 'user'],
        cn,
        sAMAccountName: cn,
        ...attributes,
      });
    };
    await addPerson('svc-walkup', {
      userPrincipalName: `svc-walkup@${AD_DNS_DOMAIN}`,
      displayName: 'Walkup service account',
      unicodePwd: unicodePwd(ctx.servicePassword),
      userAccountControl: '512', // NORMAL_ACCOUNT, enabled
    });
    for (const user of Object.values(AD_USERS)) {
      const [givenName = user.displayName, sn = user.displayName] = user.displayName.split(' ');
      await addPerson(user.sAMAccountName, {
        userPrincipalName: user.upn,
        displayName: user.displayName,
        givenName,
        sn,
        unicodePwd: unicodePwd(userPassword),
        userAccountControl: '512',
      });
    }
    // Must change at next logon: AD's own marker is pwdLastSet=0 (773 on bind).
    await client.modify(AD_USERS.carol.dn, [
      new Change({
        operation: 'replace',
        modification: new Attribute({ type: 'pwdLastSet', values: ['0'] }),
      }),
    ]);

    const addGroup = (cn: string, members: string[]): Promise<void> =>
      client.add(usersDN(cn), {
        objectClass: ['top', 'group'],
        cn,
        sAMAccountName: cn,
        ...(members.length > 0 ? { member: members } : {}),
      });
    await addGroup('G-Inner', [AD_USERS.alice.dn]);
    await addGroup('G-Outer', [AD_GROUPS.inner]);
    await addGroup('G-Denied', [AD_USERS.grace.dn]);

    // Register the second UPN suffix in the forest, as an admin would before handing it out.
    await client.modify(`CN=Partitions,CN=Configuration,${AD_BASE_DN}`, [
      new Change({
        operation: 'add',
        modification: new Attribute({ type: 'uPNSuffixes', values: [AD_ALT_UPN_SUFFIX] }),
      }),
    ]);
  });

  await run([
    'domain',
    'passwordsettings',
    'set',
    `--account-lockout-threshold=${ctx.lockoutThreshold}`,
    '--account-lockout-duration=30',
    '--reset-account-lockout-after=30',
  ]);
  await run(['user', 'disable', AD_USERS.bob.sAMAccountName]);
  // Expires at the end of yesterday: accountExpires lies in the past (701 on bind).
  await run(['user', 'setexpiry', AD_USERS.dave.sAMAccountName, '--days=-1']);
  await backdatePassword(ctx, AD_USERS.erin.dn, Date.UTC(2020, 0, 1));
}

/**
 * Makes a password look set long ago, so it is older than maxPwdAge (42 days) and AD answers 532.
 * Over LDAP pwdLastSet only takes 0 or -1, so this goes through samba's Python bindings on the
 * local database (test/support/samba/backdate-pwd-last-set.py).
 */
async function backdatePassword(ctx: FixtureContext, dn: string, setAtUnixMs: number): Promise<void> {
  // Use the interpreter samba-tool itself runs on: that is the one with python3-samba.
  const shebang = (await readFile(ctx.sambaTool, 'utf8')).split('\n', 1)[0] ?? '';
  const words = shebang.startsWith('#!') ? shebang.slice(2).trim().split(/\s+/) : [];
  const python = words[0]?.endsWith('/env') ? words[1] : words[0];
  const script = join(dirname(fileURLToPath(import.meta.url)), 'samba', 'backdate-pwd-last-set.py');
  await execFileText(python ?? '/usr/bin/python3', [
    script,
    ctx.smbConf,
    dn,
    toFileTime(setAtUnixMs).toString(),
  ]).catch((error: unknown) => {
    throw new Error(`backdating pwdLastSet of ${dn} failed: ${(error as Error).message}`);
  });
}
