/**
 * `npm run bench`: prints Walkup's benchmark figures. Benchmarks never assert timings.
 * BENCH_SIGNINS and BENCH_USERS override the sizes (defaults 1,000 sign-ins, 10,000 users);
 * BENCH_FAILOVER_RUNS the sign-ins per failover case (default 5, each costs up to a timeout).
 */
import { slapdUnavailableReason } from '../support/slapd';
import { runFailoverBench } from './directory-failover';
import { runDirectoryBench } from './directory-signin';

const positive = (value: string | undefined, fallback: number) => {
  const parsed = Number(value);
  return Number.isInteger(parsed) && parsed > 0 ? parsed : fallback;
};

async function main(): Promise<number> {
  const unavailable = slapdUnavailableReason();
  if (unavailable) {
    console.error(`bench: cannot run the directory benchmark: ${unavailable}`);
    return 1;
  }
  await runDirectoryBench(
    {
      users: positive(process.env.BENCH_USERS, 10_000),
      signIns: positive(process.env.BENCH_SIGNINS, 1000),
      warmUp: 50,
    },
    (line) => console.log(line),
  );
  await runFailoverBench({ runs: positive(process.env.BENCH_FAILOVER_RUNS, 5) }, (line) => console.log(line));
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
