// The build information esbuild injects (`define`) into main, preload and CLI bundles, read by
// main/build-info.ts for `walkup --version` and the admin screen:
//   __WALKUP_VERSION__    package.json "version"
//   __WALKUP_COMMIT__     `git rev-parse --short=12 HEAD`, else $GITHUB_SHA (CI), else ''
//   __WALKUP_BUILD_DATE__ $SOURCE_DATE_EPOCH (reproducible-builds.org convention), else now (UTC)
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

/** The commit the tree at `root` is on (12 hex digits), or undefined outside a git checkout. */
function gitCommit(root) {
  const result = spawnSync('git', ['rev-parse', '--short=12', 'HEAD'], { cwd: root, encoding: 'utf8' });
  const commit = result.status === 0 ? result.stdout.trim() : '';
  return /^[0-9a-f]{12}$/.test(commit) ? commit : undefined;
}

/** When the build happened, as ISO 8601 UTC without milliseconds. Throws on a bad SOURCE_DATE_EPOCH. */
function buildDate(env, now) {
  const epoch = env.SOURCE_DATE_EPOCH;
  if (epoch !== undefined && epoch !== '') {
    if (!/^\d{1,12}$/.test(epoch)) throw new Error(`SOURCE_DATE_EPOCH must be whole seconds, got "${epoch}"`);
    return new Date(Number(epoch) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }
  return now.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * The `define` map for esbuild: identifier -> JSON source text.
 * @param {{ root: string, env?: NodeJS.ProcessEnv, now?: Date }} options
 * @returns {{ __WALKUP_VERSION__: string, __WALKUP_COMMIT__: string, __WALKUP_BUILD_DATE__: string }}
 */
export function buildInfoDefines({ root, env = process.env, now = new Date() }) {
  const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  const fromCi = /^[0-9a-f]{40}$/.test(env.GITHUB_SHA ?? '') ? env.GITHUB_SHA.slice(0, 12) : undefined;
  const commit = gitCommit(root) ?? fromCi ?? '';
  return {
    __WALKUP_VERSION__: JSON.stringify(String(version)),
    __WALKUP_COMMIT__: JSON.stringify(commit),
    __WALKUP_BUILD_DATE__: JSON.stringify(buildDate(env, now)),
  };
}
