/**
 * ADMX and ADML (en-US) templates for Group Policy and Intune ("Import ADMX" / administrative
 * templates), following Microsoft's "Group Policy ADMX Syntax Reference Guide": one policy per
 * key, class Machine, in a category tree under "Walkup" that mirrors the configuration's
 * sections, writing exactly what `policy-sources/windows-registry.ts` reads:
 *
 * - section `directory.tls` -> key `Software\Policies\Walkup\directory\tls`, key name -> value name;
 * - boolean -> REG_DWORD 1 / 0 (enabledValue / disabledValue);
 * - whole number -> `decimal` (REG_DWORD), or `longDecimal` (REG_QWORD) past 2^32 - 1;
 * - fraction (`audit.minHistoryHours`) -> `text` (REG_SZ decimal text);
 * - text -> `text` (REG_SZ); enum -> `enum` with one item per value (REG_SZ);
 * - list -> `multiText` (REG_MULTI_SZ);
 * - secret -> `text` value `file` in the subkey named after the key (a path, never the secret).
 */
import {
  describeDefault,
  leaves,
  policyTree,
  REGISTRY_POLICY_KEY,
  sections,
  type PolicyLeafNode,
} from './policy-tree';

const DWORD_MAX = 4_294_967_295;

function xmlEscape(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;');
}

/** ADMX names: letters, digits and underscores. `directory.tls.caFile` -> `directory_tls_caFile`. */
export function admxPolicyName(path: string): string {
  return `Walkup_${path.replaceAll('.', '_')}`;
}

function categoryName(path: string): string {
  return path === '' ? 'Walkup' : `Walkup_cat_${path.replaceAll('.', '_')}`;
}

/** Where a key's value lives: registry key (below HKLM) and value name. */
export function registryPlace(leaf: PolicyLeafNode): { key: string; valueName: string; type: string } {
  const sectionKey = [REGISTRY_POLICY_KEY, ...leaf.key.segments.slice(0, -1)].join('\\');
  switch (leaf.key.kind) {
    case 'secret':
      return { key: `${sectionKey}\\${leaf.name}`, valueName: 'file', type: 'REG_SZ' };
    case 'boolean':
      return { key: sectionKey, valueName: leaf.name, type: 'REG_DWORD' };
    case 'integer':
      return {
        key: sectionKey,
        valueName: leaf.name,
        type: (leaf.key.maximum ?? 0) > DWORD_MAX ? 'REG_QWORD' : 'REG_DWORD',
      };
    case 'string-list':
    case 'enum-list':
      return { key: sectionKey, valueName: leaf.name, type: 'REG_MULTI_SZ' };
    default:
      return { key: sectionKey, valueName: leaf.name, type: 'REG_SZ' };
  }
}

interface PolicyParts {
  /** ADMX `<policy>` element. */
  policy: string;
  /** ADML strings: id -> text. */
  strings: [string, string][];
  /** ADML `<presentation>` element, if the policy has elements. */
  presentation?: string;
}

function explain(leaf: PolicyLeafNode): string {
  const place = registryPlace(leaf);
  const lines = [
    `${leaf.text.description} ${describeDefault(leaf.key)}`.trim(),
    '',
    `Policy key: ${leaf.key.path}.`,
    `Registry: HKLM\\${place.key}, value ${place.valueName} (${place.type}).`,
  ];
  if (leaf.key.kind === 'secret') {
    lines.push(
      '',
      'Enter the path of a file readable by the station alone that holds the secret, never the secret itself. To read it from the kiosk vault instead, set the value vault (REG_SZ, the entry name) in the same key, e.g. through an Intune custom OMA-URI setting, and leave this policy not configured.',
    );
  }
  if (leaf.key.sdk !== undefined) lines.push('', `Duo Web SDK ${leaf.key.sdk} only.`);
  return lines.join('\n');
}

function policyParts(leaf: PolicyLeafNode): PolicyParts {
  const name = admxPolicyName(leaf.key.path);
  const place = registryPlace(leaf);
  const parent = categoryName(leaf.key.segments.slice(0, -1).join('.'));
  const strings: [string, string][] = [
    [name, leaf.text.title],
    [`${name}_Explain`, explain(leaf)],
  ];
  const head = (withPresentation: boolean): string =>
    `    <policy name="${name}" class="Machine" displayName="$(string.${name})" explainText="$(string.${name}_Explain)"` +
    `${withPresentation ? ` presentation="$(presentation.${name})"` : ''} key="${xmlEscape(place.key)}"` +
    `${leaf.key.kind === 'boolean' ? ` valueName="${place.valueName}"` : ''}>\n` +
    `      <parentCategory ref="${parent}" />\n` +
    `      <supportedOn ref="SUPPORTED_Walkup" />\n`;
  const id = leaf.key.path.replaceAll('.', '_');
  const label = xmlEscape(`${leaf.text.title}:`);
  const key = leaf.key;
  switch (key.kind) {
    case 'boolean':
      return {
        policy:
          head(false) +
          '      <enabledValue><decimal value="1" /></enabledValue>\n' +
          '      <disabledValue><decimal value="0" /></disabledValue>\n' +
          '    </policy>',
        strings,
      };
    case 'integer': {
      const min = Math.max(0, key.minimum ?? 0);
      const long = place.type === 'REG_QWORD';
      const max = Math.min(key.maximum ?? DWORD_MAX, long ? Number.MAX_SAFE_INTEGER : DWORD_MAX);
      const element = long ? 'longDecimal' : 'decimal';
      const box = long ? 'longDecimalTextBox' : 'decimalTextBox';
      const defaultValue = typeof key.default === 'number' ? ` defaultValue="${key.default}"` : '';
      return {
        policy:
          head(true) +
          `      <elements>\n        <${element} id="${id}" valueName="${place.valueName}" required="true" minValue="${min}" maxValue="${max}" />\n      </elements>\n` +
          '    </policy>',
        strings,
        presentation: `      <presentation id="${name}">\n        <${box} refId="${id}"${defaultValue}>${label}</${box}>\n      </presentation>`,
      };
    }
    case 'enum': {
      const items = (key.values ?? [])
        .map((value) => {
          const itemId = `${name}_${value.replaceAll(/[^A-Za-z0-9]/g, '_')}`;
          strings.push([itemId, value]);
          return `          <item displayName="$(string.${itemId})"><value><string>${xmlEscape(value)}</string></value></item>`;
        })
        .join('\n');
      const defaultIndex =
        key.path === 'duo.sdk'
          ? 0
          : typeof key.default === 'string'
            ? (key.values ?? []).indexOf(key.default)
            : -1;
      const defaultItem = defaultIndex >= 0 ? ` defaultItem="${defaultIndex}"` : '';
      return {
        policy:
          head(true) +
          `      <elements>\n        <enum id="${id}" valueName="${place.valueName}" required="true">\n${items}\n        </enum>\n      </elements>\n` +
          '    </policy>',
        strings,
        presentation: `      <presentation id="${name}">\n        <dropdownList refId="${id}" noSort="true"${defaultItem}>${label}</dropdownList>\n      </presentation>`,
      };
    }
    case 'string-list':
    case 'enum-list':
      return {
        policy:
          head(true) +
          `      <elements>\n        <multiText id="${id}" valueName="${place.valueName}" required="true" />\n      </elements>\n` +
          '    </policy>',
        strings,
        // multiTextBox takes no label of its own (Microsoft, "multiTextBox element"): a text line above it.
        presentation: `      <presentation id="${name}">\n        <text>${xmlEscape(
          key.kind === 'enum-list'
            ? `${leaf.text.title} (one per line: ${(key.values ?? []).join(', ')}):`
            : `${leaf.text.title} (one per line):`,
        )}</text>\n        <multiTextBox refId="${id}" />\n      </presentation>`,
      };
    default: {
      // text: strings, fractions (decimal text) and secret file paths.
      const maxLength =
        key.kind === 'string' && key.maxLength !== undefined ? ` maxLength="${key.maxLength}"` : '';
      const defaultText =
        (typeof key.default === 'string' && key.default !== '') || typeof key.default === 'number'
          ? `<defaultValue>${xmlEscape(String(key.default))}</defaultValue>`
          : '';
      const textLabel = key.kind === 'secret' ? xmlEscape(`${leaf.text.title}: file path`) : label;
      return {
        policy:
          head(true) +
          `      <elements>\n        <text id="${id}" valueName="${place.valueName}" required="true"${maxLength} />\n      </elements>\n` +
          '    </policy>',
        strings,
        presentation: `      <presentation id="${name}">\n        <textBox refId="${id}"><label>${textLabel}</label>${defaultText}</textBox>\n      </presentation>`,
      };
    }
  }
}

const NAMESPACE = 'http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions';

/** The ADMX file (`walkup.admx`). */
export function admxTemplate(): string {
  const tree = policyTree();
  const categories = [
    `    <category name="Walkup" displayName="$(string.Walkup)" explainText="$(string.Walkup_Explain)" />`,
    ...sections(tree).map((section) => {
      const parent = categoryName(section.segments.slice(0, -1).join('.'));
      return `    <category name="${categoryName(section.path)}" displayName="$(string.${categoryName(section.path)})">\n      <parentCategory ref="${parent}" />\n    </category>`;
    }),
  ];
  const policies = leaves(tree).map((leaf) => policyParts(leaf).policy);
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<!-- Walkup administrative template. Generated from the configuration schema by `npm run policy-templates`; do not edit. -->',
    `<policyDefinitions xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" revision="1.0" schemaVersion="1.0" xmlns="${NAMESPACE}">`,
    '  <policyNamespaces>',
    '    <target prefix="walkup" namespace="Walkup.Policies.Walkup" />',
    '  </policyNamespaces>',
    '  <resources minRequiredRevision="1.0" />',
    '  <supportedOn>',
    '    <definitions>',
    '      <definition name="SUPPORTED_Walkup" displayName="$(string.SUPPORTED_Walkup)" />',
    '    </definitions>',
    '  </supportedOn>',
    '  <categories>',
    ...categories,
    '  </categories>',
    '  <policies>',
    ...policies,
    '  </policies>',
    '</policyDefinitions>',
    '',
  ].join('\n');
}

/** The ADML file for en-US (`en-US/walkup.adml`). */
export function admlTemplate(): string {
  const tree = policyTree();
  const strings: [string, string][] = [
    ['Walkup', 'Walkup'],
    [
      'Walkup_Explain',
      'Managed policy for Walkup, the walk-up Duo enrollment station. Values are written under HKLM\\Software\\Policies\\Walkup. Secrets are never policy values: the secret policies take the path of a file readable by the station alone.',
    ],
    ['SUPPORTED_Walkup', 'Walkup stations that read HKLM\\Software\\Policies\\Walkup'],
    ...sections(tree).map((section): [string, string] => [categoryName(section.path), section.text.title]),
  ];
  const presentations: string[] = [];
  for (const leaf of leaves(tree)) {
    const parts = policyParts(leaf);
    strings.push(...parts.strings);
    if (parts.presentation) presentations.push(parts.presentation);
  }
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<!-- Walkup administrative template, en-US. Generated from the configuration schema by `npm run policy-templates`; do not edit. -->',
    `<policyDefinitionResources xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" revision="1.0" schemaVersion="1.0" xmlns="${NAMESPACE}">`,
    '  <displayName>Walkup</displayName>',
    '  <description>Walkup administrative template</description>',
    '  <resources>',
    '    <stringTable>',
    ...strings.map(([id, text]) => `      <string id="${id}">${xmlEscape(text)}</string>`),
    '    </stringTable>',
    '    <presentationTable>',
    ...presentations,
    '    </presentationTable>',
    '  </resources>',
    '</policyDefinitionResources>',
    '',
  ].join('\n');
}
