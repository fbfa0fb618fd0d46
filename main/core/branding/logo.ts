/**
 * The station's logo (`branding.logoFile`): read once when the station is assembled, checked
 * for size and type, and handed to the renderer as a `data:` URL inside StationInfo, which the
 * renderer's CSP already allows as an image (`img-src 'self' data:`, `renderer-csp.ts`), so
 * neither shell needs a route or protocol for it.
 *
 * The type is judged by the file's contents (PNG and JPEG signatures; an SVG is UTF-8 text whose
 * root element is `<svg>`), and the file name's extension must agree. An SVG shown through
 * `<img>` runs no script and loads nothing (W3C SVG Integration, "secure animated mode"), so the
 * file needs no sanitising.
 */
import { open as openFile } from 'node:fs/promises';
import path from 'node:path';

/** The largest logo file accepted, in bytes (256 KB). */
export const MAX_LOGO_BYTES = 256 * 1024;

/** The image types a logo may have, by media type. */
export type LogoMediaType = 'image/png' | 'image/jpeg' | 'image/svg+xml';

const extensions: Record<string, LogoMediaType> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.svg': 'image/svg+xml',
};

/** PNG signature (RFC 2083 §3.1 / PNG specification §5.2). */
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** JPEG: SOI marker followed by the start of another marker (ITU-T T.81, B.2). */
const JPEG_SIGNATURE = [0xff, 0xd8, 0xff];
/** An SVG's root element, after an optional BOM, XML declaration, comments and doctype. */
const SVG_ROOT = /^\uFEFF?\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--[\s\S]*?-->\s*|<!DOCTYPE[^>]*>\s*)*<svg[\s>]/i;

function startsWith(bytes: Uint8Array, signature: readonly number[]): boolean {
  return signature.every((byte, index) => bytes[index] === byte);
}

/** The media type the bytes are, or undefined for anything but PNG, JPEG and SVG. */
export function sniffLogoType(bytes: Uint8Array): LogoMediaType | undefined {
  if (startsWith(bytes, PNG_SIGNATURE)) return 'image/png';
  if (startsWith(bytes, JPEG_SIGNATURE)) return 'image/jpeg';
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
  return SVG_ROOT.test(text) ? 'image/svg+xml' : undefined;
}

/** A logo ready for StationInfo, or why the file cannot be one (a sentence, without the key). */
export type LogoResult =
  { ok: true; dataUrl: string; mediaType: LogoMediaType } | { ok: false; problem: string };

/** What `loadLogo` reads with; tests pass a wrapper of the real `open` to see every handle closed. */
export interface LogoIo {
  open: typeof openFile;
}

/**
 * Reads `file` and checks it: at most `MAX_LOGO_BYTES`, a PNG, JPEG or SVG by its contents, and
 * an extension (.png, .jpg, .jpeg, .svg) that names that same type. The size is checked before
 * the contents are read, and the file is closed on every outcome. Never throws.
 */
export async function loadLogo(file: string, io: LogoIo = { open: openFile }): Promise<LogoResult> {
  const byName = extensions[path.extname(file).toLowerCase()];
  if (!byName) return { ok: false, problem: `${file} must be a .png, .jpg, .jpeg or .svg file` };
  let handle: Awaited<ReturnType<typeof openFile>> | undefined;
  let bytes: Uint8Array;
  try {
    handle = await io.open(file, 'r');
    const { size } = await handle.stat();
    if (size > MAX_LOGO_BYTES) {
      return {
        ok: false,
        problem: `${file} is ${Math.ceil(size / 1024)} KB; a logo may be at most ${MAX_LOGO_BYTES / 1024} KB`,
      };
    }
    if (size === 0) return { ok: false, problem: `${file} is empty` };
    bytes = await handle.readFile();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    return { ok: false, problem: `${file} cannot be read (${code ?? 'error'})` };
  } finally {
    await handle?.close().catch(() => undefined);
  }
  // The file may have grown between the stat and the read.
  if (bytes.byteLength > MAX_LOGO_BYTES) {
    return { ok: false, problem: `${file} is larger than ${MAX_LOGO_BYTES / 1024} KB` };
  }
  const byContents = sniffLogoType(bytes);
  if (!byContents) return { ok: false, problem: `${file} is not a PNG, JPEG or SVG image` };
  if (byContents !== byName) {
    return { ok: false, problem: `${file} holds ${byContents} but its name says ${byName}` };
  }
  return {
    ok: true,
    mediaType: byContents,
    dataUrl: `data:${byContents};base64,${Buffer.from(bytes).toString('base64')}`,
  };
}
