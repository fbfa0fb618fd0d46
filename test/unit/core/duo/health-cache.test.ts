/** The health cache: successes are reused for a while, failures never. */
import { describe, expect, it } from 'vitest';
import { cacheHealthyResult } from '../../../../main/core/duo/health-cache';
import type { DuoHealth } from '../../../../main/core/duo/types';
import type { Clock } from '../../../../main/core/ports';

function setup(answers: Array<'ok' | 'down'>) {
  let nowMs = 1_000_000;
  let calls = 0;
  const clock: Clock = { now: () => nowMs, sleep: async () => {} };
  const check = async (): Promise<DuoHealth> => {
    const answer = answers[calls++] ?? 'ok';
    return answer === 'ok'
      ? { ok: true, checkedAt: nowMs }
      : { ok: false, checkedAt: nowMs, code: 'unreachable', detail: 'down' };
  };
  return {
    health: cacheHealthyResult(clock, 30, check),
    advance: (seconds: number) => (nowMs += seconds * 1000),
    calls: () => calls,
  };
}

describe('cacheHealthyResult', () => {
  it('reuses a success until healthCacheSeconds have passed', async () => {
    const t = setup(['ok', 'down']);
    expect(await t.health()).toMatchObject({ ok: true });
    t.advance(29);
    expect(await t.health()).toMatchObject({ ok: true });
    expect(t.calls()).toBe(1);
    t.advance(1);
    expect(await t.health()).toMatchObject({ ok: false });
    expect(t.calls()).toBe(2);
  });

  it('asks again when fresh is requested', async () => {
    const t = setup(['ok', 'down']);
    await t.health();
    expect(await t.health({ fresh: true })).toMatchObject({ ok: false });
  });

  it('never reuses a failure', async () => {
    const t = setup(['down', 'ok']);
    expect(await t.health()).toMatchObject({ ok: false });
    expect(await t.health()).toMatchObject({ ok: true });
    expect(t.calls()).toBe(2);
  });

  it('forgets an earlier success once a fresh check fails', async () => {
    const t = setup(['ok', 'down', 'ok']);
    await t.health();
    await t.health({ fresh: true });
    expect(await t.health()).toMatchObject({ ok: true });
    expect(t.calls()).toBe(3);
  });
});
