/**
 * Minimal types for `plist` 3 (a devDependency; electron-builder's macOS signing parses Info.plist
 * files with it too); `@types/plist` is not installed. Only what the packaging tests use.
 */
declare module 'plist' {
  export function parse(xml: string): unknown;
}
