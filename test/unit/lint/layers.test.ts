/**
 * The layer rules of eslint.config.js bite: each sample import that crosses a layer is an error
 * from `walkup/layers` or `walkup/pure-policy`, and an allowed import of each layer is not. The
 * samples go through ESLint's Node API with the project's own configuration, as `npx eslint`
 * would lint a file at that path.
 */
import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../../..');
const eslint = new ESLint({ cwd: root, overrideConfigFile: path.join(root, 'eslint.config.js') });

/** The layer-rule errors for `code` linted as if it were the file `file`. */
async function layerErrors(
  file: string,
  code: string,
): Promise<{ ruleId: string | null; message: string }[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return (result?.messages ?? [])
    .filter((message) => message.ruleId?.startsWith('walkup/') || message.fatal)
    .map(({ ruleId, message }) => ({ ruleId, message }));
}

/** A statement that uses what it imports, so no other rule (unused imports) has a say. */
const use = (name: string) => `\nexport const used = ${name};\n`;

describe('layer rules (walkup/layers)', () => {
  const violations: [string, string, string, RegExp][] = [
    [
      'core -> cli',
      'main/core/sample.ts',
      `import { runCli } from '../cli/run-cli';${use('runCli')}`,
      /main\/cli/,
    ],
    [
      'core -> the composition root',
      'main/core/sample.ts',
      `import * as root from '../index';${use('root')}`,
      /main\/index/,
    ],
    [
      'core -> electron, dynamically',
      'main/core/duo/sample.ts',
      `export const load = () => import('electron');`,
      /package electron/,
    ],
    [
      'core -> electron, through require',
      'main/core/sample.ts',
      `export const load = () => require('electron');`,
      /package electron/,
    ],
    [
      'core -> electron-store',
      'main/core/sample.ts',
      `import Store from 'electron-store';${use('Store')}`,
      /electron-store/,
    ],
    [
      'core -> fastify',
      'main/core/sample.ts',
      `import fastify from 'fastify';${use('fastify')}`,
      /package fastify/,
    ],
    [
      'core -> an adapter by a deep path',
      'main/core/audit/sample.ts',
      `import { startPortal } from '../../portal';${use('startPortal')}`,
      /main\/portal/,
    ],
    [
      'core -> the renderer',
      'main/core/sample.ts',
      `import type { Screen } from '../../renderer/app';\nexport type S = Screen;\n`,
      /renderer/,
    ],
    [
      'core re-exports the CLI',
      'main/core/sample.ts',
      `export { runCli } from '../cli/run-cli';\n`,
      /main\/cli/,
    ],
    [
      'core, a computed import()',
      'main/core/sample.ts',
      `export const load = (name: string) => import(name);`,
      /computed source/,
    ],
    [
      'electron -> portal',
      'main/electron/sample.ts',
      `import { startPortal } from '../portal';${use('startPortal')}`,
      /main\/portal/,
    ],
    [
      'electron -> cli',
      'main/electron/sample.ts',
      `import { runCli } from '../cli/run-cli';${use('runCli')}`,
      /main\/cli/,
    ],
    [
      'electron -> fastify',
      'main/electron/sample.ts',
      `import fastify from 'fastify';${use('fastify')}`,
      /package fastify/,
    ],
    [
      'portal -> electron',
      'main/portal/sample.ts',
      `import { app } from 'electron';${use('app')}`,
      /package electron/,
    ],
    [
      'portal -> the kiosk shell',
      'main/portal/sample.ts',
      `import { setupIpc } from '../electron/ipc';${use('setupIpc')}`,
      /main\/electron/,
    ],
    [
      'cli -> the kiosk shell',
      'main/cli/sample.ts',
      `import { setupIpc } from '../electron/ipc';${use('setupIpc')}`,
      /main\/electron/,
    ],
    [
      'contract -> core',
      'main/contract/sample.ts',
      `import { configSchema } from '../core/config/schema';${use('configSchema')}`,
      /main\/core/,
    ],
    [
      'contract -> node:crypto',
      'main/contract/sample.ts',
      `import { randomUUID } from 'node:crypto';${use('randomUUID')}`,
      /Node built-in/,
    ],
    [
      'contract -> a bare built-in',
      'main/contract/sample.ts',
      `import path from 'path';${use('path')}`,
      /Node built-in/,
    ],
    [
      'preload -> core',
      'main/preload/sample.ts',
      `import { systemClock } from '../core/ports';${use('systemClock')}`,
      /main\/core/,
    ],
    [
      'preload -> contract values (zod)',
      'main/preload/sample.ts',
      `import { signInRequestSchema } from '../contract';${use('signInRequestSchema')}`,
      /only with `import type`/,
    ],
    [
      'preload -> node:fs',
      'main/preload/sample.ts',
      `import { readFileSync } from 'node:fs';${use('readFileSync')}`,
      /Node built-in/,
    ],
    [
      'renderer -> ldapts',
      'renderer/sample.ts',
      `import { Client } from 'ldapts';${use('Client')}`,
      /package ldapts/,
    ],
    [
      'renderer -> node:fs',
      'renderer/screens/sample.tsx',
      `import { readFileSync } from 'node:fs';${use('readFileSync')}`,
      /Node built-in/,
    ],
    [
      'renderer -> core',
      'renderer/sample.ts',
      `import { configSchema } from '../main/core/config/schema';${use('configSchema')}`,
      /main\/core/,
    ],
    [
      'renderer -> electron',
      'renderer/sample.ts',
      `import { ipcRenderer } from 'electron';${use('ipcRenderer')}`,
      /package electron/,
    ],
    [
      'the Electron composition root -> portal',
      'main/index.ts',
      `import { startPortal } from './portal';${use('startPortal')}`,
      /main\/portal/,
    ],
    [
      'portal -> cli',
      'main/portal/sample.ts',
      `import { runCli } from '../cli/run-cli';${use('runCli')}`,
      /main\/cli/,
    ],
    [
      'contract -> a package other than zod',
      'main/contract/sample.ts',
      `import { decodeJwt } from 'jose';${use('decodeJwt')}`,
      /package jose/,
    ],
    [
      'build-info -> anything',
      'main/build-info.ts',
      `import { readFileSync } from 'node:fs';${use('readFileSync')}`,
      /Node built-in/,
    ],
  ];

  it.each(violations)('%s is an error', async (_name, file, code, mentions) => {
    const errors = await layerErrors(file, code);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.ruleId).toBe('walkup/layers');
    expect(errors[0]?.message).toMatch(mentions);
  });

  const allowed: [string, string, string][] = [
    [
      'contract -> zod and its own files',
      'main/contract/sample.ts',
      `import { z } from 'zod';\nimport { ipcChannels } from './channels';${use('[z, ipcChannels]')}`,
    ],
    [
      'core -> contract, its own files, Node and its libraries',
      'main/core/duo/sample.ts',
      `import { randomUUID } from 'node:crypto';\nimport { Client } from 'ldapts';\nimport * as jose from 'jose';\nimport { Client as Duo } from '@duosecurity/duo_universal';\nimport type { StationInfo } from '../../contract';\nimport type { Clock } from '../ports';\nimport { currentBuildInfo } from '../../build-info';${use('[randomUUID, Client, jose, Duo, currentBuildInfo]')}export type T = StationInfo | Clock;\n`,
    ],
    [
      'electron -> core, contract, electron, Node',
      'main/electron/sample.ts',
      `import { app } from 'electron';\nimport path from 'node:path';\nimport { buildStation } from '../core/station';\nimport { ipcChannels } from '../contract';\nimport { APP_ORIGIN } from './app-origin';${use('[app, path, buildStation, ipcChannels, APP_ORIGIN]')}`,
    ],
    [
      'portal -> core, contract, fastify, @fastify/*',
      'main/portal/sample.ts',
      `import fastify from 'fastify';\nimport cookie from '@fastify/cookie';\nimport { buildStation } from '../core/station';\nimport { ipcChannels } from '../contract';${use('[fastify, cookie, buildStation, ipcChannels]')}`,
    ],
    [
      'cli -> portal, core, its own files (also dynamically)',
      'main/cli/sample.ts',
      `import { startPortal } from '../portal';\nimport { buildStation } from '../core/station';\nexport const load = () => import('./serve');${use('[startPortal, buildStation]')}`,
    ],
    ['cli entry point -> cli', 'main/cli.ts', `import { runCli } from './cli/run-cli';${use('runCli')}`],
    [
      'composition root -> electron shell, core, electron',
      'main/index.ts',
      `import { app } from 'electron';\nimport { startKioskStation } from './electron/station';\nimport { systemClock } from './core/ports';${use('[app, startKioskStation, systemClock]')}`,
    ],
    [
      'preload -> electron, channel names, contract types',
      'main/preload/sample.ts',
      `import { contextBridge } from 'electron';\nimport { ipcChannels } from '../contract/channels';\nimport type { WalkupApi } from '../contract';${use('[contextBridge, ipcChannels]')}export type A = WalkupApi;\n`,
    ],
    [
      'renderer -> contract, react, i18n, zod',
      'renderer/screens/sample.tsx',
      `import { useState } from 'react';\nimport { createRoot } from 'react-dom/client';\nimport { useTranslation } from 'react-i18next';\nimport i18next from 'i18next';\nimport { z } from 'zod';\nimport { ipcChannels } from '../../main/contract/channels';\nexport const load = () => import('../i18n/de');${use('[useState, createRoot, useTranslation, i18next, z, ipcChannels]')}`,
    ],
  ];

  it.each(allowed)('%s is allowed', async (_name, file, code) => {
    expect(await layerErrors(file, code)).toEqual([]);
  });
});

describe('policy modules are pure (walkup/pure-policy)', () => {
  const violations: [string, string, string][] = [
    [
      'node:fs',
      'main/electron/sample-policy.ts',
      `import { readFileSync } from 'node:fs';${use('readFileSync')}`,
    ],
    [
      'fs/promises',
      'main/electron/sample-policy.ts',
      `import { readFile } from 'node:fs/promises';${use('readFile')}`,
    ],
    [
      'a bare built-in (child_process)',
      'main/electron/sample-policy.ts',
      `import { spawn } from 'child_process';${use('spawn')}`,
    ],
    ['https', 'main/core/directory/sample-policy.ts', `import https from 'node:https';${use('https')}`],
    ['node:tls', 'main/core/directory/sample-policy.ts', `import * as tls from 'node:tls';${use('tls')}`],
    [
      'an electron value',
      'main/electron/sample-policy.ts',
      `import { session } from 'electron';${use('session')}`,
    ],
    [
      'an inline type import (it still loads electron)',
      'main/electron/sample-policy.ts',
      `import { type Session } from 'electron';\nexport type S = Session;\n`,
    ],
    [
      'node:net beyond its pure parsers',
      'main/electron/sample-policy.ts',
      `import { connect } from 'node:net';${use('connect')}`,
    ],
    [
      'a dynamic import of node:fs',
      'main/electron/sample-policy.ts',
      `export const load = () => import('node:fs');`,
    ],
    [
      'an LDAP client',
      'main/core/directory/sample-policy.ts',
      `import { Client } from 'ldapts';${use('Client')}`,
    ],
  ];

  it.each(violations)('%s is an error', async (_name, file, code) => {
    const errors = await layerErrors(file, code);
    expect(errors.map((error) => error.ruleId)).toEqual(['walkup/pure-policy']);
  });

  it('type imports, the pure functions of I/O modules and pure modules are allowed', async () => {
    const code = `import type { Session } from 'electron';\nimport { isIP } from 'node:net';\nimport path from 'node:path';\nimport { ipcChannels } from '../contract/channels';${use('[isIP, path, ipcChannels]')}export type S = Session;\n`;
    expect(await layerErrors('main/electron/sample-policy.ts', code)).toEqual([]);
    const ldap = `import { escapeFilter, PasswordPolicyError, type Client } from 'ldapts';${use('[escapeFilter, PasswordPolicyError]')}export type C = Client;\n`;
    expect(await layerErrors('main/core/directory/sample-policy.ts', ldap)).toEqual([]);
  });

  it('the same imports outside a policy module are no policy error', async () => {
    const code = `import { readFileSync } from 'node:fs';\nimport { session } from 'electron';${use('[readFileSync, session]')}`;
    expect(await layerErrors('main/electron/sample.ts', code)).toEqual([]);
  });
});
