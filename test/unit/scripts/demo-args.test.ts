/** The demo's command line (scripts/demo-args.mjs): strict, and a misplaced option says where it belongs. */
import { describe, expect, it } from 'vitest';
import { parseDemoArgs } from '../../../scripts/demo-args.mjs';

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
});
