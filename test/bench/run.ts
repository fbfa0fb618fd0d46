/**
 * `npm run bench`: measures what Walkup promises, starts what it needs (a build of the app, slapd,
 * the Duo emulator, Chromium), and writes `bench/results/latest.md` and `latest.json` (machine,
 * load average, versions, date). Never part of `npm test`; never fails on timing.
 *
 * Sections (BENCH_ONLY=1,3,7 runs a subset):
 *   1 directory sign-in vs bare ldapts   BENCH_USERS (default 10000,100000), BENCH_SIGNINS (1000)
 *   2 failover vs the connect timeout     BENCH_FAILOVER_RUNS (5)
 *   3 Duo signing/verification per second BENCH_DUO_MS (2000 per figure)
 *   4 renderer weight, first screen time  BENCH_RENDERER_RUNS (10), WALKUP_CHROMIUM (/usr/bin/chromium)
 *   5 portal under load                   BENCH_PEOPLE (50), BENCH_LOAD_SECONDS (20), BENCH_PORTAL_USERS (10000)
 *   6 soak                                BENCH_SOAK_VISITS (5000; 0 skips), BENCH_SOAK_BROWSER_VISITS (300)
 *   7 audit writer and lag                BENCH_AUDIT_SECONDS (5)
 *   8 start time and idle RSS             BENCH_START_RUNS (5)
 * BENCH_BUILD=0 skips `npm run build` (sections 4, 6 and 8 then use the existing out/).
 * BENCH_NOTE adds a line to the report (e.g. that the machine was shared).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { startDuoEmulator, type DuoEmulator } from '../support/duo-emulator';
import { slapdUnavailableReason } from '../support/slapd';
import { runAuditBench } from './audit';
import { runFailoverBench } from './directory-failover';
import { runDirectoryBench } from './directory-signin';
import { runDuoBench } from './duo';
import { runPortalBench } from './portal-load';
import { runRendererBench } from './renderer';
import { BenchReport, type SectionOutput } from './report';
import { runStartBench } from './start';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');

const positive = (value: string | undefined, fallback: number) => {
  const parsed = Number(value);
  return Number.isInteger(parsed) && parsed >= 0 && value !== undefined && value !== '' ? parsed : fallback;
};

const only = new Set(
  (process.env.BENCH_ONLY ?? '1,2,3,4,5,6,7,8')
    .split(',')
    .map((part) => Number(part.trim()))
    .filter((part) => part >= 1 && part <= 8),
);

/** `npm run build`, under the shared build lock where `flock` exists (shared machines). */
function buildApp(): void {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const flock = ['/usr/bin/flock', '/bin/flock'].find((candidate) => existsSync(candidate));
  const [command, args] = flock
    ? [flock, ['/tmp/walkup-build.lock', npm, 'run', '-s', 'build']]
    : [npm, ['run', '-s', 'build']];
  execFileSync(command, args, { cwd: repoRoot, stdio: ['ignore', 'inherit', 'inherit'] });
}

async function main(): Promise<number> {
  const report = new BenchReport();
  const slapdMissing = slapdUnavailableReason();
  const needsSlapd = (out: SectionOutput): boolean => {
    if (!slapdMissing) return true;
    out.print(`not run: slapd cannot run here: ${slapdMissing}`);
    return false;
  };
  if ((only.has(4) || only.has(6) || only.has(8)) && process.env.BENCH_BUILD !== '0') {
    console.log('Building the app (npm run build)…');
    buildApp();
  }
  const emulator: DuoEmulator = await startDuoEmulator();
  try {
    if (only.has(1)) {
      const sizes = (process.env.BENCH_USERS ?? '10000,100000')
        .split(',')
        .map((size) => positive(size, 10_000));
      await report.section('1. Directory sign-in vs bare ldapts', async (out) => {
        if (!needsSlapd(out)) return;
        for (const users of sizes) {
          await runDirectoryBench(
            { users, signIns: positive(process.env.BENCH_SIGNINS, 1000), warmUp: 50 },
            out.print,
            out.figure,
          );
        }
      });
    }
    if (only.has(2)) {
      await report.section('2. Failover vs the connect timeout', async (out) => {
        if (!needsSlapd(out)) return;
        await runFailoverBench({ runs: positive(process.env.BENCH_FAILOVER_RUNS, 5) }, out.print);
      });
    }
    if (only.has(3)) {
      await report.section('3. Duo signing and verification', (out) =>
        runDuoBench({ ms: positive(process.env.BENCH_DUO_MS, 2000) }, out),
      );
    }
    if (only.has(4)) {
      await report.section(
        '4. Renderer: weight (initial and lazy chunks) and time to an interactive first screen',
        (out) =>
          runRendererBench(
            {
              rendererDir: path.join(repoRoot, 'out', 'renderer'),
              emulator,
              runs: positive(process.env.BENCH_RENDERER_RUNS, 10),
              chromiumPath: process.env.WALKUP_CHROMIUM ?? '/usr/bin/chromium',
            },
            out,
          ),
      );
    }
    if (only.has(5) || only.has(6)) {
      // Sections 5, 6 and the lag part of 7 share one station over one slapd.
      const titles = [
        '5. Portal under load',
        ...(only.has(6) ? ['6. Soak'] : []),
        '7b. Audit lag under the portal load',
      ];
      await report.sharedSections(titles, async (outs) => {
        const [load, ...rest] = outs;
        const lag = rest.at(-1)!;
        const soak = only.has(6) ? rest[0] : undefined;
        if (!needsSlapd(load!)) return;
        await runPortalBench(
          {
            emulator,
            users: positive(process.env.BENCH_PORTAL_USERS, 10_000),
            people: positive(process.env.BENCH_PEOPLE, 50),
            seconds: only.has(5) ? positive(process.env.BENCH_LOAD_SECONDS, 20) : 1,
            soakVisits: positive(process.env.BENCH_SOAK_VISITS, 5000),
            browserVisits: positive(process.env.BENCH_SOAK_BROWSER_VISITS, 300),
            chromiumPath: process.env.WALKUP_CHROMIUM ?? '/usr/bin/chromium',
            rendererDir: path.join(repoRoot, 'out', 'renderer'),
          },
          load!,
          soak,
          lag,
        );
      });
    }
    if (only.has(7)) {
      await report.section('7. Audit writer alone', (out) =>
        runAuditBench({ seconds: positive(process.env.BENCH_AUDIT_SECONDS, 5) }, out),
      );
    }
    if (only.has(8)) {
      await report.section('8. Start time and idle RSS', (out) =>
        runStartBench({ emulator, runs: positive(process.env.BENCH_START_RUNS, 5) }, out),
      );
    }
  } finally {
    await emulator.close();
  }
  const files = report.write(undefined, process.env.BENCH_NOTE);
  console.log(
    `\nbench: wrote ${path.relative(repoRoot, files.md)} and ${path.relative(repoRoot, files.json)}`,
  );
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
