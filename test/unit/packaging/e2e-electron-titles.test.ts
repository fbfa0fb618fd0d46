/**
 * The Electron suite cannot run here, but what it promises can be read: at least fifteen tests,
 * each title starting with the shell module it proves (`window-policy getMainWindowOptions: …`,
 * `main requestSingleInstanceLock: …`), and that module exists.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../../..');
const suiteDir = path.join(root, 'test', 'e2e-electron');

/** Every `test('…', …)` title in the suite's spec files, with its file. */
function testTitles(): { file: string; title: string }[] {
  const titles: { file: string; title: string }[] = [];
  for (const file of readdirSync(suiteDir).filter((name) => name.endsWith('.spec.ts'))) {
    const source = readFileSync(path.join(suiteDir, file), 'utf8');
    for (const match of source.matchAll(/\btest\(\s*(['"`])((?:\\.|(?!\1)[^\\])*)\1/g)) {
      titles.push({ file, title: match[2] ?? '' });
    }
  }
  return titles;
}

/** The source file a title's first word names. */
function moduleOf(title: string): string {
  const [word = ''] = title.split(/[\s:]/);
  return word === 'main' ? 'main/index.ts' : `main/electron/${word}.ts`;
}

describe('the Electron suite (test/e2e-electron)', () => {
  const titles = testTitles();

  it('has at least fifteen tests', () => {
    expect(titles.length).toBeGreaterThanOrEqual(15);
  });

  it.each(titles.map(({ file, title }) => [file, title] as const))(
    '%s: "%s" names the shell module it proves',
    (_file, title) => {
      expect(title).toMatch(/^[a-z-]+ [^:]*: \S/);
      expect(existsSync(path.join(root, moduleOf(title))), moduleOf(title)).toBe(true);
    },
  );
});
