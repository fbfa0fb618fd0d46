/**
 * assets/macos/edu.walkup.kiosk.plist, the LaunchAgent docs/deploy.md installs on a kiosk Mac,
 * parsed with `plist` (the parser electron-builder's macOS signing uses). macOS's own
 * `plutil -lint` checks it on the macOS runner (.github/workflows/ci.yml).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { load } from 'js-yaml';
import { parse } from 'plist';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../../..');
const agentFile = path.join(root, 'assets', 'macos', 'edu.walkup.kiosk.plist');

describe('the macOS LaunchAgent', () => {
  it("starts the pkg's app at the kiosk account's GUI login and keeps it running", () => {
    const agent = parse(readFileSync(agentFile, 'utf8')) as Record<string, unknown>;
    const builder = load(readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as {
      productName: string;
      pkg: { installLocation: string };
    };
    const { productName } = builder;
    expect(agent).toEqual({
      Label: 'edu.walkup.kiosk',
      ProgramArguments: [`${builder.pkg.installLocation}/${productName}.app/Contents/MacOS/${productName}`],
      LimitLoadToSessionType: 'Aqua',
      RunAtLoad: true,
      KeepAlive: true,
      ThrottleInterval: 3,
      ProcessType: 'Interactive',
    });
  });

  it('is named after its label, as launchd expects', () => {
    const agent = parse(readFileSync(agentFile, 'utf8')) as { Label: string };
    expect(path.basename(agentFile)).toBe(`${agent.Label}.plist`);
  });

  it('the parse is real: a tag that is not plist is refused (plutil -lint on macOS is the strict check)', () => {
    const broken = readFileSync(agentFile, 'utf8').replace('<true/>', '<yes/>');
    expect(() => parse(broken)).toThrow('Invalid PLIST tag yes');
  });
});
