/**
 * Command-line switches a packaged station refuses to start with. Fuses only turn off Node's
 * own inspector flags; Chromium still honours `--remote-debugging-port` and friends, which give
 * anyone who can add an argument to the kiosk's shortcut or service full control of every page
 * (the DevTools protocol), and a few switches turn security features off outright. Pure: the
 * adapter passes `process.argv` and `app.commandLine.hasSwitch`.
 */

/**
 * The refused switches, by why.
 * - DevTools protocol: remote-debugging-port, remote-debugging-pipe, remote-debugging-address,
 *   remote-debugging-io-pipes, remote-allow-origins, auto-open-devtools-for-tabs.
 * - Node inspector (also off by the `nodeCliInspect` fuse): inspect, inspect-brk, inspect-port,
 *   inspect-wait, inspect-publish-uid, debug, debug-brk, debug-port.
 * - Security off: no-sandbox, disable-web-security, ignore-certificate-errors,
 *   ignore-certificate-errors-spki-list, allow-insecure-localhost, disable-site-isolation-trials,
 *   js-flags, load-extension, user-data-dir (another profile: other partitions, other state).
 * - Traffic redirection: proxy-server, proxy-pac-url, host-rules, host-resolver-rules.
 */
export const DEBUGGING_SWITCHES: readonly string[] = [
  'remote-debugging-port',
  'remote-debugging-pipe',
  'remote-debugging-address',
  'remote-debugging-io-pipes',
  'remote-allow-origins',
  'auto-open-devtools-for-tabs',
  'inspect',
  'inspect-brk',
  'inspect-port',
  'inspect-wait',
  'inspect-publish-uid',
  'debug',
  'debug-brk',
  'debug-port',
];

/** Every refused switch: debugging ones, and those that turn security off or redirect traffic. */
export const REFUSED_SWITCHES: readonly string[] = [
  ...DEBUGGING_SWITCHES,
  'no-sandbox',
  'disable-web-security',
  'ignore-certificate-errors',
  'ignore-certificate-errors-spki-list',
  'allow-insecure-localhost',
  'disable-site-isolation-trials',
  'js-flags',
  'load-extension',
  'user-data-dir',
  'proxy-server',
  'proxy-pac-url',
  'host-rules',
  'host-resolver-rules',
];

/**
 * The switch names in `argv`, as Chromium's command-line parser reads them: `--name`, `-name`
 * (and `/name` on Windows), `=value` dropped, lower-cased (Windows is case-insensitive; lower
 * case everywhere is the stricter reading). Arguments after a bare `--` are not switches.
 */
export function switchNames(argv: readonly string[], platform: NodeJS.Platform): string[] {
  const names: string[] = [];
  for (const arg of argv) {
    if (arg === '--') break;
    const match = /^(?:--|-)([^=]+)/.exec(arg) ?? (platform === 'win32' ? /^\/([^=]+)/.exec(arg) : null);
    if (match?.[1]) names.push(match[1].toLowerCase());
  }
  return names;
}

export type StartupDecision = { ok: true } | { ok: false; refused: string[] };

/**
 * Decides whether the station may start. Development runs (`app.isPackaged` false) may use any
 * switch: Playwright's `_electron` and developers need the inspector. A packaged station with
 * any refused switch does not start; `refused` names them (names only, never values). A packaged
 * *test build* (marked `walkupTestBuild` in its packed package.json by scripts/packaging.mjs,
 * inside the integrity-checked asar, with the inspector fuse on) may take the debugging switches
 * Playwright attaches with, and nothing else.
 */
export function decideStartup(input: {
  argv: readonly string[];
  isPackaged: boolean;
  platform: NodeJS.Platform;
  /** The packed package.json says `walkupTestBuild: true`. */
  testBuild?: boolean;
  /** `app.commandLine.hasSwitch`: what Chromium itself parsed, in case a form slips the parser above. */
  hasSwitch?: (name: string) => boolean;
}): StartupDecision {
  if (!input.isPackaged) return { ok: true };
  const present = new Set(switchNames(input.argv, input.platform));
  const refusable = input.testBuild
    ? REFUSED_SWITCHES.filter((name) => !DEBUGGING_SWITCHES.includes(name))
    : REFUSED_SWITCHES;
  const refused = refusable.filter((name) => present.has(name) || input.hasSwitch?.(name) === true);
  return refused.length === 0 ? { ok: true } : { ok: false, refused };
}
