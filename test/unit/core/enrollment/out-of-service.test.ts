import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryAuditLog } from '../../../../main/core/audit';
import { createOutOfServiceEngine } from '../../../../main/core/enrollment';
import { CapturingLogger, clock } from './fakes';

describe('out-of-service engine', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: Date.UTC(2026, 10, 22, 9, 0, 0) });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('stays out of service with the reason, refuses sign-ins with a reference and runs no checks', async () => {
    const audit = createMemoryAuditLog({ clock, stationName: 'Lobby' });
    const engine = createOutOfServiceEngine({
      reason: 'configuration-invalid',
      detail: 'duo.clientId: must be the 20-character Client ID',
      station: { name: 'Lobby' },
      clock,
      logger: new CapturingLogger(),
      audit,
    });
    expect(engine.getStation()).toMatchObject({
      name: 'Lobby',
      inService: false,
      outOfService: { reason: 'configuration-invalid' },
      warnings: [],
    });
    expect(engine.getStation()).not.toHaveProperty('demo');
    const result = await engine
      .openSession({ duoPresentation: 'redirect' })
      .signIn({ username: 'a', password: 'b' });
    expect(result).toMatchObject({ ok: false, reason: 'out-of-service', reference: expect.any(String) });
    expect(await engine.refreshHealth()).toMatchObject({ inService: false });
    expect(vi.getTimerCount()).toBe(0);
    expect(audit.records.map((record) => record.type)).toEqual(['station-out-of-service', 'sign-in-failed']);
    expect(audit.records[0]).toMatchObject({ detail: 'duo.clientId: must be the 20-character Client ID' });
    engine.close();
  });

  it('falls back to the default name when the given one is unusable', () => {
    const engine = createOutOfServiceEngine({
      reason: 'secrets-unavailable',
      station: { name: '' },
      sdk: 'v2',
      clock,
      logger: new CapturingLogger(),
      audit: createMemoryAuditLog({ clock, stationName: 'x' }),
    });
    expect(engine.getStation()).toMatchObject({ name: 'Walkup', duoSdk: 'v2' });
    engine.close();
  });
});
