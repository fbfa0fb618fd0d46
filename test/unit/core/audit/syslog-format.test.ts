/**
 * The RFC 5424 formatter: golden messages, PRI from facility and severity, header field rules,
 * SD-PARAM escaping (§6.3.3), the size limit and redaction.
 */
import { describe, expect, it } from 'vitest';
import {
  escapeParamValue,
  formatSyslogMessage,
  severityOf,
  toAuditRecord,
  type AuditEvent,
  type AuditRecord,
} from '../../../../main/core/audit';
import type { Clock } from '../../../../main/core/ports';

const clock: Clock = { now: () => Date.parse('2026-12-03T09:15:02.123Z'), sleep: () => Promise.resolve() };
const BOM = '\ufeff';
const options = { facility: 10, hostname: 'kiosk-7', appName: 'walkup', procId: '4242' };

function record(event: AuditEvent, station = 'Lobby'): AuditRecord {
  return toAuditRecord(event, clock, station);
}

describe('formatSyslogMessage', () => {
  it('writes the golden line for a sign-in: PRI, header, one SD element, the JSON line as MSG', () => {
    const rec = record({ type: 'sign-in-succeeded', visit: 'v-1', username: 'alice' });
    expect(formatSyslogMessage(rec, options)).toBe(
      '<86>1 2026-12-03T09:15:02.123Z kiosk-7 walkup 4242 sign-in-succeeded ' +
        '[walkup@32473 station="Lobby" type="sign-in-succeeded" visit="v-1" username="alice"] ' +
        `${BOM}{"time":"2026-12-03T09:15:02.123Z","station":"Lobby","type":"sign-in-succeeded","visit":"v-1","username":"alice"}`,
    );
  });

  it('computes PRI as facility × 8 + severity (RFC 5424 §6.2.1)', () => {
    const failed = record({
      type: 'sign-in-failed',
      visit: 'v',
      reason: 'invalid-credentials',
      shown: 'invalid-credentials',
      reference: 'R-1',
    });
    expect(severityOf(failed)).toBe(4);
    expect(formatSyslogMessage(failed, { ...options, facility: 4 })).toMatch(/^<36>1 /);
    expect(formatSyslogMessage(record({ type: 'station-in-service' }), { ...options, facility: 0 })).toMatch(
      /^<6>1 /,
    );
    const lost = record({ type: 'audit-lines-dropped', count: 3, total: 3 });
    expect(formatSyslogMessage(lost, { ...options, facility: 23 })).toMatch(/^<187>1 /);
    expect(severityOf(record({ type: 'admin-unlocked', who: 'pin' }))).toBe(5);
  });

  it('escapes ", \\ and ] in SD-PARAM values, and nothing else (§6.3.3)', () => {
    expect(escapeParamValue('a"b\\c]d[e=f')).toBe('a\\"b\\\\c\\]d[e=f');
    const rec = record(
      { type: 'station-out-of-service', reason: 'starting', detail: 'x"]\\ y' },
      'Hall "B" [2]',
    );
    const message = formatSyslogMessage(rec, options);
    expect(message).toContain('station="Hall \\"B\\" [2\\]"');
    expect(message).toContain('detail="x\\"\\]\\\\ y"');
    // MSG is the JSON line unchanged.
    expect(JSON.parse(message.slice(message.indexOf(BOM) + 1))).toEqual(rec);
  });

  it('keeps header fields printable ASCII without spaces, within their lengths, or "-"', () => {
    const rec = record({ type: `admin-${'x'.repeat(40)}` });
    const message = formatSyslogMessage(rec, {
      facility: 1,
      hostname: 'kiosk lobby é',
      appName: 'a'.repeat(60),
      procId: '',
    });
    const [, , host, app, proc, msgid] = message.split(' ');
    expect(host).toBe('kiosk_lobby__');
    expect(app).toBe('a'.repeat(48));
    expect(proc).toBe('-');
    expect(msgid).toBe(`admin-${'x'.repeat(26)}`);
    expect(msgid).toHaveLength(32);
  });

  it('puts only scalar fields with valid PARAM-NAMEs into the SD element; nested ones stay in MSG', () => {
    const rec = record({
      type: 'audit-summary',
      periodSeconds: 60,
      unattributed: { 'duo-rejected': 4 },
    });
    const message = formatSyslogMessage(rec, options);
    expect(message).toContain('[walkup@32473 station="Lobby" type="audit-summary" periodSeconds="60"]');
    expect(message).not.toMatch(/unattributed="/);
    expect(message).toContain('"unattributed":{"duo-rejected":4}');
  });

  it('cuts MSG at a character boundary to the size limit and says how long it was', () => {
    const detail = 'é'.repeat(2000);
    const rec = record({ type: 'station-out-of-service', reason: 'starting', detail });
    const message = formatSyslogMessage(rec, { ...options, maxBytes: 1024 });
    const bytes = Buffer.byteLength(message, 'utf8');
    expect(bytes).toBeLessThanOrEqual(1024);
    expect(bytes).toBeGreaterThan(1000);
    expect(message).not.toContain('\ufffd');
    const full = Buffer.byteLength(JSON.stringify(rec), 'utf8');
    expect(message).toContain(`truncated="${full}"]`);
    // The long detail left the SD element, which keeps station and type.
    expect(message).toContain('[walkup@32473 station="Lobby" type="station-out-of-service" truncated=');
  });

  it('refuses a facility outside 0-23 and a limit too small for a header', () => {
    const rec = record({ type: 'station-in-service' });
    expect(() => formatSyslogMessage(rec, { ...options, facility: 24 })).toThrow(RangeError);
    expect(() => formatSyslogMessage(rec, { ...options, maxBytes: 100 })).toThrow(/at least/);
  });

  it('never carries a credential-like field: the record went through redactSecrets', () => {
    const secret = 'Sup3r-Secret-Value!';
    const event = {
      type: 'admin-settings-changed',
      password: secret,
      clientSecret: secret,
      nested: [{ token: secret }],
    } as unknown as AuditEvent;
    const message = formatSyslogMessage(record(event), options);
    expect(message).not.toContain(secret);
    expect(message).toContain('"redacted":["password","clientSecret"');
  });
});
