/**
 * Minimal types for js-yaml 4 (a devDependency; electron-builder parses its own config with it
 * too); `@types/js-yaml` is not installed. Only what the packaging tests use.
 */
declare module 'js-yaml' {
  export function load(text: string, options?: { filename?: string }): unknown;
}
