/**
 * Portal mode cannot have its audit trail flushed away from outside: a flood of requests from
 * unauthenticated sessions (Duo answers without a visit, from 100 client addresses) leaves the
 * earlier audit lines in place, is not written one line per request, and is counted in the
 * summary line. Real engine, demo directory, the Duo emulator, a real audit file with a small
 * rotation size.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpRoutes } from '../../main/contract';
import { createAuditLog, type FileAuditLog } from '../../main/core/audit';
import { parseConfig } from '../../main/core/config/schema';
import { silentLogger, systemClock } from '../../main/core/ports';
import { buildStation, type Station } from '../../main/core/station';
import { portalRedirectUri, reserveFreePort, startPortal } from '../../main/portal';
import type { RunningPortal } from '../../main/portal/start';
import { useDuoEmulator } from '../support/duo-emulator/test-setup';
import { PortalBrowser } from '../support/portal-browser';

const emulator = useDuoEmulator();

/** One browser at one client address (the portal trusts X-Forwarded-For here, as behind a proxy). */
const browserAt = (base: string, address: string): PortalBrowser =>
  new PortalBrowser(base, { 'x-forwarded-for': address });

describe('audit trail under a flood of unauthenticated requests', () => {
  let dir: string;
  let audit: FileAuditLog;
  let station: Station;
  let portal: RunningPortal;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'walkup-audit-flood-'));
    const parsed = parseConfig({
      directory: { type: 'demo' },
      duo: {
        sdk: 'v4',
        apiHost: emulator.apiHost,
        clientId: emulator.integrations.v4.clientId,
        clientSecret: emulator.integrations.v4.clientSecret,
        caFile: emulator.caFile,
      },
      portal: { trustProxy: true },
    });
    if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
    audit = createAuditLog({
      file: path.join(dir, 'audit.jsonl'),
      maxBytes: 10_000,
      keep: 1,
      minHistoryHours: 24,
      clock: systemClock,
      stationName: 'flood test',
    });
    const host = '127.0.0.1';
    const port = await reserveFreePort(host);
    station = await buildStation(parsed.config, {
      clock: systemClock,
      logger: silentLogger,
      audit,
      redirectUri: portalRedirectUri({ host, port }),
      env: {},
    });
    portal = await startPortal({
      engine: station.engine,
      rendererDir: '/nonexistent-renderer',
      logger: silentLogger,
      trustProxy: true,
      host,
      port,
    });
  });
  afterAll(async () => {
    await portal?.close();
    station?.engine.close();
    await audit?.close(1000);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the earlier lines, writes no line per request, and counts the flood', async () => {
    const alice = browserAt(portal.url, '192.0.2.10');
    await alice.station();
    await expect.poll(async () => (await station.engine.refreshHealth()).inService).toBe(true);
    const signIn = await alice.signIn('alice', 'enroll-alice');
    expect(signIn.ok).toBe(true);
    await audit.flush();

    // 100 strangers, 10 Duo answers each, none of them with a visit: about 250 KB of audit lines
    // if each were written, some eight times what the files may hold (30 KB).
    const strangers = Array.from({ length: 100 }, (_, index) => browserAt(portal.url, `198.51.100.${index}`));
    await Promise.all(strangers.map((stranger) => stranger.station()));
    const answers = await Promise.all(
      strangers.map(async (stranger) => {
        const statuses: number[] = [];
        for (let attempt = 0; attempt < 10; attempt += 1) {
          statuses.push(
            (await stranger.postRaw(httpRoutes.submitDuoResponse, { response: `AUTH|x${attempt}|y` })).status,
          );
        }
        return statuses;
      }),
    );
    expect(answers.flat()).toHaveLength(1000);
    await audit.close(2000);

    const names = readdirSync(dir);
    const lines = names
      .flatMap((name) => readFileSync(path.join(dir, name), 'utf8').split('\n'))
      .filter(Boolean)
      .map(
        (line) =>
          JSON.parse(line) as { type: string; username?: string; unattributed?: Record<string, number> },
      );
    expect(lines).toEqual(
      expect.arrayContaining([expect.objectContaining({ type: 'sign-in-succeeded', username: 'alice' })]),
    );
    expect(lines.filter((line) => line.type === 'duo-rejected' && line.username === undefined)).toEqual([]);
    const summary = lines.find((line) => line.type === 'audit-summary');
    const counted = Object.values(summary?.unattributed ?? {}).reduce((sum, count) => sum + count, 0);
    expect(counted).toBe(1000);
  });
});
