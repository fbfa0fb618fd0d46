/**
 * Audit forwarding against a real rsyslog (Debian's rsyslogd, started by the test on loopback,
 * test/support/rsyslog.ts) over UDP, TCP and TLS: stations assembled as the shells assemble them
 * (`assembleStation`: demo directory, the Duo emulator, the audit file and `audit.syslog`) run
 * visits; the test reads what rsyslog wrote and checks each message (RFC 5424 header, the
 * walkup@32473 element with the station name, MSG equal to the file's line) and that no password
 * or secret reached it. A collector with a certificate the station does not trust gets nothing and
 * the station shows `audit-forwarding-failed` while staying in service.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig, type WalkupConfig } from '../../main/core/config/schema';
import { DEMO_USERS } from '../../main/core/directory';
import { systemClock, type Logger } from '../../main/core/ports';
import { assembleStation, type AssembledStation } from '../../main/core/station';
import { createTestCA } from '../support/certs';
import { emulatorV4Config, useDuoEmulator } from '../support/duo-emulator/test-setup';
import { rsyslogUnavailableReason, startRsyslog, type RsyslogServer } from '../support/rsyslog';
import { skipUnlessServer } from '../support/server-skip';

const skip = skipUnlessServer('audit forwarding to rsyslog', rsyslogUnavailableReason());

const STATION = 'Lobby "East" [2]';
const STATION_SD = 'station="Lobby \\"East\\" [2\\]"';
const BOM = '\ufeff';
const alice = DEMO_USERS.find((user) => user.username === 'alice') ?? DEMO_USERS[0]!;
/** RFC 5424 §6: PRI VERSION TIMESTAMP HOSTNAME APP-NAME PROCID MSGID SD MSG. */
const RFC5424 = /^<(\d{1,3})>1 (\S+) (\S+) (\S+) (\d+) (\S+) (\[walkup@32473 .*?(?<!\\)\]) \uFEFF(\{.*\})$/u;

describe.skipIf(skip)('audit forwarding to a real rsyslog', () => {
  const emulator = useDuoEmulator();
  let rsyslog: RsyslogServer;
  let dir: string;
  const logLines: string[] = [];
  const logger: Logger = {
    info: (event, fields) => logLines.push(JSON.stringify({ event, fields })),
    warn: (event, fields) => logLines.push(JSON.stringify({ event, fields })),
    error: (event, fields) => logLines.push(JSON.stringify({ event, fields })),
  };

  beforeAll(async () => {
    rsyslog = await startRsyslog();
    dir = await mkdtemp(join(tmpdir(), 'walkup-audit-syslog-'));
  });
  afterAll(async () => {
    await rsyslog?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  function config(auditFile: string, syslog: Record<string, unknown>): WalkupConfig {
    const parsed = parseConfig({
      station: { name: STATION },
      directory: { type: 'demo' },
      duo: emulatorV4Config(emulator, { healthCacheSeconds: 0 }),
      audit: { file: auditFile, syslog },
    });
    if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
    return parsed.config;
  }

  async function assemble(cfg: WalkupConfig): Promise<AssembledStation> {
    const station = await assembleStation(cfg, {
      clock: systemClock,
      logger,
      audit: { defaultFile: join(dir, 'unused.jsonl') },
      redirectUri: 'http://127.0.0.1:8787/duo/callback',
      env: { WALKUP_DUO_CLIENT_SECRET: emulator.integrations.v4.clientSecret },
    });
    expect(station.problems).toEqual([]);
    await station.engine.refreshHealth();
    return station;
  }

  const transports = [
    { transport: 'udp', port: () => rsyslog.udpPort },
    { transport: 'tcp', port: () => rsyslog.tcpPort },
    { transport: 'tls', port: () => rsyslog.tlsPort },
  ] as const;

  for (const { transport, port } of transports) {
    it(`forwards a visit's events over ${transport}: RFC 5424, the station's SD element, no secret`, async () => {
      const auditFile = join(dir, `${transport}.jsonl`);
      const wrongPassword = `Wrong-Pass-${transport}-42`;
      const station = await assemble(
        config(auditFile, {
          host: '127.0.0.1',
          port: port(),
          transport,
          ...(transport === 'tls' ? { caFile: rsyslog.caFile, serverName: 'localhost' } : {}),
          facility: 'local3',
          appName: 'walkup-test',
        }),
      );
      expect(station.audit.where).toBe(`${auditFile} + syslog ${transport}://127.0.0.1:${port()}`);
      const session = station.engine.openSession({ duoPresentation: 'redirect' });
      const refused = await session.signIn({ username: alice.username, password: wrongPassword });
      expect(refused).toMatchObject({ ok: false, reason: 'invalid-credentials' });
      const signedIn = await session.signIn({ username: alice.username, password: alice.password });
      expect(signedIn).toMatchObject({ ok: true, duo: { kind: 'page' } });
      expect(station.engine.getStation().warnings).not.toContain('audit-forwarding-failed');
      const report = await station.stop();
      expect(report.audit).toMatchObject({ flushed: true });

      const fileLines = (await readFile(auditFile, 'utf8')).trim().split('\n');
      expect(fileLines.map((line) => (JSON.parse(line) as { type: string }).type)).toEqual([
        'station-in-service',
        'sign-in-failed',
        'sign-in-succeeded',
        'duo-started',
        // Stopping the station ends the visit; the forwarder sends that line before it closes.
        'visit-reset',
      ]);
      const received = await rsyslog.waitFor(
        (messages) => messages.filter((message) => message.input === transport).length >= fileLines.length,
      );
      const mine = received.filter((message) => message.input === transport);
      expect(mine).toHaveLength(fileLines.length);
      mine.forEach((message, index) => {
        const match = RFC5424.exec(message.raw);
        expect(match, message.raw).not.toBeNull();
        const [, pri, time, , app, , msgid, sd, msg] = match!;
        const record = JSON.parse(msg!) as { type: string; time: string };
        // The message is the file's line, whole, with its own time in the header.
        expect(msg).toBe(fileLines[index]);
        expect(time).toBe(record.time);
        expect(msgid).toBe(record.type);
        expect(app).toBe('walkup-test');
        // local3 = 19; a refused sign-in is a warning (4), the rest informational (6).
        expect(Number(pri)).toBe(19 * 8 + (record.type === 'sign-in-failed' ? 4 : 6));
        expect(sd).toContain(STATION_SD);
        expect(sd).toContain(`type="${record.type}"`);
      });
      expect(mine[1]!.raw).toMatch(/reference="[^"]+"/);

      // Everything rsyslog wrote, raw: no password or secret of this station.
      const everything = await readFile(rsyslog.receivedFile, 'utf8');
      for (const secret of [wrongPassword, alice.password, emulator.integrations.v4.clientSecret]) {
        expect(everything).not.toContain(secret);
      }
      expect(everything).toContain(BOM);
    });
  }

  it('sends nothing to a collector whose certificate it does not trust, and shows the warning', async () => {
    const otherCa = await createTestCA(dir, 'Not The Syslog CA');
    const auditFile = join(dir, 'untrusted.jsonl');
    const before = (await rsyslog.received()).filter((message) => message.input === 'tls').length;
    const station = await assemble(
      config(auditFile, {
        host: '127.0.0.1',
        port: rsyslog.tlsPort,
        transport: 'tls',
        caFile: otherCa.certFile,
      }),
    );
    try {
      await station.engine
        .openSession({ duoPresentation: 'redirect' })
        .signIn({ username: alice.username, password: alice.password });
      const deadline = Date.now() + 10_000;
      while (!station.engine.getStation().warnings.includes('audit-forwarding-failed')) {
        if (Date.now() > deadline) throw new Error('no audit-forwarding-failed warning');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(station.engine.getStation()).toMatchObject({ inService: true });
      expect(logLines.join('\n')).toMatch(/audit-forwarding-failed.*tls:\/\/127\.0\.0\.1.*certificate/i);
    } finally {
      await station.stop();
    }
    // The file has the lines; rsyslog's TLS input got none of them.
    expect((await readFile(auditFile, 'utf8')).trim().split('\n').length).toBeGreaterThanOrEqual(3);
    expect((await rsyslog.received()).filter((message) => message.input === 'tls')).toHaveLength(before);
  });

  // Last: it stops the shared rsyslog.
  it('keeps taking visits with the warning when rsyslog goes away mid-stream; the file has every line', async () => {
    const auditFile = join(dir, 'gone.jsonl');
    const tcpBefore = (await rsyslog.received()).filter((message) => message.input === 'tcp').length;
    const station = await assemble(
      config(auditFile, { host: '127.0.0.1', port: rsyslog.tcpPort, transport: 'tcp' }),
    );
    try {
      const signIn = () =>
        station.engine
          .openSession({ duoPresentation: 'redirect' })
          .signIn({ username: alice.username, password: alice.password });
      expect(await signIn()).toMatchObject({ ok: true });
      // This station's first lines (in service, the sign-in, Duo started) reached rsyslog.
      await rsyslog.waitFor(
        (messages) => messages.filter((message) => message.input === 'tcp').length >= tcpBefore + 3,
      );
      await rsyslog.kill();
      // Lines sent into the connection as it breaks are lost unacknowledged (RFC 6587 has no
      // acknowledgment): visits go on until the forwarder notices.
      const deadline = Date.now() + 10_000;
      while (!station.engine.getStation().warnings.includes('audit-forwarding-failed')) {
        if (Date.now() > deadline) throw new Error('no audit-forwarding-failed warning');
        expect(await signIn()).toMatchObject({ ok: true });
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(station.engine.getStation()).toMatchObject({ inService: true });
      expect(await signIn()).toMatchObject({ ok: true });
    } finally {
      await station.stop();
    }
    const types = (await readFile(auditFile, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { type: string }).type);
    expect(types.filter((type) => type === 'sign-in-succeeded').length).toBeGreaterThanOrEqual(2);
  });
});
