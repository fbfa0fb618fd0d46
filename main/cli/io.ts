/**
 * What a CLI command may use of its process: output streams, environment, working directory,
 * standard input, and a stop signal. Commands take it as a parameter so tests can run them
 * in-process and read what they printed.
 */

/** The process as a command sees it. */
export interface CliIo {
  /** Writes one line to standard output. */
  out(line: string): void;
  /** Writes one line to standard error. */
  err(line: string): void;
  env: NodeJS.ProcessEnv;
  /** Directory relative paths are resolved against. */
  cwd: string;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  /** Resolves with the signal name when the user asks the process to stop (Ctrl-C, SIGTERM). */
  waitForStop(): Promise<string>;
  /**
   * Ends the process now with `code` (the real process only). `walkup serve` uses it as a last
   * resort when something still holds the process open after its shutdown deadline.
   */
  forceExit?(code: number): void;
}

/** The real process. */
export function processIo(): CliIo {
  return {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    env: process.env,
    cwd: process.cwd(),
    stdin: process.stdin,
    waitForStop: () =>
      new Promise((resolve) => {
        const stop = (signal: NodeJS.Signals): void => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          resolve(signal);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      }),
    forceExit: (code) => process.exit(code),
  };
}

/** Exit codes shared by every command. */
export const exitCodes = {
  ok: 0,
  /** The check ran and found a problem (e.g. Duo rejected the credentials). */
  failed: 1,
  /** Usage error, invalid configuration, or a dependency that cannot be reached. */
  usage: 2,
} as const;
