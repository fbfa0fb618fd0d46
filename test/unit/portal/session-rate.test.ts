import { describe, expect, it } from 'vitest';
import { createSessionRateLimiter } from '../../../main/portal/session-rate';

describe('session rate per client', () => {
  it('allows a burst, then one session per refill period', () => {
    const limiter = createSessionRateLimiter({ capacity: 2, refillSeconds: 5 });
    expect(limiter.take('a', 0)).toEqual({ allowed: true });
    expect(limiter.take('a', 0)).toEqual({ allowed: true });
    expect(limiter.take('a', 0)).toEqual({ allowed: false, retryAfterSeconds: 5 });
    expect(limiter.take('a', 2_000)).toEqual({ allowed: false, retryAfterSeconds: 3 });
    expect(limiter.take('a', 5_000)).toEqual({ allowed: true });
    expect(limiter.take('b', 5_000)).toEqual({ allowed: true });
  });

  it('remembers a bounded number of clients', () => {
    const limiter = createSessionRateLimiter({ capacity: 1, refillSeconds: 60, maxClients: 3 });
    for (let index = 0; index < 100; index += 1) limiter.take(`client-${index}`, 0);
    expect(limiter.clients).toBe(3);
  });
});
