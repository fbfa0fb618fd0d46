import { describe, expect, it } from 'vitest';
import { createMemoryAuditLog, keepRecentAudit, type AuditHealth } from '../../../../main/core/audit';
import type { AuditLog } from '../../../../main/core/audit/types';
import type { Clock } from '../../../../main/core/ports';

const clock: Clock = { now: () => Date.UTC(2026, 11, 3, 9), sleep: async () => {} };

describe('keepRecentAudit', () => {
  it('keeps every record passed through, newest first, bounded by the capacity; the log behind gets each one', async () => {
    const behind = createMemoryAuditLog({ clock, stationName: 'kiosk-1' });
    const ring = keepRecentAudit(behind, { clock, stationName: 'kiosk-1', capacity: 3 });
    for (let index = 0; index < 5; index += 1) {
      await ring.log.record({ type: 'admin-unlock-failed', attemptsLeft: index });
    }
    expect(behind.records).toHaveLength(5);
    expect(ring.recent(50).map((record) => (record as { attemptsLeft?: number }).attemptsLeft)).toEqual([
      4, 3, 2,
    ]);
    expect(ring.recent(2)).toHaveLength(2);
    expect(ring.recent(0)).toEqual([]);
    expect(ring.recent(1)[0]).toMatchObject({ station: 'kiosk-1', time: '2026-12-03T09:00:00.000Z' });
  });

  it('redacts credential-like fields as the file log does', async () => {
    const ring = keepRecentAudit(createMemoryAuditLog({ clock, stationName: 's' }), {
      clock,
      stationName: 's',
    });
    await ring.log.record({ type: 'admin-oops', password: 'hunter2-secret' });
    expect(JSON.stringify(ring.recent(1))).not.toContain('hunter2-secret');
    expect(ring.recent(1)[0]?.redacted).toEqual(['password']);
  });

  it('passes health and health changes of the log behind through (the engine’s backpressure)', () => {
    const health: AuditHealth = { ok: false, backlog: 3, dropped: 0, historyShort: false };
    const listeners: ((value: AuditHealth) => void)[] = [];
    const behind: AuditLog = {
      record: async () => {},
      health: () => health,
      onHealthChange: (listener) => {
        listeners.push(listener);
        return () => {};
      },
    };
    const ring = keepRecentAudit(behind, { clock, stationName: 's' });
    expect(ring.log.health?.()).toBe(health);
    const seen: AuditHealth[] = [];
    ring.log.onHealthChange?.((value) => seen.push(value));
    listeners[0]?.(health);
    expect(seen).toEqual([health]);
    const bare = keepRecentAudit({ record: async () => {} }, { clock, stationName: 's' });
    expect(bare.log.health).toBeUndefined();
  });
});
