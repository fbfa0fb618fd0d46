/**
 * Audit forwarding as a station's sink: `chooseAuditSink` adds it from `audit.syslog` (never to a
 * one-off check), `openAuditSink` writes the file as before and forwards the same redacted records
 * to a loopback collector; a failing collector is a warning, never out of service, never a
 * blocked `record`.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  chooseAuditSink,
  openAuditSink,
  type AuditEvent,
  type AuditHealth,
  type AuditSink,
} from '../../../../main/core/audit';
import { parseConfig } from '../../../../main/core/config/schema';
import { assessStation } from '../../../../main/core/enrollment/station-health';
import { systemClock, type Logger } from '../../../../main/core/ports';

const BOM = '\ufeff';
const logger: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };

function parsed(audit: Record<string, unknown>) {
  const result = parseConfig({ directory: { type: 'demo' }, duo: demoDuo, audit });
  if (!result.ok) throw new Error(result.errors.join('\n'));
  return result.config;
}
const demoDuo = {
  apiHost: 'api-1234abcd.duosecurity.com',
  clientId: 'DIXXXXXXXXXXXXXXXXXX',
  clientSecret: { env: 'S' },
};

interface Collector {
  port: number;
  messages(): string[];
  stop(): Promise<void>;
}

async function startCollector(): Promise<Collector> {
  const chunks: Buffer[] = [];
  const sockets: Socket[] = [];
  const server: Server = createServer((socket) => {
    sockets.push(socket);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return {
    port: address.port,
    messages() {
      const buffer = Buffer.concat(chunks);
      const out: string[] = [];
      let offset = 0;
      while (offset < buffer.length) {
        const space = buffer.indexOf(0x20, offset);
        const length = Number(buffer.subarray(offset, space).toString('ascii'));
        out.push(buffer.subarray(space + 1, space + 1 + length).toString('utf8'));
        offset = space + 1 + length;
      }
      return out;
    },
    stop: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('chooseAuditSink with audit.syslog', () => {
  const placement = { defaultFile: '/var/log/walkup/walkup-audit.jsonl' };

  it('adds forwarding with the RFC default port of the transport and the facility code', () => {
    const tls = chooseAuditSink(
      parsed({ syslog: { host: 'syslog.example.test', caFile: '/ca.pem' } }).audit,
      {
        placement,
        demo: false,
      },
    );
    expect(tls).toMatchObject({
      kind: 'file',
      forward: {
        host: 'syslog.example.test',
        port: 6514,
        transport: 'tls',
        caFile: '/ca.pem',
        facility: 10,
        appName: 'walkup',
        queueLines: 1000,
      },
    });
    const udp = chooseAuditSink(
      parsed({ syslog: { host: '10.0.0.5', transport: 'udp', facility: 'local4' } }).audit,
      { placement, demo: true },
    );
    expect(udp).toMatchObject({ kind: 'memory', why: 'demo', forward: { port: 514, facility: 20 } });
  });

  it('never forwards a one-off check, and forwards nothing when unset', () => {
    const cfg = parsed({ syslog: { host: 'syslog.example.test' } });
    expect(chooseAuditSink(cfg.audit, { placement: 'check', demo: false })).toEqual({
      kind: 'memory',
      why: 'check',
    });
    expect(chooseAuditSink(parsed({}).audit, { placement, demo: false })).not.toHaveProperty('forward');
  });

  it('refuses bad settings with the key named', () => {
    const result = parseConfig({
      directory: { type: 'demo' },
      duo: demoDuo,
      audit: { syslog: { host: 'h', transport: 'relp', appName: 'has space', port: 70_000, extra: 1 } },
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const text = result.errors.join('\n');
    expect(text).toMatch(/audit\.syslog\.transport/);
    expect(text).toMatch(/audit\.syslog\.appName: must be 1 to 48 printable ASCII characters without spaces/);
    expect(text).toMatch(/audit\.syslog\.port/);
    expect(text).toMatch(/extra/);
  });
});

describe('openAuditSink with forwarding', () => {
  async function open(syslogPort: number): Promise<{ sink: AuditSink; file: string }> {
    const dir = await mkdtemp(join(tmpdir(), 'walkup-syslog-sink-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const file = join(dir, 'audit.jsonl');
    const cfg = parsed({ file, syslog: { host: '127.0.0.1', port: syslogPort, transport: 'tcp' } });
    const sink = openAuditSink(chooseAuditSink(cfg.audit, { placement: { defaultFile: file }, demo: true }), {
      clock: systemClock,
      logger,
      stationName: 'Lobby',
      hostname: 'kiosk-7',
    });
    cleanups.push(() => sink.close(200));
    return { sink, file };
  }

  it('writes the file as before and forwards the same redacted records, 300 fired at once', async () => {
    const collector = await startCollector();
    cleanups.push(() => collector.stop());
    const { sink, file } = await open(collector.port);
    expect(sink.where).toBe(`${file} + syslog tcp://127.0.0.1:${collector.port}`);
    const secret = 'Hunter2-Secret!';
    const events: AuditEvent[] = Array.from({ length: 300 }, (_, index) => ({
      type: 'admin-test',
      n: index,
      password: secret,
    }));
    await Promise.all(events.map((event) => sink.log.record(event)));
    const lines = (await readFile(file, 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(300);
    await until(() => collector.messages().length === 300, '300 messages');
    const messages = collector.messages();
    expect(messages.map((message) => message.slice(message.indexOf(BOM) + 1))).toEqual(lines);
    expect(messages[0]).toMatch(
      /^<85>1 \S+ kiosk-7 walkup \d+ admin-test \[walkup@32473 station="Lobby" type="admin-test" n="0"\] /,
    );
    expect([...messages, ...lines].join('\n')).not.toContain(secret);
  });

  it('forwards what the guard writes: unattributed events as one summary, not one by one', async () => {
    const collector = await startCollector();
    cleanups.push(() => collector.stop());
    const { sink } = await open(collector.port);
    for (let index = 0; index < 5; index += 1) {
      await sink.log.record({
        type: 'duo-rejected',
        sdk: 'v4',
        code: 'malformed',
        reason: 'rejected',
        reference: 'R',
      });
    }
    await sink.close(500);
    const types = collector.messages().map((message) => message.split(' ')[5]);
    expect(types).toEqual(['audit-summary']);
  });

  it('keeps the station in service with the warning while the collector is unreachable', async () => {
    const collector = await startCollector();
    const port = collector.port;
    await collector.stop();
    const { sink } = await open(port);
    const seen: AuditHealth[] = [];
    sink.log.onHealthChange?.((health) => seen.push(health));
    // `record` resolves with the file write, whatever the collector does.
    await sink.log.record({ type: 'station-in-service' });
    await until(() => sink.log.health?.().forwarding?.ok === false, 'the failure');
    const health = sink.log.health!();
    expect(health.ok).toBe(true);
    expect(health.forwarding?.detail).toMatch(/ECONNREFUSED/);
    expect(seen.at(-1)?.forwarding?.ok).toBe(false);
    const cfg = parsed({ syslog: { host: '127.0.0.1', port, transport: 'tcp' } });
    const assessment = assessStation(cfg, {
      directory: [],
      duo: { ok: true, checkedAt: 0 },
      audit: health,
    });
    expect(assessment.outOfService).toBeUndefined();
    expect(assessment.warnings).toContain('audit-forwarding-failed');
    expect(
      assessStation(cfg, {
        directory: [],
        duo: { ok: true, checkedAt: 0 },
        audit: { ...health, forwarding: { ok: true, dropped: 0 } },
      }).warnings,
    ).not.toContain('audit-forwarding-failed');
  });
});
