// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

/**
 * Process boundaries (docs/architecture.md). Each layer lists what it must never import; a
 * crossing is a lint error, the way VS Code's layer rules work.
 */
const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'crypto', 'net', 'tls', 'child_process', 'http', 'https'];

const boundaries = [
  {
    // The contract is shared by renderer and main: types and zod schemas only.
    files: ['main/contract/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: nodeBuiltins, message: 'main/contract must not depend on Node.' },
            { group: ['electron', 'electron/*'], message: 'main/contract must not depend on Electron.' },
            { group: ['../*', '!../contract/*'], message: 'main/contract imports nothing else from main/.' },
          ],
        },
      ],
    },
  },
  {
    // The engine runs in plain Node so it can be tested without Electron.
    files: ['main/core/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['electron', 'electron/*', 'electron-store'],
              message:
                'main/core never imports electron: take a port (Cipher, SettingsStore, Clock, Logger) instead.',
            },
            {
              group: ['**/electron/**', '**/portal/**', '**/preload/**', '**/renderer/**'],
              message: 'main/core must not import adapters.',
            },
            {
              group: ['react', 'react-dom', 'fastify', '@fastify/*'],
              message: 'main/core has no UI or HTTP framework.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['main/portal/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['electron', 'electron/*', 'electron-store'],
              message: 'Portal mode runs without Electron.',
            },
            {
              group: ['**/electron/**', '**/preload/**', '**/renderer/**'],
              message: 'main/portal must not import other adapters.',
            },
          ],
        },
      ],
    },
  },
  {
    // The sandboxed preload may only use electron and the contract (bundled to one file).
    files: ['main/preload/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: nodeBuiltins, message: 'The sandboxed preload has no Node.' },
            {
              group: ['../*', '!../contract', '!../contract/*'],
              message: 'main/preload imports only electron and the contract.',
            },
          ],
        },
      ],
    },
  },
  {
    // The renderer sees main only through the contract.
    files: ['renderer/**'],
    ignores: ['renderer/vite.config.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: nodeBuiltins, message: 'The renderer has no Node.' },
            {
              group: ['electron', 'electron/*'],
              message: 'The renderer talks to main only through window.walkup.',
            },
            {
              group: ['**/main/*', '!**/main/contract', '!**/main/contract/*'],
              message: 'The renderer may import only main/contract.',
            },
          ],
        },
      ],
    },
  },
];

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
);
