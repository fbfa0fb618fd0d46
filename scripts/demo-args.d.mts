/** See scripts/demo-args.mjs. */
export const DEMO_USAGE: string;
export interface DemoOptions {
  mode: 'portal' | 'electron';
  v2: boolean;
  port: number;
  emulatorPort: number;
  browser: string | undefined;
  openBrowser: boolean;
  verbose: boolean;
  help: boolean;
  /** The portal-only options given (`--port`, `--browser`, `--no-browser`, `--verbose`), once each. */
  portalOnly: string[];
  /** Every argument but the mode, as given. */
  optionArgs: string[];
}
export function parseDemoArgs(
  args: string[],
): { ok: true; options: DemoOptions } | { ok: false; error: string };
export function electronOptionsError(options: DemoOptions): string | undefined;
