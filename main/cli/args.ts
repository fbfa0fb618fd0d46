/**
 * Option parsing for the commands, on Node's own `util.parseArgs`: unknown options and missing
 * values are usage errors (exit 2), reported in one line.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** The typed option values `parseArgs` returns for an options table. */
export type ParsedOptions<T extends NonNullable<ParseArgsConfig['options']>> = ReturnType<
  typeof parseArgs<{ args: string[]; options: T; strict: true; allowPositionals: false }>
>['values'];

/** Parses a command's options; a usage problem comes back as `{ ok: false, error }`. */
export function parseCommandOptions<T extends NonNullable<ParseArgsConfig['options']>>(
  args: string[],
  options: T,
): { ok: true; values: ParsedOptions<T> } | { ok: false; error: string } {
  try {
    const { values } = parseArgs({ args, options, strict: true, allowPositionals: false });
    return { ok: true, values: values as ParsedOptions<T> };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

/** Reads a `--port` value: an integer 0–65535. */
export function parsePortOption(value: string): number | undefined {
  if (!/^\d{1,5}$/.test(value)) return undefined;
  const port = Number(value);
  return port <= 65_535 ? port : undefined;
}
