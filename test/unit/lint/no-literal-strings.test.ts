/**
 * The renderer's JSX holds no user-facing literal: the lint rules of eslint.config.js
 * (eslint-plugin-i18next's no-literal-string for text children, no-restricted-syntax for literal
 * children and the attributes people read or hear) bite on each kind of literal, leave code-only
 * strings alone, and find nothing in the renderer as it is. Linted through ESLint's Node API with
 * the project's own configuration, as `npx eslint` would.
 */
import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../../..');
const ruleIds = new Set(['i18next/no-literal-string', 'no-restricted-syntax']);
// Only the rules under test run (the rest of the configuration is npm run lint's business).
const eslint = new ESLint({
  cwd: root,
  overrideConfigFile: path.join(root, 'eslint.config.js'),
  ruleFilter: ({ ruleId }) => ruleIds.has(ruleId),
});

/** The literal-string errors (line numbers) of `jsx` linted as a renderer component file. */
async function literalErrors(jsx: string, file = 'renderer/screens/sample.tsx'): Promise<number[]> {
  const code = `export function Sample({ n, label }: { n: number; label: string }) {\n  return (\n${jsx}\n  );\n}\n`;
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  const messages = result?.messages ?? [];
  expect(messages.filter((message) => message.fatal)).toEqual([]);
  return messages.filter((message) => ruleIds.has(message.ruleId ?? '')).map((message) => message.line);
}

describe('no literal user-facing strings in renderer JSX', () => {
  it.each([
    ['a text child', '<p>Sign in</p>'],
    ['accented text', '<p>Étape suivante</p>'],
    ['text in a fragment', '<>Done {n}</>'],
    ['a string literal child', "<p>{'Sign in'}</p>"],
    ['a template literal child', '<p>{`Step ${n}`}</p>'],
    ['an aria-label', '<button aria-label="Close">{label}</button>'],
    ['an aria-label in braces', "<button aria-label={'Close'}>{label}</button>"],
    ['a title', '<span title="More">{label}</span>'],
    ['a placeholder', '<input placeholder="Name" aria-label={label} />'],
    ['an alt text', '<img alt="Logo" src="/logo.svg" />'],
    ['a template literal title', '<span title={`Step ${n}`}>{label}</span>'],
    ['a label prop of a component', '<Field label="Username" />'],
  ])('reports %s', async (_name, jsx) => {
    expect(await literalErrors(`    ${jsx}`)).toEqual([3]);
  });

  it('leaves translated text and code-only strings alone', async () => {
    const jsx = [
      '    <div className="screen wide" role="status" aria-live="polite" id="x">',
      '      <p>{label}</p>',
      '      <span aria-hidden="true">⌫</span>',
      '      <p>{n}:</p>',
      '      <input type="password" autoComplete="current-password" aria-label={label} />',
      "      <Screen reason=\"unavailable\" kind={n > 1 ? 'visit' : 'form'} />",
      '    </div>',
    ].join('\n');
    expect(await literalErrors(jsx)).toEqual([]);
  });

  it('applies to renderer components only, not tests or main', async () => {
    expect(await literalErrors('    <p>Sign in</p>', 'test/unit/renderer/sample.test.tsx')).toEqual([]);
  });

  // Lints every renderer component: slower than one sample on a busy machine.
  it('finds no literal in the renderer as it is', { timeout: 60_000 }, async () => {
    const results = await eslint.lintFiles(['renderer/**/*.tsx']);
    const found = results.flatMap((result) =>
      result.messages
        .filter((message) => ruleIds.has(message.ruleId ?? ''))
        .map((message) => `${path.relative(root, result.filePath)}:${message.line}: ${message.message}`),
    );
    expect(found).toEqual([]);
  });
});
