/**
 * The policy keys of Walkup's configuration, derived from the one schema (`configSchema`,
 * `../schema.ts`) through zod's own JSON Schema export (`z.toJSONSchema`, input side), so the
 * MDM readers and the MDM templates can never disagree with the schema about which keys exist
 * and what each holds. A schema shape this table cannot map (say, an array of objects) throws
 * here, so a test fails the day such a key is added, instead of a template silently lacking it.
 */
import { z } from 'zod';
import { configSchema, secretSchema } from '../schema';

/**
 * What a key holds, as MDM formats see it. `secret` is a secret reference (`{ "file": … }` or
 * `{ "env": … }`); MDM sources may carry only the reference, never the value.
 */
export type PolicyValueKind =
  'boolean' | 'integer' | 'number' | 'string' | 'enum' | 'string-list' | 'enum-list' | 'secret';

export interface PolicyKey {
  /** Dotted path, e.g. `directory.tls.caFile`. */
  readonly path: string;
  readonly segments: readonly string[];
  readonly kind: PolicyValueKind;
  /** `enum` and `enum-list`: the allowed values, in the schema's order. */
  readonly values?: readonly string[];
  readonly minimum?: number;
  readonly maximum?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  /** The schema's default (input side), when it has one. */
  readonly default?: unknown;
  /** `duo` keys that belong to one Duo SDK only (`clientId` to v4, `ikey` to v2…). */
  readonly sdk?: string;
}

/** An object level of the configuration (`directory`, `directory.tls`…): a registry subkey, a plist dict. */
export interface PolicySection {
  readonly path: string;
  readonly segments: readonly string[];
}

interface JsonSchema {
  type?: string;
  properties?: Record<string, JsonSchema>;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  items?: JsonSchema;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  default?: unknown;
}

function toJsonSchema(schema: z.ZodType): JsonSchema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as {
    $schema?: string;
  } & JsonSchema;
  return rest;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function bounds(schema: JsonSchema): Partial<PolicyKey> {
  const out: { -readonly [K in keyof PolicyKey]?: PolicyKey[K] } = {};
  if (schema.minimum !== undefined) out.minimum = schema.minimum;
  if (schema.maximum !== undefined) out.maximum = schema.maximum;
  if (schema.minLength !== undefined) out.minLength = schema.minLength;
  if (schema.maxLength !== undefined) out.maxLength = schema.maxLength;
  if (schema.default !== undefined) out.default = schema.default;
  return out;
}

function leafKey(segments: string[], schema: JsonSchema, secret: JsonSchema, sdk?: string): PolicyKey {
  const path = segments.join('.');
  const base = { path, segments: [...segments], ...(sdk ? { sdk } : {}) };
  if (sameJson({ ...schema, default: undefined }, secret)) return { ...base, kind: 'secret' };
  const rest = bounds(schema);
  if (schema.type === 'boolean') return { ...base, ...rest, kind: 'boolean' };
  if (schema.type === 'integer') return { ...base, ...rest, kind: 'integer' };
  if (schema.type === 'number') return { ...base, ...rest, kind: 'number' };
  if (schema.type === 'string' && schema.enum) {
    return { ...base, ...rest, kind: 'enum', values: schema.enum.map(String) };
  }
  if (schema.type === 'string') return { ...base, ...rest, kind: 'string' };
  if (schema.type === 'array' && schema.items?.type === 'string') {
    return schema.items.enum
      ? { ...base, ...rest, kind: 'enum-list', values: schema.items.enum.map(String) }
      : { ...base, ...rest, kind: 'string-list' };
  }
  throw new Error(`policy keys: ${path} has a shape MDM formats cannot carry (${JSON.stringify(schema)})`);
}

/**
 * Walks an object schema. A `oneOf` of objects told apart by a `const` property (the `duo`
 * section: v4 or v2) becomes one section holding every branch's keys, the discriminator an enum.
 */
function walk(
  schema: JsonSchema,
  segments: string[],
  secret: JsonSchema,
  keys: PolicyKey[],
  sections: PolicySection[],
): void {
  if (schema.type === 'object' && schema.properties) {
    sections.push({ path: segments.join('.'), segments: [...segments] });
    for (const [name, child] of Object.entries(schema.properties)) {
      walkChild(child, [...segments, name], secret, keys, sections);
    }
    return;
  }
  if (schema.oneOf && schema.oneOf.every((branch) => branch.type === 'object' && branch.properties)) {
    sections.push({ path: segments.join('.'), segments: [...segments] });
    const branches = schema.oneOf.map((branch) => {
      const properties = branch.properties ?? {};
      const tag = Object.entries(properties).find(([, property]) => property.const !== undefined);
      if (!tag) throw new Error(`policy keys: ${segments.join('.')} is a union without a discriminator`);
      return { tagName: tag[0], tagValue: String(tag[1].const), properties };
    });
    const names = [...new Set(branches.flatMap((branch) => Object.keys(branch.properties)))];
    for (const name of names) {
      const holders = branches.filter((branch) => name in branch.properties);
      const [first] = holders;
      if (!first) continue;
      if (name === first.tagName) {
        keys.push({
          path: [...segments, name].join('.'),
          segments: [...segments, name],
          kind: 'enum',
          values: branches.map((branch) => branch.tagValue),
        });
        continue;
      }
      const key = leafKey(
        [...segments, name],
        first.properties[name] ?? {},
        secret,
        holders.length === branches.length ? undefined : first.tagValue,
      );
      if (holders.length > 1 && holders.length < branches.length) {
        throw new Error(`policy keys: ${key.path} belongs to some but not all variants`);
      }
      keys.push(key);
    }
    return;
  }
  throw new Error(`policy keys: ${segments.join('.') || '(root)'} is not an object`);
}

function walkChild(
  schema: JsonSchema,
  segments: string[],
  secret: JsonSchema,
  keys: PolicyKey[],
  sections: PolicySection[],
): void {
  const isSection = (schema.type === 'object' && schema.properties) || schema.oneOf;
  if (isSection) walk(schema, segments, secret, keys, sections);
  else keys.push(leafKey(segments, schema, secret));
}

let table: { keys: readonly PolicyKey[]; sections: readonly PolicySection[] } | undefined;

function policyTable(): { keys: readonly PolicyKey[]; sections: readonly PolicySection[] } {
  if (!table) {
    const keys: PolicyKey[] = [];
    const sections: PolicySection[] = [];
    walk(toJsonSchema(configSchema), [], toJsonSchema(secretSchema), keys, sections);
    table = { keys, sections: sections.filter((section) => section.segments.length > 0) };
  }
  return table;
}

/** Every policy key of the configuration schema, in the schema's order. */
export function policyKeys(): readonly PolicyKey[] {
  return policyTable().keys;
}

/** Every object level below the root (`station`, `station.idle`, `directory`…), in the schema's order. */
export function policySections(): readonly PolicySection[] {
  return policyTable().sections;
}

export type PolicyPathMatch =
  { kind: 'key'; key: PolicyKey } | { kind: 'section'; section: PolicySection } | { kind: 'unknown' };

/**
 * What a path names: a key, a section, or nothing Walkup knows. `ignoreCase` matches the way
 * the Windows registry compares key and value names (case-insensitively); the match carries the
 * schema's spelling.
 */
export function matchPolicyPath(
  segments: readonly string[],
  options: { ignoreCase?: boolean } = {},
): PolicyPathMatch {
  const normalize = (text: string): string => (options.ignoreCase ? text.toLowerCase() : text);
  const wanted = segments.map(normalize).join('\u0000');
  const same = (candidate: readonly string[]): boolean => candidate.map(normalize).join('\u0000') === wanted;
  const key = policyKeys().find((candidate) => same(candidate.segments));
  if (key) return { kind: 'key', key };
  const section = policySections().find((candidate) => same(candidate.segments));
  if (section) return { kind: 'section', section };
  return { kind: 'unknown' };
}
