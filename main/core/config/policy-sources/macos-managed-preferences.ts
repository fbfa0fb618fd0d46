/**
 * macOS fleet policy from managed preferences: the settings an MDM (Jamf Pro's "Application &
 * Custom Settings", or any `com.apple.ManagedClient.preferences` profile) delivers for Walkup's
 * bundle id. macOS writes them to `/Library/Managed Preferences/<bundle id>.plist` (computer
 * level) and `/Library/Managed Preferences/<user>/<bundle id>.plist` (user level).
 *
 * The system writes those files as binary property lists, and a hand-placed or older one may be
 * XML. Both are read in-process with well-kept pure-JavaScript libraries, told apart by the
 * binary format's `bplist00` magic (Apple, "CFBinaryPList"): `bplist-parser` for binary and
 * `plist` (the parser electron-builder's macOS signing uses) for XML. Not `plutil -convert xml1`:
 * that is a child process that exists only on macOS, so the reader could not be tested on this
 * project's Linux CI, and the libraries need no process, timeout or PATH.
 *
 * Keys and dicts map one to one onto the configuration: the dict `directory` holds the dict `tls`
 * holding the string `caFile`. A secret is a dict with one key `vault`, `file` or `env`; a secret value is
 * refused (see `INLINE_SECRET_REASON`). Dates, data and UIDs are plist types no Walkup key takes.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseBuffer } from 'bplist-parser';
// Default import: plist is CommonJS, whose named exports Node's ESM loader cannot see.
import plist from 'plist';
import { matchPolicyPath } from './policy-keys';
import {
  isSafeName,
  policyValueProblem,
  SECRET_REFERENCE_PARTS,
  SECRET_REFERENCE_PARTS_TEXT,
  setAtPath,
  type PolicySourceResult,
} from './policy-object';

/** Walkup's bundle id: electron-builder.yml's `appId` (never changes; a test keeps them equal). */
export const WALKUP_BUNDLE_ID = 'edu.walkup.station';

/** The managed preferences folder macOS writes for MDM profiles. */
export const MANAGED_PREFERENCES_FOLDER = '/Library/Managed Preferences';

/** A managed preferences file larger than this is surely not Walkup's policy. */
const MAX_PLIST_BYTES = 1024 * 1024;

/**
 * The computer-level file and, for a user, the user-level file of a bundle id's managed
 * preferences.
 */
export function managedPreferencesPaths(
  bundleId: string = WALKUP_BUNDLE_ID,
  userName?: string,
): { computer: string; user?: string } {
  const computer = path.posix.join(MANAGED_PREFERENCES_FOLDER, `${bundleId}.plist`);
  if (userName === undefined || userName === '' || userName.includes('/') || userName.startsWith('.')) {
    return { computer };
  }
  return { computer, user: path.posix.join(MANAGED_PREFERENCES_FOLDER, userName, `${bundleId}.plist`) };
}

const BINARY_MAGIC = Buffer.from('bplist00', 'latin1');

/** Decodes a property list (binary or XML) to its top-level value; throws on malformed input. */
function decodePlist(bytes: Buffer): unknown {
  if (bytes.subarray(0, BINARY_MAGIC.length).equals(BINARY_MAGIC)) {
    const [root] = parseBuffer(bytes);
    return root;
  }
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  if (!/^\s*<(\?xml|!DOCTYPE|plist)/.test(text)) throw new Error('neither a binary nor an XML property list');
  // `plist` parses with @xmldom/xmldom, which also prints its complaints about malformed XML to
  // the console (position and tag names, not text) before the parse throws.
  return plist.parse(text);
}

function plistTypeName(value: unknown): string {
  if (value instanceof Date) return 'date';
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return 'data';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'bigint') return 'integer beyond 2^53';
  if (typeof value === 'object' && value !== null) {
    return Object.getPrototypeOf(value) === Object.prototype ? 'dict' : 'UID';
  }
  return typeof value;
}

function isDict(value: unknown): value is Record<string, unknown> {
  return plistTypeName(value) === 'dict';
}

/**
 * Maps a decoded property list onto a plain policy object for the configuration schema. Every
 * problem is reported, each naming the key (`directory.tls.useSystemCA in <name>: must be true or
 * false`); values never appear in errors.
 */
export function policyFromPlistValue(root: unknown, name: string): PolicySourceResult {
  if (!isDict(root)) {
    return {
      ok: false,
      code: 'invalid',
      errors: [`${name}: the top level must be a dict, not ${plistTypeName(root)}`],
    };
  }
  const policy: Record<string, unknown> = {};
  const errors: string[] = [];
  const visit = (dict: Record<string, unknown>, segments: string[]): void => {
    for (const [entryName, value] of Object.entries(dict)) {
      const here = [...segments, entryName];
      const dotted = here.join('.');
      const match = matchPolicyPath(here);
      if (match.kind === 'unknown' || !isSafeName(entryName)) {
        errors.push(`${dotted} in ${name}: unknown policy key`);
        continue;
      }
      if (match.kind === 'section') {
        if (isDict(value)) visit(value, here);
        else errors.push(`${dotted} in ${name}: must be a dict (a section), not ${plistTypeName(value)}`);
        continue;
      }
      const { key } = match;
      const kind = plistTypeName(value);
      const elementsOk = !Array.isArray(value) || value.every((item) => typeof item === 'string');
      const problem =
        kind === 'date' || kind === 'data' || kind === 'UID' || kind.startsWith('integer beyond')
          ? `is a plist ${kind}, which no Walkup key takes`
          : key.kind === 'secret' && isDict(value)
            ? secretReferenceProblem(value)
            : elementsOk
              ? policyValueProblem(key, value)
              : 'must be a list of text values';
      if (problem) {
        errors.push(`${key.path} in ${name}: ${problem}`);
        continue;
      }
      setAtPath(policy, key.segments, Array.isArray(value) ? [...(value as string[])] : value);
    }
  };
  visit(root, []);
  return errors.length > 0 ? { ok: false, code: 'invalid', errors } : { ok: true, value: policy };
}

/** A secret reference dict holds text under `vault`, `file` or `env` (the schema checks that only one is set). */
function secretReferenceProblem(dict: Record<string, unknown>): string | undefined {
  for (const [part, value] of Object.entries(dict)) {
    if (!SECRET_REFERENCE_PARTS.includes(part)) {
      return `takes only a key named ${SECRET_REFERENCE_PARTS_TEXT}, not ${part}`;
    }
    if (typeof value !== 'string') return `${part} must be text, not ${plistTypeName(value)}`;
  }
  return undefined;
}

/** Decodes the bytes of a managed preferences file (binary or XML) into a policy object. */
export function parseManagedPreferences(bytes: Buffer, name: string): PolicySourceResult {
  if (bytes.length > MAX_PLIST_BYTES) {
    return { ok: false, code: 'malformed', errors: [`${name} is larger than ${MAX_PLIST_BYTES} bytes`] };
  }
  let root: unknown;
  try {
    root = decodePlist(bytes);
  } catch (error) {
    // The parsers' messages describe structure (offsets, tags), never a value's text.
    const reason = error instanceof Error ? error.message.split('\n')[0]?.slice(0, 200) : 'cannot be parsed';
    return { ok: false, code: 'malformed', errors: [`${name} is not a valid property list: ${reason}`] };
  }
  return policyFromPlistValue(root, name);
}

/** Reads one managed preferences file. A missing file is `missing` (no profile for this scope). */
export async function readManagedPreferencesFile(
  file: string,
  io: { readFile(path: string): Promise<Buffer> } = { readFile: (name) => readFile(name) },
): Promise<PolicySourceResult> {
  let bytes: Buffer;
  try {
    bytes = await io.readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    if (code === 'ENOENT') return { ok: false, code: 'missing', errors: [`${file} does not exist`] };
    const why =
      code === 'EACCES' || code === 'EPERM'
        ? 'permission denied'
        : code === 'EISDIR'
          ? 'is a directory'
          : (code ?? 'error');
    return { ok: false, code: 'unreadable', errors: [`${file} cannot be read (${why})`] };
  }
  return parseManagedPreferences(bytes, file);
}
