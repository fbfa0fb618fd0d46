/**
 * The benchmark report: each section's lines (printed as they come) and figures, written at the
 * end to `bench/results/latest.md` and `latest.json` with the machine, its load, versions and
 * date, so every figure is read beside what it was compared with in the same run.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, freemem, loadavg, totalmem } from 'node:os';
import path from 'node:path';

export type Figures = Record<string, unknown>;

export interface Section {
  /** e.g. "1. Directory sign-in". */
  title: string;
  lines: string[];
  figures: Figures;
  /** Set when the section could not run (then its lines say why). */
  error?: string;
  seconds: number;
}

/** What a section writes to. */
export interface SectionOutput {
  print(line: string): void;
  figure(name: string, value: unknown): void;
}

const repoRoot = path.resolve(import.meta.dirname, '..', '..');

function versionOf(pkg: string): string {
  try {
    const file = path.join(repoRoot, 'node_modules', pkg, 'package.json');
    return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

function gitCommit(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repoRoot, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

function slapdVersion(): string {
  // `slapd -VV` prints its version on standard error and exits 0.
  const result = spawnSync('/usr/sbin/slapd', ['-VV'], { encoding: 'utf8' });
  const text = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  return /slapd ([^\s]+)/.exec(text)?.[1] ?? 'unknown';
}

export class BenchReport {
  readonly sections: Section[] = [];
  private readonly started = new Date();
  private readonly loadStart = loadavg();
  /** The commit measured: taken at the start (commits made during a long run do not count). */
  private readonly commit = gitCommit();

  /** Runs one section; a section that throws is reported as such and the run goes on. */
  async section(title: string, run: (out: SectionOutput) => Promise<void>): Promise<void> {
    const section: Section = { title, lines: [], figures: {}, seconds: 0 };
    this.sections.push(section);
    console.log(`\n== ${title} ==`);
    const started = performance.now();
    const out: SectionOutput = {
      print(line) {
        section.lines.push(line);
        console.log(line);
      },
      figure(name, value) {
        section.figures[name] = value;
      },
    };
    try {
      await run(out);
    } catch (error) {
      section.error = error instanceof Error ? error.message : String(error);
      out.print(`ERROR: this section could not finish: ${section.error}`);
    }
    section.seconds = Math.round((performance.now() - started) / 100) / 10;
  }

  /** Runs one piece of work that fills several sections (e.g. one portal run for 5, 6 and 7). */
  async sharedSections(titles: string[], run: (outs: SectionOutput[]) => Promise<void>): Promise<void> {
    const started = performance.now();
    const created = titles.map((title) => {
      const section: Section = { title, lines: [], figures: {}, seconds: 0 };
      this.sections.push(section);
      const out: SectionOutput = {
        print(line) {
          section.lines.push(line);
          console.log(`[${title}] ${line}`);
        },
        figure(name, value) {
          section.figures[name] = value;
        },
      };
      return { section, out };
    });
    try {
      await run(created.map((entry) => entry.out));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      for (const { section, out } of created) {
        section.error = message;
        out.print(`ERROR: this section could not finish: ${message}`);
      }
    }
    const seconds = Math.round((performance.now() - started) / 100) / 10;
    for (const { section } of created) section.seconds = seconds;
  }

  private machine() {
    const cpu = cpus();
    return {
      cpus: cpu.length,
      cpuModel: cpu[0]?.model ?? 'unknown',
      memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
      freeMemoryGiB: Math.round((freemem() / 1024 ** 3) * 10) / 10,
      loadAverageStart: this.loadStart.map((value) => Math.round(value * 100) / 100),
      loadAverageEnd: loadavg().map((value) => Math.round(value * 100) / 100),
    };
  }

  private versions() {
    return {
      walkupCommit: this.commit,
      node: process.version,
      slapd: slapdVersion(),
      ldapts: versionOf('ldapts'),
      fastify: versionOf('fastify'),
      '@fastify/static': versionOf('@fastify/static'),
      react: versionOf('react'),
      vite: versionOf('vite'),
      jose: versionOf('jose'),
      '@duosecurity/duo_universal': versionOf('@duosecurity/duo_universal'),
      playwright: versionOf('playwright-core'),
    };
  }

  /** Writes latest.md and latest.json into `dir` (default bench/results). */
  write(dir = path.join(repoRoot, 'bench', 'results'), note?: string): { md: string; json: string } {
    mkdirSync(dir, { recursive: true });
    const machine = this.machine();
    const versions = this.versions();
    const finished = new Date();
    const json = {
      date: this.started.toISOString(),
      finished: finished.toISOString(),
      machine,
      versions,
      note,
      sections: this.sections,
    };
    const md: string[] = [
      '# Walkup benchmark report',
      '',
      `Generated by \`npm run bench\` on ${this.started.toISOString()} (took ${Math.round((finished.getTime() - this.started.getTime()) / 1000)} s).`,
      '',
      `- Machine: ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGiB} GiB RAM`,
      `- Load average (1/5/15 min): ${machine.loadAverageStart.join(' / ')} at the start, ${machine.loadAverageEnd.join(' / ')} at the end` +
        (Math.max(machine.loadAverageStart[0] ?? 0, machine.loadAverageEnd[0] ?? 0) > machine.cpus
          ? ' (busy: more runnable processes than CPUs; read the ratios, not the absolute times)'
          : ''),
      `- Versions: ${Object.entries(versions)
        .map(([name, version]) => `${name} ${version}`)
        .join(', ')}`,
    ];
    if (note) md.push(`- Note: ${note}`);
    for (const section of this.sections) {
      md.push('', `## ${section.title}`, '');
      md.push('```text', ...section.lines, '```');
      md.push('', `(${section.seconds} s${section.error ? `; did not finish: ${section.error}` : ''})`);
    }
    md.push('');
    const mdFile = path.join(dir, 'latest.md');
    const jsonFile = path.join(dir, 'latest.json');
    writeFileSync(mdFile, md.join('\n'));
    writeFileSync(jsonFile, `${JSON.stringify(json, null, 2)}\n`);
    return { md: mdFile, json: jsonFile };
  }
}

/** p50/p99/mean/max of samples (ms). */
export function stats(samples: readonly number[]): {
  n: number;
  p50: number;
  p99: number;
  mean: number;
  max: number;
} {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
  const mean = samples.reduce((sum, value) => sum + value, 0) / Math.max(1, samples.length);
  return { n: samples.length, p50: at(50), p99: at(99), mean, max: sorted.at(-1) ?? Number.NaN };
}

/** Rounds for the report. */
export const round = (value: number, digits = 2): number => Math.round(value * 10 ** digits) / 10 ** digits;

export function median(samples: readonly number[]): number {
  return stats(samples).p50;
}
