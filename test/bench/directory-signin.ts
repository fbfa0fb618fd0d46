/**
 * Sign-in latency benchmark: Walkup's directory (createDirectory) against the same search + bind
 * done with bare ldapts calls, interleaved in one run, against slapd loaded with 10,000 users.
 * Not a test: it prints figures and never fails on timing.
 */
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { readFile } from 'node:fs/promises';
import { Client, escapeFilter } from 'ldapts';
import { directorySchema } from '../../main/core/config/schema';
import { createDirectory } from '../../main/core/directory';
import { silentLogger, systemClock } from '../../main/core/ports';
import { startSlapd } from '../support/slapd';

export const SUFFIX = 'dc=bench,dc=test';
export const SERVICE_DN = `cn=walkup-svc,ou=services,${SUFFIX}`;
export const SERVICE_PASSWORD = 'bench service password';

export interface BenchOptions {
  users: number;
  signIns: number;
  warmUp: number;
}

export const userName = (index: number) => `user${String(index).padStart(5, '0')}`;
export const userPassword = (index: number) => `pw ${index} (bench) *`;

export function bulkLdif(users: number): string {
  const entries = [
    `dn: ${SUFFIX}\nobjectClass: dcObject\nobjectClass: organization\ndc: bench\no: Walkup bench`,
    `dn: ou=people,${SUFFIX}\nobjectClass: organizationalUnit\nou: people`,
    `dn: ou=services,${SUFFIX}\nobjectClass: organizationalUnit\nou: services`,
    `dn: ${SERVICE_DN}\nobjectClass: applicationProcess\nobjectClass: simpleSecurityObject\ncn: walkup-svc\nuserPassword: ${SERVICE_PASSWORD}`,
  ];
  for (let index = 0; index < users; index += 1) {
    const uid = userName(index);
    entries.push(
      [
        `dn: uid=${uid},ou=people,${SUFFIX}`,
        'objectClass: inetOrgPerson',
        `uid: ${uid}`,
        `cn: Bench User ${index}`,
        `sn: User ${index}`,
        `displayName: Bench User ${index}`,
        `userPassword: ${userPassword(index)}`,
      ].join('\n'),
    );
  }
  return `${entries.join('\n\n')}\n`;
}

function percentile(sorted: number[], p: number): number {
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

function summary(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = samples.reduce((sum, value) => sum + value, 0) / samples.length;
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), mean };
}

/** Runs the benchmark and prints the table. Returns the p50/p99 ratios. */
export async function runDirectoryBench(
  options: BenchOptions,
  print: (line: string) => void,
  figure: (name: string, value: unknown) => void = () => {},
): Promise<void> {
  print(`Starting slapd with ${options.users.toLocaleString('en')} users (slapadd)…`);
  const slapd = await startSlapd({ suffix: SUFFIX, bulkLdif: bulkLdif(options.users) });
  try {
    const caPem = await readFile(slapd.caFile, 'utf8');
    const connectMs = 3000;
    const operationMs = 8000;

    const config = directorySchema.parse({
      type: 'openldap',
      servers: [slapd.ldapsUrl],
      baseDN: SUFFIX,
      bindDN: SERVICE_DN,
      bindPassword: 'resolved below',
      tls: { caFile: slapd.caFile, useSystemCA: false },
      timeouts: { connectMs, operationMs },
      // Benchmark only: throttling as loose as the schema allows and no minimum failure time.
      throttling: {
        minFailureMs: 0,
        perUser: { maxFailures: 1000, windowSeconds: 1, lockoutSeconds: 1 },
        perStation: { maxFailures: 1000, windowSeconds: 1, lockoutSeconds: 1 },
      },
    });
    const directory = createDirectory(config, {
      bindPassword: SERVICE_PASSWORD,
      clock: systemClock,
      logger: silentLogger,
    });

    const clientOptions = {
      url: slapd.ldapsUrl,
      connectTimeout: connectMs,
      timeout: operationMs,
      tlsOptions: { ca: [caPem], minVersion: 'TLSv1.2' as const },
    };
    /** The same flow with bare ldapts calls: service bind, search, fresh connection, user bind. */
    const bareSignIn = async (username: string, password: string): Promise<boolean> => {
      const service = new Client(clientOptions);
      try {
        await service.bind(SERVICE_DN, SERVICE_PASSWORD);
        const { searchEntries } = await service.search(SUFFIX, {
          scope: 'sub',
          filter: escapeFilter`(uid=${username})`,
          attributes: ['uid', 'displayName', 'cn', 'memberOf'],
          sizeLimit: 2,
        });
        const entry = searchEntries[0];
        if (searchEntries.length !== 1 || !entry) return false;
        const user = new Client(clientOptions);
        try {
          await user.bind(entry.dn, password);
          return true;
        } finally {
          await user.unbind();
        }
      } finally {
        await service.unbind();
      }
    };
    const walkupSignIn = async (username: string, password: string) =>
      (await directory.authenticate(username, password)).ok;

    const pick = () => Math.floor(Math.random() * options.users);
    print(`Warming up (${options.warmUp} sign-ins each)…`);
    for (let i = 0; i < options.warmUp; i += 1) {
      const index = pick();
      await bareSignIn(userName(index), userPassword(index));
      await walkupSignIn(userName(index), userPassword(index));
    }

    print(`Measuring ${options.signIns.toLocaleString('en')} sign-ins each, interleaved…`);
    const loadBefore = loadavg()[0] ?? 0;
    const bare: number[] = [];
    const walkup: number[] = [];
    let failures = 0;
    for (let i = 0; i < options.signIns; i += 1) {
      const index = pick();
      // Random order per pair so neither side is systematically first after the other.
      const order = Math.random() < 0.5 ? (['bare', 'walkup'] as const) : (['walkup', 'bare'] as const);
      for (const which of order) {
        const started = performance.now();
        const ok =
          which === 'bare'
            ? await bareSignIn(userName(index), userPassword(index))
            : await walkupSignIn(userName(index), userPassword(index));
        (which === 'bare' ? bare : walkup).push(performance.now() - started);
        if (!ok) failures += 1;
      }
    }

    const b = summary(bare);
    const w = summary(walkup);
    const ms = (value: number) => value.toFixed(2).padStart(9);
    const ratio = (value: number) => value.toFixed(3).padStart(9);
    const p50Ratio = w.p50 / b.p50;
    const p99Ratio = w.p99 / b.p99;
    print('');
    print('Directory sign-in latency (search with service account + bind as user on a fresh connection)');
    print(
      `slapd on loopback · LDAPS · ${options.users.toLocaleString('en')} users · ${options.signIns.toLocaleString('en')} sign-ins per column · random users`,
    );
    print('Walkup config: throttling loosened to its maximum and minFailureMs = 0 (benchmark only).');
    print('');
    print(`${''.padEnd(28)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'mean ms'.padStart(9)}`);
    print(`${'bare ldapts'.padEnd(28)}${ms(b.p50)}${ms(b.p99)}${ms(b.mean)}`);
    print(`${'Walkup createDirectory'.padEnd(28)}${ms(w.p50)}${ms(w.p99)}${ms(w.mean)}`);
    print(`${'ratio Walkup / bare'.padEnd(28)}${ratio(p50Ratio)}${ratio(p99Ratio)}${ratio(w.mean / b.mean)}`);
    print('');
    print(
      `target ratio <= 1.15: p50 ${p50Ratio <= 1.15 ? 'met' : 'NOT met'}, p99 ${p99Ratio <= 1.15 ? 'met' : 'NOT met'}`,
    );
    const loadAfter = loadavg()[0] ?? 0;
    print(
      `machine: ${cpus().length} CPUs, 1-min load average ${loadBefore.toFixed(1)} before / ${loadAfter.toFixed(1)} after` +
        (Math.max(loadBefore, loadAfter) > cpus().length
          ? ' (busy: tails (p99) are dominated by other processes)'
          : ''),
    );
    if (failures > 0) print(`WARNING: ${failures} sign-ins failed; figures are not comparable.`);
    const rounded = (value: number) => Math.round(value * 100) / 100;
    figure(`users${options.users}`, {
      signIns: options.signIns,
      bareMs: { p50: rounded(b.p50), p99: rounded(b.p99), mean: rounded(b.mean) },
      walkupMs: { p50: rounded(w.p50), p99: rounded(w.p99), mean: rounded(w.mean) },
      ratio: { p50: rounded(p50Ratio), p99: rounded(p99Ratio) },
      failures,
    });
  } finally {
    await slapd.stop();
  }
}
