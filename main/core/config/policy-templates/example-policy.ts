/**
 * A complete example policy (what `walkup policy-template` is to print): every key of the schema,
 * each with a comment saying what it does and its default. Keys that the example leaves unset
 * (the other Duo SDK's keys, `duo.caFile`) are present as commented-out entries, so the example
 * names every key and the uncommented text is a policy the schema accepts.
 *
 * Two forms: JSON with `//` comments (JSONC, for people to read and copy) and plain JSON (what the
 * policy file readers take today).
 */
import {
  describeDefault,
  exampleValue,
  policyTree,
  type PolicyLeafNode,
  type PolicySectionNode,
} from './policy-tree';

/** The example policy as a value (Duo Web SDK v4). */
export function examplePolicyValue(): Record<string, unknown> {
  const build = (node: PolicySectionNode): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const child of node.children) {
      if (child.kind === 'section') out[child.name] = build(child);
      else {
        const value = exampleValue(child);
        if (value !== undefined) out[child.name] = value;
      }
    }
    return out;
  };
  return build(policyTree());
}

/** A value on one line, spaced the way the README writes JSON: `["a", "b"]`, `{ "file": "/x" }`. */
function inline(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(inline).join(', ')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).map(([name, item]) => `${JSON.stringify(name)}: ${inline(item)}`);
    return `{ ${entries.join(', ')} }`;
  }
  return JSON.stringify(value);
}

function comment(indent: string, text: string): string[] {
  // Wrap at about 100 columns so the printed example reads well in a terminal.
  const words = text.split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    if (line && indent.length + 3 + line.length + 1 + word.length > 100) {
      lines.push(`${indent}// ${line}`);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(`${indent}// ${line}`);
  return lines;
}

function leafComment(leaf: PolicyLeafNode): string {
  return [`${leaf.text.title}: ${leaf.text.description}`, describeDefault(leaf.key)]
    .filter(Boolean)
    .join(' ');
}

function printSection(node: PolicySectionNode, indent: string): string[] {
  const inner = `${indent}  `;
  const unset = node.children.filter(
    (child): child is PolicyLeafNode => child.kind === 'key' && exampleValue(child) === undefined,
  );
  const set = node.children.filter((child) => child.kind === 'section' || exampleValue(child) !== undefined);
  if (set.length === 0) throw new Error(`example policy: section ${node.path} has no key with a value`);
  const lines: string[] = ['{'];
  // Unset keys first, each commented out with a trailing comma: uncommented, they still parse.
  const printUnset = (leaf: PolicyLeafNode): void => {
    lines.push(...comment(inner, leafComment(leaf)));
    lines.push(`${inner}// ${JSON.stringify(leaf.name)}: ${inline(leaf.text.example ?? null)},`);
  };
  unset.filter((leaf) => leaf.key.sdk === undefined).forEach(printUnset);
  const otherSdk = unset.filter((leaf) => leaf.key.sdk !== undefined);
  const sdk = otherSdk[0]?.key.sdk;
  if (sdk !== undefined) {
    const replaced = node.children
      .filter((child) => child.kind === 'key' && child.key.sdk !== undefined && child.key.sdk !== sdk)
      .map((child) => child.name);
    lines.push(
      ...comment(
        inner,
        `Duo Web SDK ${sdk} instead: set "sdk": "${sdk}" and replace ${replaced.join(' and ')} with:`,
      ),
    );
    otherSdk.forEach(printUnset);
  }
  set.forEach((child, index) => {
    const comma = index < set.length - 1 ? ',' : '';
    if (child.kind === 'section') {
      lines.push(...comment(inner, `${child.text.title}: ${child.text.description}`));
      const body = printSection(child, inner);
      lines.push(
        `${inner}${JSON.stringify(child.name)}: ${body[0]}`,
        ...body.slice(1, -1),
        `${body.at(-1)}${comma}`,
      );
    } else {
      lines.push(...comment(inner, leafComment(child)));
      lines.push(`${inner}${JSON.stringify(child.name)}: ${inline(exampleValue(child))}${comma}`);
    }
  });
  lines.push(`${indent}}`);
  return lines;
}

/** The commented example (JSONC): remove the `//` lines and it is the plain JSON example. */
export function examplePolicyJsonc(): string {
  const header = comment(
    '',
    'Walkup managed policy: a complete example. Every key of the configuration schema is here, with its ' +
      'default; the commented-out entries are keys this example leaves unset. Secrets are never values ' +
      'here: { "file": path } (a file readable by the station alone) or { "env": name }. Generated from ' +
      'the schema by `npm run policy-templates`; JSON files take no comments, so remove the // lines ' +
      '(or use policy.example.json) before deploying.',
  );
  return `${[...header, ...printSection(policyTree(), '')].join('\n')}\n`;
}

/** The plain JSON example. */
export function examplePolicyJson(): string {
  return `${JSON.stringify(examplePolicyValue(), null, 2)}\n`;
}
