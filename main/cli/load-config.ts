/**
 * Reads and validates the configuration file a command was given (`readPolicyFile` +
 * `parseConfig`): one place for file errors and the "one line per problem, naming the key" report.
 */
import path from 'node:path';
import { readPolicyFile } from '../core/config/load';
import { parseConfig, type WalkupConfig } from '../core/config/schema';

/** A validated configuration with its raw file value, or one line per problem. */
export type LoadConfigResult =
  | { ok: true; config: WalkupConfig; raw: Record<string, unknown>; file: string }
  | { ok: false; file: string; errors: string[] };

/** Loads `file` (relative to `cwd`) and validates it with the configuration schema. */
export async function loadConfigFile(file: string, cwd: string): Promise<LoadConfigResult> {
  const resolved = path.resolve(cwd, file);
  const read = await readPolicyFile(resolved);
  if (!read.ok) return { ok: false, file: resolved, errors: [`(file): ${read.error}`] };
  const parsed = parseConfig(read.value);
  return parsed.ok
    ? { ok: true, config: parsed.config, raw: read.value, file: resolved }
    : { ok: false, file: resolved, errors: parsed.errors };
}
