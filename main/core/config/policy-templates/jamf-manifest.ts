/**
 * A JSON Schema manifest for Jamf Pro's "Application & Custom Settings" payload (Jamf, "JSON
 * Schema manifest structure"): a header with `title` and `description`, then `properties`, each
 * with `title`, `description`, `property_order` and `type`; enums carry `options.enum_titles`.
 * Jamf builds its form from it and delivers the values as the managed preferences of Walkup's
 * bundle id, which `policy-sources/macos-managed-preferences.ts` reads.
 *
 * Generated from the one schema (types, bounds, defaults, enum values) with the texts of
 * `key-texts.ts`. The `duo` section holds both SDKs' keys (Jamf's form has no variants; the
 * descriptions say which SDK each key belongs to). Secrets are `{ file }` / `{ env }` objects:
 * a managed preference is readable on the Mac, so a secret value never goes in a profile.
 */
import { WALKUP_BUNDLE_ID } from '../policy-sources/macos-managed-preferences';
import type { PolicyKey } from '../policy-sources/policy-keys';
import { describeDefault, policyTree, type PolicyLeafNode, type PolicySectionNode } from './policy-tree';

type JsonObject = Record<string, unknown>;

function leafSchema(key: PolicyKey): JsonObject {
  const bounds: JsonObject = {};
  if (key.minimum !== undefined && Number.isSafeInteger(key.minimum)) bounds.minimum = key.minimum;
  if (key.maximum !== undefined && key.maximum < Number.MAX_SAFE_INTEGER) bounds.maximum = key.maximum;
  if (key.minLength !== undefined) bounds.minLength = key.minLength;
  if (key.maxLength !== undefined) bounds.maxLength = key.maxLength;
  switch (key.kind) {
    case 'boolean':
      return { type: 'boolean' };
    case 'integer':
      return { type: 'integer', ...bounds };
    case 'number':
      return { type: 'number', ...bounds };
    case 'string':
      return { type: 'string', ...bounds };
    case 'enum':
      return {
        type: 'string',
        enum: [...(key.values ?? [])],
        options: { enum_titles: [...(key.values ?? [])] },
      };
    case 'string-list':
      return { type: 'array', items: { type: 'string', minLength: 1 } };
    case 'enum-list':
      return {
        type: 'array',
        items: {
          type: 'string',
          enum: [...(key.values ?? [])],
          options: { enum_titles: [...(key.values ?? [])] },
        },
      };
    case 'secret':
      return {
        type: 'object',
        properties: {
          vault: {
            title: 'Vault entry',
            description:
              'Name of the kiosk vault entry that holds the secret (encrypted with the OS key store; filled by walkup import-secrets or the admin screen).',
            type: 'string',
            minLength: 1,
          },
          file: {
            title: 'File',
            description: 'Path of a file readable by the station alone that holds the secret.',
            type: 'string',
            minLength: 1,
          },
          env: {
            title: 'Environment variable',
            description: 'Name of an environment variable that holds the secret.',
            type: 'string',
            minLength: 1,
          },
        },
        additionalProperties: false,
        minProperties: 1,
        maxProperties: 1,
      };
  }
}

function leafProperty(leaf: PolicyLeafNode, order: number): JsonObject {
  const description = [leaf.text.description, describeDefault(leaf.key)].filter(Boolean).join(' ');
  const property: JsonObject = {
    title: leaf.text.title,
    description,
    property_order: order,
    ...leafSchema(leaf.key),
  };
  if (leaf.key.default !== undefined) property.default = leaf.key.default;
  return property;
}

function sectionProperties(node: PolicySectionNode): JsonObject {
  const properties: JsonObject = {};
  node.children.forEach((child, index) => {
    const order = (index + 1) * 5;
    properties[child.name] =
      child.kind === 'key'
        ? leafProperty(child, order)
        : {
            title: child.text.title,
            description: child.text.description,
            property_order: order,
            type: 'object',
            properties: sectionProperties(child),
            additionalProperties: false,
          };
  });
  return properties;
}

/** The manifest as a value. */
export function jamfManifest(): JsonObject {
  return {
    title: `Walkup (${WALKUP_BUNDLE_ID})`,
    description:
      'Managed policy for Walkup, the walk-up Duo enrollment station. Every key is optional here; the station ' +
      'reports missing required keys (directory.type, duo.apiHost, the Duo credentials) as out of service. ' +
      'Secrets are { vault }, { file } or { env } references, never values.',
    type: 'object',
    properties: sectionProperties(policyTree()),
    additionalProperties: false,
  };
}

/** The manifest as the file Jamf Pro takes (JSON, two-space indent). */
export function jamfManifestJson(): string {
  return `${JSON.stringify(jamfManifest(), null, 2)}\n`;
}
