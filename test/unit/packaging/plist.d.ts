/**
 * Minimal types for `plist` 3, which electron-builder's macOS signing depends on (and parses
 * Info.plist files with); `@types/plist` is not installed. Only what the packaging tests use.
 */
declare module 'plist' {
  export function parse(xml: string): unknown;
}
