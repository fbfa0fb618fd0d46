/**
 * The station's logo (main/core/branding/logo.ts, station-branding.ts): real files in a temporary
 * folder, read through the real file system; a wrapper of `open` counts handles so every outcome
 * is seen to close its file. Through `assembleStation`, a logo that cannot be used leaves the
 * station in service with the default logo and the warning `branding-logo-unusable`.
 */
import { mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadLogo, MAX_LOGO_BYTES, sniffLogoType, type LogoIo } from '../../../../main/core/branding/logo';
import { resolveBranding } from '../../../../main/core/branding/station-branding';
import { parseConfig } from '../../../../main/core/config/schema';
import { silentLogger, systemClock, type Logger } from '../../../../main/core/ports';
import { assembleStation, type RunningStation } from '../../../../main/core/station';
import { refusedPort } from '../../../support/directory-fixtures/tcp';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16]);
const SVG = '<?xml version="1.0"?>\n<!-- logo -->\n<svg xmlns="http://www.w3.org/2000/svg"></svg>\n';

let dir: string;
const running: RunningStation[] = [];
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'walkup-logo-'));
});
afterEach(async () => {
  for (const station of running.splice(0)) await station.stop();
  await rm(dir, { recursive: true, force: true });
});

/** The real `open`, counting handles opened and closed. */
function countingIo(): LogoIo & { opened: number; closed: number } {
  const io = {
    opened: 0,
    closed: 0,
    open: (async (...args: Parameters<typeof open>) => {
      const handle = await open(...args);
      io.opened += 1;
      const close = handle.close.bind(handle);
      handle.close = async () => {
        io.closed += 1;
        await close();
      };
      return handle;
    }) as typeof open,
  };
  return io;
}

async function file(name: string, contents: string | Uint8Array): Promise<string> {
  const target = path.join(dir, name);
  await writeFile(target, contents);
  return target;
}

describe('loadLogo', () => {
  it('tells PNG, JPEG and SVG apart by their contents', () => {
    expect(sniffLogoType(PNG)).toBe('image/png');
    expect(sniffLogoType(JPEG)).toBe('image/jpeg');
    expect(sniffLogoType(Buffer.from(SVG))).toBe('image/svg+xml');
    expect(sniffLogoType(Buffer.from('\uFEFF  <svg>'))).toBe('image/svg+xml');
    expect(sniffLogoType(Buffer.from('GIF89a'))).toBeUndefined();
    expect(sniffLogoType(Buffer.from('<html><svg></svg></html>'))).toBeUndefined();
    expect(sniffLogoType(Buffer.from([0xc3, 0x28]))).toBeUndefined();
  });

  it('gives each accepted type as a base64 data URL and closes the file', async () => {
    for (const [name, contents, type] of [
      ['logo.png', PNG, 'image/png'],
      ['logo.JPG', JPEG, 'image/jpeg'],
      ['logo.jpeg', JPEG, 'image/jpeg'],
      ['logo.svg', SVG, 'image/svg+xml'],
    ] as const) {
      const io = countingIo();
      const result = await loadLogo(await file(name, contents), io);
      expect(result).toEqual({
        ok: true,
        mediaType: type,
        dataUrl: `data:${type};base64,${Buffer.from(contents).toString('base64')}`,
      });
      expect(io).toMatchObject({ opened: 1, closed: 1 });
    }
  });

  it('accepts exactly 256 KB and refuses one byte more without reading it, closing the file', async () => {
    const io = countingIo();
    const exact = Buffer.concat([PNG, Buffer.alloc(MAX_LOGO_BYTES - PNG.length)]);
    expect(await loadLogo(await file('exact.png', exact), io)).toMatchObject({ ok: true });
    const big = await file('big.png', Buffer.concat([exact, Buffer.from([0])]));
    expect(await loadLogo(big, io)).toEqual({
      ok: false,
      problem: `${big} is 257 KB; a logo may be at most 256 KB`,
    });
    expect(io).toMatchObject({ opened: 2, closed: 2 });
  });

  it('refuses a wrong extension, an empty file, a missing file and contents of another type', async () => {
    const io = countingIo();
    const gif = await file('logo.gif', 'GIF89a');
    expect(await loadLogo(gif, io)).toEqual({
      ok: false,
      problem: `${gif} must be a .png, .jpg, .jpeg or .svg file`,
    });
    const empty = await file('empty.svg', '');
    expect(await loadLogo(empty, io)).toEqual({ ok: false, problem: `${empty} is empty` });
    const missing = path.join(dir, 'missing.png');
    expect(await loadLogo(missing, io)).toEqual({ ok: false, problem: `${missing} cannot be read (ENOENT)` });
    const text = await file('text.png', 'not an image');
    expect(await loadLogo(text, io)).toEqual({
      ok: false,
      problem: `${text} is not a PNG, JPEG or SVG image`,
    });
    const renamed = await file('photo.svg', JPEG);
    expect(await loadLogo(renamed, io)).toEqual({
      ok: false,
      problem: `${renamed} holds image/jpeg but its name says image/svg+xml`,
    });
    // The extension is judged before anything is opened; every opened file was closed.
    expect(io).toMatchObject({ opened: 3, closed: 3 });
  });
});

describe('resolveBranding', () => {
  function capturingLogger(): Logger & { warnings: [string, unknown][] } {
    const warnings: [string, unknown][] = [];
    return { ...silentLogger, warnings, warn: (event, fields) => warnings.push([event, fields]) };
  }

  it('gives the configured texts and no logo when no logo file is set', async () => {
    const logger = capturingLogger();
    expect(
      await resolveBranding(
        { organisation: 'Example', accentColor: '#5c2d91', helpdesk: 'Room 1.04' },
        { logger },
      ),
    ).toEqual({ branding: { organisation: 'Example', accentColor: '#5c2d91', helpdesk: 'Room 1.04' } });
    expect(logger.warnings).toEqual([]);
  });

  it('gives no logo and one warning naming the key when the file cannot be used', async () => {
    const logger = capturingLogger();
    const missing = path.join(dir, 'missing.svg');
    const resolved = await resolveBranding(
      { organisation: 'Walkup', accentColor: '#0b4a8b', logoFile: missing },
      { logger },
    );
    const logoProblem = `branding.logoFile: ${missing} cannot be read (ENOENT); showing the default logo`;
    expect(resolved).toEqual({ branding: { organisation: 'Walkup', accentColor: '#0b4a8b' }, logoProblem });
    expect(logger.warnings).toEqual([['branding-logo-unusable', { problem: logoProblem }]]);
  });
});

describe('a station with branding', () => {
  async function station(branding: object): Promise<RunningStation> {
    const parsed = parseConfig({
      branding,
      directory: { type: 'demo', throttling: { minFailureMs: 0 } },
      duo: {
        sdk: 'v4',
        apiHost: `127.0.0.1:${await refusedPort()}`,
        clientId: 'DIXXXXXXXXXXXXXXXXXX',
        clientSecret: 'x'.repeat(40),
      },
    });
    if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
    const assembled = await assembleStation(parsed.config, {
      clock: systemClock,
      logger: silentLogger,
      redirectUri: 'http://127.0.0.1/duo/callback',
      audit: { defaultFile: path.join(dir, 'audit.jsonl') },
    });
    running.push(assembled);
    return assembled;
  }

  it('shows the default assets/branding logo file as a configured logo', async () => {
    const logoFile = path.join(__dirname, '../../../../assets/branding/logo.svg');
    const assembled = await station({ organisation: 'Example University', logoFile, helpdesk: 'Room 1.04' });
    const info = assembled.engine.getStation();
    expect(info.branding).toEqual({
      organisation: 'Example University',
      accentColor: '#0b4a8b',
      helpdesk: 'Room 1.04',
      logo: { dataUrl: `data:image/svg+xml;base64,${(await readFile(logoFile)).toString('base64')}` },
    });
    expect(info.warnings).not.toContain('branding-logo-unusable');
  });

  it('stays usable with the default logo and the warning when the logo file is too big', async () => {
    const logoFile = await file('huge.png', Buffer.concat([PNG, Buffer.alloc(MAX_LOGO_BYTES)]));
    const info = (await station({ logoFile })).engine.getStation();
    expect(info.branding).toEqual({ organisation: 'Walkup', accentColor: '#0b4a8b' });
    expect(info.warnings).toContain('branding-logo-unusable');
  });
});
