// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import i18next from 'eslint-plugin-i18next';
import globals from 'globals';

import walkup from './eslint/layers.js';

/**
 * Process boundaries (docs/architecture.md, "Folders and boundaries"), as allow-lists: each layer
 * names every folder and package it may import, and anything else is a lint error (the way VS
 * Code's layer rules work). The rule is local (eslint/layers.js says why) and
 * test/unit/lint/layers.test.ts proves that each line bites.
 *
 * `main/build-info.ts` is a leaf: it imports nothing and only reads the constants esbuild injects,
 * so every Node-side layer may read the version from it (the planned admin screen shows it).
 */
const layers = [
  {
    name: 'main/build-info',
    internal: ['main/build-info'],
    packages: [],
    node: false,
    why: 'build-info is a leaf every Node-side layer reads: it imports nothing.',
  },
  {
    name: 'main/contract',
    internal: ['main/contract'],
    packages: ['zod'],
    node: false,
    why: 'The contract is shared by the renderer, the preload and main: types, zod schemas and pure functions.',
  },
  {
    name: 'main/core',
    internal: ['main/core', 'main/contract', 'main/build-info'],
    // What the engine uses today: LDAP, JOSE (v4 id_token), Duo's Universal SDK, zod, and the
    // XML and binary plist parsers of the macOS managed-preferences reader (issue #11).
    packages: ['zod', 'ldapts', 'jose', '@duosecurity/duo_universal', 'plist', 'bplist-parser'],
    node: true,
    why: 'The engine runs in plain Node: take a port (main/core/ports.ts) instead of importing a shell.',
  },
  {
    name: 'main/electron',
    internal: ['main/electron', 'main/core', 'main/contract', 'main/build-info'],
    // pkijs: the private Duo CA chain check; electron-store: the local settings file.
    packages: ['electron', 'pkijs', 'electron-store'],
    node: true,
    why: 'The kiosk shell adapts the engine to Electron; portal and CLI code is not part of the kiosk.',
  },
  {
    name: 'main/portal',
    internal: ['main/portal', 'main/core', 'main/contract', 'main/build-info'],
    packages: ['fastify', '@fastify/*', 'zod'],
    node: true,
    why: 'Portal mode runs without Electron.',
  },
  {
    // main/cli/ and its entry point main/cli.ts (a path is compared without its extension).
    name: 'main/cli',
    internal: ['main/cli', 'main/core', 'main/contract', 'main/portal', 'main/build-info'],
    packages: [],
    node: true,
  },
  {
    // The Electron composition root.
    name: 'main/index',
    internal: ['main/electron', 'main/core', 'main/contract', 'main/build-info'],
    packages: ['electron'],
    node: true,
  },
  {
    name: 'main/preload',
    internal: ['main/preload', 'main/contract/channels'],
    // The contract's types cost nothing; its values would bundle zod into the sandboxed preload.
    typeOnly: ['main/contract'],
    packages: ['electron'],
    node: false,
    why: 'The sandboxed preload exposes exactly the contract and has no Node.',
  },
  {
    name: 'renderer',
    // assets/branding: the default logo (an image Vite bundles, no code).
    internal: ['renderer', 'main/contract', 'assets/branding'],
    // simple-keyboard: the sign-in screen's on-screen keyboard, loaded lazily (issue #12).
    packages: ['react', 'react-dom', 'i18next', 'react-i18next', 'zod', 'simple-keyboard'],
    node: false,
    why: 'The renderer sees main only through the contract (window.walkup or HTTP) and runs in a browser.',
  },
];

/**
 * Modules a `*-policy.ts` file may not load: policies decide, adapters act. Type imports are fine
 * (`import type { Session } from 'electron'`), and so are a few pure functions of I/O modules
 * (`pureNames`): node:net's address parsers, ldapts's filter escaping and its password-policy
 * error class. A policy that needs a connection takes it as a parameter.
 */
const ioModules = [
  'fs',
  'fs/promises',
  'net',
  'tls',
  'dgram',
  'dns',
  'dns/promises',
  'http',
  'https',
  'http2',
  'child_process',
  'worker_threads',
  'cluster',
  'electron',
  'electron-store',
  'ldapts',
];
const pureNames = {
  net: ['isIP', 'isIPv4', 'isIPv6'],
  ldapts: ['escapeFilter', 'PasswordPolicyError'],
};

const boundaries = [
  { plugins: { walkup } },
  {
    files: ['main/**/*.ts', 'renderer/**/*.{ts,tsx}'],
    // Build tooling, run by Node: not part of the renderer bundle.
    ignores: ['renderer/vite.config.ts'],
    rules: { 'walkup/layers': ['error', { layers }] },
  },
  {
    files: ['**/*-policy.ts'],
    ignores: ['test/**'],
    rules: {
      'walkup/pure-policy': ['error', { ioModules, pureNames }],
    },
  },
];

/**
 * No user-facing literal in the renderer's JSX: every word a person reads or hears comes from
 * renderer/i18n (en.ts and each translation). eslint-plugin-i18next's `no-literal-string`, in its
 * `jsx-text-only` mode, finds text children (`<p>Sign in</p>`); its `jsx-only` mode would also find
 * attributes but, without type-aware linting, flags every string argument inside JSX
 * (`go('duo')`), so the attributes people hear or read (aria-label, title, placeholder, alt, ...)
 * and a literal as a child (`<p>{'Sign in'}</p>`) are caught by `no-restricted-syntax` selectors.
 * A string with no letter (`⌫`, `·`) says nothing to translate. test/unit/lint/
 * no-literal-strings.test.ts proves each part bites and that the renderer passes.
 */
const textAttributes =
  '/^(aria-label|aria-description|aria-placeholder|aria-roledescription|aria-valuetext|title|placeholder|alt|label)$/';
const literalText = '[value=/\\p{L}/u]';
const noLiteralStrings = {
  files: ['renderer/**/*.tsx'],
  plugins: { i18next },
  rules: {
    'i18next/no-literal-string': [
      'error',
      {
        mode: 'jsx-text-only',
        message: 'Text in JSX comes from renderer/i18n (add a key to en.ts and every language)',
        // The plugin's defaults (numbers, punctuation, SNAKE_CASE, HTML entities) and any text
        // without a letter: a glyph such as ⌫ beside its translated label.
        words: { exclude: ['[0-9!-/:-@[-`{-~]+', '[A-Z_-]+', '[^A-Za-z\\u00C0-\\u024F]+'] },
      },
    ],
    'no-restricted-syntax': [
      'error',
      ...[
        `JSXAttribute[name.name=${textAttributes}] > Literal${literalText}`,
        `JSXAttribute[name.name=${textAttributes}] > JSXExpressionContainer > Literal${literalText}`,
        `JSXAttribute[name.name=${textAttributes}] > JSXExpressionContainer > TemplateLiteral`,
      ].map((selector) => ({
        selector,
        message:
          'An aria-label, title, placeholder, alt or label in JSX comes from renderer/i18n, not a literal',
      })),
      ...[
        `JSXElement > JSXExpressionContainer > Literal${literalText}`,
        `JSXFragment > JSXExpressionContainer > Literal${literalText}`,
        `JSXElement > JSXExpressionContainer > TemplateLiteral`,
        `JSXFragment > JSXExpressionContainer > TemplateLiteral`,
      ].map((selector) => ({
        selector,
        message: 'Text in JSX comes from renderer/i18n (add a key to en.ts and every language)',
      })),
    ],
  },
};

export default tseslint.config(
  { ignores: ['node_modules/', 'out/', 'dist/', 'coverage/', 'test-results/', 'playwright-report/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}', 'test/unit/renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  {
    // Command-line tools, scripts and test tooling print to the console on purpose.
    files: ['main/cli.ts', 'main/cli/**', 'scripts/**', 'test/**'],
    rules: { 'no-console': 'off' },
  },
  ...boundaries,
  noLiteralStrings,
);
