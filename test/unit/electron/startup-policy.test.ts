import { describe, expect, it } from 'vitest';
import { decideStartup, REFUSED_SWITCHES, switchNames } from '../../../main/electron/startup-policy';

const packaged = { isPackaged: true, platform: 'linux' as const };

describe('switchNames', () => {
  it('reads --name, -name and --name=value the way Chromium does, lower-cased', () => {
    expect(
      switchNames(['/opt/walkup/walkup', '--remote-debugging-port=9222', '-Inspect', '--kiosk'], 'linux'),
    ).toEqual(['remote-debugging-port', 'inspect', 'kiosk']);
  });
  it('reads /name only on Windows', () => {
    expect(switchNames(['/remote-debugging-port=9222'], 'win32')).toEqual(['remote-debugging-port']);
    expect(switchNames(['/remote-debugging-port=9222'], 'linux')).toEqual([]);
  });
  it('stops at a bare --', () => {
    expect(switchNames(['--', '--remote-debugging-port=1'], 'linux')).toEqual([]);
  });
});

describe('decideStartup', () => {
  it.each([
    '--remote-debugging-port=9222',
    '--remote-debugging-pipe',
    '--inspect=0',
    '--inspect-brk',
    '--js-flags=--x',
    '--no-sandbox',
  ])('a packaged station refuses to start with %s', (arg) => {
    const decision = decideStartup({ ...packaged, argv: ['/opt/walkup/walkup', arg] });
    expect(decision.ok).toBe(false);
  });
  it('names the refused switches, never their values', () => {
    const decision = decideStartup({
      ...packaged,
      argv: ['walkup', '--remote-debugging-port=9222', '--user-data-dir=/tmp/secret-place'],
    });
    expect(decision).toEqual({ ok: false, refused: ['remote-debugging-port', 'user-data-dir'] });
    expect(JSON.stringify(decision)).not.toContain('9222');
    expect(JSON.stringify(decision)).not.toContain('secret-place');
  });
  it("also refuses what Chromium's own parser saw", () => {
    const decision = decideStartup({
      ...packaged,
      argv: ['walkup'],
      hasSwitch: (name) => name === 'remote-debugging-port',
    });
    expect(decision).toEqual({ ok: false, refused: ['remote-debugging-port'] });
  });
  it('starts a packaged station with ordinary arguments', () => {
    expect(
      decideStartup({ ...packaged, argv: ['walkup', '--kiosk', 'file.txt'], hasSwitch: () => false }),
    ).toEqual({
      ok: true,
    });
  });
  it('lets a development run use any switch (Playwright needs the inspector)', () => {
    const argv = ['electron', '.', ...REFUSED_SWITCHES.map((name) => `--${name}`)];
    expect(decideStartup({ argv, isPackaged: false, platform: 'linux' })).toEqual({ ok: true });
  });
  it('lets a packaged test build take the debugging switches Playwright attaches with, nothing else', () => {
    const playwright = ['walkup', '--inspect=0', '--remote-debugging-port=0'];
    expect(decideStartup({ ...packaged, testBuild: true, argv: playwright })).toEqual({ ok: true });
    expect(decideStartup({ ...packaged, testBuild: true, argv: [...playwright, '--no-sandbox'] })).toEqual({
      ok: false,
      refused: ['no-sandbox'],
    });
    expect(decideStartup({ ...packaged, testBuild: false, argv: playwright }).ok).toBe(false);
  });
});
