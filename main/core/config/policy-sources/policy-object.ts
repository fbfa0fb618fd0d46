/**
 * What every MDM-native policy reader shares: the result shape, the per-key type check of a value
 * already converted to JSON types, and the refusal of inline secrets.
 *
 * Readers check only what their format can get wrong (an unknown name, a value of the wrong
 * type, a secret value); ranges, enums, URLs and DNs are the one schema's job (`parseConfig`), so
 * no rule is written twice. Errors name the key and where it was found, never the value: a
 * secret typed into the wrong key must not reach a log through its error.
 */
import type { PolicyKey } from './policy-keys';

/** One MDM-native source, read. `missing` means no policy of that kind is deployed. */
export type PolicySourceResult =
  | { ok: true; value: Record<string, unknown> }
  | {
      ok: false;
      code: 'missing' | 'unreadable' | 'malformed' | 'invalid' | 'timeout';
      /** One line per problem, each naming the key or the place. */
      errors: string[];
    };

/**
 * Why MDM-native sources never carry a secret value: `HKLM\Software\Policies` is readable by
 * every local account, and so are the managed preference files in `/Library/Managed Preferences`
 * and the profiles that deliver them. A secret comes from the vault or a `{ "file": … }` /
 * `{ "env": … }` reference instead.
 */
export const INLINE_SECRET_REASON =
  'is a secret: an MDM policy (registry or managed preferences) is readable by every local account, ' +
  'so it may only name a { vault }, { file } or { env } reference; put the value in the vault or in a file readable by the station alone';

/**
 * The parts a secret reference may have in an MDM source, one at a time: `vault` (an entry of the
 * kiosk's encrypted vault, filled by `walkup import-secrets` or the admin screen), `file` or `env`.
 */
export const SECRET_REFERENCE_PARTS: readonly string[] = ['vault', 'file', 'env'];

/** The rule in words, for the readers' errors. */
export const SECRET_REFERENCE_PARTS_TEXT = 'vault, file or env';

/** `JSON.parse`-style keys that would reach an object's prototype. */
const UNSAFE_NAMES = new Set(['__proto__', 'constructor', 'prototype']);

/** Whether a name may become an object key (readers refuse the rest as unknown). */
export function isSafeName(name: string): boolean {
  return !UNSAFE_NAMES.has(name);
}

function describeKind(key: PolicyKey): string {
  switch (key.kind) {
    case 'boolean':
      return 'true or false';
    case 'integer':
      return 'a whole number';
    case 'number':
      return 'a number';
    case 'string':
      return 'text';
    case 'enum':
      return `one of ${(key.values ?? []).join(', ')}`;
    case 'string-list':
      return 'a list of text values';
    case 'enum-list':
      return `a list of ${(key.values ?? []).join(', ')}`;
    case 'secret':
      return 'a { vault }, { file } or { env } reference';
  }
}

/**
 * Whether a JSON-typed value can stand for `key` (type only; the schema checks the rest).
 * Returns the problem text (`must be true or false`), or undefined when the type fits.
 */
export function policyValueProblem(key: PolicyKey, value: unknown): string | undefined {
  const fits = ((): boolean => {
    switch (key.kind) {
      case 'boolean':
        return typeof value === 'boolean';
      case 'integer':
        return typeof value === 'number' && Number.isSafeInteger(value);
      case 'number':
        return typeof value === 'number' && Number.isFinite(value);
      case 'string':
      case 'enum':
        return typeof value === 'string';
      case 'string-list':
      case 'enum-list':
        return Array.isArray(value) && value.every((item) => typeof item === 'string');
      case 'secret':
        if (typeof value === 'string') return false;
        return typeof value === 'object' && value !== null && !Array.isArray(value);
    }
  })();
  if (fits) return undefined;
  if (key.kind === 'secret' && typeof value === 'string') return INLINE_SECRET_REASON;
  return `must be ${describeKind(key)}`;
}

/** Sets `value` at `segments` in `target`, creating the sections on the way. */
export function setAtPath(
  target: Record<string, unknown>,
  segments: readonly string[],
  value: unknown,
): void {
  let node = target;
  segments.forEach((segment, index) => {
    if (index === segments.length - 1) {
      node[segment] = value;
      return;
    }
    const next = node[segment];
    if (typeof next === 'object' && next !== null && !Array.isArray(next)) {
      node = next as Record<string, unknown>;
    } else {
      const created: Record<string, unknown> = {};
      node[segment] = created;
      node = created;
    }
  });
}
