import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  choosePolicyFile,
  managedPolicyPath,
  parsePolicyArgument,
} from '../../../main/electron/config-policy';

describe('managedPolicyPath', () => {
  it('uses %ProgramData%\\Walkup\\policy.json on Windows', () => {
    expect(managedPolicyPath('win32', { ProgramData: 'D:\\ProgramData' })).toBe(
      'D:\\ProgramData\\Walkup\\policy.json',
    );
    expect(managedPolicyPath('win32', {})).toBe('C:\\ProgramData\\Walkup\\policy.json');
  });
  it('uses /Library/Application Support/Walkup/policy.json on macOS', () => {
    expect(managedPolicyPath('darwin', {})).toBe('/Library/Application Support/Walkup/policy.json');
  });
  it('uses /etc/walkup/policy.json on Linux', () => {
    expect(managedPolicyPath('linux', {})).toBe('/etc/walkup/policy.json');
  });
});

describe('parsePolicyArgument', () => {
  it('reads --policy <file> and --policy=<file>', () => {
    expect(parsePolicyArgument(['electron', '.', '--policy', 'demo.json'])).toEqual({
      kind: 'file',
      path: 'demo.json',
    });
    expect(parsePolicyArgument(['--policy=demo.json'])).toEqual({ kind: 'file', path: 'demo.json' });
  });
  it('is absent when not given', () => {
    expect(parsePolicyArgument(['electron', '.'])).toEqual({ kind: 'none' });
  });
  it('refuses a missing value or a repeated argument', () => {
    expect(parsePolicyArgument(['--policy'])).toEqual({ kind: 'invalid', reason: 'missing-value' });
    expect(parsePolicyArgument(['--policy', '--windowed'])).toEqual({
      kind: 'invalid',
      reason: 'missing-value',
    });
    expect(parsePolicyArgument(['--policy='])).toEqual({ kind: 'invalid', reason: 'missing-value' });
    expect(parsePolicyArgument(['--policy', 'a.json', '--policy=b.json'])).toEqual({
      kind: 'invalid',
      reason: 'repeated',
    });
  });
});

describe('choosePolicyFile', () => {
  const managedPath = '/etc/walkup/policy.json';
  it('reads the managed policy on a packaged station and ignores --policy', () => {
    expect(
      choosePolicyFile({
        argument: { kind: 'file', path: 'x.json' },
        managedPath,
        managedExists: true,
        isPackaged: true,
      }),
    ).toEqual({ ok: true, path: managedPath, source: 'managed', ignoredArgument: true });
  });
  it('ignores --policy on a packaged station even when no managed policy exists', () => {
    expect(
      choosePolicyFile({
        argument: { kind: 'file', path: '/d.json' },
        managedPath,
        managedExists: false,
        isPackaged: true,
      }),
    ).toEqual({ ok: true, path: undefined, source: 'none', ignoredArgument: true });
    // A malformed one is ignored too, rather than taking the station out of service.
    expect(
      choosePolicyFile({
        argument: { kind: 'invalid', reason: 'repeated' },
        managedPath,
        managedExists: true,
        isPackaged: true,
      }),
    ).toEqual({ ok: true, path: managedPath, source: 'managed', ignoredArgument: true });
  });
  it('lets --policy win in development', () => {
    expect(
      choosePolicyFile({
        argument: { kind: 'file', path: 'x.json' },
        managedPath,
        managedExists: true,
        isPackaged: false,
      }),
    ).toEqual({ ok: true, path: path.resolve('x.json'), source: 'argument', ignoredArgument: false });
  });
  it('reads the managed policy in development when no --policy is given', () => {
    expect(
      choosePolicyFile({ argument: { kind: 'none' }, managedPath, managedExists: true, isPackaged: false }),
    ).toEqual({ ok: true, path: managedPath, source: 'managed', ignoredArgument: false });
  });
  it('runs on local settings alone when there is no policy at all', () => {
    expect(
      choosePolicyFile({ argument: { kind: 'none' }, managedPath, managedExists: false, isPackaged: true }),
    ).toEqual({ ok: true, path: undefined, source: 'none', ignoredArgument: false });
  });
  it('refuses a malformed --policy argument in development', () => {
    expect(
      choosePolicyFile({
        argument: { kind: 'invalid', reason: 'repeated' },
        managedPath,
        managedExists: false,
        isPackaged: false,
      }),
    ).toEqual({ ok: false, reason: '--policy: repeated' });
  });
});
