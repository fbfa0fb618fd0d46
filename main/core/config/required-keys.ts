/**
 * Which required keys a configuration lacks, told apart from values that are wrong: a managed
 * policy that is only incomplete puts the station out of service "waiting for configuration" with
 * the missing keys listed (issue #11), not "not set up correctly".
 *
 * A problem is a missing key when the merged configuration holds nothing at the problem's path
 * (the one schema, `configSchema`, decides what is required). A section absent altogether is
 * expanded into its own required keys, and a directory without a `type` is probed as a real
 * directory (`ad`), so the list names every key an admin has to add, not only the first one.
 */
import { policyKeys } from './policy-sources/policy-keys';
import { configSchema } from './schema';

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let here = value;
  for (const part of path) {
    if (Array.isArray(here) && typeof part === 'number') here = here[part];
    else if (isPlainObject(here) && typeof part === 'string' && Object.hasOwn(here, part)) here = here[part];
    else return undefined;
  }
  return here;
}

function dotted(path: readonly PropertyKey[]): string {
  return path
    .map((part, index) =>
      typeof part === 'number' ? `[${part}]` : index === 0 ? String(part) : `.${String(part)}`,
    )
    .join('');
}

function issuesOf(value: Record<string, unknown>): { path: PropertyKey[]; missing: boolean }[] {
  const result = configSchema.safeParse(value);
  if (result.success) return [];
  return result.error.issues.map((issue) => ({
    path: issue.path,
    missing: issue.path.length > 0 && valueAt(value, issue.path) === undefined,
  }));
}

/** The problems of a merged configuration: the required keys it lacks, and whether anything else is wrong. */
export function configurationGaps(merged: Record<string, unknown>): {
  missing: string[];
  otherProblems: boolean;
} {
  const issues = issuesOf(merged);
  if (issues.length === 0) return { missing: [], otherProblems: false };
  const otherProblems = issues.some((issue) => !issue.missing);
  // Probe: absent sections as empty ones, an absent directory type as a real directory.
  const probe: Record<string, unknown> = { ...merged };
  const missing = new Set<string>();
  for (const section of ['directory', 'duo']) {
    if (probe[section] === undefined) probe[section] = {};
  }
  const directory = probe.directory;
  if (isPlainObject(directory) && directory.type === undefined) {
    missing.add('directory.type');
    probe.directory = { ...directory, type: 'ad' };
  }
  for (const issue of [...issuesOf(probe), ...issues]) {
    if (issue.missing && valueAt(probe, issue.path) === undefined) missing.add(dotted(issue.path));
  }
  return { missing: [...missing].sort(), otherProblems };
}

let required: readonly string[] | undefined;

/**
 * The keys a configuration must set before it can run, as an empty configuration lacks them:
 * the directory's (`directory.type`, `directory.servers`, `directory.baseDN`) and those of every
 * Duo integration (`duo.apiHost`, v4's `duo.clientId`, `duo.clientSecret`, v2's `duo.ikey`…).
 * Switches with defaults (CA files, `allowInsecure`, `portal.*`) are not among them. A station
 * whose sources set none of these is a first run (`setup-required` in `load.ts`).
 */
export function requiredKeyPaths(): readonly string[] {
  if (!required) {
    const sdks = policyKeys().find((key) => key.path === 'duo.sdk')?.values ?? [];
    const paths = new Set(configurationGaps({}).missing);
    for (const sdk of sdks) for (const path of configurationGaps({ duo: { sdk } }).missing) paths.add(path);
    required = [...paths].sort();
  }
  return required;
}
