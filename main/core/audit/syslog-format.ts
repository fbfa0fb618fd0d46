/**
 * One audit record as an RFC 5424 syslog message (The Syslog Protocol, RFC 5424):
 *
 *   <PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID [walkup@32473 station="…" type="…" …] BOM{json}
 *
 * - PRI = facility × 8 + severity (§6.2.1); the severity follows the event (`severityOf`).
 * - TIMESTAMP is the record's own time (ISO 8601 UTC, §6.2.3), so the file line and the message
 *   carry the same instant.
 * - HOSTNAME, APP-NAME, PROCID and MSGID are printable US-ASCII without spaces, at most 255, 48,
 *   128 and 32 characters (§6.2.4–6.2.7); anything else is replaced by `_`, an empty field is the
 *   NILVALUE `-`. MSGID is the event type.
 * - One structured-data element per message (§6.3) with the SD-ID `walkup@32473`: 32473 is the
 *   example private enterprise number of RFC 5612, a placeholder until Walkup has its own. Its
 *   SD-PARAMs are the station name, the event type and the event's other scalar fields (nested
 *   ones are in MSG only); values are escaped per §6.3.3 (`"`, `\` and `]` get a backslash).
 * - MSG is the audit file's JSON line for the same record, UTF-8 with the BOM (§6.4).
 * - The whole message is at most `maxBytes`: MSG is cut at a character boundary first (the SD
 *   element then says `truncated="<original MSG bytes>"`), as §6.1 asks of a sender that knows
 *   its receivers' limit.
 *
 * The record has already been through `redactSecrets` (`toAuditRecord`): no password, secret or
 * code reaches a message.
 *
 * Written by hand: the npm syslog clients that format RFC 5424 either lack structured data
 * (`syslog-client`) or are unmaintained (`glossy`, `syslog-pro`), and the format is a few lines.
 */
import type { AuditRecord } from './types';

/** The SD-ID of Walkup's structured-data element (RFC 5424 §6.3.2, RFC 5612 example PEN). */
export const WALKUP_SD_ID = 'walkup@32473';

/** RFC 5424 §6.2.1 severities used here. */
export const SYSLOG_SEVERITY = { error: 3, warning: 4, notice: 5, informational: 6 } as const;

/**
 * Message size limit (bytes) when none is given: what rsyslog and syslog-ng accept by default
 * (8 KiB), well under a UDP datagram (RFC 5426 §3.2).
 */
export const DEFAULT_SYSLOG_MAX_BYTES = 8192;

/** Smallest `maxBytes` accepted: room for the header and the SD element of any record. */
const MIN_MAX_BYTES = 480;

export interface SyslogFormatOptions {
  /** Facility code 0–23 (RFC 5424 §6.2.1). */
  facility: number;
  /** HOSTNAME (RFC 5424 §6.2.4): the machine's name. */
  hostname: string;
  /** APP-NAME (§6.2.5). */
  appName: string;
  /** PROCID (§6.2.6), e.g. the process id; `-` when unset. */
  procId?: string;
  /** Largest message in bytes (default `DEFAULT_SYSLOG_MAX_BYTES`, at least 480). */
  maxBytes?: number;
}

/** The severity of an event: failures and refusals are warnings, losing audit lines an error. */
export function severityOf(record: Pick<AuditRecord, 'type'>): number {
  switch (record.type) {
    case 'audit-lines-dropped':
    case 'audit-history-dropped':
    case 'station-out-of-service':
      return SYSLOG_SEVERITY.error;
    case 'sign-in-failed':
    case 'duo-rejected':
    case 'duo-replayed':
    case 'audit-summary':
      return SYSLOG_SEVERITY.warning;
    default:
      return record.type.startsWith('admin-') ? SYSLOG_SEVERITY.notice : SYSLOG_SEVERITY.informational;
  }
}

/** A header field: printable US-ASCII without spaces (`!`..`~`), at most `max`, or `-`. */
function headerField(value: string | undefined, max: number): string {
  const cleaned = (value ?? '').replace(/[^\x21-\x7e]/g, '_').slice(0, max);
  return cleaned === '' ? '-' : cleaned;
}

/** An SD-PARAM value escaped per RFC 5424 §6.3.3. */
export function escapeParamValue(value: string): string {
  return value.replace(/["\\\]]/g, (char) => `\\${char}`);
}

/** PARAM-NAME (§6.3.3: SD-NAME, 1–32 printable US-ASCII but `=`, space, `]` and `"`). */
const PARAM_NAME = /^[\x21-\x7e]{1,32}$/;
function validParamName(name: string): boolean {
  return PARAM_NAME.test(name) && !/[= \]"]/.test(name);
}

function structuredData(record: AuditRecord, truncatedFrom?: number): string {
  const params: [string, string][] = [
    ['station', record.station],
    ['type', record.type],
  ];
  for (const [name, value] of Object.entries(record)) {
    if (name === 'station' || name === 'type' || name === 'time' || !validParamName(name)) continue;
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      params.push([name, String(value)]);
    }
  }
  if (truncatedFrom !== undefined) params.push(['truncated', String(truncatedFrom)]);
  return `[${WALKUP_SD_ID}${params.map(([name, value]) => ` ${name}="${escapeParamValue(value)}"`).join('')}]`;
}

/** The longest prefix of `text` with at most `bytes` UTF-8 bytes, never splitting a character. */
function utf8Prefix(text: string, bytes: number): string {
  const buffer = Buffer.from(text, 'utf8');
  if (buffer.length <= bytes) return text;
  let end = bytes;
  // Step back over continuation bytes (10xxxxxx) to the start of the character that was cut.
  while (end > 0 && (buffer[end]! & 0xc0) === 0x80) end -= 1;
  return buffer.subarray(0, end).toString('utf8');
}

const BOM = '\ufeff';

/**
 * Formats `record` (already redacted) as one RFC 5424 message without framing. Throws a
 * `RangeError` when `facility` is not 0–23 or `maxBytes` below 480 (a programming error: the
 * schema allows neither).
 */
export function formatSyslogMessage(record: AuditRecord, options: SyslogFormatOptions): string {
  const { facility } = options;
  if (!Number.isInteger(facility) || facility < 0 || facility > 23) {
    throw new RangeError(`syslog facility must be 0-23, got ${facility}`);
  }
  const maxBytes = options.maxBytes ?? DEFAULT_SYSLOG_MAX_BYTES;
  if (maxBytes < MIN_MAX_BYTES) throw new RangeError(`syslog maxBytes must be at least ${MIN_MAX_BYTES}`);
  const header = [
    `<${facility * 8 + severityOf(record)}>1`,
    headerField(record.time, 64),
    headerField(options.hostname, 255),
    headerField(options.appName, 48),
    headerField(options.procId, 128),
    headerField(record.type, 32),
  ].join(' ');
  const json = JSON.stringify(record);
  const whole = `${header} ${structuredData(record)} ${BOM}${json}`;
  if (Buffer.byteLength(whole, 'utf8') <= maxBytes) return whole;

  const jsonBytes = Buffer.byteLength(json, 'utf8');
  let sd = structuredData(record, jsonBytes);
  // Field values in the SD element can be long too (a detail): keep the header and the station,
  // type and truncation mark whatever happens.
  if (Buffer.byteLength(`${header} ${sd} ${BOM}`, 'utf8') > maxBytes / 2) {
    sd = structuredData(
      {
        time: record.time,
        station: record.station.slice(0, 100),
        type: record.type.slice(0, 100),
      } as AuditRecord,
      jsonBytes,
    );
  }
  const prefix = `${header} ${sd} ${BOM}`;
  return prefix + utf8Prefix(json, maxBytes - Buffer.byteLength(prefix, 'utf8'));
}
