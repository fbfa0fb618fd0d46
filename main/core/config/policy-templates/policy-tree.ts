/**
 * The policy keys as a tree in the schema's order (sections holding keys and sections), with the
 * texts of `key-texts.ts`, for the template generators. Every generator walks this one tree, so
 * every template holds every key.
 */
import { DEFAULT_DUO_SDK } from '../schema';
import { policyKeys, type PolicyKey } from '../policy-sources/policy-keys';
import { keyTexts, sectionTexts, type KeyText } from './key-texts';

export interface PolicyLeafNode {
  readonly kind: 'key';
  readonly name: string;
  readonly key: PolicyKey;
  readonly text: KeyText;
}

export interface PolicySectionNode {
  readonly kind: 'section';
  readonly name: string;
  /** Dotted path; '' for the root. */
  readonly path: string;
  readonly segments: readonly string[];
  readonly text: KeyText;
  readonly children: (PolicyLeafNode | PolicySectionNode)[];
}

const TEXTS_FILE = 'main/core/config/policy-templates/key-texts.ts (then run npm run policy-templates)';

/** The registry key under HKLM (and HKCU) where Windows policy for Walkup lives. */
export const REGISTRY_POLICY_KEY = 'Software\\Policies\\Walkup';

/** Builds the tree; throws when `key-texts.ts` lacks a key or section, or names one the schema lacks. */
export function policyTree(
  texts: {
    keys: Readonly<Record<string, KeyText>>;
    sections: Readonly<Record<string, KeyText>>;
  } = { keys: keyTexts, sections: sectionTexts },
): PolicySectionNode {
  const root: PolicySectionNode = {
    kind: 'section',
    name: '',
    path: '',
    segments: [],
    text: { title: 'Walkup', description: 'Walkup, the walk-up Duo enrollment station.' },
    children: [],
  };
  const usedSections = new Set<string>();
  for (const key of policyKeys()) {
    let node = root;
    key.segments.slice(0, -1).forEach((segment, index) => {
      const segments = key.segments.slice(0, index + 1);
      const path = segments.join('.');
      let child = node.children.find(
        (candidate): candidate is PolicySectionNode =>
          candidate.kind === 'section' && candidate.name === segment,
      );
      if (!child) {
        const text = texts.sections[path];
        if (!text) throw new Error(`policy templates: add section ${path} to ${TEXTS_FILE}`);
        child = { kind: 'section', name: segment, path, segments, text, children: [] };
        node.children.push(child);
        usedSections.add(path);
      }
      node = child;
    });
    const text = texts.keys[key.path];
    if (!text) throw new Error(`policy templates: add key ${key.path} to ${TEXTS_FILE}`);
    node.children.push({ kind: 'key', name: key.segments.at(-1) ?? key.path, key, text });
  }
  const known = new Set(policyKeys().map((key) => key.path));
  const stale = [
    ...Object.keys(texts.keys).filter((path) => !known.has(path)),
    ...Object.keys(texts.sections).filter((path) => !usedSections.has(path)),
  ];
  if (stale.length > 0)
    throw new Error(`policy templates: ${TEXTS_FILE} names what the schema lacks: ${stale.join(', ')}`);
  return root;
}

/** Every key node of the tree, depth first in schema order. */
export function leaves(node: PolicySectionNode): PolicyLeafNode[] {
  return node.children.flatMap((child) => (child.kind === 'key' ? [child] : leaves(child)));
}

/** Every section node below the root, depth first in schema order. */
export function sections(node: PolicySectionNode): PolicySectionNode[] {
  return node.children.flatMap((child) => (child.kind === 'section' ? [child, ...sections(child)] : []));
}

/**
 * The value the example policy gives a key: its example, else its schema default, else (a
 * section default, as for `throttling.perUser`) undefined. Keys of the other Duo SDK than the
 * example's (v4) have none.
 */
export function exampleValue(leaf: PolicyLeafNode): unknown {
  if (leaf.key.sdk !== undefined && leaf.key.sdk !== DEFAULT_DUO_SDK) return undefined;
  return leaf.text.example !== undefined ? leaf.text.example : leaf.key.default;
}

/** "Default: 60." / "Default: unset." for explanations. */
export function describeDefault(key: PolicyKey): string {
  if (key.path === 'duo.sdk') return 'Default: v4.';
  if (key.default === undefined || key.default === '') return '';
  if (Array.isArray(key.default) && key.default.length === 0) return 'Default: none.';
  return `Default: ${Array.isArray(key.default) ? key.default.join(', ') : String(key.default)}.`;
}
