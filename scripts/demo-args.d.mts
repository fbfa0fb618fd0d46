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
}
export function parseDemoArgs(
  args: string[],
): { ok: true; options: DemoOptions } | { ok: false; error: string };
