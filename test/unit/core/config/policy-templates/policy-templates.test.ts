import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import { DOMParser, type Document, type Element } from '@xmldom/xmldom';
import plist from 'plist';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../../../main/core/config/schema';
import { policyKeys } from '../../../../../main/core/config/policy-sources/policy-keys';
import { policyFromPlistValue } from '../../../../../main/core/config/policy-sources/macos-managed-preferences';
import {
  registryPolicyFromRegQuery,
  WALKUP_POLICY_KEY,
} from '../../../../../main/core/config/policy-sources/windows-registry';
import { admlTemplate, admxTemplate } from '../../../../../main/core/config/policy-templates/admx';
import {
  examplePolicyJson,
  examplePolicyJsonc,
  examplePolicyValue,
} from '../../../../../main/core/config/policy-templates/example-policy';
import {
  POLICY_TEMPLATE_FOLDER,
  policyTemplateFiles,
} from '../../../../../main/core/config/policy-templates/generate';
import { jamfManifest } from '../../../../../main/core/config/policy-templates/jamf-manifest';
import {
  mobileconfigValue,
  mobileconfigXml,
} from '../../../../../main/core/config/policy-templates/mobileconfig';
import { keyTexts, sectionTexts } from '../../../../../main/core/config/policy-templates/key-texts';
import { leaves, policyTree } from '../../../../../main/core/config/policy-templates/policy-tree';

const root = path.resolve(import.meta.dirname, '../../../../..');
const allKeys = policyKeys().map((key) => key.path);
const v4Keys = policyKeys()
  .filter((key) => key.sdk !== 'v2')
  .map((key) => key.path);

/** Parses XML, failing on any error or warning (well-formedness included). */
function xml(text: string): Document {
  return new DOMParser({
    onError: (level, message) => {
      throw new Error(`not well-formed XML (${level}): ${message}`);
    },
  }).parseFromString(text, 'text/xml');
}

/** The child elements of an element (xmldom has no `children`). */
function childElements(element: Element | undefined): Element[] {
  return [...(element?.childNodes ?? [])].filter((node): node is Element => node.nodeType === 1);
}

/** Leaf paths of a policy value; `{ file }` / `{ env }` references count as one key. */
function leafPaths(value: unknown, prefix: string[] = []): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [prefix.join('.')];
  const names = Object.keys(value);
  if (names.length === 1 && (names[0] === 'file' || names[0] === 'env')) return [prefix.join('.')];
  return Object.entries(value).flatMap(([name, child]) => leafPaths(child, [...prefix, name]));
}

function listFiles(folder: string, prefix = ''): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? listFiles(path.join(folder, entry.name), `${prefix}${entry.name}/`)
      : [`${prefix}${entry.name}`],
  );
}

describe('the committed templates', () => {
  it('are exactly what the generator makes from the schema today (npm run policy-templates)', () => {
    const folder = path.join(root, POLICY_TEMPLATE_FOLDER);
    const generated = policyTemplateFiles();
    expect(listFiles(folder).sort()).toEqual(generated.map((file) => file.path).sort());
    for (const file of generated) {
      // A Windows checkout with core.autocrlf may hold CRLF; the generator writes LF.
      expect(
        readFileSync(path.join(folder, file.path), 'utf8').replaceAll('\r\n', '\n'),
        `${file.path} is stale: run npm run policy-templates`,
      ).toBe(file.content);
    }
  });

  it('are what `npm run policy-templates --check` finds up to date (the script under plain Node ESM, via tsx)', () => {
    const tsx = path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs');
    const run = spawnSync(
      process.execPath,
      [tsx, path.join(root, 'scripts', 'policy-templates.ts'), '--check'],
      {
        cwd: root,
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    expect({ status: run.status, stdout: run.stdout, stderr: run.stderr }).toEqual({
      status: 0,
      stdout: '',
      stderr: '',
    });
  }, 60_000);

  it('have a title and description for every key and section, and none for keys the schema lacks', () => {
    expect(leaves(policyTree()).map((leaf) => leaf.key.path)).toEqual(allKeys);
  });

  it('fail to generate when a key or section has no text, or a text names a key the schema lacks', () => {
    const { 'kiosk.allowSecurityKeys': _dropped, ...fewerKeys } = keyTexts;
    expect(() => policyTree({ keys: fewerKeys, sections: sectionTexts })).toThrow(
      'policy templates: add key kiosk.allowSecurityKeys to main/core/config/policy-templates/key-texts.ts',
    );
    const { 'station.idle': _section, ...fewerSections } = sectionTexts;
    expect(() => policyTree({ keys: keyTexts, sections: fewerSections })).toThrow('add section station.idle');
    expect(() =>
      policyTree({
        keys: { ...keyTexts, 'kiosk.allowUsb': { title: 't', description: 'd' } },
        sections: sectionTexts,
      }),
    ).toThrow('names what the schema lacks: kiosk.allowUsb');
  });
});

describe('the templates cover every policy key', () => {
  it('ADMX: one policy per key, writing where the registry reader reads', () => {
    const policies = [...xml(admxTemplate()).getElementsByTagName('policy')];
    expect(policies).toHaveLength(allKeys.length);
    const names = policies.map((policy) => policy.getAttribute('name'));
    expect(names).toEqual(allKeys.map((key) => `Walkup_${key.replaceAll('.', '_')}`));
  });

  it('Jamf manifest: a property for every key, nested by section', () => {
    const manifest = jamfManifest() as { properties: Record<string, unknown> };
    const paths: string[] = [];
    const walk = (properties: Record<string, unknown>, prefix: string[]): void => {
      for (const [name, property] of Object.entries(properties) as [string, Record<string, unknown>][]) {
        const here = [...prefix, name];
        const isSection = property.type === 'object' && !allKeys.includes(here.join('.'));
        if (isSection) walk(property.properties as Record<string, unknown>, here);
        else paths.push(here.join('.'));
        expect(property.title, here.join('.')).toEqual(expect.any(String));
        expect(property.description, here.join('.')).toEqual(expect.any(String));
      }
    };
    walk(manifest.properties, []);
    expect(paths).toEqual(allKeys);
  });

  it('example policy: every key, set or commented out; every v4 key set', () => {
    const jsonc = examplePolicyJsonc();
    const uncommented = jsonc
      .split('\n')
      .map((line) => line.replace(/^(\s*)\/\/ (".*": .*,)$/, '$1$2'))
      .filter((line) => !line.trim().startsWith('//'))
      .join('\n');
    expect(leafPaths(JSON.parse(uncommented)).sort()).toEqual([...allKeys].sort());
    expect(leafPaths(examplePolicyValue()).sort()).toEqual(
      v4Keys.filter((key) => key !== 'duo.caFile').sort(),
    );
  });

  it('sample .mobileconfig: the example policy, every v4 key but the emulator CA', () => {
    const profile = plist.parse(mobileconfigXml()) as {
      PayloadContent: {
        PayloadContent: Record<string, { Forced: { mcx_preference_settings: unknown }[] }>;
      }[];
    };
    const settings =
      profile.PayloadContent[0]?.PayloadContent['edu.walkup.station']?.Forced[0]?.mcx_preference_settings;
    expect(leafPaths(settings).sort()).toEqual(v4Keys.filter((key) => key !== 'duo.caFile').sort());
  });
});

describe('each template carries a policy the readers and the schema accept', () => {
  it('the example JSON is valid configuration, and the JSONC without its comments is that JSON', () => {
    const value = JSON.parse(examplePolicyJson()) as Record<string, unknown>;
    expect(value).toEqual(examplePolicyValue());
    expect(parseConfig(value)).toMatchObject({ ok: true });
    const stripped = examplePolicyJsonc()
      .split('\n')
      .filter((line) => !line.trim().startsWith('//'))
      .join('\n');
    expect(JSON.parse(stripped)).toEqual(value);
  });

  it('the .mobileconfig is a Configuration profile with one managed preferences payload that the plist reader maps back', () => {
    const profile = plist.parse(mobileconfigXml()) as Record<string, unknown>;
    expect(profile).toEqual(JSON.parse(JSON.stringify(mobileconfigValue())));
    expect(profile).toMatchObject({
      PayloadType: 'Configuration',
      PayloadScope: 'System',
      PayloadIdentifier: 'edu.walkup.station.policy',
      PayloadUUID: expect.stringMatching(
        /^[0-9A-F]{8}-[0-9A-F]{4}-5[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$/,
      ),
      PayloadContent: [{ PayloadType: 'com.apple.ManagedClient.preferences', PayloadVersion: 1 }],
    });
    const settings = (
      profile.PayloadContent as Record<string, Record<string, { Forced: Record<string, unknown>[] }>>[]
    )[0]?.PayloadContent?.['edu.walkup.station']?.Forced[0]?.mcx_preference_settings;
    const read = policyFromPlistValue(settings, 'profile');
    expect(read).toEqual({ ok: true, value: examplePolicyValue() });
    expect(read.ok && parseConfig(read.value).ok).toBe(true);
  });

  it('what Group Policy writes from the ADMX, the registry reader reads back as the example policy', () => {
    const admx = xml(admxTemplate());
    const example = examplePolicyValue();
    const valueAt = (dotted: string): unknown =>
      dotted
        .split('.')
        .reduce<unknown>((node, name) => (node as Record<string, unknown> | undefined)?.[name], example);
    // Group the values Group Policy would write per registry key, as reg query /s prints them.
    const byKey = new Map<string, string[]>();
    const write = (key: string, line: string): void => {
      byKey.set(key, [...(byKey.get(key) ?? []), line]);
    };
    for (const policy of admx.getElementsByTagName('policy')) {
      const dotted = (policy.getAttribute('name') ?? '').replace(/^Walkup_/, '').replaceAll('_', '.');
      const value = valueAt(dotted);
      if (value === undefined) continue;
      const key = policy.getAttribute('key') ?? '';
      expect(key.startsWith('Software\\Policies\\Walkup')).toBe(true);
      const element = childElements(policy.getElementsByTagName('elements')[0])[0];
      if (!element) {
        // A boolean: enabledValue / disabledValue as REG_DWORD.
        const decimal = childElements(
          policy.getElementsByTagName(value ? 'enabledValue' : 'disabledValue')[0],
        )[0];
        write(
          key,
          `${policy.getAttribute('valueName')}    REG_DWORD    0x${Number(decimal?.getAttribute('value')).toString(16)}`,
        );
        continue;
      }
      const valueName = element.getAttribute('valueName') ?? '';
      const data =
        typeof value === 'object' && value !== null && !Array.isArray(value)
          ? (value as { file: string }).file
          : value;
      switch (element.tagName) {
        case 'decimal':
          expect(Number(element.getAttribute('maxValue'))).toBeLessThanOrEqual(4_294_967_295);
          write(key, `${valueName}    REG_DWORD    0x${Number(data).toString(16)}`);
          break;
        case 'longDecimal':
          write(key, `${valueName}    REG_QWORD    0x${Number(data).toString(16)}`);
          break;
        case 'multiText':
          write(key, `${valueName}    REG_MULTI_SZ    ${(data as string[]).join('\\0')}`);
          break;
        case 'enum': {
          const values = [...element.getElementsByTagName('string')].map((item) => item.textContent);
          expect(values).toContain(data);
          write(key, `${valueName}    REG_SZ    ${String(data)}`);
          break;
        }
        case 'text':
          write(key, `${valueName}    REG_SZ    ${String(data)}`);
          break;
        default:
          throw new Error(`unexpected ADMX element ${element.tagName}`);
      }
    }
    const output = [...byKey]
      .map(([key, lines]) =>
        [`HKEY_LOCAL_MACHINE\\${key}`, ...lines.map((line) => `    ${line}`), ''].join('\r\n'),
      )
      .join('\r\n');
    expect(output.startsWith(WALKUP_POLICY_KEY)).toBe(true);
    const read = registryPolicyFromRegQuery(`\r\n${output}\r\n`);
    expect(read).toEqual({ ok: true, value: example });
  });

  it('ADMX and ADML are well-formed, and every string, presentation and element they name exists', () => {
    const admx = xml(admxTemplate());
    const adml = xml(admlTemplate());
    const strings = new Set(
      [...adml.getElementsByTagName('string')].map((element) => element.getAttribute('id')),
    );
    const presentations = new Map(
      [...adml.getElementsByTagName('presentation')].map((element) => [element.getAttribute('id'), element]),
    );
    const categories = new Set(
      [...admx.getElementsByTagName('category')].map((element) => element.getAttribute('name')),
    );
    const text = admxTemplate();
    for (const [, id] of text.matchAll(/\$\(string\.([^)]+)\)/g))
      expect(strings.has(id ?? ''), id).toBe(true);
    for (const policy of admx.getElementsByTagName('policy')) {
      const name = policy.getAttribute('name') ?? '';
      expect(
        categories.has(policy.getElementsByTagName('parentCategory')[0]?.getAttribute('ref') ?? ''),
        name,
      ).toBe(true);
      const elements = childElements(policy.getElementsByTagName('elements')[0]);
      const presentationRef = policy.getAttribute('presentation');
      if (elements.length === 0) {
        expect(presentationRef, name).toBeNull();
        continue;
      }
      const presentation = presentations.get(
        /^\$\(presentation\.(.+)\)$/.exec(presentationRef ?? '')?.[1] ?? '',
      );
      expect(presentation, name).toBeDefined();
      const refIds = childElements(presentation)
        .filter((child) => child.tagName !== 'text')
        .map((child) => child.getAttribute('refId'));
      expect(refIds).toEqual(elements.map((element) => element.getAttribute('id')));
    }
    expect(new Set(strings).size).toBe(adml.getElementsByTagName('string').length);
  });

  it('the Jamf manifest is a JSON Schema that takes the example policy and a v2 policy, and refuses a secret value', () => {
    const validate = new Ajv({ strict: false, allErrors: true }).compile(jamfManifest());
    const example = examplePolicyValue();
    expect(validate(example), JSON.stringify(validate.errors)).toBe(true);
    const v2 = {
      ...example,
      duo: {
        sdk: 'v2',
        apiHost: 'api-1234abcd.duosecurity.com',
        ikey: 'DIXXXXXXXXXXXXXXXXXX',
        skey: { file: '/etc/walkup/duo-skey' },
        akey: { env: 'WALKUP_DUO_AKEY' },
      },
    };
    expect(validate(v2), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ duo: { clientSecret: 'a-secret-value' } })).toBe(false);
    expect(validate({ duo: { clientSecret: { file: '/a', env: 'B' } } })).toBe(false);
    expect(validate({ kiosk: { allowSecurityKeys: 'yes' } })).toBe(false);
    expect(validate({ directory: { type: 'novell' } })).toBe(false);
    expect(validate({ stations: {} })).toBe(false);
  });
});
