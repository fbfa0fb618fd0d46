/**
 * The kiosk's operational log: one JSON line per event on stderr, where the OS service manager
 * (systemd, launchd, the Windows service wrapper) collects it. Callers pass reason codes and
 * identifiers only; secrets and passwords never reach a field.
 */
import type { Logger } from '../core/ports';

/** Creates a JSON-lines logger writing to `stream` (stderr by default). */
export function createJsonLineLogger(
  stream: { write(line: string): unknown } = process.stderr,
  now: () => Date = () => new Date(),
): Logger {
  const write =
    (level: 'info' | 'warn' | 'error') =>
    (event: string, fields: Record<string, unknown> = {}): void => {
      stream.write(`${JSON.stringify({ time: now().toISOString(), level, event, ...fields })}\n`);
    };
  return { info: write('info'), warn: write('warn'), error: write('error') };
}
