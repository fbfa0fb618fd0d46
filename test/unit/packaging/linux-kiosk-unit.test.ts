/**
 * assets/linux/walkup-kiosk.service, the cage kiosk unit docs/deploy.md installs, checked with
 * `systemd-analyze verify`. The check runs against a throwaway root (`--root`) holding this
 * machine's system units and stand-ins for /usr/bin/cage and /opt/Walkup/walkup, so it needs
 * neither cage nor the deb installed; warnings count as failures.
 */
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { load } from 'js-yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { skipUnlessServer } from '../../support/server-skip';

const root = path.resolve(import.meta.dirname, '../../..');
const unitFile = path.join(root, 'assets', 'linux', 'walkup-kiosk.service');
const unitText = readFileSync(unitFile, 'utf8');

const hasAnalyze = spawnSync('systemd-analyze', ['--version'], { encoding: 'utf8' }).status === 0;
const systemUnits = ['/usr/lib/systemd/system', '/lib/systemd/system'].find((dir) =>
  existsSync(path.join(dir, 'sysinit.target')),
);
/** Linux only: elsewhere (the Windows and macOS CI runners) there is no systemd to ask. */
function notLinux(): string | undefined {
  if (process.platform === 'linux') return undefined;
  const reason = `systemd-analyze exists on Linux only (this is ${process.platform})`;
  console.warn(`skipped: systemd unit check: ${reason}`);
  return reason;
}
const skipReason =
  notLinux() ??
  skipUnlessServer(
    'systemd unit check',
    !hasAnalyze
      ? 'systemd-analyze not found (Debian package systemd)'
      : systemUnits === undefined
        ? 'no system units (sysinit.target) to verify against'
        : undefined,
  );

const temps: string[] = [];
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

/** Runs `systemd-analyze verify` on `text` as /etc/systemd/system/walkup-kiosk.service in a fresh root. */
function verify(text: string): { status: number | null; output: string } {
  const fakeRoot = mkdtempSync(path.join(tmpdir(), 'walkup-unit-root-'));
  temps.push(fakeRoot);
  cpSync(systemUnits ?? '', path.join(fakeRoot, 'usr/lib/systemd/system'), { recursive: true });
  for (const executable of ['usr/bin/cage', 'opt/Walkup/walkup']) {
    mkdirSync(path.dirname(path.join(fakeRoot, executable)), { recursive: true });
    writeFileSync(path.join(fakeRoot, executable), '#!/bin/sh\n');
    chmodSync(path.join(fakeRoot, executable), 0o755);
  }
  mkdirSync(path.join(fakeRoot, 'etc/systemd/system'), { recursive: true });
  writeFileSync(path.join(fakeRoot, 'etc/systemd/system/walkup-kiosk.service'), text);
  const run = spawnSync(
    'systemd-analyze',
    ['verify', '--man=no', `--root=${fakeRoot}`, '/etc/systemd/system/walkup-kiosk.service'],
    { encoding: 'utf8' },
  );
  return { status: run.status, output: `${run.stdout}${run.stderr}`.trim() };
}

/** `Key=value` lines of the unit, last one wins (as systemd reads single-valued keys). */
function directives(text: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = /^([A-Za-z]+)=(.*)$/.exec(line.trim());
    if (match) found.set(match[1] ?? '', match[2] ?? '');
  }
  return found;
}

describe('the Linux kiosk unit', () => {
  it("starts the deb's executable in cage as the kiosk account, always restarts, and never gives up", () => {
    const unit = directives(unitText);
    const builder = load(readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as {
      productName: string;
      linux: { executableName: string };
    };
    expect(unit.get('ExecStart')).toBe(
      `/usr/bin/cage -d -- /opt/${builder.productName}/${builder.linux.executableName} --ozone-platform=wayland`,
    );
    expect(unit.get('User')).toBe('walkup-kiosk');
    expect(unit.get('Restart')).toBe('always');
    expect(unit.get('StartLimitIntervalSec')).toBe('0');
    expect(unit.get('Conflicts')).toBe('getty@tty1.service');
    expect(unit.get('WantedBy')).toBe('graphical.target');
  });

  it.skipIf(skipReason !== undefined)('passes systemd-analyze verify with no warning', () => {
    expect(verify(unitText)).toEqual({ status: 0, output: '' });
  });

  it.skipIf(skipReason !== undefined)(
    'the verify step is real: a bad value and a missing executable are reported',
    () => {
      const badValue = verify(unitText.replace('Restart=always', 'Restart=alwayz'));
      expect(badValue.output).toContain('Failed to parse service restart specifier');
      const missing = verify(unitText.replace('/usr/bin/cage', '/usr/bin/no-such-compositor'));
      expect(missing.status).not.toBe(0);
      expect(missing.output).toContain('/usr/bin/no-such-compositor');
    },
  );
});
