/**
 * Where the configuration comes from, highest first: managed policy (read-only, deployed by
 * MDM/GPO) > local settings (the admin screen) > defaults. Sources are deep-merged (arrays
 * replace), then validated once by the schema. Keys set by policy are reported as locked.
 */
import { readFile } from 'node:fs/promises';
import { configurationGaps, requiredKeyPaths } from './required-keys';
import { DEFAULT_DUO_SDK, parseConfig, type WalkupConfig } from './schema';
import { localTrustProblems } from './trust-keys';

export type PolicyFileResult =
  | { ok: true; value: Record<string, unknown> }
  | {
      ok: false;
      /** `missing` usually means "no policy deployed", which callers may accept. */
      code: 'missing' | 'unreadable' | 'invalid-json' | 'not-an-object';
      error: string;
    };

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Keys that would reach an object's prototype if merged. */
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** 1-based line and column of a character offset. */
function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lines = before.split('\n');
  return { line: lines.length, column: (lines.at(-1)?.length ?? 0) + 1 };
}

/** Turns a JSON.parse error into `line 3, column 5: Expected ',' or '}' after property value`. */
export function describeJsonError(text: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const position = /at position (\d+)/.exec(message);
  const offset = position ? Number(position[1]) : text.length;
  const reason = message.replace(/\s*(?:in JSON )?at position \d+.*$/s, '').replace(/^JSON\.parse: /, '');
  const { line, column } = lineAndColumn(text, offset);
  return `line ${line}, column ${column}: ${reason}`;
}

/** Parses JSON text that must hold an object (a policy or settings file). */
export function parseJsonObject(text: string, name: string): PolicyFileResult {
  const clean = text.replace(/^\uFEFF/, '');
  let value: unknown;
  try {
    value = JSON.parse(clean);
  } catch (error) {
    return {
      ok: false,
      code: 'invalid-json',
      error: `${name} is not valid JSON: ${describeJsonError(clean, error)}`,
    };
  }
  if (!isPlainObject(value)) {
    return {
      ok: false,
      code: 'not-an-object',
      error: `${name} must hold a JSON object ({ … }) at the top level`,
    };
  }
  return { ok: true, value };
}

/** Reads a managed policy (or any JSON configuration) file. */
export async function readPolicyFile(
  path: string,
  io: { readFile(path: string): Promise<string> } = { readFile: (file) => readFile(file, 'utf8') },
): Promise<PolicyFileResult> {
  let text: string;
  try {
    text = await io.readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    if (code === 'ENOENT') return { ok: false, code: 'missing', error: `${path} does not exist` };
    const why =
      code === 'EACCES' || code === 'EPERM'
        ? 'permission denied'
        : code === 'EISDIR'
          ? 'is a directory'
          : (code ?? 'error');
    return { ok: false, code: 'unreadable', error: `${path} cannot be read (${why})` };
  }
  return parseJsonObject(text, path);
}

/** Leaf key paths of an object (arrays are leaves), e.g. `station.idle.duoSeconds`. */
export function leafPaths(value: Record<string, unknown>, prefix = ''): string[] {
  const paths: string[] = [];
  for (const [key, child] of Object.entries(value)) {
    if (child === undefined || UNSAFE_KEYS.has(key)) continue;
    const path = prefix ? `${prefix}.${key}` : key;
    if (isPlainObject(child) && Object.keys(child).length > 0) paths.push(...leafPaths(child, path));
    else if (!isPlainObject(child)) paths.push(path);
  }
  return paths;
}

/**
 * Deep-merges `higher` over `lower`: objects merge key by key, anything else (arrays included)
 * replaces. A `duo` section for another SDK replaces the lower one whole, since v2 and v4 keys
 * cannot be mixed.
 */
export function mergeOver(lower: unknown, higher: unknown, path = ''): unknown {
  if (higher === undefined) return lower;
  if (!isPlainObject(higher) || !isPlainObject(lower)) return higher;
  if (path === 'duo' && (higher.sdk ?? DEFAULT_DUO_SDK) !== (lower.sdk ?? DEFAULT_DUO_SDK)) return higher;
  const out: Record<string, unknown> = {};
  for (const key of new Set([...Object.keys(lower), ...Object.keys(higher)])) {
    if (UNSAFE_KEYS.has(key)) continue;
    const merged = mergeOver(lower[key], higher[key], path ? `${path}.${key}` : key);
    if (merged !== undefined) out[key] = merged;
  }
  return out;
}

export interface ConfigSources {
  /** Managed policy (already read); its keys are locked. */
  policy?: Record<string, unknown>;
  /** Local settings written by the admin screen. */
  local?: Record<string, unknown>;
  /** Defaults below both (the schema's own defaults apply after these). */
  defaults?: Record<string, unknown>;
  /**
   * The local settings' integrity tag was verified (`core/admin/signed-settings.ts`): they were
   * written by the PIN-protected admin screen. On a station without managed policy (no `policy`
   * key set) such settings may set trust-widening keys (issue #11: "Keys that widen trust come
   * only from managed policy or, on an unmanaged station, from the PIN-protected admin screen");
   * under a managed policy, or unverified, they are refused as always.
   */
  localTrusted?: boolean;
}

/**
 * Why a configuration cannot be used: `setup-required` when neither the policy nor the local
 * settings set any required key (first run: the kiosk offers the setup flow; `missing` lists the
 * keys); `waiting-for-configuration` when a managed policy is deployed, sets some required keys,
 * and the only problems are required keys nobody set yet (`missing` lists them); otherwise
 * `configuration-invalid` (wrong values, or local settings that would widen trust).
 */
export type ConfigFailureReason = 'setup-required' | 'configuration-invalid' | 'waiting-for-configuration';

export type LoadedConfig =
  | { ok: true; config: WalkupConfig; locked: string[] }
  | {
      ok: false;
      reason: ConfigFailureReason;
      /** One line per problem, each naming the key. */
      errors: string[];
      /** Required keys no source sets (dotted paths), when that is all that is wrong. */
      missing?: string[];
      locked: string[];
    };

/** Merges the sources in precedence order. */
export function mergeConfigSources(sources: ConfigSources): {
  merged: Record<string, unknown>;
  locked: string[];
} {
  const merged = mergeOver(mergeOver(sources.defaults ?? {}, sources.local ?? {}), sources.policy ?? {});
  return {
    merged: isPlainObject(merged) ? merged : {},
    locked: sources.policy ? leafPaths(sources.policy).sort() : [],
  };
}

/** Whether `source` sets anything at the dotted `path` (a leaf or a section holding one). */
function setsPath(source: Record<string, unknown> | undefined, path: string): boolean {
  let here: unknown = source;
  for (const segment of path.split('.')) {
    if (!isPlainObject(here) || !Object.hasOwn(here, segment)) return false;
    here = here[segment];
  }
  return here !== undefined;
}

/**
 * Merges and validates. Errors name the key (`directory.servers[0]: must be …`). Local settings
 * that would widen trust (`trust-keys.ts`: CA files, `allowInsecure`-style switches, throttling
 * above the defaults, the demo directory) refuse the whole configuration, each key named, unless
 * `localTrusted` and no managed policy is deployed. When no source sets any required key
 * (`requiredKeyPaths`), the answer is `setup-required`; a deployed managed policy that only lacks
 * required keys gives `waiting-for-configuration` with the keys listed (`required-keys.ts`).
 */
export function loadConfig(sources: ConfigSources): LoadedConfig {
  const { merged, locked } = mergeConfigSources(sources);
  const managed = sources.policy !== undefined && Object.keys(sources.policy).length > 0;
  const trusted = sources.localTrusted === true && !managed;
  const refused = trusted ? [] : localTrustProblems(sources.local, sources.policy);
  if (refused.length > 0) return { ok: false, reason: 'configuration-invalid', errors: refused, locked };
  const parsed = parseConfig(merged);
  if (parsed.ok) return { ok: true, config: parsed.config, locked };
  const anyRequired = requiredKeyPaths().some(
    (path) => setsPath(sources.policy, path) || setsPath(sources.local, path),
  );
  if (!anyRequired) {
    const { missing } = configurationGaps(merged);
    return { ok: false, reason: 'setup-required', errors: parsed.errors, missing, locked };
  }
  const gaps = managed ? configurationGaps(merged) : undefined;
  return gaps && !gaps.otherProblems && gaps.missing.length > 0
    ? { ok: false, reason: 'waiting-for-configuration', errors: parsed.errors, missing: gaps.missing, locked }
    : { ok: false, reason: 'configuration-invalid', errors: parsed.errors, locked };
}

/**
 * Whether a key path is locked by policy: the path itself is locked, it lies inside a locked
 * section, or it is a section that holds a locked key (the admin screen cannot replace it whole).
 */
export function isLocked(locked: readonly string[], path: string): boolean {
  return locked.some(
    (lockedPath) =>
      path === lockedPath || path.startsWith(`${lockedPath}.`) || lockedPath.startsWith(`${path}.`),
  );
}

/**
 * Loads a configuration from one policy file (missing is fine) over a local settings value. The
 * kiosk and `walkup check-config --managed` read every managed source of the platform instead
 * (`loadManagedConfig` in `load-managed.ts`); this single-file form is kept for tools and tests.
 */
export async function loadConfigFiles(options: {
  policyFile?: string;
  local?: Record<string, unknown>;
  defaults?: Record<string, unknown>;
  readFile?: (path: string) => Promise<string>;
}): Promise<LoadedConfig> {
  let policy: Record<string, unknown> | undefined;
  if (options.policyFile) {
    const read = await readPolicyFile(
      options.policyFile,
      options.readFile ? { readFile: options.readFile } : undefined,
    );
    if (read.ok) policy = read.value;
    else if (read.code !== 'missing')
      return { ok: false, reason: 'configuration-invalid', errors: [read.error], locked: [] };
  }
  const sources: ConfigSources = {};
  if (policy) sources.policy = policy;
  if (options.local) sources.local = options.local;
  if (options.defaults) sources.defaults = options.defaults;
  return loadConfig(sources);
}
