/**
 * The demo's command line (scripts/demo.mjs), parsed strictly: an unknown or misplaced option is
 * an error that says where it belongs, never silently ignored (issue #12: `npm run demo:portal --
 * --port N -- --v2` used to start v4).
 */
import { parseArgs } from 'node:util';
import { parsePortOption } from '../main/cli/args.ts';

export const DEMO_USAGE =
  'Usage: node scripts/demo.mjs <portal|electron> [--v2] [--port N] [--emulator-port N] ' +
  '[--browser PATH | --no-browser] [--verbose]\n' +
  '  (npm run demo -- <options>, npm run demo:portal -- <options>: every option after the one --;\n' +
  '   --port, --browser, --no-browser and --verbose are for portal mode only)';

const OPTIONS = {
  v2: { type: 'boolean', default: false },
  port: { type: 'string', default: '8787' },
  'emulator-port': { type: 'string', default: '0' },
  browser: { type: 'string' },
  'no-browser': { type: 'boolean', default: false },
  verbose: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
};

/**
 * Options only portal mode reads: the portal's port, the browser window it opens and its event
 * log. The Electron kiosk has no portal and opens its own window, so given to a kiosk that really
 * starts they are an error (electronOptionsError), never silently dropped.
 */
const PORTAL_ONLY = new Set(['port', 'browser', 'no-browser', 'verbose']);

/**
 * @typedef {{ mode: 'portal' | 'electron', v2: boolean, port: number, emulatorPort: number,
 *   browser: string | undefined, openBrowser: boolean, verbose: boolean, help: boolean,
 *   portalOnly: string[], optionArgs: string[] }} DemoOptions
 * `portalOnly`: the portal-only options given, as typed (`--port`, `--browser`, `--no-browser`,
 * `--verbose`), once each in the order given; `optionArgs`: every argument but the mode.
 */

/**
 * Parses the demo's arguments (without node and the script path). The first positional is the
 * mode, given by the npm script; anything after a `--` is refused, naming the arguments and where
 * they belong.
 * @param {string[]} args
 * @returns {{ ok: true, options: DemoOptions } | { ok: false, error: string }}
 */
export function parseDemoArgs(args) {
  let parsed;
  try {
    parsed = parseArgs({ args, options: OPTIONS, strict: true, allowPositionals: true, tokens: true });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // Node's own text for an unknown option suggests putting it after "--", which is refused here.
    const unknown = /^Unknown option '([^']+)'/.exec(message);
    return { ok: false, error: unknown ? `unknown option "${unknown[1]}"` : message };
  }
  const terminator = parsed.tokens.find((token) => token.kind === 'option-terminator');
  if (terminator) {
    const after = args.slice(terminator.index + 1);
    const before = args.slice(0, terminator.index);
    const script = before.includes('electron') ? 'demo' : 'demo:portal';
    const options = before.filter((arg) => arg !== 'portal' && arg !== 'electron');
    return {
      ok: false,
      error:
        `"${after.join(' ')}" comes after a second "--", where the demo would not read it. ` +
        `Give every option after the first "--" only, e.g. npm run ${script} -- ${[...options, ...after].join(' ')}`,
    };
  }
  const [mode = 'portal', ...extra] = parsed.positionals;
  if (mode !== 'portal' && mode !== 'electron') {
    return { ok: false, error: `unknown mode "${mode}": portal or electron` };
  }
  if (extra.length > 0) {
    return { ok: false, error: `unexpected argument "${extra.join(' ')}": options start with --` };
  }
  const values = parsed.values;
  const modeIndex = parsed.tokens.find((token) => token.kind === 'positional')?.index;
  const optionArgs = args.filter((_, index) => index !== modeIndex);
  const portalOnly = [
    ...new Set(
      parsed.tokens
        .filter((token) => token.kind === 'option' && PORTAL_ONLY.has(token.name))
        .map((token) => `--${token.name}`),
    ),
  ];
  const port = parsePortOption(values.port);
  if (port === undefined)
    return { ok: false, error: `--port must be an integer 0-65535, got "${values.port}"` };
  const emulatorPort = parsePortOption(values['emulator-port']);
  if (emulatorPort === undefined) {
    return {
      ok: false,
      error: `--emulator-port must be an integer 0-65535 (0: any free port), got "${values['emulator-port']}"`,
    };
  }
  if (values.browser !== undefined && values['no-browser']) {
    return { ok: false, error: '--browser and --no-browser exclude each other' };
  }
  if (values.browser === '') return { ok: false, error: '--browser needs the path of a browser program' };
  return {
    ok: true,
    options: {
      mode,
      v2: values.v2,
      port,
      emulatorPort,
      browser: values.browser,
      openBrowser: !values['no-browser'],
      verbose: values.verbose,
      help: values.help,
      portalOnly,
      optionArgs,
    },
  };
}

/**
 * The error for portal-only options given to the Electron kiosk, or undefined when there are none.
 * Call it only once the kiosk will really start: without an Electron binary the demo runs portal
 * mode, where these options apply.
 * @param {DemoOptions} options
 * @returns {string | undefined}
 */
export function electronOptionsError(options) {
  if (options.mode !== 'electron' || options.portalOnly.length === 0) return undefined;
  const names = options.portalOnly.join(', ');
  const verb = options.portalOnly.length === 1 ? 'is' : 'are';
  return (
    `${names} ${verb} for portal mode only: the Electron kiosk has no portal port, opens its own ` +
    `window and keeps no event log on the terminal. Run portal mode instead: ` +
    `npm run demo:portal -- ${options.optionArgs.join(' ')}`
  );
}
