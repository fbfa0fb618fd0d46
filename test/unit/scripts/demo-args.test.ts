/** The demo's command line (scripts/demo-args.mjs): strict, and a misplaced option says where it belongs. */
import { describe, expect, it } from 'vitest';
import { electronOptionsError, parseDemoArgs } from '../../../scripts/demo-args.mjs';

describe('parseDemoArgs', () => {
  it('reads the mode and every option, with the defaults', () => {
    expect(parseDemoArgs(['portal'])).toEqual({
      ok: true,
      options: {
        mode: 'portal',
        v2: false,
        port: 8787,
        emulatorPort: 0,
        browser: undefined,
        openBrowser: true,
        verbose: false,
        help: false,
        portalOnly: [],
        optionArgs: [],
      },
    });
    const all = parseDemoArgs([
      'electron',
      '--v2',
      '--port',
      '0',
      '--emulator-port',
      '8443',
      '--no-browser',
      '--verbose',
    ]);
    expect(all).toMatchObject({
      ok: true,
      options: { mode: 'electron', v2: true, port: 0, emulatorPort: 8443, openBrowser: false, verbose: true },
    });
    expect(parseDemoArgs(['portal', '--browser', '/usr/bin/chromium'])).toMatchObject({
      ok: true,
      options: { browser: '/usr/bin/chromium', openBrowser: true },
    });
  });

  it('refuses options after a second "--" and shows the command with them in place', () => {
    const result = parseDemoArgs(['portal', '--port', '8788', '--', '--v2']);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toContain('"--v2" comes after a second "--"');
    expect(result.error).toContain('npm run demo:portal -- --port 8788 --v2');
    const electron = parseDemoArgs(['electron', '--', '--v2']);
    expect(!electron.ok && electron.error).toContain('npm run demo -- --v2');
  });

  it.each([
    [['portal', '--bogus'], 'unknown option "--bogus"'],
    [['portal', '--port'], "'--port <value>' argument missing"],
    [['portal', 'extra'], 'unexpected argument "extra"'],
    [['kiosk'], 'unknown mode "kiosk"'],
    [['portal', '--port', '65536'], '--port must be an integer 0-65535, got "65536"'],
    [['portal', '--port', '0x10'], '--port must be an integer 0-65535, got "0x10"'],
    [
      ['portal', '--emulator-port', ''],
      '--emulator-port must be an integer 0-65535 (0: any free port), got ""',
    ],
    [['portal', '--emulator-port', '-1'], "'--emulator-port' argument is ambiguous"],
    [
      ['portal', '--emulator-port', '1e3'],
      '--emulator-port must be an integer 0-65535 (0: any free port), got "1e3"',
    ],
    [['portal', '--browser', 'x', '--no-browser'], '--browser and --no-browser exclude each other'],
    [['portal', '--browser='], '--browser needs the path of a browser program'],
  ])('refuses %j: %s', (args, message) => {
    const result = parseDemoArgs(args);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toContain(message);
  });

  it('lists the portal-only options given, once each, and every argument but the mode', () => {
    const result = parseDemoArgs(['electron', '--v2', '--port=8788', '--no-browser', '--port', '0']);
    expect(result).toMatchObject({
      ok: true,
      options: {
        portalOnly: ['--port', '--no-browser'],
        optionArgs: ['--v2', '--port=8788', '--no-browser', '--port', '0'],
      },
    });
    // A value that reads like the mode is still the option's value.
    expect(parseDemoArgs(['portal', '--browser', 'portal'])).toMatchObject({
      ok: true,
      options: { mode: 'portal', portalOnly: ['--browser'], optionArgs: ['--browser', 'portal'] },
    });
  });
});

describe('electronOptionsError', () => {
  const options = (args: string[]) => {
    const result = parseDemoArgs(args);
    if (!result.ok) throw new Error(result.error);
    return result.options;
  };

  it.each([
    [['electron', '--port', '8788'], '--port is for portal mode only', 'npm run demo:portal -- --port 8788'],
    [
      ['electron', '--no-browser'],
      '--no-browser is for portal mode only',
      'npm run demo:portal -- --no-browser',
    ],
    [
      ['electron', '--v2', '--browser', '/usr/bin/chromium'],
      '--browser is for portal mode only',
      'npm run demo:portal -- --v2 --browser /usr/bin/chromium',
    ],
    [['electron', '--verbose'], '--verbose is for portal mode only', 'npm run demo:portal -- --verbose'],
    [
      ['electron', '--port', '0', '--no-browser', '--emulator-port', '8443'],
      '--port, --no-browser are for portal mode only',
      'npm run demo:portal -- --port 0 --no-browser --emulator-port 8443',
    ],
  ])('refuses %j for the kiosk, saying where they belong', (args, names, command) => {
    const error = electronOptionsError(options(args));
    expect(error).toContain(names);
    expect(error).toContain('the Electron kiosk has no portal port');
    expect(error).toContain(command);
  });

  it('has nothing against the kiosk options, nor against any option in portal mode', () => {
    expect(electronOptionsError(options(['electron']))).toBeUndefined();
    expect(electronOptionsError(options(['electron', '--v2', '--emulator-port', '8443']))).toBeUndefined();
    expect(
      electronOptionsError(options(['portal', '--port', '0', '--no-browser', '--verbose'])),
    ).toBeUndefined();
  });
});
