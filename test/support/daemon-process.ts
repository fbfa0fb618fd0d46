/**
 * The life cycle of a test server process (slapd, rsyslogd) started by a test on loopback: tracked
 * so that none outlives the test process, waited for until it listens, and stopped (SIGTERM, then
 * SIGKILL after 5 s) on every outcome.
 */
import type { ChildProcess } from 'node:child_process';
import { connect } from 'node:net';

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Tracks `child`: if the test process exits first, it is killed. */
export function trackDaemon(child: ChildProcess): void {
  running.add(child);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const tracked of running) tracked.kill('SIGKILL');
  });
}

/** Resolves true once TCP `port` on 127.0.0.1 accepts a connection; false if `child` exits or time runs out. */
export async function waitForPort(port: number, child: ChildProcess, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) return false;
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}

/** Stops `child` (SIGTERM, SIGKILL after 5 s) and resolves once it has exited. */
export async function stopDaemon(child: ChildProcess): Promise<void> {
  running.delete(child);
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}
