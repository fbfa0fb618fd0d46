/**
 * docs/deploy.md says what it can prove: every JSON policy in it passes `walkup check-config`
 * (the real command, in process), and the managed policy locations it lists are the ones the
 * kiosk reads (main/electron/config-policy.ts).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../../main/cli/io';
import { runCli } from '../../../main/cli/run-cli';
import { managedPolicyPath } from '../../../main/electron/config-policy';

const root = path.resolve(import.meta.dirname, '../../..');
const guide = readFileSync(path.join(root, 'docs', 'deploy.md'), 'utf8');
const temp = mkdtempSync(path.join(tmpdir(), 'walkup-deploy-guide-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

/** The fenced blocks of one language, with the line each starts on. */
function fencedBlocks(markdown: string, language: string): { line: number; text: string }[] {
  const blocks: { line: number; text: string }[] = [];
  const lines = markdown.split('\n');
  for (let index = 0; index < lines.length; index += 1) {
    if (lines[index]?.trim() !== `\`\`\`${language}`) continue;
    const start = index + 1;
    let end = start;
    while (end < lines.length && lines[end]?.trim() !== '```') end += 1;
    blocks.push({ line: start + 1, text: lines.slice(start, end).join('\n') });
    index = end;
  }
  return blocks;
}

async function checkConfig(file: string): Promise<{ code: number; out: string[] }> {
  const out: string[] = [];
  const io: CliIo = {
    out: (line) => out.push(line),
    err: (line) => out.push(line),
    env: {},
    cwd: temp,
    stdin: new PassThrough(),
    waitForStop: () => new Promise(() => undefined),
  };
  // --skip-secrets: the secret files and variables exist on the kiosks, not here (as in the guide).
  const code = await runCli(['check-config', '--config', file, '--skip-secrets'], io);
  return { code, out };
}

const policies = fencedBlocks(guide, 'json');

describe('docs/deploy.md', () => {
  it('has a policy example for Active Directory and one for OpenLDAP', () => {
    const types = policies.map(
      (block) => (JSON.parse(block.text) as { directory: { type: string } }).directory.type,
    );
    expect(types).toEqual(['ad', 'openldap']);
  });

  it.each(policies.map((block) => [block.line, block.text] as const))(
    'the policy at line %i passes walkup check-config',
    async (line, text) => {
      const file = path.join(temp, `policy-line-${line}.json`);
      writeFileSync(file, text);
      const result = await checkConfig(file);
      expect(result.out).toEqual([
        expect.stringMatching(/: valid \(directory (ad|openldap), Duo Web SDK v4 at /),
      ]);
      expect(result.code).toBe(0);
    },
  );

  it('the check would catch a broken example (a misspelt key is named)', async () => {
    const [first] = policies;
    const broken = (first?.text ?? '').replace('"baseDN"', '"baseDn"');
    const file = path.join(temp, 'broken.json');
    writeFileSync(file, broken);
    const result = await checkConfig(file);
    expect(result.code).toBe(2);
    expect(result.out.join('\n')).toContain('baseDn');
  });

  it('lists the managed policy file the kiosk reads on each OS', () => {
    expect(guide).toContain(`\`${managedPolicyPath('darwin', {})}\``);
    expect(guide).toContain(`\`${managedPolicyPath('linux', {})}\``);
    expect(managedPolicyPath('win32', { ProgramData: 'C:\\ProgramData' })).toBe(
      'C:\\ProgramData\\Walkup\\policy.json',
    );
    expect(guide).toContain('`C:\\ProgramData\\Walkup\\policy.json`');
  });

  it('names the shipped unit file, the MDM-native policy sources the kiosk reads, and what is planned', () => {
    expect(guide).toContain('assets/linux/walkup-kiosk.service');
    expect(guide).toContain('HKLM\\Software\\Policies\\Walkup');
    expect(guide).toMatch(/macOS managed preferences/);
    expect(guide).toContain('issue #11');
  });
});
