/**
 * One managed policy from several managed sources: on Windows the registry and
 * `%ProgramData%\Walkup\policy.json`, on macOS the computer- and user-level managed preferences
 * and `/Library/Application Support/Walkup/policy.json`.
 *
 * The rule: managed sources must agree. A key set by only one source is taken from it; a key set
 * by several with the same value is taken once; a key set by several with different values is a
 * conflict, and the merge fails naming the key and the sources (never the values). No source wins
 * silently: every managed source is an administrator's decision at the same trust level, and two
 * that disagree (an old policy.json left behind during a move to Intune, say) are a mistake to
 * show, not to resolve by a precedence nobody remembers. Lists are single values (a list set in two
 * sources must be equal, not concatenated), and so is a secret reference. The `duo` section of two
 * sources must name the same SDK (`sdk`, default v4), since v2 and v4 keys cannot be mixed.
 *
 * The merged object then goes where a single policy file's object goes today: over local settings
 * and defaults (`mergeConfigSources` in `../load.ts`), its keys locked.
 */
import { isDeepStrictEqual } from 'node:util';
import { mergeOver } from '../load';
import { DEFAULT_DUO_SDK } from '../schema';
import { matchPolicyPath } from './policy-keys';

export interface ManagedPolicySource {
  /** Shown in conflicts: `HKLM\Software\Policies\Walkup`, `C:\ProgramData\Walkup\policy.json`… */
  readonly name: string;
  readonly value: Record<string, unknown>;
}

export type ManagedPolicyMerge =
  | {
      ok: true;
      value: Record<string, unknown>;
      /** The names of the sources that set at least one key, in the order given. */
      sources: string[];
    }
  | { ok: false; errors: string[] };

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Leaf values of a policy object, keyed by dotted path. Policy keys are leaves even when their
 * value is an object (a secret reference); a path Walkup does not know is a leaf too, left for
 * the schema to refuse.
 */
function leaves(
  value: Record<string, unknown>,
  segments: string[] = [],
  out = new Map<string, unknown>(),
): Map<string, unknown> {
  for (const [name, child] of Object.entries(value)) {
    if (child === undefined) continue;
    const here = [...segments, name];
    const match = matchPolicyPath(here);
    if (isPlainObject(child) && match.kind !== 'key' && Object.keys(child).length > 0)
      leaves(child, here, out);
    else if (!isPlainObject(child) || match.kind === 'key') out.set(here.join('.'), child);
  }
  return out;
}

function duoSdk(value: Record<string, unknown>): string | undefined {
  const duo = value.duo;
  if (!isPlainObject(duo)) return undefined;
  // A source that names no SDK means the configuration schema's default.
  return typeof duo.sdk === 'string' ? duo.sdk : DEFAULT_DUO_SDK;
}

/** Merges managed policy sources by the rule above. Sources with no keys take no part. */
export function mergeManagedPolicies(sources: readonly ManagedPolicySource[]): ManagedPolicyMerge {
  const taking = sources.filter((source) => Object.keys(source.value).length > 0);
  const seen = new Map<string, { value: unknown; source: string }>();
  const errors: string[] = [];
  let sdk: { value: string; source: string } | undefined;
  for (const source of taking) {
    const ownSdk = duoSdk(source.value);
    if (ownSdk !== undefined) {
      if (sdk && sdk.value !== ownSdk) {
        errors.push(
          `duo.sdk: ${sdk.source} and ${source.name} configure different Duo SDKs; managed sources must agree`,
        );
      } else sdk ??= { value: ownSdk, source: source.name };
    }
    for (const [path, value] of leaves(source.value)) {
      const earlier = seen.get(path);
      // A value in one source where another has a section (or the reverse) is a conflict too.
      const overlapping = [...seen].find(
        ([other, entry]) =>
          entry.source !== source.name && (other.startsWith(`${path}.`) || path.startsWith(`${other}.`)),
      );
      if (overlapping) {
        const [other, entry] = overlapping;
        const shorter = other.length < path.length ? other : path;
        errors.push(
          `${shorter}: set differently by ${entry.source} and ${source.name}; managed sources must agree (remove it from one)`,
        );
      } else if (!earlier) {
        seen.set(path, { value, source: source.name });
      } else if (!isDeepStrictEqual(earlier.value, value) && path !== 'duo.sdk') {
        errors.push(
          `${path}: set differently by ${earlier.source} and ${source.name}; managed sources must agree (remove it from one)`,
        );
      }
    }
  }
  if (errors.length > 0) return { ok: false, errors };
  const merged = taking.reduce<unknown>((lower, source) => mergeOver(lower, source.value), {});
  return {
    ok: true,
    value: isPlainObject(merged) ? merged : {},
    sources: taking.map((source) => source.name),
  };
}
