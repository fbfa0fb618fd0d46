/**
 * Section 7 (writer alone): lines per second of the audit writer with an fsync per batch, fed
 * as fast as it takes them, and the same lines written by the old way (open, append, fsync,
 * close per line) for comparison; then the lag (record -> on disk) when 50 simulated people each
 * record a visit's lines at a realistic pace. The lag under portal load is in section 5.
 */
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createAuditWriter, type AuditEvent } from '../../main/core/audit';
import { systemClock } from '../../main/core/ports';
import { round, stats, type SectionOutput } from './report';

const event = (index: number): AuditEvent => ({
  type: 'sign-in-failed',
  visit: `v-${index.toString(16).padStart(12, '0')}`,
  reason: 'invalid-credentials',
  shown: 'invalid-credentials',
  reference: 'K7F3-9QX2',
  detail: 'ldaps://dc1.example.test: no such user',
});

export async function runAuditBench(options: { seconds: number }, out: SectionOutput): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), 'walkup-bench-audit-'));
  try {
    // Writer alone: keep 2,000 lines in flight for `seconds`.
    const log = createAuditWriter({
      file: path.join(dir, 'audit.jsonl'),
      maxBytes: 10 * 1024 * 1024,
      keep: 5,
      clock: systemClock,
      stationName: 'bench',
      softLimit: 1_000_000,
    });
    let written = 0;
    const until = performance.now() + options.seconds * 1000;
    const started = performance.now();
    let index = 0;
    const lane = async (): Promise<void> => {
      while (performance.now() < until) {
        await log.record(event((index += 1)));
        written += 1;
      }
    };
    await Promise.all(Array.from({ length: 2000 }, lane));
    const groupRate = written / ((performance.now() - started) / 1000);
    await log.close();

    // The way it used to be done: open, append, fsync, close for every line, one after another.
    const oldFile = path.join(dir, 'old.jsonl');
    let oldWritten = 0;
    const oldUntil = performance.now() + Math.min(options.seconds, 5) * 1000;
    const oldStarted = performance.now();
    while (performance.now() < oldUntil) {
      const handle = await open(oldFile, 'a', 0o600);
      await handle.appendFile(`${JSON.stringify(event(oldWritten))}\n`);
      await handle.sync();
      await handle.close();
      oldWritten += 1;
    }
    const oldRate = oldWritten / ((performance.now() - oldStarted) / 1000);

    // The floor of any durable write here: one small write + fdatasync on an open file, 200 times.
    const fsyncs: number[] = [];
    const floor = await open(path.join(dir, 'fsync.bin'), 'a', 0o600);
    try {
      for (let count = 0; count < 200; count += 1) {
        const at = performance.now();
        await floor.write('x\n');
        await floor.datasync();
        fsyncs.push(performance.now() - at);
      }
    } finally {
      await floor.close();
    }
    const fsync = stats(fsyncs);

    // Lag at 50 people: each records a line every 20-60 ms (far above a real visit's pace).
    const lagLog = createAuditWriter({
      file: path.join(dir, 'lag.jsonl'),
      maxBytes: 10 * 1024 * 1024,
      keep: 5,
      clock: systemClock,
      stationName: 'bench',
    });
    const lags: number[] = [];
    const lagUntil = performance.now() + Math.min(options.seconds, 10) * 1000;
    const person = async (who: number): Promise<void> => {
      let line = 0;
      while (performance.now() < lagUntil) {
        const at = performance.now();
        await lagLog.record(event(who * 1_000_000 + (line += 1)));
        lags.push(performance.now() - at);
        await new Promise((resolve) => setTimeout(resolve, 20 + Math.random() * 40));
      }
    };
    await Promise.all(Array.from({ length: 50 }, (_, who) => person(who)));
    await lagLog.close();
    const lag = stats(lags);

    out.print('Audit writer: group commit, one fsync per batch, one open file (reopened only at rotation)');
    out.print(
      `  writer alone, 2,000 lines in flight:   ${Math.round(groupRate).toLocaleString('en')} lines/s`,
    );
    out.print(`  per-line open/append/fsync/close:      ${Math.round(oldRate).toLocaleString('en')} lines/s`);
    out.print(`  ratio                                   ${round(groupRate / oldRate, 1)}x`);
    out.print(`  target >= 20,000 lines/s: ${groupRate >= 20_000 ? 'met' : 'NOT met'}`);
    out.print(
      `  reference: one write + fdatasync on this disk, p50 ${round(fsync.p50, 1)} ms, p99 ${round(fsync.p99, 1)} ms, max ${round(fsync.max, 1)} ms (no durable line can be faster)`,
    );
    out.figure('fsyncMs', { p50: round(fsync.p50), p99: round(fsync.p99), max: round(fsync.max) });
    out.print(
      `  lag record -> on disk, 50 people, a line every 20-60 ms each (${lag.n.toLocaleString('en')} lines): ` +
        `p50 ${round(lag.p50, 1)} ms, p99 ${round(lag.p99, 1)} ms, max ${round(lag.max, 1)} ms (target: never > 200 ms: ${lag.max <= 200 ? 'met' : 'NOT met'})`,
    );
    out.figure('writerLinesPerSecond', Math.round(groupRate));
    out.figure('perLineLinesPerSecond', Math.round(oldRate));
    out.figure('lag50PeopleMs', { p50: round(lag.p50), p99: round(lag.p99), max: round(lag.max), n: lag.n });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
