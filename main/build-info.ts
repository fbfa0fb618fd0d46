/**
 * What this build of Walkup is: the package version and the build it came from, for
 * `walkup --version` and the admin screen (planned, issue #11). scripts/build-main.mjs injects
 * both with esbuild `define` (scripts/build-info.mjs); a run from source (tsx) has no build, and
 * says so instead of guessing.
 */

// Replaced by esbuild at build time; absent (so `typeof` is 'undefined') in a run from source.
declare const __WALKUP_VERSION__: string | undefined;
declare const __WALKUP_COMMIT__: string | undefined;
declare const __WALKUP_BUILD_DATE__: string | undefined;

/** The version and build, as `walkup --version` prints them. */
export interface BuildInfo {
  /** The package version (semver), e.g. `0.1.0`. */
  version: string;
  /** The git commit the build was made from (12 hex digits), or undefined when not known. */
  commit: string | undefined;
  /** When the build was made (ISO 8601, UTC; `SOURCE_DATE_EPOCH` when set), or undefined. */
  builtAt: string | undefined;
  /** False in a run from source: then `commit` and `builtAt` are undefined. */
  isBuild: boolean;
}

/**
 * The injected build information. From source, the version comes from npm's
 * `npm_package_version` (set by `npm run`), else `unknown`.
 */
export function currentBuildInfo(env: Readonly<Record<string, string | undefined>> = process.env): BuildInfo {
  const version = typeof __WALKUP_VERSION__ === 'string' ? __WALKUP_VERSION__ : undefined;
  if (version === undefined) {
    return {
      version: env.npm_package_version ?? 'unknown',
      commit: undefined,
      builtAt: undefined,
      isBuild: false,
    };
  }
  return {
    version,
    commit: typeof __WALKUP_COMMIT__ === 'string' && __WALKUP_COMMIT__ !== '' ? __WALKUP_COMMIT__ : undefined,
    builtAt:
      typeof __WALKUP_BUILD_DATE__ === 'string' && __WALKUP_BUILD_DATE__ !== ''
        ? __WALKUP_BUILD_DATE__
        : undefined,
    isBuild: true,
  };
}

/** One line: `walkup 0.1.0 (commit 0123456789ab, built 2026-12-03T07:50:00Z)`. */
export function formatVersionLine(info: BuildInfo): string {
  if (!info.isBuild) return `walkup ${info.version} (run from source: no build information)`;
  const parts = [`commit ${info.commit ?? 'unknown'}`, `built ${info.builtAt ?? 'unknown'}`];
  return `walkup ${info.version} (${parts.join(', ')})`;
}
