import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveAppPath } from '../../../main/electron/protocol-policy';

const root = path.resolve('/opt/walkup/out/renderer');

describe('resolveAppPath', () => {
  it('serves index.html for the root', () => {
    expect(resolveAppPath('app://walkup/', root)).toEqual({
      ok: true,
      filePath: path.join(root, 'index.html'),
      contentType: 'text/html; charset=utf-8',
    });
  });
  it('serves bundled assets with their content type', () => {
    const result = resolveAppPath('app://walkup/assets/index-abc123.js?v=1#x', root);
    expect(result).toEqual({
      ok: true,
      filePath: path.join(root, 'assets', 'index-abc123.js'),
      contentType: 'text/javascript; charset=utf-8',
    });
  });
  it('decodes ordinary escapes such as spaces', () => {
    const result = resolveAppPath('app://walkup/assets/logo%20dark.svg', root);
    expect(result.ok && result.filePath).toBe(path.join(root, 'assets', 'logo dark.svg'));
  });

  const traversals = [
    'app://walkup/../../etc/passwd.json',
    'app://walkup/assets/../../../etc/hosts.txt',
    'app://walkup/%2e%2e/%2e%2e/etc/passwd.json',
    'app://walkup/..%2f..%2fetc%2fpasswd.json',
    'app://walkup/..%5c..%5cwindows%5cwin.ini.txt',
    'app://walkup/%252e%252e/secret.json',
    'app://walkup/index.html%00.png',
    'app://walkup/..\\..\\secret.json',
  ];
  it.each(traversals)('never leaves the renderer folder for %j', (url) => {
    const result = resolveAppPath(url, root);
    if (result.ok) expect(result.filePath.startsWith(root + path.sep)).toBe(true);
    else expect([400, 403, 404]).toContain(result.status);
  });
  it('clamps URL dot segments to the root, as the URL parser does', () => {
    const result = resolveAppPath('app://walkup/%2e%2e/%2e%2e/etc/passwd.json', root);
    expect(result.ok && result.filePath).toBe(path.join(root, 'etc', 'passwd.json'));
  });
  it('refuses encoded separators outright rather than decoding twice', () => {
    expect(resolveAppPath('app://walkup/..%2f..%2fetc%2fpasswd.json', root)).toMatchObject({
      ok: false,
      status: 403,
    });
  });
  it('refuses other hosts and schemes', () => {
    expect(resolveAppPath('app://evil/index.html', root)).toMatchObject({ ok: false, status: 403 });
    expect(resolveAppPath('file:///opt/walkup/out/renderer/index.html', root)).toMatchObject({
      ok: false,
      status: 403,
    });
    expect(resolveAppPath('::::', root)).toMatchObject({ ok: false, status: 400 });
  });
  it('refuses file types the renderer does not ship', () => {
    expect(resolveAppPath('app://walkup/main.cjs', root)).toMatchObject({ ok: false, status: 404 });
    expect(resolveAppPath('app://walkup/assets', root)).toMatchObject({ ok: false, status: 404 });
  });
  it('refuses malformed escapes', () => {
    expect(resolveAppPath('app://walkup/%E0%A4%A.js', root)).toMatchObject({ ok: false, status: 400 });
  });
});
