import { describe, expect, it } from 'vitest';
import { buildContentSecurityPolicy } from '../../../main/electron/csp-policy';

function directives(csp: string): Map<string, string> {
  return new Map(
    csp.split(';').map((part) => {
      const [name = '', ...values] = part.trim().split(/\s+/);
      return [name, values.join(' ')];
    }),
  );
}

describe('buildContentSecurityPolicy', () => {
  const csp = directives(buildContentSecurityPolicy({ duoOrigin: 'https://api-x.duosecurity.com' }));

  it('loads scripts, styles and connections from the app bundle only', () => {
    expect(csp.get('default-src')).toBe("'self'");
    expect(csp.get('script-src')).toBe("'self'");
    expect(csp.get('style-src')).toBe("'self'");
    expect(csp.get('connect-src')).toBe("'self'");
  });
  it('frames only the Duo origin', () => {
    expect(csp.get('frame-src')).toBe('https://api-x.duosecurity.com');
  });
  it('forbids plugins, base rewriting, form posts and being framed', () => {
    expect(csp.get('object-src')).toBe("'none'");
    expect(csp.get('base-uri')).toBe("'none'");
    expect(csp.get('form-action')).toBe("'none'");
    expect(csp.get('frame-ancestors')).toBe("'none'");
  });
  it('never allows inline or eval', () => {
    expect(buildContentSecurityPolicy({ duoOrigin: 'https://h' })).not.toMatch(/unsafe-(inline|eval)/);
  });
  it('frames nothing when no Duo origin is configured', () => {
    expect(directives(buildContentSecurityPolicy({ duoOrigin: undefined })).get('frame-src')).toBe("'none'");
  });
});
