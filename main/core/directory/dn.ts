/**
 * Distinguished names compared as names, not as text (RFC 4514, issue #8): `cn=Duo\2C Enrollers`
 * and `CN=duo\, enrollers` are one group. Every DN Walkup compares goes through `parseDn`: group
 * policy, nested group resolution, the configured base DNs.
 *
 * Written here rather than taken from a library: ldapts' `DN` only builds DNs (it has no parser),
 * and `@ldapjs/dn` (unmaintained since ldapjs was decommissioned) drops the rest of a value after
 * an escaped `+` (`cn=a\+b` parses as `cn=a`) and loses escaped spaces.
 *
 * Equality follows what directories do for naming attributes (`cn`, `ou`, `dc`, `uid`, `o`
 * are caseIgnoreMatch / caseIgnoreIA5Match, and AD compares every DN case-insensitively):
 * attribute types case-insensitive, and the names and OIDs of one type equal (`commonName`, `cn`
 * and `2.5.4.3`; RFC 4519); values unescaped (`\,`, `\2C`, `"…"` quoting alike), Unicode NFKC,
 * case-folded, insignificant spaces removed (RFC 4518 §2.6.1), a value that begins with an
 * escaped `#` (`cn=\#Admins`) like any other string; the AVAs of a multi-valued RDN
 * (`cn=a+sn=b`) in any order; a `#hex` value that BER-encodes a string equal to that string, any
 * other compared as bytes and never equal to a string value (`cn=#020101` is not `cn=\#020101`).
 */

/** One attribute type and value of an RDN, as parsed (value unescaped). */
export interface DnAva {
  /** Lower-cased attribute type (a descriptor, or a numeric OID without a known name). */
  type: string;
  /** The unescaped value; a `#hex` value that holds no string stays `#` + lower-case hex. */
  value: string;
  /** Set for a `#hex` value that holds no string: `value` is its bytes, compared as such. */
  ber?: true;
}

/** A parsed distinguished name. */
export interface ParsedDn {
  /** The text it was parsed from. */
  text: string;
  /** RDNs from the leaf (first) to the root (last); each holds one or more AVAs. */
  rdns: DnAva[][];
  /** Canonical comparison key: two DNs are the same entry name exactly when their keys match. */
  key: string;
}

/** Raised by `parseDn` for text that is not an RFC 4514 DN; the message says where. */
export class DnSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DnSyntaxError';
  }
}

/**
 * Other names (lower-cased) of the attribute types DNs are usually written with, each mapped to
 * the short name the comparison key uses: the long names and OIDs of RFC 4519 (e.g. `commonName`
 * and `2.5.4.3` are `cn`).
 */
const TYPE_ALIASES: Readonly<Record<string, string>> = {
  commonname: 'cn',
  '2.5.4.3': 'cn',
  surname: 'sn',
  '2.5.4.4': 'sn',
  countryname: 'c',
  '2.5.4.6': 'c',
  localityname: 'l',
  '2.5.4.7': 'l',
  stateorprovincename: 'st',
  '2.5.4.8': 'st',
  streetaddress: 'street',
  '2.5.4.9': 'street',
  organizationname: 'o',
  '2.5.4.10': 'o',
  organizationalunitname: 'ou',
  '2.5.4.11': 'ou',
  '2.5.4.12': 'title',
  gn: 'givenname',
  '2.5.4.42': 'givenname',
  userid: 'uid',
  '0.9.2342.19200300.100.1.1': 'uid',
  domaincomponent: 'dc',
  '0.9.2342.19200300.100.1.25': 'dc',
};

/** Characters RFC 4514 §2.4 lets a backslash escape by itself. */
const ESCAPABLE = new Set([' ', '"', '#', '+', ',', ';', '<', '=', '>', '\\']);
/** Characters that may not appear unescaped in a string value. */
const MUST_ESCAPE = new Set(['"', '<', '>', '\\']);

const isSpace = (char: string | undefined) => char === ' ';
const HEX = /^[0-9a-fA-F]{2}$/;

/**
 * Parses a DN (RFC 4514 string form; RFC 2253 quoted values, `;` between RDNs (RFC 2253 §4) and
 * spaces around `,` `;` `+` `=` are accepted too). The empty string is the root DSE's empty DN.
 *
 * @throws {DnSyntaxError} when the text is not a DN.
 */
export function parseDn(text: string): ParsedDn {
  const rdns: DnAva[][] = [];
  let at = 0;
  const fail = (what: string): never => {
    throw new DnSyntaxError(`not a valid DN (RFC 4514): ${what} at position ${at + 1}`);
  };
  const skipSpaces = () => {
    while (isSpace(text[at])) at += 1;
  };

  skipSpaces();
  if (at === text.length) return { text, rdns, key: keyOf(rdns) };

  let rdn: DnAva[] = [];
  for (;;) {
    skipSpaces();
    // attributeType = descr / numericoid (RFC 4512 §1.4)
    const typeMatch = /^(?:[A-Za-z][A-Za-z0-9-]*|\d+(?:\.\d+)*)/.exec(text.slice(at));
    if (!typeMatch) fail('an attribute type was expected');
    const rawType = typeMatch![0];
    at += rawType.length;
    const lower = rawType.toLowerCase();
    const type = TYPE_ALIASES[lower] ?? lower;
    skipSpaces();
    if (text[at] !== '=') fail(`"=" was expected after "${rawType}"`);
    at += 1;
    skipSpaces();
    rdn.push({ type, ...readValue() });
    skipSpaces();
    const separator = text[at];
    if (separator === undefined) {
      rdns.push(rdn);
      break;
    }
    if (separator === '+') {
      at += 1;
      continue;
    }
    if (separator === ',' || separator === ';') {
      at += 1;
      rdns.push(rdn);
      rdn = [];
      continue;
    }
    fail(`"," ";" or "+" was expected, not ${JSON.stringify(separator)}`);
  }
  return { text, rdns, key: keyOf(rdns) };

  /** Reads one value starting at `at` (after the `=` and its spaces). */
  function readValue(): Omit<DnAva, 'type'> {
    if (text[at] === '#') return readHexValue();
    if (text[at] === '"') return { value: readQuotedValue() };
    const bytes: number[] = [];
    // Bytes up to here are the value's without its unescaped trailing spaces.
    let significant = 0;
    const push = (chunk: Buffer | number[], escaped: boolean) => {
      bytes.push(...chunk);
      if (escaped || !chunk.every((byte) => byte === 0x20)) significant = bytes.length;
    };
    while (at < text.length) {
      const char = text[at]!;
      if (char === ',' || char === ';' || char === '+') break;
      if (char === '\\') {
        push(readEscape(), true);
        continue;
      }
      if (MUST_ESCAPE.has(char)) fail(`${JSON.stringify(char)} must be escaped in a value`);
      const codePoint = text.codePointAt(at)!;
      const chunk = String.fromCodePoint(codePoint);
      push(Buffer.from(chunk, 'utf8'), false);
      at += chunk.length;
    }
    return { value: decodeUtf8(bytes.slice(0, significant)) };
  }

  /** `\X` for a special character, or `\HH` for one byte of the value's UTF-8. */
  function readEscape(): number[] {
    const pair = text.slice(at + 1, at + 3);
    if (HEX.test(pair)) {
      at += 3;
      return [Number.parseInt(pair, 16)];
    }
    const next = text[at + 1];
    if (next === undefined || !ESCAPABLE.has(next))
      fail('"\\" must be followed by a special character or two hex digits');
    at += 2;
    return [...Buffer.from(next!, 'utf8')];
  }

  /** RFC 2253 §2.4 `"…"`: everything up to the closing quote, with `\` escapes. */
  function readQuotedValue(): string {
    at += 1;
    const bytes: number[] = [];
    for (;;) {
      const char = text[at];
      if (char === undefined) fail('the quoted value is not closed');
      if (char === '"') {
        at += 1;
        return decodeUtf8(bytes);
      }
      if (char === '\\') {
        bytes.push(...readEscape());
        continue;
      }
      const chunk = String.fromCodePoint(text.codePointAt(at)!);
      bytes.push(...Buffer.from(chunk, 'utf8'));
      at += chunk.length;
    }
  }

  /** RFC 4514 §2.4 `#hex`: the BER encoding of the value. */
  function readHexValue(): Omit<DnAva, 'type'> {
    const match = /^#((?:[0-9a-fA-F]{2})+)/.exec(text.slice(at));
    if (!match) fail('"#" must be followed by pairs of hex digits');
    at += match![0].length;
    const string = berString(Buffer.from(match![1]!, 'hex'));
    return string === undefined ? { value: `#${match![1]!.toLowerCase()}`, ber: true } : { value: string };
  }
}

/** Why `text` is not a DN (the `DnSyntaxError` message), or undefined when it is one. */
export function dnSyntaxProblem(text: string): string | undefined {
  try {
    parseDn(text);
    return undefined;
  } catch (error) {
    if (error instanceof DnSyntaxError) return error.message;
    throw error;
  }
}

/** Parses a DN, or returns undefined when the text is not one. */
export function tryParseDn(text: string): ParsedDn | undefined {
  try {
    return parseDn(text);
  } catch (error) {
    if (error instanceof DnSyntaxError) return undefined;
    throw error;
  }
}

/**
 * The comparison key of a DN from a server (memberOf values, search results). A value that does
 * not parse keeps a key of its own that no parsed DN can have, so it only equals itself.
 */
export function dnKey(dn: string | ParsedDn): string {
  if (typeof dn !== 'string') return dn.key;
  return tryParseDn(dn)?.key ?? `\u0000unparsed:${dn}`;
}

/** Whether two DNs name the same entry. */
export function sameDn(a: string | ParsedDn, b: string | ParsedDn): boolean {
  return dnKey(a) === dnKey(b);
}

/** Whether `dn` is `base` or lies below it (a search with base `base` and scope sub can return it). */
export function isWithinDn(dn: string | ParsedDn, base: string | ParsedDn): boolean {
  const child = typeof dn === 'string' ? tryParseDn(dn) : dn;
  const parent = typeof base === 'string' ? tryParseDn(base) : base;
  if (!child || !parent) return false;
  if (parent.rdns.length > child.rdns.length) return false;
  const tail = child.rdns.slice(child.rdns.length - parent.rdns.length);
  return keyOf(tail) === parent.key;
}

/** A set of DNs that answers membership by DN equality, keeping the first spelling of each. */
export class DnSet {
  private readonly byKey = new Map<string, string>();

  constructor(dns: Iterable<string> = []) {
    for (const dn of dns) this.add(dn);
  }

  /** Adds a DN; returns false when an equal one was already there. */
  add(dn: string): boolean {
    const key = dnKey(dn);
    if (this.byKey.has(key)) return false;
    this.byKey.set(key, dn);
    return true;
  }

  has(dn: string | ParsedDn): boolean {
    return this.byKey.has(dnKey(dn));
  }

  /** The DNs as first added. */
  values(): string[] {
    return [...this.byKey.values()];
  }
}

function keyOf(rdns: DnAva[][]): string {
  return JSON.stringify(
    rdns.map((rdn) =>
      rdn
        // A prefix keeps bytes (`b`) apart from strings (`s`) that happen to spell the same.
        .map(({ type, value, ber }) => [type, ber ? `b${value}` : `s${normalizeValue(value)}`])
        .sort(([a = '', b = ''], [c = '', d = '']) => (a === c ? compare(b, d) : compare(a, c))),
    ),
  );
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * caseIgnoreMatch as RFC 4518 prepares strings, for the common cases: white space mapped to
 * SPACE, NFKC, case folded,
 * leading/trailing spaces dropped and inner runs of spaces made one (whatever the value begins
 * with: `\#Admins` is a string too).
 */
function normalizeValue(value: string): string {
  // RFC 4518 §2.2: control characters TAB, LF, VT, FF, CR, NEL and every other space separator
  // (NO-BREAK SPACE, ...; Unicode Z*) map to SPACE.
  return value
    .replace(/[\t\n\v\f\r\u0085\p{Z}]/gu, ' ')
    .normalize('NFKC')
    .toLowerCase()
    .toUpperCase()
    .toLowerCase()
    .replace(/ +/g, ' ')
    .trim();
}

function decodeUtf8(bytes: number[]): string {
  const decoded = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  try {
    return decoded.decode(Uint8Array.from(bytes));
  } catch {
    throw new DnSyntaxError('not a valid DN (RFC 4514): a value is not valid UTF-8');
  }
}

/**
 * The string a BER-encoded value holds (UTF8String, PrintableString, IA5String, OCTET STRING,
 * TeletexString treated as Latin-1, BMPString), or undefined for anything else. Single-byte and
 * long-form lengths are accepted; the encoding must fill the buffer exactly.
 */
function berString(ber: Buffer): string | undefined {
  if (ber.length < 2) return undefined;
  const tag = ber[0]!;
  let length = ber[1]!;
  let offset = 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 4 || ber.length < 2 + count) return undefined;
    length = 0;
    for (let i = 0; i < count; i += 1) length = length * 256 + ber[2 + i]!;
    offset = 2 + count;
  }
  if (offset + length !== ber.length) return undefined;
  const content = ber.subarray(offset);
  try {
    switch (tag) {
      case 0x04: // OCTET STRING
      case 0x0c: // UTF8String
        return new TextDecoder('utf-8', { fatal: true }).decode(content);
      case 0x13: // PrintableString
      case 0x16: // IA5String
        return content.toString('latin1');
      case 0x14: // TeletexString
        return content.toString('latin1');
      case 0x1e: // BMPString (UTF-16BE)
        return content.length % 2 === 0 ? Buffer.from(content).swap16().toString('utf16le') : undefined;
      default:
        return undefined;
    }
  } catch {
    return undefined;
  }
}
