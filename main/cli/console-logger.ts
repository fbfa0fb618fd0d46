/**
 * The operational log of CLI commands: one JSON line per entry on stderr. Info entries only when
 * asked (`--verbose`), warnings and errors always. Field values come from the engine, which keeps
 * secrets out of them.
 */
import type { Logger } from '../core/ports';
import type { CliIo } from './io';

/** A Logger writing JSON lines to the command's stderr. */
export function createConsoleLogger(io: Pick<CliIo, 'err'>, options: { verbose: boolean }): Logger {
  const write = (level: string, event: string, fields?: Record<string, unknown>): void => {
    io.err(JSON.stringify({ time: new Date().toISOString(), level, event, ...fields }));
  };
  return {
    info: (event, fields) => {
      if (options.verbose) write('info', event, fields);
    },
    warn: (event, fields) => write('warn', event, fields),
    error: (event, fields) => write('error', event, fields),
  };
}
