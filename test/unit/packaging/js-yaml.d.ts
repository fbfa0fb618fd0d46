/**
 * Minimal types for js-yaml 4, which electron-builder depends on (and parses its own config
 * with); `@types/js-yaml` is not installed. Only what the packaging tests use.
 */
declare module 'js-yaml' {
  export function load(text: string, options?: { filename?: string }): unknown;
}
