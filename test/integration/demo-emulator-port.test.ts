/**
 * `npm run -s emulator -- --port N` (test/support/duo-emulator/cli.ts), the emulator alone for
 * people trying Walkup: its port is read like every other port flag, and a taken port is named.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { reserveFreePort } from '../../main/portal';

const root = path.resolve(import.meta.dirname, '../..');
const tsx = path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs');

/** Runs the emulator CLI to its end (it ends by itself only on an error); stdout, stderr and the exit code. */
function runEmulatorCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [tsx, 'test/support/duo-emulator/cli.ts', ...args], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('the emulator CLI --port', () => {
  it.each(['', '0x10', '65536', ' 80'])('refuses %j with exit 2 and the rule', async (value) => {
    const result = await runEmulatorCli([`--port=${value}`]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `duo-emulator: --port must be an integer 0-65535 (0: any free port), got "${value}"`,
    );
    expect(result.stdout).toBe('');
  });

  it('names a port that is taken and exits 1', async () => {
    const port = await reserveFreePort();
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(port, '127.0.0.1', resolve));
    try {
      const result = await runEmulatorCli(['--port', String(port)]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`duo-emulator: cannot listen on 127.0.0.1:${port} (EADDRINUSE)`);
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
  });
});
