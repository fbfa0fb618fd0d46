/**
 * Section 8: start time. From spawning the built `walkup serve` (out/cli/cli.mjs, demo directory,
 * the Duo emulator) to its first 200 on /api/station, against a bare Fastify server (one route)
 * spawned the same way, interleaved; then the idle RSS of each (after 2 s).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { reserveFreePort } from '../../main/portal';
import type { DuoEmulator } from '../support/duo-emulator';
import { median, round, type SectionOutput } from './report';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');

function rssKiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
}

async function firstOk(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const until = performance.now() + timeoutMs;
  while (performance.now() < until) {
    if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode} before answering`);
    try {
      const response = await fetch(url);
      await response.arrayBuffer();
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`no 200 from ${url} within ${timeoutMs} ms`);
}

async function startOnce(
  command: string[],
  port: number,
  env: Record<string, string>,
): Promise<{ ms: number; rssKiB: number }> {
  const started = performance.now();
  const child = spawn(process.execPath, command, {
    cwd: repoRoot,
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise((resolve) => child.on('exit', resolve));
  try {
    await firstOk(`http://127.0.0.1:${port}/api/station`, child, 30_000);
    const ms = performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 2000));
    return { ms, rssKiB: rssKiB(child.pid!) };
  } catch (error) {
    throw new Error(`${(error as Error).message}; stderr: ${stderr.slice(0, 500)}`, { cause: error });
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

export async function runStartBench(
  options: { emulator: DuoEmulator; runs: number },
  out: SectionOutput,
): Promise<void> {
  const cli = path.join(repoRoot, 'out', 'cli', 'cli.mjs');
  const dir = mkdtempSync(path.join(tmpdir(), 'walkup-bench-start-'));
  try {
    const bare = path.join(repoRoot, 'test', 'bench', 'bare-fastify.mjs');
    const config = path.join(dir, 'serve.json');
    writeFileSync(
      config,
      JSON.stringify({
        directory: { type: 'demo' },
        duo: {
          apiHost: options.emulator.apiHost,
          clientId: options.emulator.integrations.v4.clientId,
          clientSecret: options.emulator.integrations.v4.clientSecret,
          caFile: options.emulator.caFile,
        },
      }),
      { mode: 0o600 },
    );
    const walkup: { ms: number; rssKiB: number }[] = [];
    const fastify: { ms: number; rssKiB: number }[] = [];
    for (let run = 0; run < options.runs; run += 1) {
      walkup.push(await startOnce([cli, 'serve', '--config', config], await reserveFreePort(), {}));
      fastify.push(await startOnce([bare], await reserveFreePort(), {}));
    }
    const w = median(walkup.map((run) => run.ms));
    const f = median(fastify.map((run) => run.ms));
    const wRss = median(walkup.map((run) => run.rssKiB)) / 1024;
    const fRss = median(fastify.map((run) => run.rssKiB)) / 1024;
    out.print(`Spawn to first 200 (median of ${options.runs}, interleaved), and idle RSS 2 s later:`);
    out.print(
      `  walkup serve (built, demo directory, Duo emulator): ${round(w, 0)} ms, ${round(wRss, 1)} MiB`,
    );
    out.print(
      `  bare Fastify, one route:                            ${round(f, 0)} ms, ${round(fRss, 1)} MiB`,
    );
    out.print(`  ratio: start ${round(w / f, 2)}, RSS ${round(wRss / fRss, 2)}`);
    out.figure('startMs', { walkup: round(w), bareFastify: round(f), ratio: round(w / f, 3) });
    out.figure('idleRssMiB', { walkup: round(wRss, 1), bareFastify: round(fRss, 1) });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
