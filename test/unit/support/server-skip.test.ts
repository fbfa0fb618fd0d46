import { afterEach, describe, expect, it, vi } from 'vitest';
import { skipUnlessServer } from '../../support/server-skip';

describe('skipUnlessServer', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('runs the suite when the server is there', () => {
    expect(skipUnlessServer('suite', undefined)).toBeUndefined();
  });

  it('skips with the printed reason on a machine without the server', () => {
    vi.stubEnv('CI', '');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect(skipUnlessServer('OpenLDAP tests', 'slapd not installed')).toBe('slapd not installed');
    expect(warn).toHaveBeenCalledWith('skipped: OpenLDAP tests: slapd not installed');
  });

  it('never skips in CI, so a missing server fails the run instead of hiding', () => {
    vi.stubEnv('CI', 'true');
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect(skipUnlessServer('OpenLDAP tests', 'slapd not installed')).toBeUndefined();
  });
});
